// The command line. Usage problems, an unreachable target and harness failures
// end with one line on stderr and exit code 2; a finished run exits 0 or 1 by
// its verdict.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseHeader, parseIdentities, parsePositiveInt, parseProfiles, parseUrl, UsageError } from "../../harness/target";
import { commandTarget, containerTarget, killAllTargetsSync, referenceTarget, stopAllTargets, urlTarget, type Target } from "../../harness/targets";
import { CONTAINER_FIXTURES_PATH, DEFAULT_CONTAINER_PORT } from "../../harness/targets/container";
import { LEVELS, type Level } from "../../harness/model";
import { readBaseline } from "../../reporters/baseline";
import { exitCodeOf } from "../../reporters/report";
import { progressOf, REPORTERS, TERMINAL_STYLES, type ReporterName } from "../../reporters/terminal";
import { wantColour } from "../../reporters/terminal/paint";
import { cmdCompare } from "./compare";
import { catalog, coverage, formatCatalog, formatCoverage } from "./list";
import { cmdMerge } from "./merge";
import { run } from "./run";
import { filesDeclaring, parseShard, shardOf } from "./shard";
import { SUITE_VERSION } from "./vitest-runner";

const USAGE = `langgraph-conformance ${SUITE_VERSION}: conformance suite for the LangGraph Agent Server API

Usage:
  langgraph-conformance run [--url URL] [--api-key KEY] [--header "Name: value"]...
                            [--identity NAME="Name: value"]... [--auth-url URL]
                            [--profile p1,p2] [--id ID|PATTERN]... [--level MUST,SHOULD]
                            [--claim p1,p2] [--disclaim p1,p2]
                            [--report-dir DIR] [--seed N] [--runs N] [--timeout-ms N] [--stream-timeout-ms N]
                            [--webhook-host HOST]
                            [--reporter default|dots|quiet|github] [--label NAME]
                            [--baseline FILE] [--update-baseline FILE] [--shard I/N]
                            [--selected-files-only]
  langgraph-conformance run --image IMAGE [--port N] [--env K=V]... [--mount-fixtures [PATH]]
                            [--startup-timeout-ms N] [other options of run]
  langgraph-conformance run --command "CMD" [--startup-timeout-ms N] [other options of run]
  langgraph-conformance list [--json] [--profile p1,p2] [--operations]
  langgraph-conformance compare A/report.json B/report.json... [--out DIR] [--label NAME]...
  langgraph-conformance merge A/report.json B/report.json... [--out DIR] [--label NAME]
                              [--update-baseline FILE]

A run writes report.json, report.md, report.html and junit.xml to --report-dir
(default ./conformance-report). A baseline lists check ids known to fail, one a
line ('#' comments): their failures are expected; a listed check that passes is
stale and fails the run. compare writes compare.md and compare.html to --out
(default ./conformance-compare).

--shard I/N runs part I of N of the selected checks (whole suite files, balanced
by suites/durations.json; give every part the same --seed); merge makes one
report of the N parts' reports, in every format, in --out (default
./conformance-report), and exits as the unsharded run would.

--selected-files-only (with --id) loads only the suite files that declare a
selected check, which saves the loading of the others (the mutation campaign
runs each mutant's checks this way); the report's catalog, its uncovered
operations and a baseline's unknown ids then go by those files alone.

Without --url (or LANGGRAPH_CONFORMANCE_URL), the embedded reference server
(@langchain/langgraph-api with the fixture graphs) is started and tested.
With --image, the image is started on the Docker engine (DOCKER_HOST or the
local socket), its port --port (default ${DEFAULT_CONTAINER_PORT}) is published, and it is tested
once GET /ok answers; --mount-fixtures mounts PATH (default the repo's
fixtures/) read-only at ${CONTAINER_FIXTURES_PATH}. The container is removed afterwards.
With --command, CMD is run through the shell and the first http(s) URL it
prints on its standard output is tested once it answers; its process group is
stopped afterwards (scripts/maintainer/pure-graph-server.ts is such a command).
The API key may also come from LANGGRAPH_API_KEY; it is sent as x-api-key.
The auth profile runs as the users given with --identity (two at least; the
values are credentials, redacted like the API key), against the target or
--auth-url (a deployment of fixtures/langgraph.auth.json); the embedded
reference starts a second instance with the fixture auth and its users. A target
that runs the fixture auth itself (select --profile auth) is probed as the first
user where its auth guards GET /ok too; the reference image serves the fixture
auth with --env LGC_CONFIG=langgraph.auth.json.

Exit codes: 0 no MUST check failed (expected failures excepted); 1 a MUST
check failed, or a baseline entry is stale; 2 usage error, unreachable target,
unreadable baseline or report, shards that are not the parts of one run, or
harness error.`;

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

