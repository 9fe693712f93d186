// The file formats of a run's report, by file name: each renders one finished
// Report and nothing else (a reporter never calls the target nor reads a
// file). Adding a format is one file beside this one and one entry here.

import type { Report } from "../model";
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";

export interface ReportFormat {
  /** The file it writes in --report-dir. */
  file: string;
  render(report: Report): string;
}

export const FORMATS: readonly ReportFormat[] = [
  { file: "report.json", render: renderJson },
  { file: "report.md", render: renderMarkdown },
  { file: "report.html", render: renderHtml },
  { file: "junit.xml", render: renderJunit },
];
