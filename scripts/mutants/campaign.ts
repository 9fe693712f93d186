// `npm run mutants`: the mutation score of the suite. Runs the whole suite
// against the embedded reference server behind the fault proxy with no mutant
// (the baseline, twice at once: a check that passes in one and not the other is
// flaky and left out), then, for each mutant of scripts/mutants/catalogue.ts,
// the checks the mutant can touch behind it. Prints killed/total, the
// survivors, the mutants whose runs broke, and the checks no mutant made fail;
// writes the same to docs/mutation-score.md (and, with --json, to a file).
//
// Exit code: 0 when the score reaches --min-score (default 90) and no run broke;
// 1 when the score is below it or a run broke (a harness error, a run that gave
// no report or did not finish in time); 2 for a usage error or a catalogue that
// is not valid.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AUTH_CONFIG, fixtureIdentities, startReferenceServer, stopAllServers, killAllServersSync, type StartedServer } from "../../harness/targets/reference";
import type { CheckMeta } from "../../harness/model";
import { CATALOGUE, UNKILLED, type Mutant } from "./catalogue";
import { globToRegex, judge, outcomesOf, pool, runBaseline, runMutant, validateCatalogue, type CampaignOptions, type MutantVerdict } from "./engine";
import { runCli } from "../../selftest/support/cli";
import { PKG_ROOT } from "../cli/vitest-runner";

const USAGE = `npm run mutants -- [--only ID|PATTERN]... [--parallel N] [--servers N] [--timeout-ms N]
                    [--min-score PCT] [--out FILE] [--json FILE] [--keep DIR]

Runs the suite once against the embedded reference server behind the fault
proxy (the baseline) and once per mutant of scripts/mutants/catalogue.ts (the
checks it can touch), and reports the mutation score.

  --only          run only these mutants (ids or patterns with *); repeatable
  --parallel N    mutants run at once (default 3)
  --servers N     reference servers the runs share (default 2)
  --timeout-ms N  time one mutant's run may take (default 240000)
  --min-score P   the lowest score that passes, in percent (default 90)
  --out FILE      the Markdown summary (default docs/mutation-score.md, none with --only; "-" for none)
  --json FILE     also write every verdict as JSON
  --keep DIR      keep each run's reports under DIR (default: a temporary directory, removed)`;

/**
 * Options of every run, the baseline's too: a fixed seed (the property checks
 * draw the same cases in every run), and a stream time limit of 15 s (a stream
 * that never ends fails in 15 s, not 60; the longest stream of the suite, a
 * queued run's, ends within 10 s on this server).
 */
const RUN_ARGS = ["--seed", "20240601", "--stream-timeout-ms", "15000"];

class UsageError extends Error {}

