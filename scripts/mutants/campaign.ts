// `npm run mutants`: the mutation score of the suite. Runs the suite against
// the embedded reference server behind the fault proxy with no mutant (the
// baseline, twice at once, and once more amid the mutants: a check that passes
// in one and not another is flaky and left out), then, for each mutant of
// scripts/mutants/catalogue.ts, the checks the mutant can touch behind it, and
// judges each (scripts/mutants/engine.ts): killed by an expected check, killed
// elsewhere, survived; for an equivalence mutant, whether any verdict changed.
// Prints the figures and writes them to docs/mutation-score.md.
//
// `--shard i/n` runs one part of the catalogue (balanced by the durations in
// scripts/mutants/durations.json) and `--json FILE` keeps its verdicts;
// `--merge A.json B.json ...` makes one score of the shards of one campaign.
//
// Exit code: 0 when no equivalence mutant changed a verdict, the MUST score
// (killed by an expected check) reaches --min-score (default 95) and no run
// broke; 1 otherwise; 2 for a usage error, a catalogue that is not valid, or
// shards that are not of one campaign.

import { readFileSync, rmSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AUTH_CONFIG, fixtureIdentities, startReferenceServer, stopAllServers, killAllServersSync, type StartedServer } from "../../harness/targets/reference";
import type { CheckMeta } from "../../harness/model";
import type { Report } from "../../reporters/model";
import { CATALOGUE, UNKILLED, type Mutant } from "./catalogue";
import {
  baselineOf,
  confirmEquivalence,
  globToRegex,
  judge,
  pool,
  runBaseline,
  runMutant,
  streamReaders,
  validateCatalogue,
  type Baseline,
  type CampaignOptions,
  type MutantVerdict,
  type RunOutcome,
} from "./engine";
import { UNREPAIRED } from "./faults";
import {
  checkShards,
  fingerprint,
  gate,
  markdown,
  MergeError,
  MIN_MUST_SCORE,
  parseShard,
  RESULT_FORMAT,
  splitShards,
  summarize,
  textSummary,
  type BaselineSummary,
  type CheckInfo,
  type ShardResult,
} from "./score";
import { killRunningClis, runCli } from "../../selftest/support/cli";
import { PKG_ROOT } from "../cli/vitest-runner";

const USAGE = `npm run mutants -- [--only ID|PATTERN]... [--shard i/n] [--parallel N] [--servers N]
                    [--timeout-ms N] [--min-score PCT] [--out FILE] [--json FILE] [--keep DIR]
npm run mutants -- --merge SHARD.json... [--out FILE] [--json FILE] [--min-score PCT]
npm run mutants -- --baseline-only [--only ID|PATTERN]... [--json FILE]

Runs the suite against the embedded reference server behind the fault proxy
with no mutant (the baseline) and once per mutant of scripts/mutants/catalogue.ts
(the checks it can touch), and reports the mutation score: bugs killed by an
expected check (MUST, and SHOULD/MAY), killed elsewhere, survivors, equivalence
mutants that changed a verdict, and the share of checks mutation-tested.

  --only          run only these mutants (ids or patterns with *); repeatable
  --shard i/n     run the i-th of n parts of the catalogue (balanced by scripts/mutants/durations.json)
  --parallel N    mutants run at once (default 2)
  --servers N     reference servers the runs share (default 2)
  --timeout-ms N  time one mutant's run may take (default 300000)
  --min-score P   the lowest MUST score (killed by an expected check) that passes, in percent (default ${MIN_MUST_SCORE})
  --out FILE      the Markdown summary (default docs/mutation-score.md for the whole catalogue unsharded
                  and for --merge; none with --only or --shard; "-" for none)
  --json FILE     write the verdicts as JSON (a shard's, for --merge)
  --merge         merge the JSON of the shards of one campaign (positional files) into one score
  --baseline-only run the baseline only and list the checks that do not pass on the base
  --keep DIR      keep each run's reports under DIR (default: a temporary directory, removed)`;

