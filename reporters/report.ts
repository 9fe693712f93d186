// report.json: what a run found, in one document that people and tools read.
// Its shape is published as schemas/report.schema.json; every other format
// (report.md, report.html, junit.xml, the console) is rendered from it alone.

import type { SweepResult } from "../harness/cleanup";
import { normalizeOperation } from "../harness/contract";
import { redactText, REDACTED, wellFormed } from "../harness/evidence";
import { LEVELS, OUTCOMES, PROFILES, type Level, type Outcome, type Profile } from "../harness/model";
import type { Claim, Selection } from "../harness/run-context";
import type { Contract } from "../harness/contract";
import { UsageError } from "../harness/target";
import { applyBaseline, type Baseline } from "./baseline";
import { buildFindings, findingCounts, findingsOfCheck } from "./findings";
import {
  REPORT_FORMAT,
  type BaselineSummary,
  type CheckResult,
  type Collected,
  type Counts,
  type Finding,
  type MergedShard,
  type Report,
  type ReportedCheck,
  type Score,
  type ScoreCard,
  type ShardInfo,
} from "./model";

export function emptyCounts(): Counts {
  const c = { total: 0 } as Counts;
  for (const o of OUTCOMES) c[o] = 0;
  return c;
}

export function count(checks: Array<{ outcome: Outcome }>): Counts {
  const c = emptyCounts();
  for (const x of checks) {
    c.total++;
    c[x.outcome]++;
  }
  return c;
}

export function scoreOf(checks: Array<{ outcome: Outcome }>): Score {
  const c = count(checks);
  const scored = c.pass + c.fail + c.warn + c.notice;
  return {
    passed: c.pass,
    scored,
    ratio: scored === 0 ? null : Math.round((c.pass / scored) * 10_000) / 10_000,
    fail: c.fail,
    warn: c.warn,
    notice: c.notice,
    skip: c.skip,
    error: c.error,
  };
}

/** Each figure the checks counted, summed over them (undefined when none counted any). */
export function talliesOf(checks: Array<{ tallies?: Record<string, number> }>): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const c of checks) for (const [name, n] of Object.entries(c.tallies ?? {})) out[name] = (out[name] ?? 0) + n;
  return Object.keys(out).length ? out : undefined;
}

export function scoreCard(checks: Array<{ id: string; level: Level; outcome: Outcome }>): ScoreCard {
  const levels = {} as Record<Level, Score>;
  for (const l of LEVELS) levels[l] = scoreOf(checks.filter((c) => c.level === l));
  return { ...scoreOf(checks), levels, mustFailures: checks.filter((c) => c.outcome === "fail").map((c) => c.id) };
}

/** "87.5% (7/8)", or "–" when nothing was scored. */
export function formatScore(s: Pick<Score, "passed" | "scored" | "ratio">): string {
  if (s.ratio === null) return "–";
  // From the counts, not the rounded ratio: 382/563 is 67.9%, not 67.8% (0.6785 rounded twice).
  const pct = Math.round((s.passed / s.scored) * 1000) / 10;
  return `${Number.isInteger(pct) ? pct.toFixed(0) : pct.toFixed(1)}% (${s.passed}/${s.scored})`;
}

export function orderChecks(checks: CheckResult[]): CheckResult[] {
  const p = (x: CheckResult) => PROFILES.indexOf(x.profile);
  return [...checks].sort((a, b) => p(a) - p(b) || a.id.localeCompare(b.id, "en", { numeric: true }));
}

export function profileTable(checks: CheckResult[], claims: Partial<Record<Profile, Claim>>): Report["profiles"] {
  const out: Report["profiles"] = {};
  for (const p of PROFILES) {
    const mine = checks.filter((c) => c.profile === p);
    if (mine.length === 0) continue;
    out[p] = { ...(claims[p] ?? { claimed: true, reason: "" }), counts: count(mine), score: scoreCard(mine) };
  }
  return out;
}