/** The repo's fixture graphs: what `--mount-fixtures` with no PATH mounts. */
const FIXTURES = fileURLToPath(new URL("../../fixtures", import.meta.url));

/** `--mount-fixtures` takes an optional PATH: with none (last, or before another option) it means the repo's fixtures/. */
function defaultMountPath(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    out.push(args[i]!);
    if (args[i] === "--mount-fixtures" && (i + 1 >= args.length || args[i + 1]!.startsWith("--"))) out.push(FIXTURES);
  }
  return out;
}

function parsePort(raw: string): number {
  const port = parsePositiveInt(raw, "--port");
  if (port > 65535) throw new UsageError(`--port expects a TCP port (1-65535), got '${raw}'`);
  return port;
}

function parseEnv(list: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of list) {
    const eq = raw.indexOf("=");
    const key = eq > 0 ? raw.slice(0, eq) : "";
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new UsageError(`--env '${eq > 0 ? key : raw}' is not of the form NAME=value`);
    env[key] = raw.slice(eq + 1);
  }
  return env;
}

/** A host name or address (no scheme, no port): where the target reaches this machine. */
function parseWebhookHost(raw: string): string {
  const v = raw.trim();
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/.test(v)) throw new UsageError(`--webhook-host expects a host name or address (no scheme, no port), got '${raw}'`);
  return v.replace(/^\[|\]$/g, "");
}

function levels(raw: string | undefined): Level[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(",").map((s) => s.trim().toUpperCase());
  for (const l of list) if (!(LEVELS as readonly string[]).includes(l)) throw new UsageError(`--level: unknown level '${l}' (known: ${LEVELS.join(", ")})`);
  return list as Level[];
}