/**
 * Options of every run, the baseline's too: a fixed seed (the property checks
 * draw the same cases in every run), and a stream time limit of 15 s (a stream
 * that never ends fails in 15 s, not 60; the longest stream of the suite, a
 * queued run's, ends within 10 s on this server).
 */
const RUN_ARGS = ["--seed", "20240601", "--stream-timeout-ms", "15000"];

/** Each mutant's last recorded wall time (ms), to balance shards: rewritten whenever docs/mutation-score.md is, for the whole catalogue. */
const DURATIONS = join(PKG_ROOT, "scripts", "mutants", "durations.json");

class UsageError extends Error {}

function positive(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${name} expects a positive integer, got '${raw}'`);
  return Number(raw);
}

function readDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(DURATIONS, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

async function writeDurations(verdicts: MutantVerdict[]): Promise<void> {
  const all = { ...readDurations() };
  for (const v of verdicts) all[v.id] = Math.round(v.ms / 100) * 100;
  const ids = new Set(CATALOGUE.map((m) => m.id));
  const kept = Object.fromEntries(
    Object.entries(all)
      .filter(([id]) => ids.has(id))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  await writeFile(DURATIONS, `${JSON.stringify(kept, null, 1)}\n`);
}

const clip = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s);
const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

/** The checks of the suite (`langgraph-conformance list --json`). */
async function listChecks(): Promise<CheckMeta[]> {
  const listed = await runCli(["list", "--json"], { timeoutMs: 120_000 });
  if (listed.code !== 0) throw new Error(`langgraph-conformance list failed: ${listed.stderr.trim().split("\n").at(-1)}`);
  return JSON.parse(listed.stdout) as CheckMeta[];
}

function baselineSummary(scope: string[], b: Baseline, reports: Report[]): BaselineSummary {
  const findings = new Map(reports.flatMap((r) => (r.findings ?? []).map((f) => [f.id, f] as const)));
  const notPassing: BaselineSummary["notPassing"] = [];
  for (const [id, c] of b.stable) {
    if (c.outcome === "pass") continue;
    const f = c.finding ? findings.get(c.finding) : undefined;
    notPassing.push({ id, outcome: c.outcome, message: clip(c.message, 400), ...(f ? { finding: { id: f.id, title: f.title } } : {}) });
  }
  return { scope, passing: [...b.passing], flaky: b.flaky, notPassing };
}

async function main(argv: string[]): Promise<number> {
  let values: Record<string, any>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        only: { type: "string", multiple: true },
        shard: { type: "string" },
        parallel: { type: "string" },
        servers: { type: "string" },
        "timeout-ms": { type: "string" },
        "min-score": { type: "string" },
        out: { type: "string" },
        json: { type: "string" },
        keep: { type: "string" },
        merge: { type: "boolean" },
        "baseline-only": { type: "boolean" },
        help: { type: "boolean" },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]!);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const minScore = values["min-score"] === undefined ? MIN_MUST_SCORE : Number(values["min-score"]);
  if (!Number.isFinite(minScore) || minScore < 0 || minScore > 100) throw new UsageError(`--min-score expects a percentage, got '${values["min-score"]}'`);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const docs = join(PKG_ROOT, "docs", "mutation-score.md");
  const notes = { unrepaired: UNREPAIRED, unkilled: UNKILLED };

  if (values.merge) {
    if (positionals.length === 0) throw new UsageError("--merge expects the JSON files of the shards");
    if (values.only || values.shard || values["baseline-only"]) throw new UsageError("--merge takes no --only, --shard or --baseline-only");
    const results: ShardResult[] = [];
    for (const f of positionals) {
      try {
        results.push(JSON.parse(await readFile(f, "utf8")) as ShardResult);
      } catch (e) {
        throw new MergeError(`${f}: not a shard's JSON (${(e as Error).message.split("\n")[0]})`);
      }
    }
    checkShards(results, positionals);
    const own = fingerprint(CATALOGUE, results[0]!.checks);
    if (results[0]!.catalogue !== own) throw new MergeError(`the shards ran another catalogue (${results[0]!.catalogue}) than this checkout's (${own})`);
    const summary = summarize(results, CATALOGUE);
    const g = gate(summary, minScore);
    for (const line of textSummary(summary, CATALOGUE, g)) log(line);
    const whole = results[0]!.only.length === 0;
    const out = values.out === "-" ? undefined : values.out !== undefined ? resolve(values.out) : whole ? docs : undefined;
    if (out) {
      await writeFile(out, markdown(summary, CATALOGUE, results[0]!.checks, g, notes));
      log(`written: ${relative(process.cwd(), out) || out}`);
      if (whole && out === docs) await writeDurations(summary.verdicts);
    }
    if (values.json) await writeFile(resolve(values.json), `${JSON.stringify(summary, null, 1)}\n`);
    return g.ok ? 0 : 1;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (files are for --merge)`);

  const parallel = positive(values.parallel, "parallel", 2);
  const servers = positive(values.servers, "servers", 2);
  const timeoutMs = positive(values["timeout-ms"], "timeout-ms", 300_000);
  const only: string[] = values.only ?? [];
  const shard = values.shard === undefined ? { index: 1, count: 1 } : parseShard(values.shard);
  if (typeof shard === "string") throw new UsageError(shard);
  const selected = only.length ? CATALOGUE.filter((m) => only.some((p) => globToRegex(p).test(m.id))) : CATALOGUE;
  if (selected.length === 0) throw new UsageError(`--only matches no mutant (${only.join(", ")})`);
  const mutants = shard.count > 1 ? splitShards(selected, shard.count, readDurations())[shard.index - 1]! : selected;
  // The whole catalogue's summary goes to the docs; a part of it (--only, a shard) only where asked.
  const partial = only.length > 0 || shard.count > 1;
  const out = values.out === "-" || (values.out === undefined && (partial || values["baseline-only"])) ? undefined : resolve(values.out ?? docs);

  const t0 = performance.now();
  const load0 = loadavg()[0]!;
  const catalog = await listChecks();
  const checks: CheckInfo[] = catalog.map((c) => ({ id: c.id, level: c.level, title: c.title }));
  const levels = new Map(catalog.map((c) => [c.id, c.level]));
  const problems = validateCatalogue(CATALOGUE, catalog);
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`mutants: ${p}\n`);
    return 2;
  }

  const dir = values.keep ? resolve(values.keep) : await mkdtemp(join(tmpdir(), "lgc-mutants-"));
  const started: StartedServer[] = [];
  const stop = () => {
    killRunningClis();
    killAllServersSync();
    // The runs' reports go with an interrupted campaign too, unless asked to keep them.
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    // A part of the catalogue (--only) is judged on its own checks: the baseline runs those, not the whole suite
    // (an equivalence mutant, which runs every check, needs the whole suite).
    const scope = only.length && !mutants.some((m) => m.checks.includes("*")) ? [...new Set(mutants.flatMap((m) => m.checks))] : ["*"];
    log(
      values["baseline-only"]
        ? `the baseline of ${scope.includes("*") ? "every check" : scope.join(" ")}, on ${servers} reference server(s); reports under ${dir}`
        : `${mutants.length} mutants${shard.count > 1 ? ` (shard ${shard.index}/${shard.count} of ${selected.length})` : ""}, ${parallel} at a time on ${servers} reference server(s); reports under ${dir}`,
    );
    for (let i = 0; i < servers; i++) started.push(await startReferenceServer());
    // The auth profile's checks run against a reference with the fixture auth (one, shared), as its identities.
    const authServer = await startReferenceServer({ config: AUTH_CONFIG });
    const identityArgs = (await fixtureIdentities()).flatMap((id) =>
      Object.entries(id.headers)
        .map(([k, v]) => ["--identity", `${id.name}=${k}: ${v}`])
        .flat(),
    );
    const auth = { upstream: authServer.url, args: identityArgs };
    const campaign = (i: number): CampaignOptions => ({ upstream: started[i % servers]!.url, dir, args: RUN_ARGS, timeoutMs, auth });

    // The baseline: twice at once (on two servers when there are two).
    const tb = performance.now();
    const [b1, b2] = await Promise.all([runBaseline("baseline-1", scope, { ...campaign(0), timeoutMs: 900_000 }), runBaseline("baseline-2", scope, { ...campaign(1), timeoutMs: 900_000 })]);
    const baselineMs = performance.now() - tb;
    const reports: Report[] = [];
    for (const b of [b1, b2]) {
      if (!b.report) throw new Error(`the baseline run ${b.name} gave no report: ${b.error}`);
      const errors = b.report.checks.filter((c) => c.outcome === "error");
      if (errors.length > 0) throw new Error(`the baseline run ${b.name} has harness errors: ${errors.map((c) => `${c.id}: ${clip(c.message)}`).join("; ")}`);
      reports.push(b.report);
    }
    let baseline = baselineOf(reports);
    log(
      `baseline: ${baseline.passing.size} of ${b1.report!.checks.length} checks pass in both runs${baseline.flaky.length ? `; flaky: ${baseline.flaky.map((f) => f.id).join(", ")}` : ""} (${secs(baselineMs)})`,
    );

    if (values["baseline-only"]) {
      const bs = baselineSummary(scope, baseline, reports);
      log(`checks that do not pass on the base (${bs.notPassing.length}):`);
      for (const n of bs.notPassing)
        log(
          `  ${n.id} ${n.outcome}: ${n.finding ? `${n.finding.id} ${clip(n.finding.title, 150)}` : clip(n.message, 150)}${(UNREPAIRED[n.id] ?? (n.finding ? UNREPAIRED[n.finding.id] : undefined)) ? "" : "  (no reason recorded)"}`,
        );
      if (values.json) await writeFile(resolve(values.json), `${JSON.stringify(bs, null, 1)}\n`);
      return 0;
    }

    // The variations of event streams run the checks that read one (in the baseline).
    const readers = streamReaders(reports);
    const runOne = (m: Mutant, opts: CampaignOptions) => runMutant(m.streamsOnly && readers.length > 0 ? { ...m, checks: readers } : m, opts);

    // The mutants, and amid them a control run: the baseline's checks with no
    // mutant, under the load of the mutant runs beside it. A check that passed
    // in the baseline and not in the control fails for want of time, not for a
    // bug: it is flaky, and no kill is counted on it.
    let done = 0;
    const CONTROL = "control";
    const tasks: Array<Mutant | typeof CONTROL> = [...mutants];
    tasks.splice(Math.floor(tasks.length / 2), 0, CONTROL);
    let control: Report | undefined;
    const runs = await pool(tasks, parallel, async (task, i) => {
      if (task === CONTROL) {
        const r = await runBaseline("control", scope, { ...campaign(i), timeoutMs: 900_000 });
        if (!r.report) throw new Error(`the control run gave no report: ${r.error}`);
        control = r.report;
        log(`  control run (no mutant, under load): ${r.report.checks.filter((c) => c.outcome === "pass").length} checks pass (${secs(r.ms)})`);
        return undefined;
      }
      const run = await runOne(task, campaign(i));
      done++;
      const v = judge(task, baseline, run, levels);
      log(`  [${String(done).padStart(3)}/${mutants.length}] ${task.id.padEnd(44)} ${brief(v)} (${secs(v.ms)})`);
      return { m: task, run };
    });
    // Judged again against the baseline with the control: what failed there is flaky, and its findings are no mutant's.
    baseline = baselineOf([...reports, control!]);
    let verdicts = runs.filter((r): r is { m: Mutant; run: RunOutcome } => r !== undefined).map(({ m, run }) => judge(m, baseline, run, levels));
    // A second run for what may be the load's doing: a run that broke, an equivalence mutant that changed a verdict.
    const again = verdicts.filter((v) => v.status === "error" || v.status === "changed" || v.problems.length > 0);
    if (again.length > 0) {
      log(`  again, to confirm (${again.length}): ${again.map((v) => v.id).join(", ")}`);
      const byId = new Map(mutants.map((m) => [m.id, m]));
      const second = await pool(again, parallel, async (v, i) => {
        const m = byId.get(v.id)!;
        const w = judge(m, baseline, await runOne(m, campaign(i)), levels);
        const confirmed = m.kind === "equivalence" ? confirmEquivalence(v, w) : w.status === "error" ? { ...w, problems: [...v.problems, ...w.problems] } : { ...w, ms: v.ms + w.ms };
        log(`  again ${m.id.padEnd(44)} ${brief(confirmed)}`);
        return confirmed;
      });
      const confirmed = new Map(second.map((v) => [v.id, v]));
      verdicts = verdicts.map((v) => confirmed.get(v.id) ?? v);
    }

    const result: ShardResult = {
      format: RESULT_FORMAT,
      catalogue: fingerprint(CATALOGUE, checks),
      runArgs: RUN_ARGS,
      shard,
      only,
      mutants: mutants.map((m) => m.id),
      verdicts,
      baseline: baselineSummary(scope, baseline, [...reports, control!]),
      checks,
      timing: { wallMs: Math.round(performance.now() - t0), baselineMs: Math.round(baselineMs), parallel, servers, load: [load0, loadavg()[0]!], cores: cpus().length },
    };
    if (values.json) await writeFile(resolve(values.json), `${JSON.stringify(result, null, 1)}\n`);
    const summary = summarize([result], CATALOGUE);
    // A shard of several is not judged on its score: the merge of every shard is.
    const g = gate(summary, minScore, { score: shard.count === 1 });
    log("");
    for (const line of textSummary(summary, CATALOGUE, g)) log(line);
    if (out) {
      await writeFile(out, markdown(summary, CATALOGUE, checks, g, notes));
      log(`written: ${relative(process.cwd(), out) || out}`);
      if (!partial && out === docs) await writeDurations(verdicts);
    }
    return g.ok ? 0 : 1;
  } finally {
    await stopAllServers();
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}

/** One line for a verdict as the campaign goes. */
function brief(v: MutantVerdict): string {
  const ids = (xs: string[]) => `${xs.slice(0, 4).join(", ")}${xs.length > 4 ? ", …" : ""}`;
  switch (v.status) {
    case "killed":
      return `killed (${v.level}) by ${ids([...v.killedBy.map((k) => k.id), ...v.findingKills.map((f) => `${f.id} via ${f.checks[0]}`)])}`;
    case "elsewhere":
      return `KILLED ELSEWHERE by ${ids([...v.elsewhere.checks.map((k) => k.id), ...v.elsewhere.findings.map((f) => f.id)])}`;
    case "survived":
      return `SURVIVED (${v.candidates} checks${v.untestable.length ? `; ${v.untestable.length} expected catcher(s) do not pass on the base` : ""})`;
    case "equivalent":
      return `equivalent (${v.candidates} checks compared)`;
    case "changed":
      return `CHANGED ${ids([...v.changes.map((c) => `${c.check} ${c.before.outcome}→${c.after.outcome}`), ...v.findingsAdded.map((f) => `+${f.id}`), ...v.findingsRemoved.map((f) => `-${f.id}`)])}`;
    default:
      return `ERROR: ${clip(v.problems.join("; "), 200)}`;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 200).unref();
  },
  (e: unknown) => {
    const usage = e instanceof UsageError || e instanceof MergeError;
    process.stderr.write(`mutants: ${usage ? (e as Error).message : `harness error: ${(e as Error)?.stack ?? e}`}\n`);
    process.exit(2);
  },
);
