// The self-tests' one shape for "this check fails when the server breaks what
// it states": the checks pass behind the proxy with no mutant (the base), and
// each named mutant, behind the same proxy, makes each of its checks fail (warn,
// for a SHOULD check: at its own level) or meet a new finding, with evidence. It runs through the engine of `npm run mutants`, so a self-test
// and the mutation score judge a mutant the same way.

import { expect, it } from "vitest";
import { mutatedAll } from "../../scripts/mutants/catalogue";
import { runBaseline, runBehind, type CampaignOptions } from "../../scripts/mutants/engine";
import { outcomeForLevel } from "../../harness/model";

/** Mutants of the catalogue (one, or several that break fields no other of them touches) and the checks that must fail behind them. */
export type KillCase = [mutants: string | string[], checks: string[]];

export interface KillOptions {
  /** The campaign (upstream server, report directory), read when the tests run. */
  campaign: () => CampaignOptions;
  /** The time one test may take. */
  timeoutMs?: number;
}

const list = (m: string | string[]) => (Array.isArray(m) ? m : [m]);

/**
 * Declares the tests of `cases` in the current describe block: one that the
 * checks pass with no mutant, and one per case that they fail behind it.
 * Declared inside `describe.concurrent`, all of them run at once.
 */
export function itKills(cases: KillCase[], opts: KillOptions): void {
  const checks = [...new Set(cases.flatMap(([, c]) => c))];
  const timeout = opts.timeoutMs ?? 200_000;

  it("the checks used below pass against the server behind the proxy with no mutant", { timeout }, async () => {
    const run = await runBaseline("baseline", checks, opts.campaign());
    expect(run.report, run.error).toBeDefined();
    for (const id of checks) {
      const c = run.report!.checks.find((x) => x.id === id);
      expect(c?.outcome, `${id}: ${c?.message} ${JSON.stringify(c?.evidence.notes ?? [])}`).toBe("pass");
      // Nor does it meet a finding on the wire: one behind a mutant is then the mutant's.
      expect(c?.met ?? [], `${id} meets findings with no mutant`).toEqual([]);
    }
  });

  for (const [mutants, expected] of cases) {
    const ids = list(mutants);
    it(`${ids.join(" + ")}: ${expected.join(", ")} fail`, { timeout }, async () => {
      const run = await runBehind(ids.join("+"), mutatedAll(ids.join("+"), ...ids), expected, opts.campaign());
      expect(run.report, run.error).toBeDefined();
      expect(run.code, run.stderr).toBe(1);
      for (const id of expected) {
        const c = run.report!.checks.find((x) => x.id === id);
        // At the check's own level (a MUST check fails, a SHOULD check warns); or, as the engine
        // counts a kill, the check met a finding the base did not have: a wire deviation such as a
        // dropped required field is no check's own claim, and every check that meets it reports it.
        const failed = [c ? outcomeForLevel(c.level) : "fail", "fail"].includes(c?.outcome ?? "");
        const met = (run.report!.findings ?? []).filter((f) => c?.met?.includes(f.id)).map((f) => f.id);
        expect(failed || met.length > 0, `${id}: ${c?.outcome}: ${c?.message}; met no finding`).toBe(true);
        expect(c?.evidence.exchanges.length, id).toBeGreaterThan(0);
      }
    });
  }
}
