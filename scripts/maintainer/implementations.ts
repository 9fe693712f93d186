// Regenerates docs/implementations/: the suite run against each implementation
// of the API this repo can start (the embedded reference server,
// @langgraph-js/pure-graph, and @langchain/langgraph-api 2.0.0 from its own
// folder), their report.json, and every document generated from the committed
// reports: each implementation's report.md and findings.md, the compatibility
// matrix of all (compare.md), the regression diff of the reference against the
// next release (regression-<a>-to-<b>.md and .html), docs/implementations/README.md,
// and the table of the repo's README.md (between the `implementations` markers).
//
//   npm run implementations [-- --seed N] [-- --only NAME[,NAME]] [-- --no-runs]
//
// --no-runs rewrites the documents from the reports already there; that is also
// what selftest/implementations-docs.test.ts renders to check that the committed
// documents match the committed reports. Rendering is a function of the reports
// (no clock, no paths of this machine), so the check is exact.
//
// Each run goes through the command line, as a user's would; a run that exits 1
// (MUST findings) is a result, not an error; exit code 2 stops the script.
// report.html and junit.xml are left out of the repo (several MB for a server
// that fails most checks): `langgraph-conformance run` with the same arguments
// writes them, and the command of each run is in docs/implementations/README.md.

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LEVELS } from "../../harness/model";
import { diffFindings } from "../../reporters/matrix";
import { escapeMarkdown as md } from "../../reporters/escape";
import { renderFindingsDoc } from "../../reporters/findings-doc";
import { renderMarkdown } from "../../reporters/formats/markdown";
import { formatScore } from "../../reporters/report";
import type { Report } from "../../reporters/model";
import { comparableOf, compareRead } from "../cli/compare";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Where the documents go, relative to the repository's root. */
export const DOCS = "docs/implementations";
/** What a reader runs to write the documents again from the committed reports. */
export const REGENERATE = "npm run implementations -- --no-runs";
export const README_BEGIN = "<!-- implementations:begin (written by npm run implementations) -->";
export const README_END = "<!-- implementations:end -->";

const rootRequire = createRequire(join(ROOT, "package.json"));
const API2_DIR = join(ROOT, "scripts", "maintainer", "langgraph-api-2");
const versionIn = (req: NodeJS.Require, pkg: string) => JSON.parse(readFileSync(req.resolve(`${pkg}/package.json`), "utf8")).version as string;

export interface Implementation {
  /** Folder under docs/implementations/. */
  name: string;
  /** The label of a new run (read from what is installed: only called to run). */
  label: () => string;
  /** What the implementation is, for the documents. */
  about: string;
  /** Arguments of `langgraph-conformance run` that start it (besides --label, --seed, --report-dir). */
  args: string[];
  /** What must be done before it can run (install it). */
  prepare?: () => Promise<void>;
}

export const IMPLEMENTATIONS: Implementation[] = [
  {
    name: "langgraph-api",
    label: () => `langgraph-api ${versionIn(rootRequire, "@langchain/langgraph-api")} (reference)`,
    about: "`@langchain/langgraph-api`, the official JS implementation, at the version the root's package.json pins: the embedded reference server (`npm run conformance` with no URL)",
    args: [],
  },
  {
    name: "langgraph-api-2",
    label: () => `langgraph-api ${versionIn(createRequire(join(API2_DIR, "package.json")), "@langchain/langgraph-api")}`,
    about:
      "`@langchain/langgraph-api` 2.0.0, the highest version of the official JS implementation on the registry (which marks it deprecated; its `latest` tag is 1.5.1), " +
      "installed in `scripts/maintainer/langgraph-api-2/` (its peer dependencies conflict with the root's) and started by `server.ts` there exactly as the reference is, " +
      "its server and the fixture graphs on the same `@langchain/langgraph` 1.7.3 and `@langchain/core` 1.4.0 as the reference's",
    args: ["--command", "node --import tsx scripts/maintainer/langgraph-api-2/server.ts --stop-on-stdin-eof"],
    prepare: async () => {
      if (existsSync(join(API2_DIR, "node_modules", "@langchain", "langgraph-api"))) return;
      process.stdout.write(`\n== langgraph-api-2: npm ci in scripts/maintainer/langgraph-api-2\n`);
      const code = await new Promise<number>((ok, fail) => {
        const child = spawn("npm", ["ci", "--no-audit", "--no-fund"], { cwd: API2_DIR, stdio: ["ignore", "inherit", "inherit"] });
        child.once("error", fail);
        child.once("exit", (c) => ok(c ?? 1));
      });
      if (code !== 0) throw new Error(`npm ci in scripts/maintainer/langgraph-api-2 ended with exit code ${code}`);
    },
  },
  {
    name: "pure-graph",
    label: () => `pure-graph ${versionIn(rootRequire, "@langgraph-js/pure-graph")}`,
    about:
      "`@langgraph-js/pure-graph`, an independent implementation on Hono, served by `scripts/maintainer/pure-graph-server.ts` (its in-memory storage). " +
      "It offers no crons and no MCP endpoint, so it is run with `--disclaim crons,mcp`, as the README advises for a server without them",
    args: ["--command", "node --import tsx scripts/maintainer/pure-graph-server.ts --stop-on-stdin-eof", "--disclaim", "crons,mcp"],
  },
];