/** The MUST findings a baseline does not expect: each fails the run. */
export function unexpectedMustFindings(report: Partial<Pick<Report, "findings">>): Finding[] {
  return (report.findings ?? []).filter((f) => f.level === "MUST" && f.baseline !== "expected");
}

/**
 * 0: no MUST broken (what a baseline expects excepted); 1: a MUST broken, or a
 * stale baseline entry; 2: the harness broke (the verdict cannot be trusted).
 * A MUST is broken by a MUST finding: a failed MUST check, or an answer that
 * breaks the documents' MUST words on the wire. A report without findings (an
 * older format) is judged by its failed checks.
 */
export function exitCodeOf(report: Pick<Report, "summary" | "problems"> & Partial<Pick<Report, "checks" | "baseline" | "findings">>): 0 | 1 | 2 {
  if (report.summary.error > 0 || report.problems.length > 0) return 2;
  if ((report.baseline?.stale.length ?? 0) > 0) return 1;
  if (report.findings) return unexpectedMustFindings(report).length > 0 ? 1 : 0;
  const failures = report.checks ? report.checks.filter((c) => c.outcome === "fail" && c.baseline !== "expected").length : report.summary.fail;
  return failures > 0 ? 1 : 0;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One sentence for the exit code: printed at the end of a run and kept in the report. */
export function verdictOf(report: Pick<Report, "summary" | "problems" | "durationMs"> & Partial<Pick<Report, "checks" | "baseline" | "findings">>): NonNullable<Report["verdict"]> {
  const exitCode = exitCodeOf(report);
  const s = report.summary;
  const expected = (report.baseline?.expected.length ?? 0) + (report.baseline?.expectedFindings?.length ?? 0);
  const stale = report.baseline?.stale.length ?? 0;
  const failedMust = report.checks ? report.checks.filter((c) => c.outcome === "fail" && c.baseline !== "expected").length : s.fail;
  const parts: string[] = [];
  if (exitCode === 2) {
    parts.push(`the harness broke (${s.error} check error(s), ${report.problems.length} other problem(s)); the results are incomplete`);
  } else {
    if (report.findings) {
      const must = unexpectedMustFindings(report).length;
      const should = report.findings.filter((f) => f.level === "SHOULD" && f.baseline !== "expected").length;
      parts.push(must === 0 ? "no MUST finding" : plural(must, "MUST finding"));
      parts.push(failedMust === 0 ? "no MUST check failed" : `${plural(failedMust, "MUST check")} failed`);
      if (should > 0) parts.push(plural(should, "SHOULD finding"));
    } else {
      parts.push(failedMust === 0 ? "no MUST check failed" : `${plural(failedMust, "MUST check")} failed`);
    }
    if (expected > 0) parts.push(`${expected} expected by the baseline`);
    if (stale > 0) parts.push(`${stale} stale baseline entr${stale === 1 ? "y" : "ies"} (listed, but no longer seen: remove ${stale === 1 ? "it" : "them"})`);
    parts.push(`${s.pass}/${s.total} checks passed`);
  }
  return { exitCode, text: parts.join("; ") };
}

/** Contract operations no check exercises, with the reason given in suites/uncovered.ts. */
export function uncoveredOperations(operations: string[], catalog: Array<{ operations: string[] }>, reasons: Record<string, string>): Report["uncovered"] {
  const covered = new Set(catalog.flatMap((c) => c.operations).map(normalizeOperation));
  const why = new Map(Object.entries(reasons).map(([op, reason]) => [normalizeOperation(op), reason]));
  return operations
    .filter((op) => !covered.has(normalizeOperation(op)))
    .map((operation) => ({ operation, reason: why.get(normalizeOperation(operation)) ?? "no check exercises it, and suites/uncovered.ts does not say why" }));
}

/** Operations the catalog's checks exercise that a (given) contract does not have. */
export function missingOperations(catalog: Array<{ operations: string[] }>, has: (op: string) => boolean): string[] {
  return [...new Set(catalog.flatMap((c) => c.operations))].filter((op) => !has(op)).sort();
}

/** The implementation as GET /info declares it. */
export function implementationOf(info: Record<string, unknown> | undefined): Report["target"]["implementation"] {
  if (!info) return undefined;
  const runtimes: Record<string, string> = {};
  for (const [k, v] of Object.entries(info)) if (/^langgraph_[a-z0-9]+_version$/.test(k) && typeof v === "string") runtimes[k] = v;
  return { ...(typeof info.version === "string" ? { version: info.version } : {}), runtimes };
}

/** How the report names a target when no --label is given. */
export function defaultLabel(target: { url: string; started?: string }): string {
  if (target.started) return target.started;
  try {
    return new URL(target.url).host;
  } catch {
    return target.url;
  }
}

/** A URL with its password (and a username that looks like a token) replaced. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (!url.password && url.username.length < 16) return raw;
  const creds = (url.username.length >= 16 ? REDACTED : url.username) + (url.password ? `:${REDACTED}` : "");
  url.username = "";
  url.password = "";
  let rest = url.toString();
  if (!raw.endsWith("/") && rest.endsWith("/")) rest = rest.slice(0, -1);
  return rest.replace("://", `://${creds}@`);
}

/**
 * The last gate before anything is written: every string of the report goes
 * through the redaction of the secrets the run knows (the API key, the values
 * of secret headers, a password in the URL), wherever it ended up (an echoed
 * body, a URL, a message). Workers redact their evidence too; this is the
 * guarantee. It also makes every string well-formed Unicode (a lone surrogate a
 * target sent, or a cut that split a pair, becomes U+FFFD), so that report.json
 * is strict JSON every parser (jq) reads.
 */
export function redactReport<T>(report: T, extraSecrets: string[] = []): T {
  const extra = extraSecrets.filter((s) => s.length >= 4);
  const scrub = (s: string) => {
    let out = redactText(wellFormed(s));
    for (const secret of extra) out = out.split(secret).join(REDACTED);
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[scrub(k)] = walk(x);
      return out;
    }
    return v;
  };
  return walk(report) as T;
}

