// Findings: one cause, one finding. What makes two sightings one cause (the
// signatures of harness/causes.ts and the contract's own names), how the report
// gathers checks and wire sightings into findings, and that every check that
// did not pass is in exactly one of them.

import { beforeAll, describe, expect, it } from "vitest";
import { contentTypeCause, operationFamily, statusCause, statusClass } from "../harness/causes";
import { loadContract, type Contract } from "../harness/contract";
import type { CheckMeta, ExchangeRecord, Observation, Outcome } from "../harness/model";
import type { CheckResult } from "../reporters/model";
import { buildFindings, findingId } from "../reporters/findings";
import { diffFindings } from "../reporters/matrix";
import { fixture } from "./support/reports";

const exchange = (url: string, startedAt = "t0"): ExchangeRecord => ({
  phase: "check",
  request: { method: "GET", url, headers: {} },
  response: { status: 404, headers: {} },
  curl: `curl ${url}`,
  startedAt,
  durationMs: 1,
  violations: [],
});

function result(id: string, outcome: Outcome, extra: Partial<CheckResult> = {}): CheckResult {
  const meta: CheckMeta = {
    id,
    level: outcome === "warn" ? "SHOULD" : "MUST",
    profile: "threads",
    operations: ["GET /threads/{thread_id}"],
    spec: [{ source: "api-ref", section: "Get Thread" }],
    title: `title of ${id}`,
  };
  return { ...meta, outcome, message: outcome === "pass" ? "" : `message of ${id}`, evidence: { exchanges: [] }, durationMs: 1, file: "x", ...extra };
}

const observed = (signature: string, operation: string, x: ExchangeRecord, level: Observation["level"] = "MUST"): Observation => ({
  signature,
  title: `title of ${signature}`,
  kind: "content-type",
  level,
  operation,
  status: 404,
  message: `${operation}: ${signature}`,
  count: 1,
  exchange: x,
});

describe("causes (harness/causes.ts)", () => {
  it("gives a status of the wanted class another status's cause, the same on every operation", () => {
    expect(statusClass(400)).toBe(statusClass(422));
    expect(statusCause("POST /threads", [422], 400).signature).toBe("status 400 for 422");
    expect(statusCause("GET /assistants/{assistant_id}", [404, 422], 400).signature).toBe("status 400 for 422");
    expect(statusCause("DELETE /threads/{thread_id}", [200], 204).signature).toBe("status 204 for 200");
  });

  it("makes a 404 where another answer is wanted, and an undeclared status, properties of the operation", () => {
    expect(statusCause("GET /metrics", [200], 404, ["200", "422"]).signature).toBe("status 404 on GET /metrics");
    expect(statusCause("GET /metrics", [422], 404, ["200", "422"]).signature).toBe("status 404 on GET /metrics");
    expect(statusCause("POST /threads/{thread_id}/runs", [404], 500, ["200", "404"]).signature).toBe("status 500 undeclared on POST /threads/{thread_id}/runs");
  });

  it("keeps what a family of operations does in one situation apart from what it does in another", () => {
    const missing = statusCause("POST /threads/{thread_id}/runs/wait", [404], 422, ["200", "404", "409", "422"]);
    const busy = statusCause("POST /threads/{thread_id}/runs/stream", [409], 422, ["200", "404", "409", "422"]);
    expect(missing.signature).not.toBe(busy.signature);
    // A run created, streamed or waited for is one code path: one family.
    expect(operationFamily("POST /threads/{thread_id}/runs/wait")).toBe(operationFamily("POST /threads/{thread_id}/runs"));
    expect(operationFamily("POST /runs/batch")).toBe(operationFamily("POST /runs"));
    expect(operationFamily("POST /runs")).not.toBe(operationFamily("POST /threads/{thread_id}/runs"));
  });

  it("gathers error bodies of one media type across operations, and keeps success answers apart", () => {
    expect(contentTypeCause(404, "text/plain;charset=UTF-8", ["application/json"]).signature).toBe(contentTypeCause(409, "text/plain; charset=utf-8", ["application/json"]).signature);
    expect(contentTypeCause(200, "text/plain", ["application/json"]).signature).not.toBe(contentTypeCause(404, "text/plain", ["application/json"]).signature);
  });
});

