// The report's model: what a run found, as report.json holds it (published as
// schemas/report.schema.json). Types only: reporters/report.ts builds a Report,
// every format and terminal style renders one, and nothing here imports them.

import type { SweepResult } from "../harness/cleanup";
import type { CheckMeta, Citation, ExchangeRecord, Level, Outcome, Profile, Verdict } from "../harness/model";
import type { Claim, Selection } from "../harness/run-context";

export interface CheckResult extends CheckMeta, Verdict {
  file: string;
}

export interface HarnessProblem {
  /** Where it happened: a suite file, or the run itself. */
  where: string;
  message: string;
}

export interface Collected {
  checks: CheckResult[];
  problems: HarnessProblem[];
  /** Every check of the catalog, selected for this run or not. */
  catalog: CheckMeta[];
}

/** What the collecting reporter tells as the run goes. */
export interface ProgressSink {
  /** Checks that will run (selected), as vitest collects their files. */
  planned?(checks: CheckMeta[]): void;
  /** Every file is collected: the planned counts are final. */
  allPlanned?(): void;
  /** The suite files the run will go through (relative to the package). */
  files?(paths: string[]): void;
  /** A suite file has ended. */
  fileEnded?(path: string): void;
  check(result: CheckResult): void;
  /** The run is over (before the summary is printed). */
  end?(): void;
}

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
  /** In a shard's report: the ids the file lists, in its order (so that `merge` judges the merged run again). */
  ids?: string[];
  /** Listed (a check id), and did not pass: known failures that do not fail the run. */
  expected: string[];
  /** Finding ids the baseline expects (listed by id, or every check they failed listed). */
  expectedFindings?: string[];
  /** Listed, and passed (or not a check of this suite): the run fails until the line is removed. */
  stale: Array<{ id: string; reason: string }>;
  /** Listed, and not run to a verdict (left out by a filter, skipped, or a harness error): judged neither way. */
  notRun: string[];
}

/** One part of a split run. */
export interface ShardInfo {
  /** 1-based. */
  index: number;
  count: number;
  /** A fingerprint of the whole split (every part's files): the parts of one run share it. */
  split: string;
  /** The suite files this part ran (relative to the suite's root). */
  files: string[];
  /**
   * The ids of every check of those files, selected or not: the part's share of
   * the catalog. Only its files were loaded, so what this report derives from
   * the catalog (`uncovered`, `contract.missingOperations`, a baseline's ids
   * that no check has) is about this part; `merge` derives it for the whole.
   */
  catalog: string[];
}

/** A part of a merged report, as its own report said. */
export interface MergedShard {
  index: number;
  count: number;
  runId: string;
  /** The target's URL in that part (an embedded server has a port of its own in each). */
  url: string;
  startedAt: string;
  durationMs: number;
  /** How many checks it ran. */
  checks: number;
}

export interface Finding {
  /** `F-` and 8 hex digits of the signature's hash: the same cause keeps its id across runs, seeds and releases. */
  id: string;
  signature: string;
  title: string;
  level: Level;
  /** How it was seen: on the wire (answers or events that break the contract), by failing checks, or both. */
  seenBy: Array<"wire" | "checks">;
  /** The operations it was seen on. */
  operations: string[];
  /** Distinct exchanges that showed it on the wire, plus the checks it failed. */
  occurrences: number;
  /** Checks whose outcome (fail, warn, notice) it accounts for. */
  failed: Array<{ id: string; level: Level; outcome: Outcome }>;
  /** Checks that met it on the wire and were judged on another claim. */
  met: string[];
  /** The words it breaks. */
  words: Citation[];
  /** One sighting that shows it: the check, what happened, and the exchange with its curl line. */
  example: { check: string; message: string; exchange?: ExchangeRecord };
  /** With a baseline: `expected` when the baseline lists it (or every check it failed). */
  baseline?: "expected";
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
  /** With --shard i/n: this report is one part of a split run (see scripts/cli/shard.ts); `merge` makes one report of the parts. */
  shard?: ShardInfo;
  /** A report made by `merge`: the parts it was made of, in order. */
  merged?: MergedShard[];
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
  /** Each figure the checks counted (their `tallies`), summed over the run's checks. */
  tallies?: Record<string, number>;
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
