// The summary for GitHub Actions: annotations, then the summary with workflow
// commands switched off, so that nothing a target sent is read as one.

import { randomBytes } from "node:crypto";
import type { Report } from "../model";
import { bySeverity, findingReach, findingsOf, statusOf } from "../view";
import { formatSummary, type SummaryOptions } from "./summary";

/** GitHub's workflow commands: data escapes %, CR and LF; properties also : and ,. */
function ghData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function ghProp(s: string): string {
  return ghData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * The summary for GitHub Actions: one annotation per check that fails the run
 * (error), warns (warning) or notes (notice), then the human summary with
 * workflow commands switched off, so that nothing a target sent is read as one.
 */
export function formatGithub(report: Report, opts: SummaryOptions & { token: string }): string {
  const out: string[] = [];
  const annotate = (kind: "error" | "warning" | "notice", title: string, message: string) =>
    out.push(`::${kind} title=${ghProp(title)}::${ghData(message.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "?"))}`);
  // One annotation per finding (a cause, however many checks it fails), then what is the suite's or the baseline's.
  for (const f of findingsOf(report)) {
    if (f.baseline) continue;
    const kind = f.level === "MUST" ? "error" : f.level === "SHOULD" ? "warning" : "notice";
    annotate(
      kind,
      `${f.id} [${f.level}] ${f.title}`,
      `${findingReach(f)}${f.failed.length ? `; checks: ${f.failed.map((c) => c.id).join(", ")}` : ""}; e.g. ${f.example.check}: ${f.example.message}`.slice(0, 4000),
    );
  }
  for (const c of [...report.checks].sort(bySeverity)) {
    const s = statusOf(c);
    const title = `${c.id} [${c.level}] ${c.title}`;
    if (s === "error") annotate("error", `harness error: ${title}`, c.message.slice(0, 4000));
    else if (s === "stale")
      annotate("error", `stale baseline entry: ${c.id}`, `${c.id} passes but the baseline lists it as a known failure: remove its line from ${report.baseline?.file ?? "the baseline"}`);
  }
  for (const s of (report.baseline?.stale ?? []).filter((x) => !report.checks.some((c) => c.id === x.id))) annotate("error", `stale baseline entry: ${s.id}`, s.reason);
  for (const pr of report.problems) annotate("error", `harness error in ${pr.where}`, pr.message);
  out.push(`::stop-commands::${opts.token}`);
  out.push(formatSummary(report, { ...opts, colour: opts.colour ?? false }));
  out.push(`::${opts.token}::`);
  return out.join("\n");
}

/** The `github` terminal style: progress as `default` in a log, then the annotations and the summary. */
export const github = {
  description: "as default in a log, then one annotation per finding for GitHub Actions, and workflow commands off for the rest",
  progress: "lines" as const,
  summary: (report: Report, opts: SummaryOptions) => formatGithub(report, { ...opts, token: `lgc-${randomBytes(8).toString("hex")}` }),
};
