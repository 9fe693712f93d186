// Regenerates docs/implementations/: the suite run against each implementation
// of the API this repo can start (the embedded reference server and
// @langgraph-js/pure-graph), their report.json and report.md, the compatibility
// matrix of the two (compare.md), and the summary table in docs/implementations/README.md
// and in the repo's README.md (between the `implementations` markers).
//
//   npm run implementations [-- --seed N] [-- --only langgraph-api|pure-graph] [-- --no-runs]
//
// --no-runs rewrites compare.md and the tables from the reports already there.
//
// Each run goes through the command line, as a user's would; a run that exits 1
// (MUST checks failed) is a finding, not an error; exit code 2 stops the script.
// report.html and junit.xml are left out of the repo (several MB for a server
// that fails most checks): `langgraph-conformance run` with the same arguments
// writes them, and the command of each run is in docs/implementations/README.md.

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Report } from "../../reporters/model";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUT = join(ROOT, "docs", "implementations");
const require = createRequire(import.meta.url);
const versionOf = (pkg: string) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")).version as string;

interface Implementation {
  /** Folder under docs/implementations/. */
  name: string;
  label: string;
  /** What the implementation is, for the README. */
  about: string;
  /** Arguments of `langgraph-conformance run` that start it (besides --label, --seed, --report-dir). */
  args: string[];
}

const IMPLEMENTATIONS: Implementation[] = [
  {
    name: "langgraph-api",
    label: `langgraph-api ${versionOf("@langchain/langgraph-api")} (reference)`,
    about: "`@langchain/langgraph-api`, the official JS implementation: the embedded reference server (`npm run conformance` with no URL)",
    args: [],
  },
  {
    name: "pure-graph",
    label: `pure-graph ${versionOf("@langgraph-js/pure-graph")}`,
    about:
      "`@langgraph-js/pure-graph`, an independent implementation on Hono, served by `scripts/maintainer/pure-graph-server.ts` (its in-memory storage). " +
      "It offers no crons and no MCP endpoint, so it is run with `--disclaim crons,mcp`, as the README advises for a server without them",
    args: ["--command", "node --import tsx scripts/maintainer/pure-graph-server.ts --stop-on-stdin-eof", "--disclaim", "crons,mcp"],
  },
];

function cli(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "langgraph-conformance.mjs"), ...args], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 130 : 2)));
  });
}

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, "\\$1")}"`);