export interface Regression {
  from: string;
  to: string;
  /** What the diff means, in plain words, from a reading of the two reports (and of the two packages' code). */
  reading?: string;
  /**
   * The cause behind new and fixed findings, by finding id. Every id must be
   * new or fixed in the committed reports (renderDocs throws otherwise), so
   * that a note never outlives the reports it was written from.
   */
  notes?: Record<string, string>;
}

const INTERRUPT_AS_ERROR =
  "2.0.0's run worker records every run that ends by an exception as `error`, the abort that multitask_strategy=interrupt and a cancel with action=interrupt send included; 1.5.1 reads the abort's reason and records `interrupted`. Seen also with 2.0.0 on its own `@langchain/langgraph` 1.1.5 (`server.ts --runtime own`): a regression of the server";
const ENVELOPES =
  "`@langchain/langgraph` 1.7 sends lightweight checkpoint envelopes in the `checkpoints` stream mode; 2.0.0 takes them for full debug checkpoints and fails on them (`preprocessDebugCheckpoint` reads their missing `tasks`), so a run streamed with stream_subgraphs ends in an `error` event before its first `values`. 1.7.3 is inside 2.0.0's declared peer range (^1.0.0); on 2.0.0's own 1.1.5 (`--runtime own`) it does not happen";

/** Pairs compared as a release against the one before it: the worked example of regression testing. */
export const REGRESSIONS: Regression[] = [
  {
    from: "langgraph-api",
    to: "langgraph-api-2",
    reading:
      "2.0.0 is the highest version number of `@langchain/langgraph-api` on the registry, but not its newest line: the registry marks it deprecated and tags 1.5.1 `latest`, and its code lacks parts of 1.5.1's (the protocol streams, the handling of `@langchain/langgraph` 1.7's checkpoint envelopes). " +
      "The diff shows it: the fix list of both is mostly the same (the unchanged findings), and what 2.0.0 adds has two causes. One new finding, met by six checks, is a regression of the server: a run stopped by multitask_strategy=interrupt or by a cancel with action=interrupt ends `error` instead of `interrupted`. " +
      "The other new one and the three fixed ones are one cause seen two ways: the checkpoint envelopes of the graphs' `@langchain/langgraph` 1.7.3, which 1.5.1 forwards as `checkpoints` events nobody asked for and 2.0.0 fails on; they are not a fix. " +
      "One unchanged finding moved within: F-8772bbf4 (SSE-007), whose id is its check's because its failure names no cause of its own, fails 1.5.1 on those `checkpoints` events and on a `tasks` event whose `error` is not a string, and 2.0.0 on the second alone. " +
      "The three findings the diff lists as not judged are the auth profile's: 2.0.0 runs here without the fixture auth (the script gives it no identities), so its auth checks skip and say nothing either way.",
    notes: {
      "F-fb8e0824": INTERRUPT_AS_ERROR,
      "F-4bbfc771": ENVELOPES,
      "F-1e564f2e": "not a fix: the envelopes that 1.5.1 forwards as `checkpoints` events are what 2.0.0 fails on (F-4bbfc771), before it sends any event",
      "F-882f56a7": "the data of those envelopes (see F-1e564f2e)",
      "F-f61de750": "the data of those envelopes (see F-1e564f2e)",
    },
  },
];

export interface Committed {
  impl: Implementation;
  report: Report;
}

/** The committed report.json of every implementation. */
export function readCommittedReports(root = ROOT): Committed[] {
  return IMPLEMENTATIONS.map((impl) => ({ impl, report: JSON.parse(readFileSync(join(root, DOCS, impl.name, "report.json"), "utf8")) as Report }));
}

export const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, "\\$1")}"`);

const labelOf = (r: Report) => r.target.label ?? r.target.started ?? r.target.url;

