// `langgraph-conformance list`: the catalog, from the same declarations that run.

import { loadContract, normalizeOperation } from "../../harness/contract";
import type { CheckMeta, Profile } from "../../harness/model";
import { NOT_YET_COVERED } from "../../suites/uncovered";
import { specText } from "../../harness/citations";
import { PROFILES } from "../../harness/model";
import { collectSuites } from "./vitest-runner";

export interface CatalogProblem {
  file: string;
  message: string;
}

export async function catalog(): Promise<{ checks: CheckMeta[]; problems: CatalogProblem[] }> {
  const modules = await collectSuites();
  const checks: CheckMeta[] = [];
  const problems: CatalogProblem[] = [];
  for (const mod of modules) {
    for (const e of mod.errors()) problems.push({ file: mod.moduleId, message: e.message ?? String(e) });
    for (const tc of mod.children.allTests()) {
      const meta = tc.meta().check as CheckMeta | undefined;
      if (meta) checks.push(meta);
    }
  }
  const seen = new Map<string, CheckMeta>();
  for (const c of checks) {
    if (seen.has(c.id)) problems.push({ file: "", message: `check id ${c.id} is used twice ('${seen.get(c.id)!.title}' and '${c.title}')` });
    seen.set(c.id, c);
  }
  const order = (p: Profile) => PROFILES.indexOf(p);
  checks.sort((a, b) => order(a.profile) - order(b.profile) || a.id.localeCompare(b.id, "en", { numeric: true }));
  return { checks, problems };
}

export function formatCatalog(checks: CheckMeta[]): string {
  return checks.map((c) => `${c.id.padEnd(9)} ${c.level.padEnd(6)} ${c.profile.padEnd(11)} ${c.title}\n${" ".repeat(28)}${c.operations.join(", ")}  [${specText(c.spec)}]`).join("\n");
}

export interface OperationCoverage {
  operation: string;
  profile?: string;
  checks: string[];
  /** Why no check exercises it yet (suites/uncovered.ts). */
  uncovered?: string;
}

/** Each operation of the contract with the checks that exercise it. */
export async function coverage(checks: CheckMeta[], contractSource?: string): Promise<OperationCoverage[]> {
  const contract = await loadContract(contractSource);
  return contract.operations.map((op) => {
    const key = normalizeOperation(op.key);
    const ids = checks.filter((c) => c.operations.some((o) => normalizeOperation(o) === key)).map((c) => c.id);
    return {
      operation: op.key,
      ...(op.profile ? { profile: op.profile } : {}),
      checks: ids,
      ...(ids.length === 0 ? { uncovered: NOT_YET_COVERED[op.key] ?? "no check, and no reason given" } : {}),
    };
  });
}

export function formatCoverage(rows: OperationCoverage[]): string {
  const width = Math.max(...rows.map((r) => r.operation.length));
  return rows.map((r) => `${r.operation.padEnd(width)}  ${r.checks.length ? r.checks.join(" ") : `(not covered: ${r.uncovered})`}`).join("\n");
}