function positive(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${name} expects a positive integer, got '${raw}'`);
  return Number(raw);
}

/** The check ids of the catalog that a mutant's patterns match. */
const scopeOf = (m: Mutant, ids: string[]) => ids.filter((id) => m.checks.some((p) => globToRegex(p).test(id)));

interface Summary {
  total: number;
  killed: number;
  score: number;
  byKind: Record<string, { total: number; killed: number }>;
  verdicts: MutantVerdict[];
  /** Checks that passed in both baseline runs. */
  passing: string[];
  /** Checks that passed in some baseline runs (the two first, the control) and not in others. */
  flaky: Array<{ id: string; outcomes: string[] }>;
  /** Passing checks no mutant made fail, those some mutant's patterns name and those none names. */
  neverFailed: { inScope: string[]; outOfScope: string[] };
  wallMs: number;
  baselineMs: number;
  parallel: number;
  servers: number;
}

function summarize(mutants: Mutant[], verdicts: MutantVerdict[], passing: string[], flaky: Summary["flaky"], allIds: string[], t: { wallMs: number; baselineMs: number; parallel: number; servers: number }): Summary {
  const killed = verdicts.filter((v) => v.status === "killed").length;
  const byKind: Summary["byKind"] = {};
  for (const [i, m] of mutants.entries()) {
    const k = (byKind[m.kind] ??= { total: 0, killed: 0 });
    k.total++;
    if (verdicts[i]!.status === "killed") k.killed++;
  }
  const failedOnce = new Set(verdicts.flatMap((v) => v.killedBy.map((k) => k.id)));
  const inAnyScope = new Set(mutants.flatMap((m) => scopeOf(m, allIds)));
  const never = passing.filter((id) => !failedOnce.has(id));
  return {
    total: mutants.length,
    killed,
    score: mutants.length ? killed / mutants.length : 0,
    byKind,
    verdicts,
    passing,
    flaky,
    neverFailed: { inScope: never.filter((id) => inAnyScope.has(id)), outOfScope: never.filter((id) => !inAnyScope.has(id)) },
    ...t,
  };
}

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
const secs = (ms: number) => `${Math.round(ms / 1000)} s`;
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

function markdown(s: Summary, mutants: Mutant[], checks: Map<string, CheckMeta>): string {
  const byId = new Map(mutants.map((m) => [m.id, m]));
  const L: string[] = [];
  L.push("# Mutation score", "");
  L.push("Written by `npm run mutants` (scripts/mutants/campaign.ts); do not edit by hand. The mutants are in");
  L.push("[`scripts/mutants/catalogue.ts`](../selftest/mutants/catalogue.ts), the proxy and the fault library next to it.", "");
  L.push(`**${s.killed}/${s.total} mutants killed: ${pct(s.score)}.**`, "");
  L.push("| kind | mutants | killed | score |", "|---|---:|---:|---:|");
  for (const [k, v] of Object.entries(s.byKind)) L.push(`| ${k} | ${v.total} | ${v.killed} | ${pct(v.killed / v.total)} |`);
  L.push("");
  L.push(`Wall time: ${secs(s.wallMs)} (the two baseline runs ${secs(s.baselineMs)}), ${s.parallel} mutants at a time on ${s.servers} reference servers.`, "");
  L.push("## How it is measured", "");
  L.push("- **The server.** The embedded reference server behind the fault proxy, with its unrelated findings repaired (error bodies as");
  L.push("  JSON, 200 for DELETE /threads/{thread_id}, 404 for a missing store item, `subgraphs` taken as a boolean by POST");
  L.push("  /threads/{thread_id}/state/checkpoint, 409 for multitask_strategy=reject on a busy thread) and crons, MCP and GET /metrics");
  L.push("  emulated as the contract describes them (`base()` in the catalogue). Each mutant breaks one thing on top of that.");
  L.push("- **The baseline.** The whole suite against that server with no mutant, run twice at once, and once more amid the mutant");
  L.push("  runs (the control, under their load). A check *passed before* when it passed in all three; a check that passed in some");
  L.push("  only is *flaky* and is not used to judge any mutant.");
  L.push(`- **A mutant's run.** Only the checks its patterns name, with the options of every run (\`${RUN_ARGS.join(" ")}\`).`);
  L.push("- **Killed** when some check that passed before ends `fail`, `warn` or `notice` (the check noticed, at its level). `skip` is not");
  L.push("  a kill (the check did not judge) and `error` never is (a harness error is the suite's bug): both are listed. A mutant");
  L.push("  whose run broke (no report, exit code 2, a harness error and no kill) is an *error*, neither killed nor surviving, and");
  L.push("  fails `npm run mutants`.", "");

  const survivors = s.verdicts.filter((v) => v.status === "survived");
  L.push(`## Survivors (${survivors.length})`, "");
  if (survivors.length === 0) L.push("None.");
  for (const v of survivors) {
    const m = byId.get(v.id)!;
    L.push(`- **${v.id}** (${m.kind}): ${m.description}. ${m.survives ?? "No reason recorded yet: a gap of the suite to close, or a mutant to rewrite."} (${v.candidates} check(s) could have killed it${v.skipped.length ? `; skipped: ${v.skipped.join(", ")}` : ""}.)`);
  }
  L.push("");
  const broken = s.verdicts.filter((v) => v.status === "error" || v.problems.length > 0);
  L.push(`## Runs with harness problems (${broken.length})`, "");
  if (broken.length === 0) L.push("None.");
  for (const v of broken) L.push(`- **${v.id}** (${v.status}): ${v.problems.map((p) => cell(clip(p, 300))).join("; ")}`);
  L.push("");

  const total = s.passing.length;
  const never = [...s.neverFailed.inScope, ...s.neverFailed.outOfScope];
  L.push(`## Checks no mutant made fail (${never.length} of the ${total} that passed before)`, "");
  L.push("Each is a check that may not be able to fail. Where it can, the reason no mutant reaches it is given (from `UNKILLED`");
  L.push("in the catalogue); a check without a reason is work to do: strengthen it, or add the mutant that shows it can fail.", "");
  if (never.length === 0) L.push("None.");
  for (const id of never) {
    const c = checks.get(id);
    const scope = s.neverFailed.inScope.includes(id) ? "named by a mutant" : "named by no mutant";
    L.push(`- **${id}** ${c ? `[${c.level}] ${cell(c.title)}` : ""} (${scope}). ${UNKILLED[id] ?? "No reason recorded."}`);
  }
  L.push("");
  L.push(`## Flaky checks (${s.flaky.length})`, "");
  L.push("Passed in some baseline runs and not in others; not used to judge mutants.", "");
  if (s.flaky.length === 0) L.push("None.");
  for (const f of s.flaky) L.push(`- **${f.id}**: ${f.outcomes.join(" / ")}`);
  L.push("");

  L.push(`## Every mutant (${s.total})`, "");
  L.push("| mutant | kind | the bug | checks | verdict | first check that failed |", "|---|---|---|---|---|---|");
  for (const v of s.verdicts) {
    const m = byId.get(v.id)!;
    const first = v.killedBy[0];
    const more = v.killedBy.length > 1 ? ` (+${v.killedBy.length - 1})` : "";
    L.push(`| ${v.id} | ${m.kind} | ${cell(m.description)} | ${cell(m.checks.join(" "))} | ${v.status} | ${first ? `${first.id} ${first.outcome}${more}: ${cell(clip(first.message))}` : ""} |`);
  }
  L.push("");
  return L.join("\n");
}