/** Secrets that live in a URL (a password, a user name used as a token). */
export function urlSecrets(raw: string): string[] {
  try {
    const u = new URL(raw);
    return [u.password, u.username.length >= 16 ? u.username : ""].map((s) => decodeURIComponent(s)).filter(Boolean);
  } catch {
    return [];
  }
}

export interface FinishOptions {
  /** --label: how reports and `compare` name the target. */
  label?: string;
  /** Every claim the run decided, for all profiles. */
  claims: Partial<Record<Profile, Claim>>;
  baseline?: Baseline;
  /** Ids of every check of the catalog, selected or not (for the baseline's typo check). */
  catalogIds: string[];
  finishedAt?: Date;
}

/** Adds what is derived from the results, judges the baseline, and redacts. */
export function finishReport(report: Report, opts: FinishOptions): Report {
  const secrets = urlSecrets(report.target.url);
  const url = redactUrl(report.target.url);
  const target = {
    ...report.target,
    url,
    label: opts.label ?? report.target.label ?? defaultLabel({ url, ...(report.target.started ? { started: report.target.started } : {}) }),
    ...(report.target.declared ? { implementation: implementationOf(report.target.declared) } : {}),
  };
  // The first spread fixes the order of the keys, so that report.json reads
  // top-down (who, what, verdict, then the details); fields added elsewhere
  // keep their place after these.
  let r: Report = {
    ...{ reportFormat: REPORT_FORMAT, suite: report.suite, contract: report.contract, target, runId: report.runId, seed: report.seed },
    ...{ startedAt: report.startedAt, finishedAt: "", durationMs: report.durationMs, selection: report.selection, shard: undefined, merged: undefined, claims: opts.claims },
    ...{ profiles: report.profiles, summary: report.summary, score: undefined, tallies: undefined, findingCounts: undefined, verdict: undefined, baseline: undefined, findings: undefined },
    ...report,
    target,
    finishedAt: (opts.finishedAt ?? new Date()).toISOString(),
    claims: opts.claims,
    profiles: profileTable(report.checks, opts.claims),
    score: scoreCard(report.checks),
    tallies: talliesOf(report.checks),
  };
  if (!r.tallies) delete r.tallies;
  r = withFindings(r);
  if (opts.baseline) r = applyBaseline(r, opts.baseline, opts.catalogIds);
  r.verdict = verdictOf(r);
  return redactReport(r, secrets);
}