/** The command line that made a committed report: the implementation's arguments, its label and its seed. */
export function commandOf({ impl, report }: Committed): string {
  return `langgraph-conformance run ${[...impl.args, "--label", labelOf(report), "--seed", String(report.seed)].map(quote).join(" ")}`;
}

const versionOf = (r: Report) => r.target.implementation?.version ?? "unknown";

export function regressionName(from: Report, to: Report): string {
  return `regression-${versionOf(from)}-to-${versionOf(to)}`.replace(/[^\w.-]/g, "_");
}

/** Per implementation: checks passed, and findings by level. `prefix`: the way from the document to docs/implementations/. */
export function summaryTable(reports: Committed[], prefix = ""): string {
  const lines = ["| implementation | checks passed | MUST findings | SHOULD findings | MAY findings | findings | reports |", "|---|--:|--:|--:|--:|--:|---|"];
  for (const { impl, report } of reports) {
    const s = report.score;
    const passed = s ? formatScore(s) : `${report.summary.pass}/${report.summary.total}`;
    const c = report.findingCounts;
    const dir = `${prefix}${impl.name}`;
    lines.push(
      `| ${md(labelOf(report))} | ${passed} | ${c ? LEVELS.map((l) => String(c[l])).join(" | ") : "– | – | –"} | ${c ? c.total : "–"} | [findings](${dir}/findings.md), [report](${dir}/report.md), [json](${dir}/report.json) |`,
    );
  }
  return lines.join("\n");
}

/** The score table of the implementations, profile by profile. */
function profileTable(reports: Committed[]): string {
  const profiles = [...new Set(reports.flatMap((r) => Object.keys(r.report.profiles)))];
  const cell = (r: Report, profile?: string) => {
    const row = profile ? r.profiles[profile as keyof Report["profiles"]] : undefined;
    if (profile && !row) return "–";
    if (row && !row.claimed) return "not claimed";
    const s = row ? row.score : r.score;
    if (!s) return "–";
    return `${formatScore(s)}${s.fail ? `, ${s.fail} fail` : ""}`;
  };
  const head = `| profile | ${reports.map((r) => md(labelOf(r.report))).join(" | ")} |`;
  const sep = `|---|${reports.map(() => "---").join("|")}|`;
  const rows = profiles.map((p) => `| ${p} | ${reports.map((r) => cell(r.report, p)).join(" | ")} |`);
  const all = `| **all** | ${reports.map((r) => `**${cell(r.report)}**`).join(" | ")} |`;
  return [head, sep, ...rows, all].join("\n");
}

/** Whether two runs ran their graphs on the same @langchain/langgraph, as GET /info declares it. */
function runtimeText(a: Report, b: Report): string {
  const ra = a.target.implementation?.runtimes.langgraph_js_version;
  const rb = b.target.implementation?.runtimes.langgraph_js_version;
  if (ra && ra === rb) return `both with the fixture graphs on the same \`@langchain/langgraph\` ${md(ra)} (their \`GET /info\` says so), so that what differs is the server`;
  return `with the fixture graphs on \`@langchain/langgraph\` ${md(ra ?? "(not declared)")} and ${md(rb ?? "(not declared)")} (their \`GET /info\`): what differs is the server and that library`;
}

type DiffItem = { id: string; level: string; title: string; failed: Array<{ id: string }> };