async function runOne(impl: Implementation, seed: number): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), `lgc-impl-${impl.name}-`));
  try {
    const args = ["run", ...impl.args, "--label", impl.label, "--seed", String(seed), "--report-dir", tmp, "--reporter", "quiet"];
    process.stdout.write(`\n== ${impl.name}: langgraph-conformance ${args.map(quote).join(" ")}\n`);
    const code = await cli(args);
    if (code !== 0 && code !== 1) throw new Error(`the run against ${impl.name} ended with exit code ${code}`);
    const dir = join(OUT, impl.name);
    await mkdir(dir, { recursive: true });
    for (const f of ["report.json", "report.md"]) await copyFile(join(tmp, f), join(dir, f));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const pct = (passed: number, scored: number) => (scored ? `${((100 * passed) / scored).toFixed(1).replace(/\.0$/, "")}%` : "–");

/** The score table of the implementations, profile by profile: what the README shows. */
function summaryTable(reports: Array<{ impl: Implementation; report: Report }>): string {
  const profiles = [...new Set(reports.flatMap((r) => Object.keys(r.report.profiles)))];
  const cell = (r: Report, profile?: string) => {
    const row = profile ? r.profiles[profile as keyof Report["profiles"]] : undefined;
    if (profile && !row) return "–";
    if (row && !row.claimed) return "not claimed";
    const s = row ? row.score : r.score;
    if (!s) return "–";
    return `${s.passed}/${s.scored} (${pct(s.passed, s.scored)})${s.fail ? `, ${s.fail} fail` : ""}`;
  };
  const head = `| profile | ${reports.map((r) => `[${r.impl.label}](${r.impl.name}/report.md)`).join(" | ")} |`;
  const sep = `|---|${reports.map(() => "---").join("|")}|`;
  const rows = profiles.map((p) => `| ${p} | ${reports.map((r) => cell(r.report, p)).join(" | ")} |`);
  const all = `| **all** | ${reports.map((r) => `**${cell(r.report)}**`).join(" | ")} |`;
  return [head, sep, ...rows, all].join("\n");
}

async function writeReadme(reports: Array<{ impl: Implementation; report: Report }>, seed: number): Promise<string> {
  const table = summaryTable(reports);
  const lines = [
    "# Implementations",
    "",
    "The suite run against two implementations of the API, with the fixture graphs of this repo. Regenerate",
    "everything here with `npm run implementations` (about three minutes on 2 cores); it runs:",
    "",
    ...reports.map(({ impl }) => `- **${impl.label}**: ${impl.about}.  \n  \`langgraph-conformance run ${[...impl.args, "--label", impl.label, "--seed", String(seed)].map(quote).join(" ")}\``),
    "",
    "Scores are *passed / scored* (checks that ran to a verdict: pass, fail, warn, notice); \"fail\" counts",
    "the checks whose outcome is `fail` (a MUST broken, or a response that broke the contract). Each report says, check by check, what was sent and",
    "what came back; [compare.md](compare.md) is the matrix of both, check by check (◆ marks a",
    "difference). A report's port, times and run id change from run to run; nothing else should.",
    "",
    table,
    "",
    ...reports.map(
      ({ impl, report }) =>
        `- ${impl.name}: [report.md](${impl.name}/report.md), [report.json](${impl.name}/report.json)` +
        `${existsSync(join(OUT, impl.name, "findings.md")) ? `, [findings.md](${impl.name}/findings.md) (every check that did not pass, by cause, with the contract's words; written by hand for the run it names)` : ""}` +
        `; ${report.summary.total} checks, run ${report.runId}, seed ${report.seed}, ${Math.round(report.durationMs / 1000)} s`,
    ),
    "",
  ];
  await writeFile(join(OUT, "README.md"), `${lines.join("\n")}`);
  return table;
}

/** Replaces the block between the markers in the repo's README with the table. */
async function updateRootReadme(table: string): Promise<void> {
  const file = join(ROOT, "README.md");
  const text = await readFile(file, "utf8");
  const begin = "<!-- implementations:begin (written by npm run implementations) -->";
  const end = "<!-- implementations:end -->";
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no block between '${begin}' and '${end}'`);
  const linked = table.replace(/\]\(([\w-]+)\/report\.md\)/g, "](docs/implementations/$1/report.md)");
  await writeFile(file, `${text.slice(0, a + begin.length)}\n${linked}\n${text.slice(b)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: "string" }, only: { type: "string" }, "no-runs": { type: "boolean" } }, strict: true });
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seed expects a non-negative integer, got '${values.seed}'`);
  if (values.only && !IMPLEMENTATIONS.some((i) => i.name === values.only)) throw new Error(`--only: no implementation '${values.only}' (known: ${IMPLEMENTATIONS.map((i) => i.name).join(", ")})`);
  if (!values["no-runs"]) for (const impl of IMPLEMENTATIONS) if (!values.only || values.only === impl.name) await runOne(impl, seed);

  const reports = await Promise.all(
    IMPLEMENTATIONS.map(async (impl) => ({ impl, report: JSON.parse(await readFile(join(OUT, impl.name, "report.json"), "utf8")) as Report })),
  );
  const tmp = await mkdtemp(join(tmpdir(), "lgc-impl-compare-"));
  try {
    // Relative paths: the matrix names the reports as given, and must not name this machine's folders.
    const code = await cli(["compare", ...IMPLEMENTATIONS.map((i) => relative(ROOT, join(OUT, i.name))), "--out", tmp, ...IMPLEMENTATIONS.flatMap((i) => ["--label", i.label])]);
    if (code !== 0) throw new Error(`compare ended with exit code ${code}`);
    await copyFile(join(tmp, "compare.md"), join(OUT, "compare.md"));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const table = await writeReadme(reports, seed);
  await updateRootReadme(table);
  process.stdout.write(`\n${table}\n\nwritten: ${relative(ROOT, OUT)}/ (README.md, compare.md, */report.json, */report.md) and the table in README.md\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`implementations: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