/**
 * The findings of the report's checks, and each check's links to them. The
 * exchange of each sighting is kept once, as its finding's example; the
 * checks keep what was seen, not the whole exchange again.
 */
export function withFindings(r: Report): Report {
  const findings = buildFindings(r.checks, r.findings);
  const checks = r.checks.map((c) => {
    const links = findingsOfCheck(c);
    const observations = c.observations?.map(({ exchange: _dropped, ...o }) => o);
    return {
      ...c,
      ...(observations ? { observations } : {}),
      ...(links.cause ? { finding: links.cause } : {}),
      ...(links.met.length ? { met: links.met } : {}),
    };
  });
  return { ...r, checks, findings, findingCounts: findingCounts(findings) };
}

/** What a run hands over to make its report. */
export interface ReportInput {
  suiteVersion: string;
  contract: Pick<Contract, "own" | "source" | "title" | "version" | "warnings" | "hasOperation" | "operations">;
  target: Pick<Report["target"], "url" | "startedBy" | "started" | "declared">;
  runId: string;
  seed: number;
  startedAt: Date;
  durationMs: number;
  selection: Report["selection"];
  claims: Partial<Record<Profile, Claim>>;
  collected: Collected;
  cleanup: SweepResult;
  /** Why an operation has no check yet (suites/uncovered.ts). */
  uncoveredReasons: Record<string, string>;
  label?: string;
  baseline?: Baseline;
  /** With --shard i/n: which part of the split this run is (its catalog is the collected one). */
  shard?: Omit<ShardInfo, "catalog">;
}

/**
 * The one place a run's report is made: the checks in report order, the
 * contract as the run used it, and everything finishReport derives (scores,
 * claims, findings, the baseline's judgement, the verdict, redaction).
 */
export function buildReport(input: ReportInput): Report {
  const { contract, collected } = input;
  const checks = orderChecks(collected.checks);
  const assembled: Report = {
    suite: { name: "langgraph-conformance", version: input.suiteVersion },
    contract: {
      // The suite's own contract by its place in the suite, not on this machine:
      // a report is the same wherever it was made.
      source: contract.own ? "schemas/openapi.yaml" : contract.source,
      title: contract.title,
      version: contract.version,
      own: contract.own,
      warnings: contract.warnings,
      missingOperations: missingOperations(collected.catalog, contract.hasOperation),
    },
    target: input.target,
    runId: input.runId,
    seed: input.seed,
    startedAt: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    selection: input.selection,
    ...(input.shard ? { shard: { index: input.shard.index, count: input.shard.count, split: input.shard.split, files: input.shard.files, catalog: collected.catalog.map((c) => c.id) } } : {}),
    profiles: {},
    summary: count(checks),
    checks,
    problems: collected.problems,
    cleanup: input.cleanup,
    uncovered: uncoveredOperations(
      contract.operations.map((o) => o.key),
      collected.catalog,
      input.uncoveredReasons,
    ),
  };
  return finishReport(assembled, {
    claims: input.claims,
    catalogIds: collected.catalog.map((c) => c.id),
    ...(input.label ? { label: input.label } : {}),
    ...(input.baseline ? { baseline: input.baseline } : {}),
  });
}

