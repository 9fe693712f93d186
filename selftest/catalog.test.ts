// The catalog: what `list --json` prints is what runs. Ids are unique and never
// change silently: the snapshot below shows any change of id, level, profile or
// title in review.

import { beforeAll, describe, expect, it } from "vitest";
import { loadContract } from "../harness/contract";
import { specText } from "../harness/citations";
import { LEVELS, PROFILES, type CheckMeta } from "../harness/model";
import { NOT_YET_COVERED } from "../suites/uncovered";
import { runCli } from "./support/cli";

let checks: CheckMeta[];
beforeAll(async () => {
  const r = await runCli(["list", "--json"], { timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  checks = JSON.parse(r.stdout);
});

describe("the catalog", () => {
  it("has checks, each with a unique id of the form AREA-NNN", () => {
    expect(checks.length).toBeGreaterThan(50);
    const ids = checks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Z]{2,5}-[0-9]{3}$/);
  });

  it("gives every check a level, a known profile, a spec reference, a title and operations of the contract", async () => {
    const contract = await loadContract();
    const known = new Set(contract.operations.map((o) => o.key));
    for (const c of checks) {
      expect(LEVELS, c.id).toContain(c.level);
      expect(PROFILES, c.id).toContain(c.profile);
      expect(specText(c.spec).length, c.id).toBeGreaterThan(5);
      expect(c.title.length, c.id).toBeGreaterThan(10);
      expect(c.operations.length, c.id).toBeGreaterThan(0);
      for (const op of c.operations) expect(known.has(op), `${c.id}: ${op} is not an operation of the contract`).toBe(true);
    }
  });

  it("covers every operation of the contract, or lists it in suites/uncovered.ts, and lists nothing covered", async () => {
    const contract = await loadContract();
    const covered = new Set(checks.flatMap((c) => c.operations));
    const ops = contract.operations.map((o) => o.key);
    const silent = ops.filter((op) => !covered.has(op) && !(op in NOT_YET_COVERED));
    expect(silent, "operations with no check that suites/uncovered.ts does not list").toEqual([]);
    const stale = Object.keys(NOT_YET_COVERED).filter((op) => covered.has(op) || !ops.includes(op));
    expect(stale, "suites/uncovered.ts lists operations that are covered, or not in the contract").toEqual([]);
  });

  it("matches the committed snapshot of id -> level, profile, title", async () => {
    const snapshot = Object.fromEntries(checks.map((c) => [c.id, `${c.level} ${c.profile} ${c.title}`]));
    await expect(JSON.stringify(snapshot, null, 2) + "\n").toMatchFileSnapshot("./__snapshots__/catalog.json");
  });
});
