// Baselines: the check ids known to fail on a target. A listed check that does
// not pass is reported as expected and does not fail the run; a listed check
// that passes is stale and fails the run, so a baseline can only shrink.
//
// The file is plain text, one check id per line, so that it reads and diffs
// well in review next to an implementation:
//
//   # langgraph-conformance baseline          <- '#' starts a comment, anywhere
//   AST-004   # the server answers 200, not 409
//   SYS-003
//
// Blank lines are ignored; anything else on a line than one id (and a comment)
// is an error, reported with its line number.

import { readFile } from "node:fs/promises";
import { UsageError } from "../harness/target";
import type { BaselineSummary, Report } from "./report";
import { writeAtomic } from "./report";

export const CHECK_ID = /^[A-Z]{2,5}-[0-9]{3}$/;

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
    if (/\s/.test(content)) throw new UsageError(`baseline ${file}, line ${i + 1}: '${shown}' holds more than one word (one check id per line, '#' for comments)`);
    if (!CHECK_ID.test(content)) throw new UsageError(`baseline ${file}, line ${i + 1}: '${shown}' is not a check id (expected e.g. AST-004; one id per line, '#' for comments)`);
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

/**
 * Marks the report's checks against the baseline: listed and not passing is
 * `expected`, listed and passing is `stale`. A listed id that is no check of
 * this suite is stale too (a typo would otherwise never match). Listed checks
 * that did not run to a verdict (left out by a filter, skipped, a harness
 * error) are judged neither way.
 */
export function applyBaseline(report: Report, baseline: Baseline, catalogIds: string[]): Report {
  const listed = new Set(baseline.ids);
  const known = new Set(catalogIds);
  const summary: BaselineSummary = { file: baseline.file, entries: baseline.ids.length, expected: [], stale: [], notRun: [] };
  const checks = report.checks.map((c) => {
    if (!listed.has(c.id)) return c;
    if (c.outcome === "pass") {
      summary.stale.push({ id: c.id, reason: "listed in the baseline, but the check passes: remove its line" });
      return { ...c, baseline: "stale" as const };
    }
    if (c.outcome === "fail" || c.outcome === "warn" || c.outcome === "notice") {
      summary.expected.push(c.id);
      return { ...c, baseline: "expected" as const };
    }
    summary.notRun.push(c.id);
    return c;
  });
  const inRun = new Set(report.checks.map((c) => c.id));
  for (const id of baseline.ids) {
    if (inRun.has(id)) continue;
    if (!known.has(id)) summary.stale.push({ id, reason: `listed in the baseline, but no check of suite ${report.suite.version} has this id: remove its line` });
    else summary.notRun.push(id);
  }
  return { ...report, checks, baseline: summary };
}

/**
 * The baseline a run implies: every check whose outcome is fail. Warnings and
 * notices never fail a run, so listing them would only make entries go stale.
 * Entries of `previous` for checks this run did not judge (left out by a
 * filter, skipped, a harness error) are kept: a partial run does not forget
 * what it did not see.
 */
export function baselineFromReport(report: Report, previous?: Baseline): Baseline {
  const judged = new Set(report.checks.filter((c) => c.outcome !== "skip" && c.outcome !== "error").map((c) => c.id));
  const comments: Record<string, string> = {};
  const ids: string[] = [];
  for (const c of report.checks) {
    if (c.outcome !== "fail") continue;
    ids.push(c.id);
    comments[c.id] = previous?.comments[c.id] ?? `[${c.level}] ${c.title}`;
  }
  for (const id of previous?.ids ?? []) {
    if (judged.has(id) || ids.includes(id)) continue;
    ids.push(id);
    comments[id] = previous!.comments[id] ?? "kept: this run did not judge it";
  }
  const order = new Map(report.checks.map((c, i) => [c.id, i]));
  ids.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || a.localeCompare(b, "en", { numeric: true }));
  return { file: previous?.file ?? "", ids, comments };
}

export function formatBaseline(b: Baseline, report: Pick<Report, "target" | "runId" | "startedAt" | "suite" | "contract">): string {
  const width = Math.max(0, ...b.ids.map((id) => id.length));
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");
  const lines = [
    "# langgraph-conformance baseline: checks known to fail on a target.",
    "# A listed check that fails is reported as expected and does not fail the run;",
    "# a listed check that passes is stale and fails the run: remove its line.",
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
