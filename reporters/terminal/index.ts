// The terminal styles of --reporter, by name: what the run prints while it goes
// (a progress mode) and the summary at its end. Adding a style is one file
// beside this one and one entry here, as vitest's reporters are a name map.

import type { ProgressSink, Report } from "../model";
import { github } from "./github";
import { createProgress, type ProgressOptions, type ProgressMode } from "./progress";
import { formatSummary, type SummaryOptions } from "./summary";
import { ATTENTION } from "../view";

export interface TerminalStyle {
  /** What --help says of it. */
  description: string;
  progress: ProgressMode;
  summary(report: Report, opts: SummaryOptions): string;
}

export const TERMINAL_STYLES = {
  default: {
    description: "a status line on a terminal (a line per profile in a log), each check that does not pass as it ends, then the summary",
    progress: "lines",
    summary: formatSummary,
  },
  dots: {
    description: "one character per check, then the summary",
    progress: "dots",
    summary: formatSummary,
  },
  quiet: {
    description: "nothing while the run goes; then the score, the MUST findings and the failures",
    progress: "none",
    summary: (report, opts) => formatSummary(report, { ...opts, messages: false, list: ATTENTION.filter((s) => s !== "warn" && s !== "notice") }),
  },
  github,
} satisfies Record<string, TerminalStyle>;

export type ReporterName = keyof typeof TERMINAL_STYLES;
export const REPORTERS = Object.keys(TERMINAL_STYLES) as ReporterName[];

/** The progress sink of a style. */
export function progressOf(name: ReporterName, opts: Omit<ProgressOptions, "mode">): ProgressSink {
  return createProgress({ ...opts, mode: TERMINAL_STYLES[name].progress });
}
