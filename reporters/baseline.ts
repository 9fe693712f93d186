// Baselines: what is known to be wrong with a target, as finding ids (a cause,
// stable across runs, seeds and releases while the cause is the same) or check
// ids. A listed finding or check that is seen again is reported as expected
// and does not fail the run; one no longer seen is stale and fails the run, so
// a baseline can only shrink.
//
// The file is plain text, one id per line, so that it reads and diffs well in
// review next to an implementation:
//
//   # langgraph-conformance baseline          <- '#' starts a comment, anywhere
//   F-1a2b3c4d  # [MUST] Error responses are sent as text/plain, not application/json
//   AST-004     # the server answers 200, not 409
//
// Blank lines are ignored; anything else on a line than one id (and a comment)
// is an error, reported with its line number.

import { readFile } from "node:fs/promises";
import { UsageError } from "../harness/target";
import type { BaselineSummary, Report } from "./model";
import { writeAtomic } from "./write";

export const CHECK_ID = /^[A-Z]{2,5}-[0-9]{3}$/;
export const FINDING_ID = /^F-[0-9a-f]{8}$/;

export interface Baseline {
  file: string;
  /** Ids in file order, without duplicates. */
  ids: string[];
  /** The comment after each id, when it has one. */
  comments: Record<string, string>;
}

export function parseBaseline(text: string, file: string): Baseline {
  const ids: string[] = [];
  const comments: Record<string, string> = {};
  if (text.includes("\0")) throw new UsageError(`baseline ${file}: not a text file`);
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, i) => {
    const hash = raw.indexOf("#");
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (!content) return;
    const shown = content.length > 40 ? `${content.slice(0, 40)}…` : content;
    if (/\s/.test(content)) throw new UsageError(`baseline ${file}, line ${i + 1}: '${shown}' holds more than one word (one finding or check id per line, '#' for comments)`);
    if (!CHECK_ID.test(content) && !FINDING_ID.test(content)) {
      throw new UsageError(`baseline ${file}, line ${i + 1}: '${shown}' is neither a finding id (e.g. F-1a2b3c4d) nor a check id (e.g. AST-004); one id per line, '#' for comments`);
    }
    if (!ids.includes(content)) ids.push(content);
    if (hash >= 0 && raw.slice(hash + 1).trim()) comments[content] = raw.slice(hash + 1).trim();
  });
  return { file, ids, comments };
}