/** The regression in plain words: what is new, fixed and unchanged, and what to read first. */
function regressionSection(from: Committed, to: Committed, file: string, reg: Regression): string {
  const d = diffFindings({ ...comparableOf(from.report, from.impl.name), label: labelOf(from.report) }, { ...comparableOf(to.report, to.impl.name), label: labelOf(to.report) });
  const a = versionOf(from.report);
  const b = versionOf(to.report);
  const notes = reg.notes ?? {};
  const stale = Object.keys(notes).filter((id) => !d.new.some((f) => f.id === id) && !d.fixed.some((f) => f.id === id));
  if (stale.length)
    throw new Error(
      `scripts/maintainer/implementations.ts: the notes of ${from.impl.name} → ${to.impl.name} name findings that are neither new nor fixed in the committed reports: ${stale.join(", ")} (read the new diff and write them again)`,
    );
  const item = (f: DiffItem) => `- ${f.id} (${f.level}, ${f.failed.length} check${f.failed.length === 1 ? "" : "s"}): ${md(f.title)}${notes[f.id] ? `  \n  *Why:* ${notes[f.id]}.` : ""}`;
  const newMust = d.new.filter((f) => f.level === "MUST");
  const lines = [
    `## Regression testing a release: ${a} → ${b}`,
    "",
    `[${file}.md](${file}.md) ([.html](${file}.html)) is \`langgraph-conformance compare\` of the reference (${md(labelOf(from.report))}) against ${md(labelOf(to.report))}, ${runtimeText(from.report, to.report)}. It is what a maintainer runs before a release:`,
    "",
    "```sh",
    `langgraph-conformance compare ${DOCS}/${from.impl.name} ${DOCS}/${to.impl.name} --label ${quote(labelOf(from.report))} --label ${quote(labelOf(to.report))} --out DIR`,
    "```",
    "",
    "A finding keeps its id while its cause is the same, whatever the seed or the run: an id that only the new release has is a new deviation (a regression, or a deviation of a feature the old release did not have), an id only the old one has is fixed, and the rest is the same old cause seen again, however its checks moved.",
    "",
    `In plain words: ${b} has **${d.new.length} new** finding${d.new.length === 1 ? "" : "s"} (${LEVELS.map((l) => `${d.new.filter((f) => f.level === l).length} ${l}`).join(", ")}), **${d.fixed.length} fixed** (${LEVELS.map((l) => `${d.fixed.filter((f) => f.level === l).length} ${l}`).join(", ")}), ${d.unjudged.length} not judged (their checks did not run on ${b}), ${d.changed.length} at another level and **${d.unchanged.length} unchanged**. ` +
      `Read first the new MUST findings${newMust.length ? ` (${newMust.length})` : " (none)"}: each is a requirement the documents' words make that ${b} breaks and ${a} did not; then the fixed ones, which a baseline of ${a} should drop; the unchanged ones are the known fix list of both (see each implementation's findings.md).`,
    "",
  ];
  if (reg.reading) lines.push(`What it means: ${reg.reading}`, "");
  const list = (title: string, items: DiffItem[]) => (items.length ? [`**${title} (${items.length})**`, "", ...items.map(item), ""] : [`**${title}**: none.`, ""]);
  lines.push(...list(`New in ${b}`, d.new), ...list(`Fixed in ${b}`, d.fixed), ...list(`Not judged in ${b} (their checks did not run there)`, d.unjudged));
  if (d.changed.length) lines.push(`**At another level (${d.changed.length})**`, "", ...d.changed.map((c) => `- ${c.after.id}: ${c.before.level} → ${c.after.level}, ${md(c.after.title)}`), "");
  lines.push(`The ${d.unchanged.length} unchanged findings are listed in the diff itself.`, "");
  return lines.join("\n");
}

function docsReadme(reports: Committed[]): string {
  const byName = new Map(reports.map((r) => [r.impl.name, r]));
  const lines = [
    "# Implementations",
    "",
    `The suite run against ${reports.length} implementations of the API, with the fixture graphs of this repo. Every document here is generated from the committed report.json files: \`npm run implementations\` runs the suite against each and writes them all (a few minutes per implementation on 2 cores); \`${REGENERATE}\` writes the documents again from the reports already here. \`npm test\` fails when a committed document differs from what its report gives.`,
    "",
    "## Summary",
    "",
    summaryTable(reports),
    "",
    "*Checks passed* is passed / scored (the checks that ran to a verdict: pass, fail, warn, notice). A *finding* is one deviation of the implementation, reported once however many checks meet it, at the level of the documents' words it breaks; each implementation's findings.md is its fix list, most binding and far-reaching first, with the words, the checks and one exchange of each.",
    "",
    "## The runs",
    "",
    ...reports.map(
      (r) =>
        `- **${md(labelOf(r.report))}**: ${r.impl.about}.  \n  \`${commandOf(r)}\`  \n  ${r.report.summary.total} checks, run ${r.report.runId}, seed ${r.report.seed}, ${Math.round(r.report.durationMs / 1000)} s.`,
    ),
    "",
    "## Score by profile",
    "",
    '"fail" counts the checks whose outcome is `fail` (a MUST check whose own claim did not hold). [compare.md](compare.md) is the matrix of all of them, finding by finding and check by check (◆ marks a check whose outcome differs). A report\'s port, times and run id change from run to run; nothing else should.',
    "",
    profileTable(reports),
    "",
  ];
  for (const reg of REGRESSIONS) {
    const a = byName.get(reg.from);
    const b = byName.get(reg.to);
    if (a && b) lines.push(regressionSection(a, b, regressionName(a.report, b.report), reg));
  }
  return lines.join("\n");
}

