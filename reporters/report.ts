// report.json: what a run found, in one document that people and tools read.
// Its shape is published as schemas/report.schema.json; every other format
// (report.md, report.html, junit.xml, the console) is rendered from it alone.

import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SweepResult } from "../harness/cleanup";
import { normalizeOperation } from "../harness/contract";
import { redactText, REDACTED } from "../harness/evidence";
import { LEVELS, OUTCOMES, PROFILES, type Level, type Outcome, type Profile } from "../harness/model";
import type { Claim, Selection } from "../harness/run-context";
import type { CheckResult, HarnessProblem } from "./collect";
import type { Finding } from "./findings";

export type { Finding };

export type Counts = Record<Outcome, number> & { total: number };

/** The version of the report's own format (schemas/report.schema.json); bumped when a field changes meaning. */
export const REPORT_FORMAT = 2;

/**
 * The score of a set of checks. A check is scored when it ran to a verdict about
 * the target: pass, fail, warn or notice. Skipped checks (profile not claimed, a
 * prerequisite the target does not offer) and harness errors (our bugs) are not
 * scored: they say nothing about the target. A baseline does not change a
 * score: an expected failure is still a failure of the target.
 */
export interface Score {
  passed: number;
  /** pass + fail + warn + notice. */
  scored: number;
  /** passed / scored, rounded to 4 decimals; null when no check was scored. */
  ratio: number | null;
  fail: number;
  warn: number;
  notice: number;
  skip: number;
  error: number;
}

export interface ScoreCard extends Score {
  /** The same, for the checks of each level. */
  levels: Record<Level, Score>;
  /** Ids of the checks whose outcome is fail (a MUST broken), in report order. */
  mustFailures: string[];
}

/** How a baseline judged the run (see reporters/baseline.ts). */
export interface BaselineSummary {
  /** The file as given on the command line. */
  file: string;
  /** How many check ids the file lists. */
  entries: number;
  /** Listed (a check id), and did not pass: known failures that do not fail the run. */
  expected: string[];
  /** Finding ids the baseline expects (listed by id, or every check they failed listed). */
  expectedFindings?: string[];
  /** Listed, and passed (or not a check of this suite): the run fails until the line is removed. */
  stale: Array<{ id: string; reason: string }>;
  /** Listed, and not run to a verdict (left out by a filter, skipped, or a harness error): judged neither way. */
  notRun: string[];
}

export interface Report {
  /** The version of this document's format (REPORT_FORMAT). */
  reportFormat?: number;
  suite: { name: string; version: string };
  contract: {
    source: string;
    title: string;
    version: string;
    /** false when the run was judged against a contract given with --spec. */
    own: boolean;
    /** What the suite had to tolerate in a given contract. */
    warnings: string[];
    /** Operations the suite's checks exercise that the given contract lacks: their responses were not validated. */
    missingOperations: string[];
  };
  target: {
    /** The target's base URL, any password in it redacted. */
    url: string;
    /** How the target came to be: given by URL ("url"), or started by the suite ("embedded", "container", "command"). */
    startedBy: "url" | "embedded" | "container" | "command";
    /** What the suite started, when it started it. */
    started?: string;
    /** How reports and `compare` name this target: --label, else what the suite started, else the URL's host. */
    label?: string;
    /** What the target declares about itself in GET /info. */
    declared?: Record<string, unknown>;
    /** The implementation as GET /info declares it: its `version` and the `langgraph_*_version` fields. */
    implementation?: { version?: string; runtimes: Record<string, string> };
  };
  runId: string;
  seed: number;
  startedAt: string;
  finishedAt?: string;
  durationMs: number;
  selection: Selection;
  /** Every profile, claimed or not, with the reason (what the target declared, or a flag). */
  claims?: Partial<Record<Profile, Claim>>;
  /** Profiles of the run's checks, with their claim, counts and score. */
  profiles: Partial<Record<Profile, Claim & { counts: Counts; score?: ScoreCard }>>;
  summary: Counts;
  /** The score of every check of the run, and per level. */
  score?: ScoreCard;
  /** Every distinct deviation, once: the fix list, most binding and far-reaching first. */
  findings?: Finding[];
  /** Findings counted by level. */
  findingCounts?: Record<Level, number> & { total: number };
  checks: ReportedCheck[];
  /** Harness errors that belong to no single check. */
  problems: HarnessProblem[];
  cleanup: SweepResult;
  /** Operations of the contract that no check of the catalog exercises, and why. */
  uncovered: Array<{ operation: string; reason: string }>;
  baseline?: BaselineSummary;
  /** The run's verdict: the exit code of the command line, and why. */
  verdict?: { exitCode: 0 | 1 | 2; text: string };
}

/** A check as the report holds it: its result, how the baseline judged it, and its links to the findings. */
export type ReportedCheck = CheckResult & {
  baseline?: "expected" | "stale";
  /** The finding its failure is an instance of (fail, warn, notice). */
  finding?: string;
  /** Findings it met on the wire without failing on them. */
  met?: string[];
};

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

export function scoreCard(checks: Array<{ id: string; level: Level; outcome: Outcome }>): ScoreCard {
  const levels = {} as Record<Level, Score>;
  for (const l of LEVELS) levels[l] = scoreOf(checks.filter((c) => c.level === l));
  return { ...scoreOf(checks), levels, mustFailures: checks.filter((c) => c.outcome === "fail").map((c) => c.id) };
}

/** "87.5% (7/8)", or "–" when nothing was scored. */
export function formatScore(s: Pick<Score, "passed" | "scored" | "ratio">): string {
  if (s.ratio === null) return "–";
  const pct = s.ratio * 100;
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
 * guarantee.
 */
export function redactReport<T>(report: T, extraSecrets: string[] = []): T {
  const extra = extraSecrets.filter((s) => s.length >= 4);
  const scrub = (s: string) => {
    let out = redactText(s);
    for (const secret of extra) out = out.split(secret).join(REDACTED);
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
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

/** Writes a file whole or not at all: a reader never sees half a report. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

export async function writeReportJson(dir: string, report: Report): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, "report.json");
  await writeAtomic(path, JSON.stringify(report, null, 2) + "\n");
  return path;
}