export async function readBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the baseline ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message}`);
  }
  return parseBaseline(text, file);
}

/** Whether the run judged every check: no filter, and not one part of a split run (--shard). */
export function isComplete(report: Pick<Report, "selection" | "shard">): boolean {
  return !report.shard && !report.selection.ids?.length && !report.selection.profiles?.length && !report.selection.levels?.length;
}

/**
 * Marks the report against the baseline. A listed finding that is seen again
 * is expected, and so is every check it failed; a listed check that did not
 * pass is expected; a finding whose failed checks are all listed (and that
 * nothing but those checks showed) is expected too, so a baseline of check ids
 * keeps working. A listed check that passes is stale, and so is a listed id
 * that is no check of this suite, or a finding this run did not see although
 * it judged every check; listed checks that did not run to a verdict, and
 * findings a partial run could have missed, are judged neither way.
 */
export function applyBaseline(report: Report, baseline: Baseline, catalogIds: string[]): Report {
  const listed = new Set(baseline.ids);
  const known = new Set(catalogIds);
  const summary: BaselineSummary = {
    file: baseline.file,
    entries: baseline.ids.length,
    ...(report.shard ? { ids: [...baseline.ids] } : {}),
    expected: [],
    expectedFindings: [],
    stale: [],
    notRun: [],
  };
  const findings = (report.findings ?? []).map((f) => {
    const byChecks = f.failed.length > 0 && f.seenBy.length === 1 && f.failed.every((c) => listed.has(c.id));
    if (!listed.has(f.id) && !byChecks) return f;
    summary.expectedFindings!.push(f.id);
    return { ...f, baseline: "expected" as const };
  });
  const expectedBy = new Map(findings.filter((f) => f.baseline === "expected").flatMap((f) => f.failed.map((c) => [c.id, f.id] as const)));
  const checks = report.checks.map((c) => {
    const notPassed = c.outcome === "fail" || c.outcome === "warn" || c.outcome === "notice";
    if (listed.has(c.id) && c.outcome === "pass") {
      summary.stale.push({ id: c.id, reason: "listed in the baseline, but the check passes: remove its line" });
      return { ...c, baseline: "stale" as const };
    }
    if (notPassed && (listed.has(c.id) || expectedBy.has(c.id))) {
      if (listed.has(c.id)) summary.expected.push(c.id);
      return { ...c, baseline: "expected" as const };
    }
    if (listed.has(c.id)) summary.notRun.push(c.id);
    return c;
  });
  const inRun = new Set(report.checks.map((c) => c.id));
  const seen = new Set(findings.map((f) => f.id));
  const complete = isComplete(report);
  for (const id of baseline.ids) {
    if (FINDING_ID.test(id)) {
      if (seen.has(id)) continue;
      if (complete) summary.stale.push({ id, reason: "listed in the baseline, but this run, which judged every check, did not see it: remove its line" });
      else summary.notRun.push(id);
      continue;
    }
    if (inRun.has(id)) continue;
    // A shard knows its own files' checks only: whether another part has the id is for `merge` to say.
    if (!known.has(id) && !report.shard) summary.stale.push({ id, reason: `listed in the baseline, but no check of suite ${report.suite.version} has this id: remove its line` });
    else summary.notRun.push(id);
  }
  return { ...report, checks, findings, baseline: summary };
}

/**
 * The baseline a run implies: every MUST finding, by id (the checks it failed
 * are expected with it). SHOULD and MAY findings never fail a run, so listing
 * them would only make entries go stale. Entries of `previous` this run could
 * not judge (checks left out by a filter, skipped, a harness error; findings of
 * a partial run) are kept: a partial run does not forget what it did not see.
 */
export function baselineFromReport(report: Report, previous?: Baseline): Baseline {
  const judged = new Set(report.checks.filter((c) => c.outcome !== "skip" && c.outcome !== "error").map((c) => c.id));
  const complete = isComplete(report);
  const comments: Record<string, string> = {};
  const ids: string[] = [];
  if (report.findings) {
    for (const f of report.findings) {
      if (f.level !== "MUST") continue;
      ids.push(f.id);
      comments[f.id] = previous?.comments[f.id] ?? `[MUST] ${f.title} (${f.failed.length} check(s) failed)`;
    }
  } else {
    for (const c of report.checks) {
      if (c.outcome !== "fail") continue;
      ids.push(c.id);
      comments[c.id] = previous?.comments[c.id] ?? `[${c.level}] ${c.title}`;
    }
  }
  for (const id of previous?.ids ?? []) {
    if (ids.includes(id)) continue;
    if (FINDING_ID.test(id) ? complete : judged.has(id)) continue;
    ids.push(id);
    comments[id] = previous!.comments[id] ?? "kept: this run did not judge it";
  }
  return { file: previous?.file ?? "", ids, comments };
}

export function formatBaseline(b: Baseline, report: Pick<Report, "target" | "runId" | "startedAt" | "suite" | "contract">): string {
  const width = Math.max(0, ...b.ids.map((id) => id.length));
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");
  const lines = [
    "# langgraph-conformance baseline: what is known to be wrong with a target.",
    "# One finding id (F-…, a cause, stable across runs) or check id per line.",
    "# A listed finding or check seen again is expected and does not fail the run;",
    "# one no longer seen is stale and fails the run: remove its line.",
    `# Written by --update-baseline from run ${report.runId} (${report.startedAt}) against ${oneLine(report.target.label ?? report.target.url)},`,
    `# suite ${report.suite.version}, contract ${report.contract.version}.`,
    "",
    ...b.ids.map((id) => (b.comments[id] ? `${id.padEnd(width)}  # ${oneLine(b.comments[id]!)}` : id)),
  ];
  return `${lines.join("\n")}\n`;
}

export async function writeBaseline(file: string, b: Baseline, report: Report): Promise<void> {
  try {
    await writeAtomic(file, formatBaseline(b, report));
  } catch (e) {
    throw new UsageError(`cannot write the baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