/** The block of the repo's README between the markers. */
export function rootReadmeBlock(reports: Committed[]): string {
  return summaryTable(reports, `${DOCS}/`);
}

export function withReadmeBlock(readme: string, block: string): string {
  const a = readme.indexOf(README_BEGIN);
  const b = readme.indexOf(README_END);
  if (a < 0 || b < a) throw new Error(`README.md has no block between '${README_BEGIN}' and '${README_END}'`);
  return `${readme.slice(0, a + README_BEGIN.length)}\n${block}\n${readme.slice(b)}`;
}

/**
 * Every generated document, by its path relative to the repository's root,
 * rendered from the committed reports (and the README.md given, whose block
 * between the markers is replaced). Pure: the same reports give the same text.
 */
export function renderDocs(reports: Committed[], readme: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of reports) {
    out.set(`${DOCS}/${r.impl.name}/report.md`, renderMarkdown(r.report));
    out.set(`${DOCS}/${r.impl.name}/findings.md`, renderFindingsDoc(r.report, { about: r.impl.about, command: commandOf(r), repoRoot: "../../../", regenerate: REGENERATE }));
  }
  const noWarn = () => undefined;
  const comparable = (r: Committed) => comparableOf(r.report, `${DOCS}/${r.impl.name}`);
  const all = compareRead(
    reports.map(comparable),
    reports.map((r) => labelOf(r.report)),
    noWarn,
  );
  out.set(`${DOCS}/compare.md`, all.md);
  for (const { from, to } of REGRESSIONS) {
    const a = reports.find((r) => r.impl.name === from);
    const b = reports.find((r) => r.impl.name === to);
    if (!a || !b) continue;
    const m = compareRead([comparable(a), comparable(b)], [labelOf(a.report), labelOf(b.report)], noWarn);
    const name = regressionName(a.report, b.report);
    out.set(`${DOCS}/${name}.md`, m.md);
    out.set(`${DOCS}/${name}.html`, m.html);
  }
  out.set(`${DOCS}/README.md`, docsReadme(reports));
  out.set("README.md", withReadmeBlock(readme, rootReadmeBlock(reports)));
  return out;
}

function cli(args: string[]): Promise<number> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "langgraph-conformance.mjs"), ...args], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", fail);
    child.once("exit", (code, signal) => ok(code ?? (signal ? 130 : 2)));
  });
}

async function runOne(impl: Implementation, seed: number): Promise<number> {
  await impl.prepare?.();
  const tmp = await mkdtemp(join(tmpdir(), `lgc-impl-${impl.name}-`));
  try {
    const args = ["run", ...impl.args, "--label", impl.label(), "--seed", String(seed), "--report-dir", tmp, "--reporter", "quiet"];
    process.stdout.write(`\n== ${impl.name}: langgraph-conformance ${args.map(quote).join(" ")}\n`);
    const t0 = performance.now();
    const code = await cli(args);
    const took = performance.now() - t0;
    if (code !== 0 && code !== 1) throw new Error(`the run against ${impl.name} ended with exit code ${code}`);
    const dir = join(ROOT, DOCS, impl.name);
    await mkdir(dir, { recursive: true });
    await copyFile(join(tmp, "report.json"), join(dir, "report.json"));
    process.stdout.write(`== ${impl.name}: ${Math.round(took / 1000)} s from start to report\n`);
    return took;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: "string" }, only: { type: "string" }, "no-runs": { type: "boolean" } }, strict: true });
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seed expects a non-negative integer, got '${values.seed}'`);
  const only = values.only ? values.only.split(",") : undefined;
  for (const name of only ?? []) if (!IMPLEMENTATIONS.some((i) => i.name === name)) throw new Error(`--only: no implementation '${name}' (known: ${IMPLEMENTATIONS.map((i) => i.name).join(", ")})`);
  const times: string[] = [];
  if (!values["no-runs"]) {
    for (const impl of IMPLEMENTATIONS) if (!only || only.includes(impl.name)) times.push(`${impl.name} ${Math.round((await runOne(impl, seed)) / 1000)} s`);
  }
  const reports = readCommittedReports();
  const readmePath = join(ROOT, "README.md");
  const docs = renderDocs(reports, await readFile(readmePath, "utf8"));
  for (const [path, text] of docs) {
    await mkdir(resolve(ROOT, path, ".."), { recursive: true });
    await writeFile(join(ROOT, path), text);
  }
  process.stdout.write(`\n${summaryTable(reports)}\n\nwritten: ${[...docs.keys()].join(", ")}\n${times.length ? `runs: ${times.join(", ")}\n` : ""}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`implementations: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}
