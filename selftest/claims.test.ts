// Which profiles a target claims: from what GET /info declares, overridden by
// --claim and --disclaim. A profile not claimed is reported "not claimed",
// with the reason, never as failures.

import { describe, expect, it } from "vitest";
import { CRONS_DECLARED_OFF, MCP_ABSENT, decideClaims } from "../harness/target";

describe("decideClaims", () => {
  it("follows flags.crons: false is not claimed, true is claimed, each with the reason", () => {
    expect(decideClaims({ flags: { crons: false } }, {}).crons).toEqual({ claimed: false, reason: CRONS_DECLARED_OFF });
    expect(decideClaims({ flags: { crons: true } }, {}).crons).toEqual({ claimed: true, reason: "GET /info declares flags.crons = true" });
  });

  it("claims crons when GET /info says nothing of them, and says so", () => {
    for (const info of [undefined, {}, { flags: {} }, { flags: { crons: "yes" } }]) {
      const c = decideClaims(info, {}).crons!;
      expect(c.claimed).toBe(true);
      expect(c.reason).toMatch(/does not declare flags\.crons/);
    }
  });

  it("claims mcp (nothing in GET /info declares it) unless --disclaim mcp", () => {
    expect(decideClaims({ flags: { crons: false } }, {}).mcp).toMatchObject({ claimed: true, reason: expect.stringMatching(/--disclaim mcp/) });
    // A target whose POST /mcp/ answers 404 has no endpoint: not offered, as crons are.
    expect(decideClaims({}, {}, { mcp: false }).mcp).toEqual({ claimed: false, reason: MCP_ABSENT });
    expect(decideClaims({}, { claim: ["mcp"] }, { mcp: false }).mcp).toEqual({ claimed: true, reason: "claimed with --claim" });
    expect(decideClaims({}, { disclaim: ["mcp"] }).mcp).toEqual({ claimed: false, reason: "not claimed, by --disclaim" });
  });

  it("lets --claim and --disclaim override what the target declares", () => {
    expect(decideClaims({ flags: { crons: false } }, { claim: ["crons"] }).crons).toEqual({ claimed: true, reason: "claimed with --claim" });
    expect(decideClaims({ flags: { crons: true } }, { disclaim: ["crons"] }).crons).toEqual({ claimed: false, reason: "not claimed, by --disclaim" });
  });

  it("claims the core profiles whatever GET /info says", () => {
    const c = decideClaims({ flags: { crons: false } }, {});
    for (const p of ["system", "threads", "store", "runs"] as const) expect(c[p]?.claimed, p).toBe(true);
  });
});
