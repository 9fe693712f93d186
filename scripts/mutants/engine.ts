// Running the suite behind a fault and judging what a mutant did: the one
// engine of `npm run mutants` (scripts/mutants/campaign.ts) and of the self-test that
// runs a few mutants end to end (selftest/mutants.test.ts).
//
// A mutant is KILLED when at least one check that passed in the baseline (the
// same checks, the same options, the server behind the proxy with no mutant)
// ends fail, warn or notice behind it: the check noticed, at its own level.
// skip is not a kill (the check did not judge), and neither is error (a harness
// error is the suite's own bug: reported apart, never counted). A mutant with
// no kill SURVIVES; one whose run broke (no report, exit code 2, a harness
// error and no kill) is reported as an ERROR, which is neither.

import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Report } from "../../reporters/model";
import { runCli } from "../../selftest/support/cli";
import type { CheckMeta } from "../../harness/model";
import { mutated, base, UNKILLED, type Mutant } from "./catalogue";
import { repairs } from "./faults";
import { compose, startProxy, type Fault } from "./proxy";

/** Options every run of one campaign shares, the baseline's too: outcomes are compared run to run. */
export interface CampaignOptions {
  /** The server behind the proxy. */
  upstream: string;
  /** Where each run writes its report (a directory per run). */
  dir: string;
  /** Arguments of `langgraph-conformance run` common to every run (--seed, --runs, --stream-timeout-ms). */
  args: string[];
  /** The time one run may take before it is stopped (and reported as an error). */
  timeoutMs: number;
  /**
   * A server with the fixture auth, for the auth profile: each run puts a
   * second proxy in front of it, with a fault of its own made the same way,
   * and gives the run `--auth-url` (that proxy) and `args` (its identities).
   */
  auth?: { upstream: string; args: string[] };
}

export interface RunOutcome {
  name: string;
  code: number | null;
  report?: Report;
  /** Why the run gave no report (it did not finish in time, or crashed). */
  error?: string;
  stderr: string;
  ms: number;
}

const idArgs = (patterns: string[]) => patterns.flatMap((p) => ["--id", p]);

/** Runs the checks `patterns` against the upstream behind `fault`. */
export async function runBehind(name: string, fault: Fault, patterns: string[], opts: CampaignOptions, authFault?: Fault): Promise<RunOutcome> {
  const t0 = performance.now();
  const out = join(opts.dir, name.replace(/[^\w.-]+/g, "-"));
  await mkdir(out, { recursive: true });
  const proxy = await startProxy(opts.upstream, fault);
  const authProxy = opts.auth ? await startProxy(opts.auth.upstream, authFault ?? fault) : undefined;
  const authArgs = opts.auth && authProxy ? ["--auth-url", authProxy.url, ...opts.auth.args] : [];
  try {
    const r = await runCli(["run", "--url", proxy.url, "--report-dir", out, "--reporter", "quiet", ...opts.args, ...authArgs, ...idArgs(patterns)], { timeoutMs: opts.timeoutMs });
    let report: Report | undefined;
    try {
      report = JSON.parse(await readFile(join(out, "report.json"), "utf8")) as Report;
    } catch {
      report = undefined;
    }
    const ms = Math.round(performance.now() - t0);
    if (!report) return { name, code: r.code, error: `no report (exit code ${r.code}): ${lastLine(r.stderr) || lastLine(r.stdout)}`, stderr: r.stderr, ms };
    return { name, code: r.code, report, stderr: r.stderr, ms };
  } catch (e) {
    return { name, code: null, error: (e as Error).message.split("\n")[0]!, stderr: "", ms: Math.round(performance.now() - t0) };
  } finally {
    await proxy.close();
    await authProxy?.close();
  }
}

const lastLine = (s: string) => s.trim().split("\n").at(-1) ?? "";

/** Runs the baseline: the checks `patterns` behind the base fault (the repaired, emulating server, no mutant). */
/**
 * The server with the fixture auth behind its proxy: repaired as the other is,
 * without the emulations (crons, MCP, metrics emulated by the proxy know no
 * users: the auth profile meets the reference's own answers there).
 */
export const authBase = (): Fault => compose("auth-base", repairs);

