// The files of --report-dir: every format of reporters/formats/ rendered from
// one finished Report and written whole (a reader never sees half a file).

import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FORMATS, type ReportFormat } from "./formats";
import type { Report } from "./model";

/** Writes a file whole or not at all: a reader never sees half a report. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** Writes each format of the report to `dir`; returns their paths, report.json first. */
export async function writeReports(dir: string, report: Report, formats: readonly ReportFormat[] = FORMATS): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const f of formats) {
    const path = join(dir, f.file);
    await writeAtomic(path, f.render(report));
    paths.push(path);
  }
  return paths;
}
