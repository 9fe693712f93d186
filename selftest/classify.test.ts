// How the check wrapper turns what happened into an outcome.

import { describe, expect, it } from "vitest";
import { classify } from "../harness/check";
import { CheckFailure } from "../harness/expect";
import { TransportError } from "../harness/http";
import type { CheckMeta, WireViolation } from "../harness/model";

const meta = (level: CheckMeta["level"]): CheckMeta => ({ id: "T-001", level, profile: "system", operations: [], spec: [{ source: "contract", section: "selftest" }], title: "" });
const violation: WireViolation = {
  kind: "schema",
  message: "GET /ok 200 body does not match the contract",
  signature: "schema Health/ok const",
  title: "Health answers break Health/ok",
  level: "MUST",
};
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

  it("never fails a check on a wire violation alone: the check is judged on its own claim", () => {
    expect(classify(meta("MAY"), undefined, [violation]).outcome).toBe("pass");
    const r = classify(meta("SHOULD"), new CheckFailure("also this"), [violation]);
    expect(r.outcome).toBe("warn");
    expect(r.message).toBe("also this");
  });

  it("treats a target that does not answer as the target's failure", () => {
    expect(classify(meta("SHOULD"), new TransportError("GET u: no complete response within 10 ms", record), []).outcome).toBe("warn");
  });

  it("treats a crash of the check as a harness error, unless an answer broke the contract first", () => {
    const crash = new TypeError("Cannot read properties of undefined (reading 'x')");
    const alone = classify(meta("MUST"), crash, []);
    expect(alone.outcome).toBe("error");
    expect(alone.message).toMatch(/^harness error: TypeError/);
    // ...then the check could not judge its claim, at its level, and its failure is that answer's cause.
    const after = classify(meta("SHOULD"), crash, [violation]);
    expect(after.outcome).toBe("warn");
    expect(after.message).toMatch(/could not go on after an answer broke the contract/);
    expect(after.cause?.signature).toBe(violation.signature);
  });

  it("names the cause of a failure: its own check by default, a status by its class", () => {
    expect(classify(meta("MUST"), new CheckFailure("no"), []).cause).toEqual({ signature: "check T-001", title: "Not met:  (T-001)" });
    const status = (wanted: number[], got: number, declared?: string[]) =>
      classify(meta("MUST"), new CheckFailure("x", { ...record, operation: "POST /threads/{thread_id}/runs/wait" }, { status: { wanted, got } }), [], undefined, () => declared).cause?.signature;
    // The same class answered with another status is one cause wherever it is met.
    expect(status([422], 400, ["200", "400", "422"])).toBe("status 400 for 422");
    expect(status([404, 422], 400, ["200", "404", "422"])).toBe("status 400 for 422");
    // A status the operation does not declare is a property of that operation.
    expect(status([404], 500, ["200", "404", "422"])).toBe("status 500 undeclared on POST /threads/{thread_id}/runs/wait");
    // A 404 where another answer is wanted: the operation (or what it names) is not there.
    expect(status([200], 404, ["200", "404"])).toBe("status 404 on POST /threads/{thread_id}/runs/wait");
    // Another class: what the family of operations does in that situation.
    expect(status([404], 422, ["200", "404", "422"])).toBe("status 422 for 404 on POST /threads/{thread_id}/runs (and its stream, wait forms)");
  });

  it("counts vitest/chai assertion errors as failures of the target", () => {
    const e = new Error("expected 1 to be 2");
    e.name = "AssertionError";
    expect(classify(meta("MUST"), e, []).outcome).toBe("fail");
  });
});