async function main(argv: string[]): Promise<number> {
  let values: Record<string, any>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        only: { type: "string", multiple: true },
        parallel: { type: "string" },
        servers: { type: "string" },
        "timeout-ms": { type: "string" },
        "min-score": { type: "string" },
        out: { type: "string" },
        json: { type: "string" },
        keep: { type: "string" },
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
  const parallel = positive(values.parallel, "parallel", 3);
  const servers = positive(values.servers, "servers", 2);
  const timeoutMs = positive(values["timeout-ms"], "timeout-ms", 240_000);
  const minScore = values["min-score"] === undefined ? 90 : Number(values["min-score"]);
  if (!Number.isFinite(minScore) || minScore < 0 || minScore > 100) throw new UsageError(`--min-score expects a percentage, got '${values["min-score"]}'`);
  const only: string[] = values.only ?? [];
  // A partial run (--only) writes the summary only where asked: docs/mutation-score.md is the whole catalogue's.
  const out = values.out === "-" || (values.out === undefined && only.length > 0) ? undefined : resolve(values.out ?? join(PKG_ROOT, "docs", "mutation-score.md"));
  const mutants = only.length ? CATALOGUE.filter((m) => only.some((p) => globToRegex(p).test(m.id))) : CATALOGUE;
  if (mutants.length === 0) throw new UsageError(`--only matches no mutant (${only.join(", ")})`);

  const t0 = performance.now();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const listed = await runCli(["list", "--json"], { timeoutMs: 120_000 });
  if (listed.code !== 0) throw new Error(`langgraph-conformance list failed: ${listed.stderr.trim().split("\n").at(-1)}`);
  const catalog: CheckMeta[] = JSON.parse(listed.stdout);
  const checks = new Map(catalog.map((c) => [c.id, c]));
  const allIds = catalog.map((c) => c.id);
  const problems = validateCatalogue(CATALOGUE, catalog);
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`mutants: ${p}\n`);
    return 2;
  }

  const dir = values.keep ? resolve(values.keep) : await mkdtemp(join(tmpdir(), "lgc-mutants-"));
  log(`${mutants.length} mutants, ${parallel} at a time on ${servers} reference server(s); reports under ${dir}`);
  const started: StartedServer[] = [];
  const stop = () => {
    killAllServersSync();
    process.exit(130);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    for (let i = 0; i < servers; i++) started.push(await startReferenceServer());
    // The auth profile's checks run against a reference with the fixture auth (one, shared), as its identities.
    const authServer = await startReferenceServer({ config: AUTH_CONFIG });
    const identityArgs = (await fixtureIdentities()).flatMap((id) => Object.entries(id.headers).map(([k, v]) => ["--identity", `${id.name}=${k}: ${v}`]).flat());
    const auth = { upstream: authServer.url, args: identityArgs };
    const campaign = (i: number): CampaignOptions => ({ upstream: started[i % servers]!.url, dir, args: RUN_ARGS, timeoutMs, auth });
    // A part of the catalogue (--only) is judged on its own checks: the baseline runs those, not the whole suite.
    const scope = only.length ? [...new Set(mutants.flatMap((m) => m.checks))] : ["*"];

    // The baseline: the whole suite, twice at once (on two servers when there are two).
    const tb = performance.now();
    const [b1, b2] = await Promise.all([runBaseline("baseline-1", scope, { ...campaign(0), timeoutMs: 600_000 }), runBaseline("baseline-2", scope, { ...campaign(1), timeoutMs: 600_000 })]);
    const baselineMs = performance.now() - tb;
    for (const b of [b1, b2]) {
      if (!b.report) throw new Error(`the baseline run ${b.name} gave no report: ${b.error}`);
      const errors = b.report.checks.filter((c) => c.outcome === "error");
      if (errors.length > 0) throw new Error(`the baseline run ${b.name} has harness errors: ${errors.map((c) => `${c.id}: ${c.message}`).join("; ")}`);
    }
    const o1 = outcomesOf(b1.report!);
    const o2 = outcomesOf(b2.report!);
    const baselinePassing = allIds.filter((id) => o1.get(id)?.outcome === "pass" && o2.get(id)?.outcome === "pass");
    const flaky = allIds
      .filter((id) => (o1.get(id)?.outcome === "pass") !== (o2.get(id)?.outcome === "pass"))
      .map((id) => ({ id, outcomes: [o1, o2].map((o) => `${o.get(id)?.outcome}${o.get(id)?.outcome === "pass" ? "" : `: ${clip(o.get(id)?.message ?? "", 200)}`}`) }));
    log(`baseline: ${baselinePassing.length} of ${allIds.length} checks pass in both runs${flaky.length ? `; flaky: ${flaky.map((f) => f.id).join(", ")}` : ""} (${secs(baselineMs)})`);
    const stable = new Set(baselinePassing);

    // The mutants, and amid them a control run: the whole suite with no mutant,
    // under the load of the mutant runs beside it. A check that passed in the
    // baseline and not in the control fails for want of time, not for a bug:
    // it is flaky, and no kill is counted on it.
    let done = 0;
    const CONTROL = "control";
    const tasks: Array<Mutant | typeof CONTROL> = [...mutants];
    tasks.splice(Math.floor(tasks.length / 2), 0, CONTROL);
    let control: ReturnType<typeof outcomesOf> | undefined;
    const runs = await pool(tasks, parallel, async (task, i) => {
      if (task === CONTROL) {
        const r = await runBaseline("control", scope, { ...campaign(i), timeoutMs: 600_000 });
        if (!r.report) throw new Error(`the control run gave no report: ${r.error}`);
        control = outcomesOf(r.report);
        log(`  control run (no mutant, under load): ${r.report.checks.filter((c) => c.outcome === "pass").length} checks pass (${secs(r.ms)})`);
        return undefined;
      }
      const run = await runMutant(task, campaign(i));
      done++;
      const v = judge(task.id, stable, run);
      const how = v.status === "killed" ? `killed by ${v.killedBy.map((k) => k.id).slice(0, 4).join(", ")}${v.killedBy.length > 4 ? ", …" : ""}` : v.status === "survived" ? `SURVIVED (${v.candidates} checks)` : `ERROR: ${clip(v.problems.join("; "), 200)}`;
      log(`  [${String(done).padStart(3)}/${mutants.length}] ${task.id.padEnd(40)} ${how} (${secs(v.ms)})`);
      return { run, v };
    });
    // Judged again with the checks that failed in the control left out.
    for (const id of baselinePassing) {
      if (control!.get(id)?.outcome !== "pass") {
        flaky.push({ id, outcomes: [`pass`, `pass`, `${control!.get(id)?.outcome}: ${clip(control!.get(id)?.message ?? "", 200)} (control run, under load)`] });
        stable.delete(id);
      }
    }
    const passing = baselinePassing.filter((id) => stable.has(id));
    const verdicts = runs.filter((r): r is NonNullable<typeof r> => r !== undefined).map(({ run, v }) => judge(v.id, stable, run));

    const summary = summarize(mutants, verdicts, passing, flaky, allIds, { wallMs: performance.now() - t0, baselineMs, parallel, servers });
    log("");
    log(`mutation score: ${summary.killed}/${summary.total} killed (${pct(summary.score)}), in ${secs(summary.wallMs)}`);
    for (const [k, v] of Object.entries(summary.byKind)) log(`  ${k.padEnd(9)} ${v.killed}/${v.total}`);
    const survivors = verdicts.filter((v) => v.status === "survived");
    const errored = verdicts.filter((v) => v.status === "error");
    const withProblems = verdicts.filter((v) => v.problems.length > 0);
    log(`survivors (${survivors.length}): ${survivors.map((v) => v.id).join(", ") || "none"}`);
    log(`runs with harness problems (${withProblems.length}): ${withProblems.map((v) => v.id).join(", ") || "none"}`);
    if (only.length > 0) log("checks no mutant made fail: not told for a part of the catalogue (--only)");
    else {
      log(`checks no mutant made fail (${summary.neverFailed.inScope.length + summary.neverFailed.outOfScope.length} of ${passing.length}):`);
      log(`  named by a mutant: ${summary.neverFailed.inScope.join(" ") || "none"}`);
      log(`  named by none:     ${summary.neverFailed.outOfScope.join(" ") || "none"}`);
    }
    if (out) {
      await writeFile(out, markdown(summary, mutants, checks));
      log(`written: ${relative(process.cwd(), out) || out}`);
    }
    if (values.json) await writeFile(resolve(values.json), `${JSON.stringify(summary, null, 2)}\n`);
    const ok = summary.score * 100 >= minScore && errored.length === 0 && withProblems.length === 0;
    if (!ok) log(`FAILED: ${summary.score * 100 < minScore ? `the score is below ${minScore}%` : "a run broke (see above)"}`);
    return ok ? 0 : 1;
  } finally {
    await stopAllServers();
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 200).unref();
  },
  (e: unknown) => {
    process.stderr.write(`mutants: ${e instanceof UsageError ? e.message : `harness error: ${(e as Error)?.stack ?? e}`}\n`);
    process.exit(2);
  },
);