describe("wire validation names causes in the contract's own words", () => {
  let contract: Contract;
  beforeAll(async () => {
    contract = await loadContract();
  });
  const check = (key: string, status: number, body: unknown, contentType = "application/json") =>
    contract.checkResponse(contract.operation(key)!, { status, contentType, text: JSON.stringify(body), truncated: false });

  it("locates a field under the innermost named schema, whatever list or operation holds it", () => {
    const one = check("GET /assistants/{assistant_id}", 200, {
      assistant_id: "a",
      graph_id: "g",
      config: {},
      context: "x",
      metadata: {},
      version: 1,
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
      name: "n",
    });
    const list = check("POST /assistants/search", 200, [
      { assistant_id: "a", graph_id: "g", config: {}, context: "x", metadata: {}, version: 1, created_at: "2024-01-01T00:00:00Z", updated_at: "2024-01-01T00:00:00Z", name: "n" },
    ]);
    expect(one.map((v) => v.signature)).toContain("schema Assistant/context type object");
    expect(list.map((v) => v.signature)).toContain("schema Assistant/context type object");
  });

  it("judges a response the documents declare at MUST, one the contract added by decision at SHOULD", () => {
    const documented = check("GET /threads/{thread_id}", 404, "Thread not found", "text/plain");
    expect(documented[0]).toMatchObject({ kind: "content-type", level: "MUST", signature: "media type of errors text/plain" });
    const added = check("GET /threads/{thread_id}/state", 404, "Thread not found", "text/plain");
    expect(added[0]).toMatchObject({ kind: "content-type", level: "SHOULD", signature: "media type of errors text/plain" });
    // A status the contract does not declare is a SHOULD: OpenAPI's responses need not be exhaustive.
    expect(check("GET /threads/{thread_id}", 418, {})[0]).toMatchObject({ kind: "status", level: "SHOULD" });
  });

  it("gives each missing field its own cause, and a field required by decision its level", () => {
    const info = check("GET /info", 200, { version: "1", flags: {} });
    expect(info.map((v) => v.signature).sort()).toEqual(["schema ServerInfo required langgraph_py_version", "schema ServerInfo required metadata"]);
    const versions = check("POST /assistants/{assistant_id}/versions", 200, [
      { assistant_id: "6f0c3b9e-8a4d-4f5e-9b1a-2c3d4e5f6a7b", graph_id: "g", config: {}, metadata: {}, version: 1, created_at: "2024-01-01T00:00:00Z", name: "n", context: {} },
    ]);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ signature: "schema AssistantVersion required updated_at", level: "SHOULD" });
  });

  it("names an error body that matches none of ErrorBody's forms once, not once per branch", () => {
    const v = check("POST /threads", 422, { success: false, error: { issues: [] } });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ signature: "schema error ErrorBody anyOf", level: "MUST" });
  });
});