async function cmdRun(args: string[]): Promise<number> {
  const { values } = parse(defaultMountPath(args), {
    url: { type: "string" },
    image: { type: "string" },
    "webhook-host": { type: "string" },
    command: { type: "string" },
    port: { type: "string" },
    env: { type: "string", multiple: true },
    "mount-fixtures": { type: "string" },
    "startup-timeout-ms": { type: "string" },
    "api-key": { type: "string" },
    header: { type: "string", multiple: true },
    identity: { type: "string", multiple: true },
    "auth-url": { type: "string" },
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
    reporter: { type: "string" },
    label: { type: "string" },
    baseline: { type: "string" },
    "update-baseline": { type: "string" },
    shard: { type: "string" },
    "selected-files-only": { type: "boolean" },
  });
  const v = values as Record<string, any>;
  const shardSpec = v.shard !== undefined ? parseShard(v.shard) : undefined;
  if (shardSpec && v["update-baseline"] !== undefined) throw new UsageError("--update-baseline needs the whole run: give it to merge, which makes one report of the shards");
  const reporterName = (v.reporter ?? "default") as ReporterName;
  if (!(REPORTERS as readonly string[]).includes(reporterName)) throw new UsageError(`--reporter: unknown reporter '${v.reporter}' (known: ${REPORTERS.join(", ")})`);
  if (v.label !== undefined && !/^[^\r\n\0]{1,100}$/.test(v.label)) throw new UsageError("--label expects a name of 1 to 100 characters on one line");
  // Read baselines before the run: a bad file ends it before any time is spent.
  const baseline = v.baseline ? await readBaseline(resolve(v.baseline)) : undefined;
  const updateFile = v["update-baseline"] ? resolve(v["update-baseline"]) : undefined;
  const previousBaseline = updateFile && existsSync(updateFile) ? await readBaseline(updateFile) : undefined;
  const seed =
    v.seed !== undefined
      ? /^[0-9]+$/.test(v.seed)
        ? Number(v.seed)
        : (() => {
            throw new UsageError(`--seed expects a non-negative integer, got '${v.seed}'`);
          })()
      : undefined;
  const reportDir = resolve(v["report-dir"] ?? "conformance-report");
  if (v.command !== undefined) {
    if (!v.command.trim()) throw new UsageError('--command expects a command that starts a server and prints its URL, e.g. "node --import tsx scripts/maintainer/pure-graph-server.ts"');
    if (v.url !== undefined || v.image !== undefined) throw new UsageError(`--command and --${v.url !== undefined ? "url" : "image"} name two different targets: give one`);
    for (const flag of ["port", "env", "mount-fixtures"]) {
      if (v[flag] !== undefined) throw new UsageError(`--${flag} applies to a container target: give --image instead of --command`);
    }
  } else if (v.image !== undefined) {
    if (!v.image.trim()) throw new UsageError("--image expects an image name, e.g. my-server:latest");
    if (v.url !== undefined) throw new UsageError("--image and --url name two different targets: give one");
  } else {
    for (const flag of ["port", "env", "mount-fixtures", "startup-timeout-ms"]) {
      if (v[flag] !== undefined) throw new UsageError(`--${flag} applies to a container target: give --image too`);
    }
  }
  if (v["auth-url"] !== undefined && !(v.identity ?? []).length)
    throw new UsageError('--auth-url names where the auth profile runs: give its users too (--identity NAME="Header: value", two at least)');
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals) => {
    // A second signal while stopping: exit now (the 'exit' handler still removes containers).
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`\nlanggraph-conformance: ${sig}: stopping\n`);
    // Wait for the server or container to go (so that it is reaped), but never for long.
    void stopAllTargets().finally(() => process.exit(130));
    setTimeout(() => process.exit(130), 15_000).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const colour = wantColour(process.stdout);
  const selection = {
    ...(v.profile ? { profiles: parseProfiles(v.profile) } : {}),
    ...(v.id ? { ids: v.id } : {}),
    ...(levels(v.level) ? { levels: levels(v.level) } : {}),
  };
  const shard = shardSpec ? shardOf(shardSpec, selection) : undefined;
  if (v["selected-files-only"] && (!v.id || shard)) throw new UsageError("--selected-files-only goes with --id (the checks whose files it loads), and not with --shard");
  const files = v["selected-files-only"] ? filesDeclaring(v.id) : undefined;
  if (shard) process.stdout.write(`shard ${shard.index}/${shard.count}: ${shard.files.length} suite file(s), ${(shard.weightMs / 1000).toFixed(1)} s of checks recorded (split ${shard.split})\n`);
  const { report, written } = await run({
    ...(v["webhook-host"] !== undefined ? { webhookHost: parseWebhookHost(v["webhook-host"]) } : {}),
    target: targetOf(v),
    apiKey: v["api-key"] ?? process.env.LANGGRAPH_API_KEY ?? undefined,
    headers: v.header ?? [],
    identities: parseIdentities(v.identity ?? []),
    ...(v["auth-url"] !== undefined ? { authUrl: parseUrl(v["auth-url"]) } : {}),
    selection,
    ...(shard ? { shard } : {}),
    ...(files ? { files } : {}),
    claim: v.claim ? parseProfiles(v.claim, "--claim") : [],
    disclaim: v.disclaim ? parseProfiles(v.disclaim, "--disclaim") : [],
    reportDir,
    ...(seed !== undefined ? { seed } : {}),
    ...(v.runs ? { propertyRuns: parsePositiveInt(v.runs, "--runs") } : {}),
    ...(v["timeout-ms"] ? { requestTimeoutMs: parsePositiveInt(v["timeout-ms"], "--timeout-ms") } : {}),
    ...(v["stream-timeout-ms"] ? { streamTimeoutMs: parsePositiveInt(v["stream-timeout-ms"], "--stream-timeout-ms") } : {}),
    ...(v.spec ? { contract: /^https?:/.test(v.spec) ? v.spec : resolve(v.spec) } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
    progress: progressOf(reporterName, {
      write: (text) => process.stdout.write(text),
      tty: process.stdout.isTTY === true,
      ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
      colour,
      ...(baseline ? { baseline: new Set(baseline.ids) } : {}),
    }),
    ...(v.label !== undefined ? { label: v.label } : {}),
    ...(baseline ? { baseline } : {}),
    ...(updateFile ? { updateBaseline: { file: updateFile, ...(previousBaseline ? { previous: previousBaseline } : {}) } } : {}),
  });
  // A part of a split run may hold none of the selected checks: its (empty) report still counts as a part.
  if (report.summary.total === 0 && !shard) throw new UsageError("no check matched the selection (--profile/--id/--level)");
  process.stdout.write(`${TERMINAL_STYLES[reporterName].summary(report, { colour, written })}\n`);
  if (updateFile) process.stdout.write(`Baseline written: ${updateFile}\n`);
  return exitCodeOf(report);
}