export function runBaseline(name: string, patterns: string[], opts: CampaignOptions): Promise<RunOutcome> {
  return runBehind(name, base(), patterns, opts, opts.auth ? authBase() : undefined);
}

export function runMutant(m: Mutant, opts: CampaignOptions): Promise<RunOutcome> {
  return runBehind(m.id, mutated(m), m.checks, opts, opts.auth ? compose(m.id, authBase(), { name: m.id, ...m.fault() }) : undefined);
}

/** The outcomes of a run by check id. */
export function outcomesOf(report: Report): Map<string, { outcome: string; message: string }> {
  return new Map(report.checks.map((c) => [c.id, { outcome: c.outcome, message: c.message }]));
}

/** A failure that counts as a kill: the check judged the target and found the requirement broken. */
export const KILLING = new Set(["fail", "warn", "notice"]);

export interface Kill {
  id: string;
  outcome: string;
  message: string;
}

export interface MutantVerdict {
  id: string;
  status: "killed" | "survived" | "error";
  /** The checks that passed in the baseline and did not behind the mutant (fail, warn, notice). */
  killedBy: Kill[];
  /** Checks of the mutant's patterns that passed in the baseline: the ones that could kill it. */
  candidates: number;
  /** Checks the run skipped that passed in the baseline (not kills: they did not judge). */
  skipped: string[];
  /** Harness errors and run failures: the suite's own problems, never kills. */
  problems: string[];
  ms: number;
}

/**
 * Judges a mutant's run against the baseline: `passing` are the checks that
 * passed in the baseline (stable ones only: a check that passed in one
 * baseline run and not in another is left out, and said so by the caller).
 */
export function judge(id: string, passing: ReadonlySet<string>, run: RunOutcome): MutantVerdict {
  const verdict: MutantVerdict = { id, status: "error", killedBy: [], candidates: 0, skipped: [], problems: [], ms: run.ms };
  if (!run.report) {
    verdict.problems.push(run.error ?? "no report");
    return verdict;
  }
  const report = run.report;
  for (const c of report.checks) {
    if (c.outcome === "error") verdict.problems.push(`${c.id}: ${c.message}`);
    if (!passing.has(c.id)) continue;
    verdict.candidates++;
    if (KILLING.has(c.outcome)) verdict.killedBy.push({ id: c.id, outcome: c.outcome, message: c.message });
    else if (c.outcome === "skip") verdict.skipped.push(c.id);
  }
  for (const p of report.problems ?? []) verdict.problems.push(`harness problem in ${p.where}: ${p.message}`);
  if (run.code === 2) verdict.problems.push(`the run exited with code 2: ${lastLine(run.stderr)}`);
  if (verdict.candidates === 0) verdict.problems.push("none of its checks passed in the baseline: it cannot be killed (fix its patterns)");
  verdict.status = verdict.killedBy.length > 0 ? "killed" : verdict.problems.length > 0 ? "error" : "survived";
  return verdict;
}

/** Runs `tasks` with at most `limit` at a time, in order of start. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** A check id pattern (`*` for any characters) as a regular expression, as `--id` reads it. */
export function globToRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
}

/** What is wrong with the catalogue against the suite's catalog of checks. */
export function validateCatalogue(mutants: Mutant[], checks: CheckMeta[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const m of mutants) {
    if (!/^[a-z0-9_]+(?:-[a-z0-9_]+)*$/.test(m.id)) problems.push(`mutant '${m.id}': its id is not kebab-case`);
    if (seen.has(m.id)) problems.push(`mutant '${m.id}' is declared twice`);
    seen.add(m.id);
    if (!m.description.trim() || m.description.includes("\n")) problems.push(`mutant '${m.id}': the description must be one line`);
    if (m.checks.length === 0) problems.push(`mutant '${m.id}' names no check`);
    for (const p of m.checks) if (!checks.some((c) => globToRegex(p).test(c.id))) problems.push(`mutant '${m.id}': '${p}' matches no check`);
  }
  for (const id of Object.keys(UNKILLED)) if (!checks.some((c) => c.id === id)) problems.push(`UNKILLED names '${id}', which is no check`);
  return problems;
}
