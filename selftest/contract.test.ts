import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONTRACT, loadContract } from "../harness/contract";

describe("the contract", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const api = (await SwaggerParser.validate(DEFAULT_CONTRACT)) as any;
    expect(api.openapi).toMatch(/^3\.1\./);
  });

  it("compiles every response and request schema with ajv in strict mode", async () => {
    const c = await loadContract();
    const pointers: string[] = [];
    for (const op of c.operations) {
      const raw = c.document.paths[op.path][op.method.toLowerCase()];
      const req = c.requestSchemaPointer(op);
      if (raw.requestBody) expect(req, `${op.key} request schema`).toBeDefined();
      if (req) pointers.push(req);
      for (const [status, resp] of Object.entries<any>(raw.responses ?? {})) {
        for (const ct of Object.keys(resp.content ?? {})) {
          const ptr = c.responseSchemaPointer(op, status, ct);
          expect(ptr, `${op.key} ${status} ${ct}`).toBeDefined();
          pointers.push(ptr!);
        }
      }
    }
    for (const name of Object.keys(c.document.components.schemas)) pointers.push(`/components/schemas/${name}`);
    for (const p of pointers) expect(() => c.validator(p), p).not.toThrow();
    expect(pointers.length).toBeGreaterThan(20);
  });

  it("gives every operation a profile and declares its errors with a JSON body (the MCP endpoint's with none, as its documents do)", async () => {
    const c = await loadContract();
    for (const op of c.operations) {
      expect(op.profile, op.key).toBeTruthy();
      const raw = c.document.paths[op.path][op.method.toLowerCase()];
      for (const [status, resp] of Object.entries<any>(raw.responses)) {
        if (Number(status) < 400) continue;
        // The documents declare the MCP endpoint's errors without a body (see McpErrorBody); 415 is the API's.
        if (op.profile === "mcp" && status !== "415") expect(resp.content, `${op.key} ${status}`).toBeUndefined();
        else expect(Object.keys(resp.content ?? {}), `${op.key} ${status}`).toContain("application/json");
      }
    }
  });

  it("maps concrete requests to operations, literal paths before templates", async () => {
    const c = await loadContract();
    expect(c.findOperation("POST", "/assistants/search")?.key).toBe("POST /assistants/search");
    expect(c.findOperation("GET", "/assistants/abc")?.key).toBe("GET /assistants/{assistant_id}");
    expect(c.findOperation("GET", "/assistants/abc/subgraphs/child")?.key).toBe("GET /assistants/{assistant_id}/subgraphs/{namespace}");
    expect(c.findOperation("PUT", "/assistants/abc")).toBeUndefined();
  });

  it("judges a response: undeclared status, wrong media type, bad JSON, schema mismatch", async () => {
    const c = await loadContract();
    const op = c.operation("GET /assistants/{assistant_id}")!;
    const judge = (status: number, contentType: string, text: string) => c.checkResponse(op, { status, contentType, text, truncated: false }).map((v) => v.kind);
    expect(judge(404, "application/json", '{"detail":"Assistant not found"}')).toEqual([]);
    expect(judge(404, "application/json", '"Assistant not found"')).toEqual([]);
    expect(judge(500, "application/json", "{}")).toEqual(["status"]);
    expect(judge(404, "text/plain", "Assistant not found")).toEqual(["content-type"]);
    expect(judge(404, "application/json", "{nope")).toEqual(["json"]);
    expect(judge(404, "application/json", '{"message":"x"}')).toEqual(["schema"]);
    expect(
      judge(
        200,
        "application/json; charset=utf-8",
        JSON.stringify({ assistant_id: "0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b", graph_id: "g", config: {}, created_at: "2025-01-01T00:00:00Z", updated_at: "2025-01-01T00:00:00Z", metadata: {} }),
      ),
    ).toEqual([]);
  });

  it("declares 401 and 403 for every operation (x-every-operation), body judged as any error's", async () => {
    const c = await loadContract();
    for (const key of ["GET /assistants/{assistant_id}", "POST /threads/search", "PUT /store/items", "POST /runs/stream"]) {
      const op = c.operation(key)!;
      const judge = (status: number, contentType: string, text: string) => c.checkResponse(op, { status, contentType, text, truncated: false }).map((v) => v.kind);
      expect(judge(401, "application/json", '{"detail":"Unauthorized"}'), key).toEqual([]);
      expect(judge(403, "application/json", '{"detail":"Forbidden"}'), key).toEqual([]);
      expect(judge(401, "text/plain", "Unauthorized"), key).toEqual(["content-type"]);
      expect(judge(418, "application/json", "{}"), key).toEqual(["status"]);
    }
  });
});