/**
 * The target the options name: a command, an image, a URL (the flag, else
 * LANGGRAPH_CONFORMANCE_URL), else the embedded reference server. --image and
 * --command are targets of their own: LANGGRAPH_CONFORMANCE_URL does not apply to them.
 */
function targetOf(v: Record<string, any>): Target {
  const startup = v["startup-timeout-ms"] !== undefined ? { startupTimeoutMs: parsePositiveInt(v["startup-timeout-ms"], "--startup-timeout-ms") } : {};
  if (v.command !== undefined) return commandTarget({ command: v.command.trim(), ...startup });
  if (v.image !== undefined) {
    // The readiness probe carries the run's API key and headers, for servers that want them everywhere.
    const headers: Record<string, string> = Object.fromEntries((v.header ?? []).map(parseHeader));
    const apiKey = v["api-key"] ?? process.env.LANGGRAPH_API_KEY;
    if (apiKey) headers["x-api-key"] = apiKey;
    // Users of the auth profile and no --auth-url: the image runs the auth profile itself, and its auth may guard /ok.
    const firstUser = v["auth-url"] === undefined ? parseIdentities(v.identity ?? [])[0] : undefined;
    return containerTarget({
      image: v.image.trim(),
      ...(v.port !== undefined ? { port: parsePort(v.port) } : {}),
      env: parseEnv(v.env ?? []),
      ...(v["mount-fixtures"] !== undefined ? { mountFixtures: resolve(v["mount-fixtures"]) } : {}),
      ...startup,
      headers,
      ...(firstUser ? { userHeaders: firstUser.headers } : {}),
    });
  }
  const url = v.url ?? process.env.LANGGRAPH_CONFORMANCE_URL;
  return url ? urlTarget(url) : referenceTarget();
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
  // `run --help` (the way `npm run conformance -- --help` reaches it) is help too.
  if (!command || [command, ...rest].some((a) => a === "--help" || a === "-h") || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (command === "--version") {
    process.stdout.write(`${SUITE_VERSION}\n`);
    return 0;
  }
  if (command === "run") return cmdRun(rest);
  if (command === "list") return cmdList(rest);
  if (command === "compare") return cmdCompare(rest, { log: (l) => process.stdout.write(`${l}\n`), warn: (l) => process.stderr.write(`langgraph-conformance: warning: ${l}\n`) });
  if (command === "merge") return (await cmdMerge(rest, { log: (l) => process.stdout.write(`${l}\n`) })).code;
  throw new UsageError(`unknown command '${command}' (expected run, list, compare or merge; see --help)`);
}

process.on("exit", killAllTargetsSync);
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
