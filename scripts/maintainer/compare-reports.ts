// Compares two reports check for check: the same check ids, each with the same
// outcome. Used to show that the reference server in a container (--image)
// gets the verdicts the embedded one gets. Messages are not compared: they
// carry ids, times and URLs that differ from run to run.
//
// Usage: node --import tsx scripts/maintainer/compare-reports.ts A/report.json B/report.json
// Exit code: 0 the same, 1 a difference (each printed on one line), 2 a file is unreadable.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Report } from "../../reporters/model";

export interface Difference {
  id: string;
  a?: string;
  b?: string;
  /** The message of the side whose outcome is not a pass, to say why. */
  why?: string;
}

export function compareReports(a: Pick<Report, "checks">, b: Pick<Report, "checks">): Difference[] {
  const outcomes = (r: Pick<Report, "checks">) => new Map(r.checks.map((c) => [c.id, c.outcome as string]));
  const messages = (r: Pick<Report, "checks">) => new Map(r.checks.map((c) => [c.id, c.message ?? ""]));
  const ma = outcomes(a);
  const mb = outcomes(b);
  const msgA = messages(a);
  const msgB = messages(b);
  const ids = [...new Set([...ma.keys(), ...mb.keys()])].sort();
  const diffs: Difference[] = [];
  for (const id of ids) {
    const oa = ma.get(id);
    const ob = mb.get(id);
    if (oa === ob) continue;
    const why = (ob && ob !== "pass" ? msgB.get(id) : oa && oa !== "pass" ? msgA.get(id) : "") ?? "";
    diffs.push({ id, ...(oa ? { a: oa } : {}), ...(ob ? { b: ob } : {}), ...(why ? { why: why.slice(0, 500) } : {}) });
  }
  return diffs;
}

export function formatDifference(d: Difference, nameA = "A", nameB = "B"): string {
  return `${d.id}: ${nameA} ${d.a ?? "(absent)"}, ${nameB} ${d.b ?? "(absent)"}${d.why ? ` (${d.why})` : ""}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [pa, pb] = process.argv.slice(2);
  if (!pa || !pb) {
    process.stderr.write("usage: compare-reports A/report.json B/report.json\n");
    process.exit(2);
  }
  let a: Report, b: Report;
  try {
    a = JSON.parse(readFileSync(pa, "utf8"));
    b = JSON.parse(readFileSync(pb, "utf8"));
  } catch (e) {
    process.stderr.write(`compare-reports: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const diffs = compareReports(a, b);
  for (const d of diffs) process.stdout.write(`${formatDifference(d, pa, pb)}\n`);
  process.stdout.write(
    diffs.length === 0
      ? `compare-reports: the same ${a.checks.length} checks with the same outcomes (${a.target.startedBy} vs ${b.target.startedBy})\n`
      : `compare-reports: ${diffs.length} check(s) differ\n`,
  );
  process.exit(diffs.length === 0 ? 0 : 1);
}
