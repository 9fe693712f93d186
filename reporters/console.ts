// The summary printed at the end of a run: a table by profile, then the checks
// that did not pass, most severe first.

import type { Outcome } from "../harness/model";
import { exitCodeOf, type Counts, type Report } from "./report";

const COLUMNS: Array<keyof Counts> = ["total", "pass", "fail", "warn", "notice", "skip", "error"];
const ORDER: Outcome[] = ["error", "fail", "warn", "notice"];

function row(label: string, c: Counts, width: number): string {
  return label.padEnd(width) + COLUMNS.map((k) => String(c[k]).padStart(k === "total" ? 7 : 7)).join("");
}

export function formatSummary(report: Report): string {
  const lines: string[] = [];
  const width = 14;
  lines.push("");
  lines.push("profile".padEnd(width) + COLUMNS.map((k) => (k === "total" ? "checks" : k).padStart(7)).join(""));
  for (const [p, info] of Object.entries(report.profiles)) {
    lines.push(row(p, info!.counts, width) + (info!.claimed ? "" : "   (not claimed)"));
  }
  lines.push(row("all", report.summary, width));
  for (const outcome of ORDER) {
    const list = report.checks.filter((c) => c.outcome === outcome);
    if (list.length === 0) continue;
    lines.push("");
    lines.push(`${outcome.toUpperCase()} (${list.length})`);
    for (const c of list) lines.push(`  ${c.id} [${c.level}] ${c.title}\n      ${c.message.split("\n")[0]}`);
  }
  for (const p of report.problems) lines.push(`\nHARNESS ERROR in ${p.where}: ${p.message}`);
  if (report.cleanup.leftovers.length > 0) {
    lines.push("");
    lines.push(`Could not delete ${report.cleanup.leftovers.length} resource(s) the suite created:`);
    for (const l of report.cleanup.leftovers) lines.push(`  ${l.kind} ${l.id}: ${l.reason}`);
  }
  if (report.contract.missingOperations.length > 0) {
    lines.push("");
    lines.push(`The given contract (${report.contract.source}) lacks ${report.contract.missingOperations.length} operation(s) the checks exercise; their responses were not validated:`);
    for (const op of report.contract.missingOperations) lines.push(`  ${op}`);
  }
  if (report.uncovered.length > 0) {
    lines.push("");
    lines.push(`Not covered by any check (${report.uncovered.length} operation(s) of the contract):`);
    for (const u of report.uncovered) lines.push(`  ${u.operation}: ${u.reason}`);
  }
  const code = exitCodeOf(report);
  lines.push("");
  lines.push(
    code === 0
      ? `Verdict: no MUST check failed (${report.summary.pass}/${report.summary.total} passed) in ${(report.durationMs / 1000).toFixed(1)} s`
      : code === 1
        ? `Verdict: ${report.summary.fail} MUST check(s) failed, in ${(report.durationMs / 1000).toFixed(1)} s`
        : `Verdict: the harness broke (${report.summary.error} check error(s), ${report.problems.length} other problem(s)); the results are incomplete`,
  );
  return lines.join("\n");
}
