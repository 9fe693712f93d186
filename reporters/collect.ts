// The vitest side of reporting: reads each check's metadata and verdict from
// the finished test cases. Reporters read results only; they never call the target.

import type { Reporter, SerializedError, TestCase, TestModule, TestSpecification } from "vitest/node";
import type { CheckMeta, Outcome, Verdict } from "../harness/model";
import type { CheckResult, Collected, ProgressSink } from "./model";

function firstError(errors: ReadonlyArray<{ message?: string; name?: string }> | undefined): string {
  const e = errors?.[0];
  return e ? `${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message ?? ""}` : "";
}

export function resultOf(tc: TestCase, file: string): CheckResult | undefined {
  const meta = tc.meta();
  const check = meta.check as CheckMeta | undefined;
  if (!check || meta.deselected) return undefined;
  const verdict = meta.verdict as Verdict | undefined;
  if (verdict) return { ...check, ...verdict, file };
  // No verdict: vitest itself stopped the check (its backstop timeout, a crash of the worker).
  const r = tc.result();
  const outcome: Outcome = r.state === "skipped" ? "skip" : "error";
  const message = r.state === "skipped" ? (r.note ?? "skipped") : `harness error: the check ended without a verdict${r.state === "failed" ? ` (${firstError(r.errors)})` : ""}`;
  return { ...check, outcome, message, evidence: { exchanges: [] }, durationMs: Math.round(tc.diagnostic()?.duration ?? 0), file };
}

export class CollectingReporter implements Reporter {
  readonly collected: Collected = { checks: [], problems: [], catalog: [] };
  private root = process.cwd();
  private readonly progress?: ProgressSink;
  private modulesExpected = Infinity;
  private modulesCollected = 0;

  constructor(progress?: ProgressSink | ((done: CheckResult) => void)) {
    this.progress = typeof progress === "function" ? { check: progress } : progress;
  }

  onInit(vitest: { config: { root: string } }) {
    this.root = vitest.config.root;
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>) {
    this.modulesExpected = specifications.length;
    this.progress?.files?.(specifications.map((s) => this.rel(s.moduleId)));
  }

  onTestModuleEnd(mod: TestModule) {
    this.progress?.fileEnded?.(this.rel(mod.moduleId));
  }

  // Files are collected as they start: the planned counts grow until every one is.
  onTestModuleCollected(mod: TestModule) {
    const planned: CheckMeta[] = [];
    for (const tc of mod.children.allTests()) {
      const meta = tc.meta();
      if (meta.check && !meta.deselected) planned.push(meta.check as CheckMeta);
    }
    this.progress?.planned?.(planned);
    if (++this.modulesCollected >= this.modulesExpected) this.progress?.allPlanned?.();
  }

  onTestCaseResult(tc: TestCase) {
    const r = resultOf(tc, this.rel(tc.module.moduleId));
    if (r) this.progress?.check(r);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>) {
    this.progress?.end?.();
    for (const mod of modules) {
      const file = this.rel(mod.moduleId);
      for (const e of mod.errors()) this.collected.problems.push({ where: file, message: firstError([e]) });
      for (const tc of mod.children.allTests()) {
        const meta = tc.meta().check as CheckMeta | undefined;
        if (meta) this.collected.catalog.push(meta);
        const r = resultOf(tc, file);
        if (r) this.collected.checks.push(r);
      }
    }
    for (const e of unhandled) this.collected.problems.push({ where: "run", message: firstError([e]) });
  }

  private rel(path: string): string {
    return path.startsWith(this.root) ? path.slice(this.root.length + 1) : path;
  }
}
