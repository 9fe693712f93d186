// Running the suite behind a fault and judging what a mutant did: the one
// engine of `npm run mutants` (scripts/mutants/campaign.ts) and of the
// self-tests that run mutants end to end (selftest/mutants.test.ts,
// selftest/support/kills.ts).
//
// A bug (a mutant of kind response, request or stream) is judged against the
// baseline (the same checks, the same options, the server behind the proxy with
// no mutant) and against the checks it names as its expected catchers:
// - KILLED when an expected catcher that passed in the baseline ends at its own
//   level behind it (fail for MUST, warn for SHOULD, notice for MAY), or when a
//   finding appears that no baseline run had and that an expected catcher failed
//   or met (a wire deviation: a field dropped, an error body as text/plain, which
//   no check fails on but every check that meets it reports);
// - KILLED ELSEWHERE when only other checks (or an expected one below its level)
//   noticed, or only findings of other checks appeared: reported with what
//   changed, never counted (a side effect of the fault, not its bug, may be what
//   was seen);
// - SURVIVED when nothing noticed; ERROR when its run broke (no report, exit code
//   2, a harness error and no kill), which is neither.
// skip is never a kill (the check did not judge), and neither is error.
//
// An equivalence mutant (a legal variation) must change nothing: every check
// whose baseline outcome is stable keeps its outcome and its failure reason
// (the message with ids, times and quoted data masked, and the finding it is
// an instance of), and no finding is added or removed. Any change is CHANGED.

import { globToRegex } from "../../harness/run-context";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Finding, Report } from "../../reporters/model";
import { runCli } from "../../selftest/support/cli";
import { outcomeForLevel, type CheckMeta, type Level } from "../../harness/model";
import { mutated, base, UNKILLED } from "./catalogue";
import { expectedPatterns, type Mutant, type MutantKind } from "./mutant";
import { contractRefusals, repairs } from "./faults";
import { compose, layered, startProxy, type Fault } from "./proxy";

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
    const r = await runCli(["run", "--url", proxy.url, "--report-dir", out, "--reporter", "quiet", "--selected-files-only", ...opts.args, ...authArgs, ...idArgs(patterns)], {
      timeoutMs: opts.timeoutMs,
    });
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

/**
 * The server with the fixture auth behind its proxy: repaired as the other is,
 * without the emulations (crons, MCP, metrics emulated by the proxy know no
 * users: the auth profile meets the reference's own answers there).
 */
export const authBase = (): Fault => compose("auth-base", contractRefusals, repairs);

/** The server with the fixture auth with the mutant on top, layered as mutated() layers it. */
const authMutated = (m: Mutant): Fault => layered(m.id, contractRefusals, [repairs], [{ name: m.id, ...m.fault() }]);

/** Runs the baseline: the checks `patterns` behind the base fault (the repaired, emulating server, no mutant). */
export function runBaseline(name: string, patterns: string[], opts: CampaignOptions): Promise<RunOutcome> {
  return runBehind(name, base(), patterns, opts, opts.auth ? authBase() : undefined);
}

export function runMutant(m: Mutant, opts: CampaignOptions): Promise<RunOutcome> {
  return runBehind(m.id, mutated(m), m.checks, opts, opts.auth ? authMutated(m) : undefined);
}

/** The checks that read an event stream in these runs: those with an exchange on a stream operation in their evidence. */
export function streamReaders(reports: Report[]): string[] {
  const ids = new Set<string>();
  for (const r of reports) {
    for (const c of r.checks) if ((c.evidence?.exchanges ?? []).some((e) => /\/stream$/.test((e.operation ?? "").split(" ")[1] ?? "") || e.stream !== undefined)) ids.add(c.id);
  }
  return [...ids].sort();
}

/** The outcomes of a run by check id. */
export function outcomesOf(report: Report): Map<string, { outcome: string; message: string }> {
  return new Map(report.checks.map((c) => [c.id, { outcome: c.outcome, message: c.message }]));
}

