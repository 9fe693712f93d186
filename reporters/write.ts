// The last steps of a run's report: what is derived from the results (scores,
// claims, the baseline's judgement, the verdict), the redaction gate, and the
// four files of --report-dir. Reads results only; never calls the target.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Profile } from "../harness/model";
import type { Claim } from "../harness/run-context";
import { applyBaseline, type Baseline } from "./baseline";
import { buildFindings, findingCounts, findingsOfCheck } from "./findings";
import { renderHtml } from "./html";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import {
  defaultLabel,
  implementationOf,
  profileTable,
  redactReport,
  redactUrl,
  REPORT_FORMAT,
  scoreCard,
  urlSecrets,
  verdictOf,
  writeAtomic,
  type Report,
} from "./report";

export const REPORT_FILES = ["report.json", "report.md", "report.html", "junit.xml"] as const;

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
    ...{ startedAt: report.startedAt, finishedAt: "", durationMs: report.durationMs, selection: report.selection, claims: opts.claims },
    ...{ profiles: report.profiles, summary: report.summary, score: undefined, findingCounts: undefined, verdict: undefined, baseline: undefined, findings: undefined },
    ...report,
    target,
    finishedAt: (opts.finishedAt ?? new Date()).toISOString(),
    claims: opts.claims,
    profiles: profileTable(report.checks, opts.claims),
    score: scoreCard(report.checks),
  };
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

/** Writes report.json, report.md, report.html and junit.xml; returns their paths. */
export async function writeReports(dir: string, report: Report): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: Array<[string, string]> = [
    ["report.json", JSON.stringify(report, null, 2) + "\n"],
    ["report.md", renderMarkdown(report)],
    ["report.html", renderHtml(report)],
    ["junit.xml", renderJunit(report)],
  ];
  const paths: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    await writeAtomic(path, text);
    paths.push(path);
  }
  return paths;
}
