// How the check wrapper turns what happened into an outcome.

import { describe, expect, it } from "vitest";
import { classify } from "../harness/check";
import { CheckFailure } from "../harness/expect";
import { TransportError } from "../harness/http";
import type { CheckMeta, WireViolation } from "../harness/model";

const meta = (level: CheckMeta["level"]): CheckMeta => ({ id: "T-001", level, profile: "system", operations: [], spec: [{ source: "contract", section: "selftest" }], title: "" });
const violation: WireViolation = { kind: "schema", message: "GET /ok 200 body does not match the contract" };
const record = { phase: "check" as const, request: { method: "GET", url: "u", headers: {} }, curl: "", startedAt: "", durationMs: 0, violations: [] };

describe("outcomes", () => {
  it("passes when nothing went wrong", () => {
    expect(classify(meta("MUST"), undefined, []).outcome).toBe("pass");
  });

  it("reports a broken requirement at the check's level", () => {
    expect(classify(meta("MUST"), new CheckFailure("no"), []).outcome).toBe("fail");
    expect(classify(meta("SHOULD"), new CheckFailure("no"), []).outcome).toBe("warn");
    expect(classify(meta("MAY"), new CheckFailure("no"), []).outcome).toBe("notice");
  });

  it("fails any check that received a response breaking the contract's schemas", () => {
    const r = classify(meta("MAY"), undefined, [violation]);
    expect(r.outcome).toBe("fail");
    expect(r.message).toContain("does not match the contract");
    expect(classify(meta("SHOULD"), new CheckFailure("also this"), [violation]).outcome).toBe("fail");
  });

  it("treats a target that does not answer as the target's failure", () => {
    expect(classify(meta("SHOULD"), new TransportError("GET u: no complete response within 10 ms", record), []).outcome).toBe("warn");
  });

  it("treats a crash of the check as a harness error, unless the target broke the contract first", () => {
    const crash = new TypeError("Cannot read properties of undefined (reading 'x')");
    const alone = classify(meta("MUST"), crash, []);
    expect(alone.outcome).toBe("error");
    expect(alone.message).toMatch(/^harness error: TypeError/);
    expect(classify(meta("MUST"), crash, [violation]).outcome).toBe("fail");
  });

  it("lets a violation in a prerequisite exchange be judged by the checks of its operation, not this one", () => {
    const prerequisite = [{ ...violation, operation: "POST /threads/{thread_id}/runs/wait" }];
    expect(classify(meta("MUST"), undefined, [], undefined, prerequisite).outcome).toBe("pass");
    // ...but a check that could not go on because of it fails, at its level, and says why.
    const r = classify(meta("SHOULD"), new TypeError("x is undefined"), [], undefined, prerequisite);
    expect(r.outcome).toBe("warn");
    expect(r.message).toMatch(/prerequisite answer broke the contract/);
  });

  it("counts vitest/chai assertion errors as failures of the target", () => {
    const e = new Error("expected 1 to be 2");
    e.name = "AssertionError";
    expect(classify(meta("MUST"), e, []).outcome).toBe("fail");
  });
});