// ------------------------------------------------------------------ the baseline

/** A finding as a verdict names it. */
export interface FindingBrief {
  id: string;
  title: string;
  level: Level;
  /** Checks it failed (their outcome is an instance of it). */
  failed: string[];
  /** Checks that met it on the wire and were judged on another claim. */
  met: string[];
}

const brief = (f: Finding): FindingBrief => ({ id: f.id, title: f.title, level: f.level, failed: f.failed.map((x) => x.id), met: [...f.met] });

export interface BaselineCheck {
  outcome: string;
  message: string;
  /** The message with ids, times and quoted data masked (see skeleton()). */
  skeleton: string;
  /** Whether every baseline run gave this check the same skeleton: only then is a changed message a change. */
  messageStable: boolean;
  /** The finding its outcome is an instance of (fail, warn, notice). */
  finding?: string;
}

export interface Baseline {
  /** The checks that passed in every baseline run: the ones that can kill a mutant. */
  passing: Set<string>;
  /** Every check whose outcome all baseline runs agree on. */
  stable: Map<string, BaselineCheck>;
  /** Checks whose outcome the runs disagree on, with the outcome of each run: judged neither way. */
  flaky: Array<{ id: string; outcomes: string[] }>;
  /** Findings any baseline run had: a mutant's finding is new when it is none of these. */
  findings: Map<string, FindingBrief>;
  /** Findings every baseline run had: an equivalence mutant that loses one of these changed a verdict. */
  steadyFindings: Set<string>;
}

