// `langgraph-conformance compare A/report.json B/report.json ... --out DIR`: the
// compatibility matrix of two or more runs. A report that cannot be read or is
// not a report ends the command with one line and exit code 2; a report made
// with another version of the contract (or of the suite) is compared with a
// warning: its checks may mean something else.

import { mkdir, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import { LEVELS, OUTCOMES } from "../../harness/model";
import { UsageError } from "../../harness/target";
import { buildMatrix, renderMatrixHtml, renderMatrixMarkdown, type ComparedReport } from "../../reporters/matrix";
import { writeAtomic } from "../../reporters/write";

/**
 * The part of the report format `compare` relies on: what every version of
 * report.json has. The full format is schemas/report.schema.json.
 */
const COMPARABLE = {
  type: "object",
  required: ["suite", "contract", "target", "checks"],
  properties: {
    suite: { type: "object", required: ["version"], properties: { version: { type: "string" } } },
    contract: { type: "object", required: ["version"], properties: { version: { type: "string" } } },
    target: {
      type: "object",
      required: ["url"],
      properties: { url: { type: "string" }, label: { type: "string" }, started: { type: "string" } },
    },
    startedAt: { type: "string" },
    findings: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "level", "title", "failed", "operations"],
        properties: { id: { type: "string", pattern: "^F-[0-9a-f]{8}$" }, level: { enum: [...LEVELS] }, title: { type: "string" }, failed: { type: "array" }, operations: { type: "array" } },
      },
    },
    checks: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "level", "profile", "title", "outcome"],
        properties: {
          id: { type: "string", pattern: "^[A-Z]{2,5}-[0-9]{3}$" },
          level: { enum: [...LEVELS] },
          profile: { type: "string", pattern: "^[a-z][a-z0-9-]*$" },
          title: { type: "string" },
          outcome: { enum: [...OUTCOMES] },
          message: { type: "string" },
          baseline: { enum: ["expected", "stale"] },
        },
      },
    },
  },
} as const;

const ajv = new Ajv2020({ allErrors: false, strict: false });
const validate = ajv.compile<any>(COMPARABLE);

/** A report.json (or the directory holding it), parsed: a one-line usage error when it cannot be read or is not JSON. */
export async function readReportJson(path: string): Promise<unknown> {
  let file = resolve(path);
  let text: string;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "report.json");
    text = await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the report ${path}: ${code === "ENOENT" ? "no such file" : (code ?? (e as Error).message)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path} is not JSON: ${(e as Error).message.split("\n")[0]}`);
  }
}

export async function readComparable(path: string): Promise<Omit<ComparedReport, "label"> & { label?: string }> {
  return comparableOf((await readReportJson(path)) as any, path);
}

/** What `compare` takes of a parsed report; `path` is how the matrix names it. Throws a UsageError when it is not a report. */
export function comparableOf(json: any, path: string): Omit<ComparedReport, "label"> & { label?: string } {
  if (!validate(json)) {
    const err = validate.errors?.[0];
    throw new UsageError(`${path} is not a langgraph-conformance report: ${err ? `${err.instancePath || "(document)"} ${err.message}` : "unexpected shape"}`);
  }
  const seen = new Set<string>();
  for (const c of json.checks as Array<{ id: string }>) {
    if (seen.has(c.id)) throw new UsageError(`${path} is not a langgraph-conformance report: check ${c.id} appears twice`);
    seen.add(c.id);
  }
  return {
    path,
    ...(typeof json.target.label === "string" ? { label: json.target.label } : {}),
    suite: json.suite,
    contract: json.contract,
    target: json.target,
    ...(typeof json.startedAt === "string" ? { startedAt: json.startedAt } : {}),
    ...(json.verdict && typeof json.verdict.exitCode === "number" ? { verdict: json.verdict } : {}),
    checks: json.checks,
    ...(Array.isArray(json.findings) ? { findings: json.findings } : {}),
  };
}

function defaultLabel(r: { target: { url: string; started?: string; label?: string } }): string {
  if (r.target.label) return r.target.label;
  if (r.target.started) return r.target.started;
  try {
    return new URL(r.target.url).host;
  } catch {
    return r.target.url;
  }
}

export async function compare(paths: string[], labels: string[], warn: (line: string) => void): Promise<{ md: string; html: string; warnings: string[] }> {
  if (paths.length < 2) throw new UsageError(`compare needs two or more reports, got ${paths.length} (see --help)`);
  if (labels.length > paths.length) throw new UsageError(`compare: ${labels.length} --label for ${paths.length} reports`);
  const read = [];
  for (const p of paths) read.push(await readComparable(p));
  return compareRead(read, labels, warn);
}

/** The matrix of reports already read (readComparable, comparableOf), as Markdown and HTML. */
export function compareRead(read: Array<Omit<ComparedReport, "label"> & { label?: string }>, labels: string[], warn: (line: string) => void): { md: string; html: string; warnings: string[] } {
  if (read.length < 2) throw new UsageError(`compare needs two or more reports, got ${read.length} (see --help)`);
  if (labels.length > read.length) throw new UsageError(`compare: ${labels.length} --label for ${read.length} reports`);
  const warnings: string[] = [];
  const first = read[0]!;
  for (const r of read.slice(1)) {
    if (r.contract.version !== first.contract.version) {
      warnings.push(`${r.path} was made against contract ${r.contract.version}, ${first.path} against ${first.contract.version}: a check may not mean the same in both; compared anyway`);
    } else if (r.suite.version !== first.suite.version) {
      warnings.push(`${r.path} was made by suite ${r.suite.version}, ${first.path} by ${first.suite.version}: the catalogs may differ; compared anyway`);
    }
  }
  for (const w of warnings) warn(w);
  const used = new Map<string, number>();
  const reports: ComparedReport[] = read.map((r, i) => {
    const base = labels[i] ?? defaultLabel(r);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return { ...r, label: n === 1 ? base : `${base} (${n})` };
  });
  const m = buildMatrix(reports, warnings);
  return { md: renderMatrixMarkdown(m), html: renderMatrixHtml(m), warnings };
}

export async function cmdCompare(args: string[], io: { log: (l: string) => void; warn: (l: string) => void }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { out: { type: "string" }, label: { type: "string", multiple: true } }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]} (see --help)`);
  }
  const out = resolve((parsed.values.out as string | undefined) ?? "conformance-compare");
  const { md, html } = await compare(parsed.positionals, (parsed.values.label as string[] | undefined) ?? [], io.warn);
  try {
    await mkdir(out, { recursive: true });
    await writeAtomic(join(out, "compare.md"), md);
    await writeAtomic(join(out, "compare.html"), html);
  } catch (e) {
    throw new UsageError(`cannot write to ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.log(`Compared ${parsed.positionals.length} reports: ${join(out, "compare.md")}, ${join(out, "compare.html")}`);
  return 0;
}
