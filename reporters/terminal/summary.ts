// The summary printed at the end of a run: a table by profile with its score,
// then, profile by profile, the checks that did not pass (id, level, title and
// the first line of the message), most severe first; then the verdict.
//
// Text from the target goes through terminalSafe (no escape sequences, one
// line); message lines start with our own marker, so that no line of ours
// begins with text a target chose (a CI log reads commands at line starts).

import { PROFILES } from "../../harness/model";
import { clip, terminalSafe } from "../escape";
import { formatScore, verdictOf } from "../report";
import type { Counts, Report } from "../model";
import { ATTENTION, bySeverity, findingReach, findingsOf, statusOf, STATUS_LABEL, talliesText, type Status } from "../view";
import { checkLine, paint } from "./paint";

const COLUMNS: Array<keyof Counts> = ["total", "pass", "fail", "warn", "notice", "skip", "error"];

export interface SummaryOptions {
  colour?: boolean;
  /** Print the first line of each message under its check (default true). */
  messages?: boolean;
  /** Which statuses to list by profile (default: those that want attention). */
  list?: Status[];
  /** Paths of the written reports. */
  written?: string[];
}

function row(label: string, c: Counts, score: string, width: number): string {
  return label.padEnd(width) + COLUMNS.map((k) => String(c[k]).padStart(7)).join("") + "   " + score;
}

export function formatSummary(report: Report, opts: SummaryOptions = {}): string {
  const p = paint(opts.colour ?? false);
  const list = opts.list ?? ATTENTION;
  const messages = opts.messages ?? true;
  const lines: string[] = [];
  const width = 14;
  lines.push("");
  lines.push(p.bold("profile".padEnd(width) + COLUMNS.map((k) => (k === "total" ? "checks" : k).padStart(7)).join("") + "   score"));
  for (const [name, info] of Object.entries(report.profiles)) {
    lines.push(row(name, info!.counts, info!.score ? formatScore(info!.score) : "", width) + (info!.claimed ? "" : p.dim(`   (not claimed: ${terminalSafe(info!.reason)})`)));
  }
  lines.push(p.bold(row("all", report.summary, report.score ? formatScore(report.score) : "", width)));
  const tallied = talliesText(report);
  if (tallied) lines.push(`Counted by the checks: ${terminalSafe(tallied)}`);

  // The fix list: every finding, most binding first (one line each; the reports have the evidence).
  const findings = findingsOf(report);
  if (findings.length > 0) {
    const c = report.findingCounts;
    lines.push("");
    lines.push(p.bold(`Fix list: ${findings.length} finding(s)${c ? ` (${c.MUST} MUST, ${c.SHOULD} SHOULD, ${c.MAY} MAY)` : ""}, each one cause however many checks meet it`));
    const shown = opts.messages === false ? findings.filter((f) => f.level === "MUST").slice(0, 20) : findings;
    for (const f of shown) {
      const paintF = f.baseline ? p.dim : f.level === "MUST" ? p.red : f.level === "SHOULD" ? p.yellow : p.blue;
      lines.push(`  ${paintF(f.level.padEnd(6))} ${p.bold(f.id)} ${terminalSafe(f.title)}${f.baseline ? p.dim(" (expected by the baseline)") : ""}`);
      lines.push(
        p.dim(
          `           ${terminalSafe(findingReach(f))}${
            f.failed.length
              ? `: ${f.failed
                  .slice(0, 8)
                  .map((x) => x.id)
                  .join(", ")}${f.failed.length > 8 ? ", …" : ""}`
              : ""
          }`,
        ),
      );
    }
    if (shown.length < findings.length) lines.push(p.dim(`  … ${findings.length - shown.length} more in the reports`));
  }

  for (const profile of PROFILES) {
    const mine = report.checks.filter((c) => c.profile === profile && list.includes(statusOf(c))).sort((a, b) => bySeverity(a, b) || a.id.localeCompare(b.id, "en", { numeric: true }));
    if (mine.length === 0) continue;
    const by = new Map<Status, number>();
    for (const c of mine) by.set(statusOf(c), (by.get(statusOf(c)) ?? 0) + 1);
    lines.push("");
    lines.push(p.bold(`${profile}: ${[...by].map(([s, n]) => `${n} ${STATUS_LABEL[s]}`).join(", ")}`));
    for (const c of mine) {
      lines.push(checkLine(c, statusOf(c), p));
      if (messages && c.message) lines.push(p.dim(`           ↳ ${clip(terminalSafe(c.message), 240)}`));
    }
  }
  const expected = report.checks.filter((c) => statusOf(c) === "expected");
  if (expected.length > 0 && !list.includes("expected")) {
    lines.push("", `${expected.length} failure(s) expected by the baseline ${terminalSafe(report.baseline?.file ?? "")}: ${expected.map((c) => c.id).join(", ")}`);
  }
  const phantoms = (report.baseline?.stale ?? []).filter((s) => !report.checks.some((c) => c.id === s.id));
  for (const s of phantoms) lines.push(p.red(`stale baseline entry ${terminalSafe(s.id)}: ${terminalSafe(s.reason)}`));
  for (const pr of report.problems) lines.push(p.magenta(`\nHARNESS ERROR in ${terminalSafe(pr.where)}: ${terminalSafe(pr.message)}`));
  if (report.cleanup.leftovers.length > 0) {
    lines.push("");
    lines.push(`Could not delete ${report.cleanup.leftovers.length} resource(s) the suite created:`);
    for (const l of report.cleanup.leftovers) lines.push(`  ${terminalSafe(l.kind)} ${terminalSafe(l.id)}: ${terminalSafe(l.reason)}`);
  }
  if (report.contract.missingOperations.length > 0) {
    lines.push("");
    lines.push(`The given contract (${report.contract.source}) lacks ${report.contract.missingOperations.length} operation(s) the checks exercise; their responses were not validated:`);
    for (const op of report.contract.missingOperations) lines.push(`  ${op}`);
  }
  if (report.uncovered.length > 0 && messages) {
    lines.push("");
    lines.push(`Not covered by any check (${report.uncovered.length} operation(s) of the contract):`);
    for (const u of report.uncovered) lines.push(`  ${u.operation}: ${u.reason}`);
  }
  const v = report.verdict ?? verdictOf(report);
  lines.push("");
  const paintV = v.exitCode === 0 ? p.green : v.exitCode === 1 ? p.red : p.magenta;
  lines.push(paintV(p.bold(`Verdict: ${v.text}, in ${(report.durationMs / 1000).toFixed(1)} s`)));
  if (opts.written?.length) lines.push(`Reports: ${opts.written.join(", ")}`);
  return lines.join("\n");
}