describe("buildFindings (reporters/findings.ts)", () => {
  it("reports a cause once, with every operation and check that met it, and counts a shared exchange once", () => {
    const x1 = exchange("/a", "t1");
    const x2 = exchange("/b", "t2");
    const checks = [
      result("THR-001", "pass", { observations: [observed("media type of errors text/plain", "GET /threads/{thread_id}", x1)] }),
      result("THR-002", "pass", { observations: [observed("media type of errors text/plain", "GET /threads/{thread_id}", x1)] }),
      result("AST-001", "pass", { observations: [observed("media type of errors text/plain", "GET /assistants/{assistant_id}", x2)] }),
    ];
    const [f, ...rest] = buildFindings(checks);
    expect(rest).toHaveLength(0);
    expect(f).toMatchObject({ id: findingId("media type of errors text/plain"), level: "MUST", seenBy: ["wire"], occurrences: 2, failed: [], met: ["AST-001", "THR-001", "THR-002"] });
    expect(f!.operations).toEqual(["GET /assistants/{assistant_id}", "GET /threads/{thread_id}"]);
    expect(f!.example.exchange).toBe(x1);
  });

  it("puts every check that did not pass in exactly one finding, its cause's, at the most binding level", () => {
    const status = { signature: "status 400 for 422", title: "400 for 422" };
    const checks = [
      result("THR-201", "fail", { cause: status }),
      result("THR-202", "warn", { cause: status }),
      result("THR-203", "fail"),
      result("THR-204", "notice"),
      result("THR-205", "pass"),
      result("THR-206", "skip"),
    ];
    const findings = buildFindings(checks);
    const failedIds = findings.flatMap((f) => f.failed.map((c) => c.id)).sort();
    expect(failedIds).toEqual(["THR-201", "THR-202", "THR-203", "THR-204"]);
    expect(findings[0]).toMatchObject({ signature: "status 400 for 422", level: "MUST", failed: [{ id: "THR-201" }, { id: "THR-202" }] });
    // A failure that names no cause is its own check's, titled by its requirement.
    expect(findings.find((f) => f.signature === "check THR-203")).toMatchObject({ title: "Not met: title of THR-203 (THR-203)", level: "MUST" });
    expect(findings.find((f) => f.signature === "check THR-204")).toMatchObject({ level: "MAY" });
  });

  it("keeps a finding's id while its cause is the same, whatever the run, seed or order", () => {
    expect(findingId("status 400 for 422")).toBe(findingId("status 400 for 422"));
    expect(findingId("status 400 for 422")).toMatch(/^F-[0-9a-f]{8}$/);
    expect(findingId("status 400 for 422")).not.toBe(findingId("status 409 for 422"));
  });

  it("on the committed reference fixture: the findings account for every check that did not pass, once", () => {
    const ref = fixture("reference");
    const notPassed = ref.checks
      .filter((c) => ["fail", "warn", "notice"].includes(c.outcome))
      .map((c) => c.id)
      .sort();
    const inFindings = (ref.findings ?? []).flatMap((f) => f.failed.map((c) => c.id)).sort();
    expect(inFindings).toEqual(notPassed);
    for (const c of ref.checks) {
      // A SHOULD check never fails; a check links the finding its failure is.
      if (c.level !== "MUST") expect(c.outcome, c.id).not.toBe("fail");
      if (notPassed.includes(c.id))
        expect(
          ref.findings!.find((f) => f.id === c.finding)?.failed.map((x) => x.id),
          c.id,
        ).toContain(c.id);
    }
  });
});

describe("compare speaks findings", () => {
  // Each finding F-0000000n fails check CHK-00n; every report ran those checks (to pass where it has no finding), unless told which were skipped.
  const report = (label: string, findings: Array<[string, "MUST" | "SHOULD"]>, skipped: string[] = []) => ({
    path: label,
    label,
    suite: { version: "1" },
    contract: { version: "1" },
    target: { url: "u" },
    checks: ["CHK-001", "CHK-002", "CHK-003", "CHK-004"].map((id) => ({
      id,
      level: "MUST" as const,
      profile: "threads" as const,
      title: id,
      outcome: skipped.includes(id) ? ("skip" as const) : ("pass" as const),
    })),
    findings: findings.map(([id, level]) => ({ id, level, title: id, failed: [{ id: `CHK-00${id.slice(-1)}` }], operations: [] })),
  });
  it("lists what is new in B, what B fixed, what changed level and what is unchanged", () => {
    const d = diffFindings(
      report("A", [
        ["F-00000001", "MUST"],
        ["F-00000002", "MUST"],
        ["F-00000003", "SHOULD"],
      ]),
      report("B", [
        ["F-00000002", "MUST"],
        ["F-00000003", "MUST"],
        ["F-00000004", "SHOULD"],
      ]),
    );
    expect(d.new.map((f) => f.id)).toEqual(["F-00000004"]);
    expect(d.fixed.map((f) => f.id)).toEqual(["F-00000001"]);
    expect(d.changed.map((c) => [c.after.id, c.before.level, c.after.level])).toEqual([["F-00000003", "SHOULD", "MUST"]]);
    expect(d.unchanged.map((f) => f.id)).toEqual(["F-00000002"]);
    expect(d.unjudged).toEqual([]);
  });

  it("calls a finding gone from B fixed only where B ran its checks, and not judged where they did not run (a profile not claimed)", () => {
    const d = diffFindings(
      report("A", [
        ["F-00000001", "MUST"],
        ["F-00000003", "SHOULD"],
      ]),
      report("B", [], ["CHK-003"]),
    );
    expect(d.fixed.map((f) => f.id)).toEqual(["F-00000001"]);
    expect(d.unjudged.map((f) => f.id)).toEqual(["F-00000003"]);
  });
});