const clip = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** The baseline that `reports` (the baseline runs, and the control run when it is there) agree on. */
export function baselineOf(reports: Report[]): Baseline {
  const ids = [...new Set(reports.flatMap((r) => r.checks.map((c) => c.id)))];
  const byRun = reports.map((r) => new Map(r.checks.map((c) => [c.id, c])));
  const passing = new Set<string>();
  const stable = new Map<string, BaselineCheck>();
  const flaky: Baseline["flaky"] = [];
  for (const id of ids) {
    const seen = byRun.map((m) => m.get(id));
    if (seen.some((c) => c === undefined)) continue;
    const outcomes = seen.map((c) => c!.outcome);
    if (new Set(outcomes).size > 1) {
      flaky.push({ id, outcomes: seen.map((c) => `${c!.outcome}${c!.outcome === "pass" ? "" : `: ${clip(c!.message)}`}`) });
      continue;
    }
    const first = seen[0]!;
    const skeletons = new Set(seen.map((c) => `${skeleton(c!.message)}\u0000${c!.finding ?? ""}`));
    stable.set(id, { outcome: first.outcome, message: first.message, skeleton: skeleton(first.message), messageStable: skeletons.size === 1, ...(first.finding ? { finding: first.finding } : {}) });
    if (first.outcome === "pass") passing.add(id);
  }
  const findings = new Map<string, FindingBrief>();
  for (const r of reports) for (const f of r.findings ?? []) if (!findings.has(f.id)) findings.set(f.id, brief(f));
  const steadyFindings = new Set([...findings.keys()].filter((id) => reports.every((r) => (r.findings ?? []).some((f) => f.id === id))));
  return { passing, stable, flaky, findings, steadyFindings };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?/g;

/**
 * A failure message with what differs from run to run and from one spelling
 * of the same answer to another masked: ids, times, durations, ports, the
 * run's tag, quoted strings, JSON excerpts and bracketed details. What is left
 * is the reason in the check's own words (the statuses, the counts, the
 * requirement), which a legal variation must not change.
 */
export function skeleton(message: string): string {
  let s = message
    .replace(UUID, "<id>")
    .replace(TIME, "<time>")
    .replace(/\b\d{8}-[0-9a-f]{8}\b/g, "<run>")
    .replace(/\b[0-9a-f]{8,}\b/gi, "<hex>")
    .replace(/(?:localhost|127\.0\.0\.1|\[::1\]):\d+/g, "<host>")
    .replace(/\d+(?:\.\d+)?\s?(?:ms|s)\b/g, "<dur>")
    // A media type's parameters (a charset) are no part of a reason: an answer that adds one is the same answer.
    .replace(/\b([a-z]+\/[a-z0-9.+-]+)(?:\s*;\s*[a-z-]+=[^\s;,]+)+/gi, "$1");
  s = s.replace(/"(?:[^"\\]|\\.)*"?/g, '"…"').replace(/'[^'\n]*'/g, "'…'");
  let out = "";
  let depth = 0;
  for (const ch of s) {
    if (ch === "{" || ch === "[") {
      if (depth === 0) out += ch === "{" ? "{…}" : "[…]";
      depth++;
    } else if ((ch === "}" || ch === "]") && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out.replace(/\s+/g, " ").trim();
}

// ------------------------------------------------------------------ verdicts

export interface Kill {
  id: string;
  outcome: string;
  message: string;
}

/** A finding a mutant's run had and no baseline run had, and the checks (of those that count) that failed or met it. */
export interface FindingKill {
  id: string;
  title: string;
  level: Level;
  checks: string[];
}

/** A check whose verdict an equivalence mutant changed. */
export interface Change {
  check: string;
  before: { outcome: string; message: string };
  after: { outcome: string; message: string };
}

export type VerdictStatus = "killed" | "elsewhere" | "survived" | "error" | "equivalent" | "changed";

export interface MutantVerdict {
  id: string;
  kind: MutantKind;
  status: VerdictStatus;
  /**
   * The score a bug counts in: MUST when its expected catchers include a MUST
   * check or its kill is a MUST finding; else other (SHOULD, MAY).
   */
  level?: "MUST" | "other";
  /** The expected catchers (check ids) among the checks the run had. */
  expected: string[];
  /** Expected catchers that did not pass in the baseline (they cannot catch a bug there), with how they ended. */
  untestable: Array<{ id: string; outcome: string; finding?: string }>;
  /** Expected catchers that passed in the baseline and ended at their level behind the mutant. */
  killedBy: Kill[];
  /** New findings that an expected catcher failed or met. */
  findingKills: FindingKill[];
  /** What else changed: other checks that passed before and did not, new findings of other checks only. */
  elsewhere: { checks: Kill[]; findings: FindingKill[] };
  /** Equivalence mutants: checks whose verdict changed, and findings added or removed. */
  changes: Change[];
  findingsAdded: FindingKill[];
  findingsRemoved: FindingKill[];
  /** Checks of the mutant's patterns that passed in the baseline. */
  candidates: number;
  /** Expected catchers that passed in the baseline and skipped behind the mutant (they did not judge). */
  skipped: string[];
  /** Harness errors and run failures: the suite's own problems, never kills. */
  problems: string[];
  ms: number;
}

/** A check id pattern as `--id` reads it (the harness's, so that a mutant's checks select as a run does). */
export { globToRegex };

/** The check ids of `ids` that some pattern of `patterns` matches. */
export const matching = (patterns: string[], ids: Iterable<string>): string[] => {
  const res = patterns.map(globToRegex);
  return [...ids].filter((id) => res.some((r) => r.test(id)));
};

const emptyVerdict = (m: Pick<Mutant, "id" | "kind">, ms: number): MutantVerdict => ({
  id: m.id,
  kind: m.kind,
  status: "error",
  expected: [],
  untestable: [],
  killedBy: [],
  findingKills: [],
  elsewhere: { checks: [], findings: [] },
  changes: [],
  findingsAdded: [],
  findingsRemoved: [],
  candidates: 0,
  skipped: [],
  problems: [],
  ms,
});

/** Judges a mutant's run against the baseline (`levels`: every check's level, from the catalog). */
export function judge(m: Pick<Mutant, "id" | "kind" | "checks" | "catches">, baseline: Baseline, run: RunOutcome, levels: ReadonlyMap<string, Level>): MutantVerdict {
  if (m.kind === "equivalence") return judgeEquivalence(m, baseline, run);
  const v = emptyVerdict(m, run.ms);
  if (!run.report) {
    v.problems.push(run.error ?? "no report");
    return v;
  }
  const report = run.report;
  const ran = report.checks.map((c) => c.id);
  const expected = new Set(matching(expectedPatterns(m as Mutant), ran));
  v.expected = [...expected];
  for (const id of expected) {
    const b = baseline.stable.get(id);
    if (!baseline.passing.has(id)) v.untestable.push({ id, outcome: b?.outcome ?? "flaky", ...(b?.finding ? { finding: b.finding } : {}) });
  }
  for (const c of report.checks) {
    if (c.outcome === "error") v.problems.push(`${c.id}: ${c.message}`);
    if (!baseline.passing.has(c.id)) continue;
    v.candidates++;
    if (c.outcome === "pass" || c.outcome === "error") continue;
    if (c.outcome === "skip") {
      if (expected.has(c.id)) v.skipped.push(c.id);
      continue;
    }
    const kill = { id: c.id, outcome: c.outcome, message: c.message };
    if (expected.has(c.id) && c.outcome === outcomeForLevel(c.level)) v.killedBy.push(kill);
    else v.elsewhere.checks.push(kill);
  }
  for (const f of report.findings ?? []) {
    if (baseline.findings.has(f.id)) continue;
    const touched = [...f.failed.map((x) => x.id), ...f.met];
    const mine = touched.filter((id) => expected.has(id));
    if (mine.length > 0) v.findingKills.push({ id: f.id, title: f.title, level: f.level, checks: mine });
    else v.elsewhere.findings.push({ id: f.id, title: f.title, level: f.level, checks: touched });
  }
  for (const p of report.problems ?? []) v.problems.push(`harness problem in ${p.where}: ${p.message}`);
  if (run.code === 2) v.problems.push(`the run exited with code 2: ${lastLine(run.stderr)}`);
  if (v.expected.length === 0) v.problems.push("none of its expected catchers ran (fix its patterns)");
  const killed = v.killedBy.length > 0 || v.findingKills.length > 0;
  const noticedElsewhere = v.elsewhere.checks.length > 0 || v.elsewhere.findings.length > 0;
  v.status = killed ? "killed" : v.problems.length > 0 ? "error" : noticedElsewhere ? "elsewhere" : "survived";
  const mustCatcher = v.expected.some((id) => levels.get(id) === "MUST");
  v.level = mustCatcher || v.findingKills.some((f) => f.level === "MUST") ? "MUST" : "other";
  return v;
}

/** Judges an equivalence mutant: any verdict of a stable check changed, any finding added or removed, is a change. */
export function judgeEquivalence(m: Pick<Mutant, "id" | "kind">, baseline: Baseline, run: RunOutcome): MutantVerdict {
  const v = emptyVerdict(m, run.ms);
  if (!run.report) {
    v.problems.push(run.error ?? "no report");
    return v;
  }
  const report = run.report;
  const ran = new Set(report.checks.map((c) => c.id));
  for (const c of report.checks) {
    const b = baseline.stable.get(c.id);
    // A harness error is the suite's own problem (a run that broke), not a verdict the variation changed.
    if (c.outcome === "error") v.problems.push(`${c.id}: ${c.message}`);
    if (!b || c.outcome === "error") continue;
    v.candidates++;
    const after = { outcome: c.outcome, message: c.message };
    const before = { outcome: b.outcome, message: b.message };
    if (c.outcome !== b.outcome) v.changes.push({ check: c.id, before, after });
    else if (c.outcome !== "pass" && b.messageStable && (skeleton(c.message) !== b.skeleton || (c.finding ?? "") !== (b.finding ?? ""))) v.changes.push({ check: c.id, before, after });
  }
  const now = new Map((report.findings ?? []).map((f) => [f.id, f]));
  for (const f of now.values()) {
    if (!baseline.findings.has(f.id)) v.findingsAdded.push({ id: f.id, title: f.title, level: f.level, checks: [...f.failed.map((x) => x.id), ...f.met] });
  }
  for (const id of baseline.steadyFindings) {
    const f = baseline.findings.get(id)!;
    const touched = [...f.failed, ...f.met];
    // A finding only checks outside this run met is not expected here.
    if (!now.has(id) && touched.some((c) => ran.has(c))) v.findingsRemoved.push({ id, title: f.title, level: f.level, checks: touched });
  }
  for (const p of report.problems ?? []) v.problems.push(`harness problem in ${p.where}: ${p.message}`);
  if (run.code === 2) v.problems.push(`the run exited with code 2: ${lastLine(run.stderr)}`);
  const changed = v.changes.length > 0 || v.findingsAdded.length > 0 || v.findingsRemoved.length > 0;
  v.status = changed ? "changed" : v.problems.length > 0 ? "error" : "equivalent";
  return v;
}

/**
 * An equivalence verdict confirmed by a second run: a change counts only when
 * both runs show it (the same check, the same outcome after; the same finding),
 * so that a check a loaded machine slowed once is not taken for a false
 * positive. A run that broke is judged by the other alone.
 */
export function confirmEquivalence(first: MutantVerdict, second: MutantVerdict): MutantVerdict {
  if (first.status === "error") return { ...second, ms: first.ms + second.ms };
  if (second.status === "error") return { ...first, ms: first.ms + second.ms };
  const again = new Set(second.changes.map((c) => `${c.check}\u0000${c.after.outcome}`));
  const changes = first.changes.filter((c) => again.has(`${c.check}\u0000${c.after.outcome}`));
  const both = (a: FindingKill[], b: FindingKill[]) => a.filter((f) => b.some((x) => x.id === f.id));
  const findingsAdded = both(first.findingsAdded, second.findingsAdded);
  const findingsRemoved = both(first.findingsRemoved, second.findingsRemoved);
  const problems = [...first.problems, ...second.problems];
  const changed = changes.length > 0 || findingsAdded.length > 0 || findingsRemoved.length > 0;
  return { ...first, changes, findingsAdded, findingsRemoved, problems, status: changed ? "changed" : problems.length > 0 ? "error" : "equivalent", ms: first.ms + second.ms };
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

/** What is wrong with the catalogue against the suite's catalog of checks. */
export function validateCatalogue(mutants: Mutant[], checks: CheckMeta[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const ids = checks.map((c) => c.id);
  for (const m of mutants) {
    if (!/^[a-z0-9_]+(?:-[a-z0-9_]+)*$/.test(m.id)) problems.push(`mutant '${m.id}': its id is not kebab-case`);
    if (seen.has(m.id)) problems.push(`mutant '${m.id}' is declared twice`);
    seen.add(m.id);
    if (!m.description.trim() || m.description.includes("\n")) problems.push(`mutant '${m.id}': the description must be one line`);
    if (m.checks.length === 0) problems.push(`mutant '${m.id}' names no check`);
    for (const p of m.checks) if (matching([p], ids).length === 0) problems.push(`mutant '${m.id}': '${p}' matches no check`);
    if (m.kind === "equivalence") {
      if (m.catches?.length) problems.push(`mutant '${m.id}': an equivalence mutant expects no catcher`);
      continue;
    }
    if (!m.catches || m.catches.length === 0) problems.push(`mutant '${m.id}' names no expected catcher (catches)`);
    const scope = new Set(matching(m.checks, ids));
    for (const p of m.catches ?? []) {
      const hit = matching([p], ids);
      if (hit.length === 0) problems.push(`mutant '${m.id}': the expected catcher '${p}' matches no check`);
      else if (!hit.some((id) => scope.has(id))) problems.push(`mutant '${m.id}': the expected catcher '${p}' is not among the checks it runs`);
    }
  }
  for (const id of Object.keys(UNKILLED)) if (!ids.includes(id)) problems.push(`UNKILLED names '${id}', which is no check`);
  return problems;
}