/** A shard's report, with the name it was given by (its path, for the messages). */
export interface ShardReport {
  name: string;
  report: Report;
}

/** What tells one target from another across shards (an embedded server has a port of its own in each part). */
function targetKey(t: Report["target"]): string {
  return JSON.stringify([t.startedBy, t.startedBy === "url" ? t.url : (t.started ?? t.url), t.label ?? "", t.implementation?.version ?? ""]);
}

function targetName(t: Report["target"]): string {
  return t.label ?? t.started ?? t.url;
}

const selectionKey = (s: Report["selection"]) => JSON.stringify([[...(s.profiles ?? [])].sort(), [...(s.ids ?? [])].sort(), [...(s.levels ?? [])].sort()]);

/**
 * Refuses parts that are not one run: each refusal is one line (UsageError).
 * Parts of one run are shards of one split (same count and fingerprint), each
 * once, all there, of one target, seed, suite, contract, selection and
 * baseline, and no check is in two of them.
 */
function refuseForeignShards(parts: ShardReport[]): void {
  if (parts.length === 0) throw new UsageError("merge needs the reports of a run's shards (report.json of each --shard i/n)");
  for (const p of parts) if (!p.report.shard) throw new UsageError(`${p.name} is not a shard's report (it was not run with --shard i/n)`);
  const [a, ...rest] = parts as [ShardReport, ...ShardReport[]];
  const A = a.report;
  const same = (what: (r: Report) => string, say: (b: ShardReport, x: string, y: string) => string) => {
    for (const b of rest) {
      const x = what(A);
      const y = what(b.report);
      if (x !== y) throw new UsageError(say(b, x, y));
    }
  };
  same(
    (r) => String(r.shard!.count),
    (b, x, y) => `${a.name} is a shard of ${x} parts and ${b.name} of ${y}: the shards of one run have one count`,
  );
  same(
    (r) => r.suite.version,
    (b, x, y) => `${a.name} and ${b.name} were made by different suite versions (${x} and ${y})`,
  );
  same(
    (r) => `${r.contract.source} ${r.contract.version}`,
    (b, x, y) => `${a.name} and ${b.name} were judged against different contracts (${x} and ${y})`,
  );
  same(
    (r) => targetKey(r.target),
    (b) => `${a.name} and ${b.name} are reports of different targets (${targetName(A.target)} and ${targetName(b.report.target)})`,
  );
  same(
    (r) => String(r.seed),
    (b, x, y) => `${a.name} and ${b.name} ran with different seeds (${x} and ${y}): give every shard the same --seed`,
  );
  same(
    (r) => selectionKey(r.selection),
    (b) => `${a.name} and ${b.name} ran different selections of checks (--profile, --id, --level must be the same in every shard)`,
  );
  same(
    (r) => r.shard!.split,
    (b) => `${a.name} and ${b.name} were split differently (another suite tree or ${"suites/durations.json"}): run every shard from one checkout`,
  );
  same(
    (r) => (r.baseline ? JSON.stringify([r.baseline.file, r.baseline.ids ?? r.baseline.entries]) : "none"),
    (b) => `${a.name} and ${b.name} were judged against different baselines (give every shard the same --baseline, or none)`,
  );
  const byIndex = new Map<number, string>();
  for (const p of parts) {
    const i = p.report.shard!.index;
    if (byIndex.has(i)) throw new UsageError(`${byIndex.get(i)} and ${p.name} are both shard ${i}/${A.shard!.count}`);
    byIndex.set(i, p.name);
  }
  const holder = new Map<string, string>();
  for (const p of parts) {
    for (const c of p.report.checks) {
      const other = holder.get(c.id);
      if (other !== undefined) throw new UsageError(`${other} and ${p.name} both hold check ${c.id}: the shards overlap`);
      holder.set(c.id, p.name);
    }
  }
  const missing = Array.from({ length: A.shard!.count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) {
    throw new UsageError(
      `shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${A.shard!.count}`).join(", ")} ${missing.length > 1 ? "are" : "is"} missing (given: ${[...byIndex.keys()].sort((x, y) => x - y).join(", ")})`,
    );
  }
}

/**
 * One report of a split run's shards, as the unsharded run would have made it:
 * the checks of every part in report order, findings gathered again from the
 * checks (each finding's example kept from the part that showed it first),
 * claims as the part that ran each profile decided them, the baseline judged
 * again on the whole, and the score and verdict of the whole. Refuses parts of
 * different runs (see refuseForeignShards) with one line each.
 */
export function mergeReports(parts: ShardReport[], opts: { label?: string } = {}): Report {
  refuseForeignShards(parts);
  const sorted = [...parts].sort((x, y) => x.report.shard!.index - y.report.shard!.index).map((p) => p.report);
  const first = sorted[0]!;
  // What the shards derived from their checks is derived again from all of them.
  const checks = orderChecks(sorted.flatMap((r) => r.checks.map(({ baseline: _b, finding: _f, met: _m, ...c }: ReportedCheck) => c as CheckResult)));
  const position = new Map(checks.map((c, i) => [c.id, i]));
  // A finding seen in several parts keeps the example of the part whose check comes first, as one run picks it.
  const previous = new Map<string, Finding>();
  for (const f of sorted.flatMap((r) => r.findings ?? [])) {
    const had = previous.get(f.id);
    if (!had || (position.get(f.example.check) ?? Infinity) < (position.get(had.example.check) ?? Infinity)) previous.set(f.id, f);
  }
  // Each profile's claim as the part that ran its checks decided it (an auth companion runs in one part only).
  const claims: Partial<Record<Profile, Claim>> = {};
  for (const p of PROFILES) {
    const decided = sorted.find((r) => r.checks.some((c) => c.profile === p) && r.claims?.[p]) ?? sorted.find((r) => r.claims?.[p]);
    if (decided?.claims?.[p]) claims[p] = decided.claims[p];
  }
  const startedAt = sorted.map((r) => r.startedAt).sort()[0]!;
  const finishedAt = sorted
    .map((r) => r.finishedAt ?? r.startedAt)
    .sort()
    .at(-1)!;
  const merged: MergedShard[] = sorted.map((r) => ({
    index: r.shard!.index,
    count: r.shard!.count,
    runId: r.runId,
    url: r.target.url,
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    checks: r.checks.length,
  }));
  // Every file is in one part: the parts' catalogs make the suite's, and what derives from it is derived again.
  const catalogIds = sorted.flatMap((r) => r.shard!.catalog);
  const coveredSomewhere = (op: string) => sorted.some((r) => !r.uncovered.some((u) => u.operation === op));
  const uncovered = first.uncovered.filter((u) => !coveredSomewhere(u.operation));
  const missingOperations = [...new Set(sorted.flatMap((r) => r.contract.missingOperations))].sort();
  const baseline: Baseline | undefined = first.baseline ? { file: first.baseline.file, ids: first.baseline.ids ?? [], comments: {} } : undefined;
  const { shard: _shard, baseline: _baseline, verdict: _verdict, findingCounts: _counts, score: _score, ...rest } = first;
  const assembled: Report = {
    ...rest,
    contract: { ...first.contract, missingOperations },
    uncovered,
    runId: first.runId,
    startedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    merged,
    summary: count(checks),
    checks,
    findings: [...previous.values()],
    problems: sorted.flatMap((r) => r.problems),
    cleanup: { deleted: sorted.reduce((n, r) => n + r.cleanup.deleted, 0), leftovers: sorted.flatMap((r) => r.cleanup.leftovers) },
  };
  return finishReport(assembled, {
    claims,
    catalogIds,
    finishedAt: new Date(finishedAt),
    ...(opts.label ? { label: opts.label } : {}),
    ...(baseline ? { baseline } : {}),
  });
}
