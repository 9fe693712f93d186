// The command line. Usage problems, an unreachable target and harness failures
// end with one line on stderr and exit code 2; a finished run exits 0 or 1 by
// its verdict.

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parsePositiveInt, parseProfiles, UsageError } from "../harness/target";
import { killAllServersSync, stopAllServers } from "../harness/targets/reference";
import { LEVELS, type Level } from "../harness/model";
import { formatSummary } from "../reporters/console";
import { exitCodeOf } from "../reporters/report";
import { catalog, coverage, formatCatalog, formatCoverage } from "./list";
import { run } from "./run";
import { SUITE_VERSION } from "./vitest-runner";

const USAGE = `langgraph-conformance ${SUITE_VERSION}: conformance suite for the LangGraph Agent Server API

Usage:
  langgraph-conformance run [--url URL] [--api-key KEY] [--header "Name: value"]...
                            [--profile p1,p2] [--id ID|PATTERN]... [--level MUST,SHOULD]
                            [--claim p1,p2] [--disclaim p1,p2]
                            [--report-dir DIR] [--seed N] [--runs N] [--timeout-ms N] [--stream-timeout-ms N]
  langgraph-conformance list [--json] [--profile p1,p2] [--operations]

Without --url (or LANGGRAPH_CONFORMANCE_URL), the embedded reference server
(@langchain/langgraph-api with the fixture graphs) is started and tested.
The API key may also come from LANGGRAPH_API_KEY; it is sent as x-api-key.

Exit codes: 0 no MUST check failed; 1 a MUST check failed; 2 usage error,
unreachable target or harness error.`;

function die(message: string): never {
  process.stderr.write(`langgraph-conformance: ${message}\n`);
  process.exit(2);
}

function parse(args: string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]} (see --help)`);
  }
}

function levels(raw: string | undefined): Level[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(",").map((s) => s.trim().toUpperCase());
  for (const l of list) if (!(LEVELS as readonly string[]).includes(l)) throw new UsageError(`--level: unknown level '${l}' (known: ${LEVELS.join(", ")})`);
  return list as Level[];
}

async function cmdRun(args: string[]): Promise<number> {
  const { values } = parse(args, {
    url: { type: "string" },
    "api-key": { type: "string" },
    header: { type: "string", multiple: true },
    profile: { type: "string" },
    id: { type: "string", multiple: true },
    level: { type: "string" },
    claim: { type: "string" },
    disclaim: { type: "string" },
    "report-dir": { type: "string" },
    seed: { type: "string" },
    runs: { type: "string" },
    "timeout-ms": { type: "string" },
    "stream-timeout-ms": { type: "string" },
    spec: { type: "string" },
  });
  const v = values as Record<string, any>;
  const seed = v.seed !== undefined ? (/^[0-9]+$/.test(v.seed) ? Number(v.seed) : (() => { throw new UsageError(`--seed expects a non-negative integer, got '${v.seed}'`); })()) : undefined;
  const reportDir = resolve(v["report-dir"] ?? "conformance-report");
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\nlanggraph-conformance: ${sig}: stopping\n`);
    // Wait for the server to go (so that it is reaped), but never for long.
    void stopAllServers().finally(() => process.exit(130));
    setTimeout(() => process.exit(130), 6_000).unref();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const { report, reportPath } = await run({
    url: v.url ?? process.env.LANGGRAPH_CONFORMANCE_URL ?? undefined,
    apiKey: v["api-key"] ?? process.env.LANGGRAPH_API_KEY ?? undefined,
    headers: v.header ?? [],
    selection: {
      ...(v.profile ? { profiles: parseProfiles(v.profile) } : {}),
      ...(v.id ? { ids: v.id } : {}),
      ...(levels(v.level) ? { levels: levels(v.level) } : {}),
    },
    claim: v.claim ? parseProfiles(v.claim, "--claim") : [],
    disclaim: v.disclaim ? parseProfiles(v.disclaim, "--disclaim") : [],
    reportDir,
    ...(seed !== undefined ? { seed } : {}),
    ...(v.runs ? { propertyRuns: parsePositiveInt(v.runs, "--runs") } : {}),
    ...(v["timeout-ms"] ? { requestTimeoutMs: parsePositiveInt(v["timeout-ms"], "--timeout-ms") } : {}),
    ...(v["stream-timeout-ms"] ? { streamTimeoutMs: parsePositiveInt(v["stream-timeout-ms"], "--stream-timeout-ms") } : {}),
    ...(v.spec ? { contract: /^https?:/.test(v.spec) ? v.spec : resolve(v.spec) } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (report.summary.total === 0) throw new UsageError("no check matched the selection (--profile/--id/--level)");
  process.stdout.write(`${formatSummary(report)}\nReport: ${reportPath}\n`);
  return exitCodeOf(report);
}

async function cmdList(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: "boolean" }, profile: { type: "string" }, operations: { type: "boolean" } });
  const profiles = values.profile ? parseProfiles(values.profile as string) : undefined;
  const { checks, problems } = await catalog();
  for (const p of problems) process.stderr.write(`langgraph-conformance: ${p.file ? `${p.file}: ` : ""}${p.message}\n`);
  const shown = profiles ? checks.filter((c) => profiles.includes(c.profile)) : checks;
  if (values.operations) {
    const rows = (await coverage(shown)).filter((r) => !profiles || profiles.includes(r.profile as never));
    process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatCoverage(rows)}\n${rows.filter((r) => r.checks.length).length}/${rows.length} operations covered\n`);
  } else {
    process.stdout.write(values.json ? `${JSON.stringify(shown, null, 2)}\n` : `${formatCatalog(shown)}\n${shown.length} checks\n`);
  }
  return problems.length > 0 ? 2 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (command === "--version") {
    process.stdout.write(`${SUITE_VERSION}\n`);
    return 0;
  }
  if (command === "run") return cmdRun(rest);
  if (command === "list") return cmdList(rest);
  throw new UsageError(`unknown command '${command}' (expected run or list; see --help)`);
}

process.on("exit", killAllServersSync);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // vitest may leave handles (workers, sockets) behind; the verdict is in.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (e: unknown) => {
    if (e instanceof UsageError) die(e.message);
    die(`harness error: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  },
);
