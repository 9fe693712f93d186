// report.json: what a run found, in one document that people and tools read.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SweepResult } from "../harness/cleanup";
import { OUTCOMES, PROFILES, type Outcome, type Profile } from "../harness/model";
import type { Claim, Selection } from "../harness/run-context";
import type { CheckResult, HarnessProblem } from "./collect";

export type Counts = Record<Outcome, number> & { total: number };

export interface Report {
  suite: { name: string; version: string };
  contract: { source: string; title: string; version: string };
  target: {
    url: string;
    /** How the target came to be: given by URL, or started by the suite. */
    startedBy: "url" | "embedded" | "container";
    /** What the suite started, when it started it. */
    started?: string;
    /** What the target declares about itself in GET /info. */
    declared?: Record<string, unknown>;
  };
  runId: string;
  seed: number;
  startedAt: string;
  durationMs: number;
  selection: Selection;
  profiles: Partial<Record<Profile, Claim & { counts: Counts }>>;
  summary: Counts;
  checks: CheckResult[];
  /** Harness errors that belong to no single check. */
  problems: HarnessProblem[];
  cleanup: SweepResult;
  /** Operations of the contract that no check of the catalog exercises, and why. */
  uncovered: Array<{ operation: string; reason: string }>;
}

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

export function orderChecks(checks: CheckResult[]): CheckResult[] {
  const p = (x: CheckResult) => PROFILES.indexOf(x.profile);
  return [...checks].sort((a, b) => p(a) - p(b) || a.id.localeCompare(b.id, "en", { numeric: true }));
}

export function profileTable(checks: CheckResult[], claims: Partial<Record<Profile, Claim>>): Report["profiles"] {
  const out: Report["profiles"] = {};
  for (const p of PROFILES) {
    const mine = checks.filter((c) => c.profile === p);
    if (mine.length === 0) continue;
    out[p] = { ...(claims[p] ?? { claimed: true, reason: "" }), counts: count(mine) };
  }
  return out;
}

/** 0: no MUST broken; 1: a MUST broken; 2: the harness broke (the verdict cannot be trusted). */
export function exitCodeOf(report: Pick<Report, "summary" | "problems">): 0 | 1 | 2 {
  if (report.summary.error > 0 || report.problems.length > 0) return 2;
  return report.summary.fail > 0 ? 1 : 0;
}

/** Contract operations no check exercises, with the reason given in suites/uncovered.ts. */
export function uncoveredOperations(operations: string[], catalog: Array<{ operations: string[] }>, reasons: Record<string, string>): Report["uncovered"] {
  const covered = new Set(catalog.flatMap((c) => c.operations));
  return operations
    .filter((op) => !covered.has(op))
    .map((operation) => ({ operation, reason: reasons[operation] ?? "no check exercises it, and suites/uncovered.ts does not say why" }));
}

export async function writeReportJson(dir: string, report: Report): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, "report.json");
  await writeFile(path, JSON.stringify(report, null, 2) + "\n");
  return path;
}
