// The converter from JSON Schema to fast-check arbitraries (harness/arbitraries.ts):
// for every body-taking operation of the contract, generated valid bodies are
// valid against the operation's request schema (ajv, strict, formats on) and
// generated invalid ones are not; and its keywords one by one.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invalidArbitrary, mutationSites, resolvePointer, validArbitrary, type Schema } from "../harness/arbitraries";
import { createAjv, describeAjvErrors, loadContract } from "../harness/contract";

const contract = await loadContract();
const root = contract.document;
const bodyOps = contract.operations.filter((op) => contract.requestSchemaPointer(op));

describe("arbitraries from the contract's request schemas", () => {
  it("covers the body-taking operations", () => {
    expect(bodyOps.length).toBeGreaterThan(25);
  });

  for (const op of bodyOps) {
    it(`${op.key}: valid bodies are valid, invalid ones are not`, () => {
      const ptr = contract.requestSchemaPointer(op)!;
      const schema = resolvePointer(root, ptr) as Schema;
      const validate = contract.validator(ptr);
      for (const v of fc.sample(validArbitrary(schema, { root }), { numRuns: 60, seed: 7 })) {
        if (!validate(v)) expect.fail(`generated a body the contract refuses: ${JSON.stringify(v)}: ${describeAjvErrors(validate.errors)}`);
      }
      for (const { value, mutation } of fc.sample(invalidArbitrary(schema, { root }), { numRuns: 60, seed: 8 })) {
        if (validate(value)) expect.fail(`generated a body meant to break '${mutation.rule}' that the contract accepts: ${JSON.stringify(value)}`);
      }
    });
  }
});

const ajv = createAjv(true);
const valid = (schema: Schema, opts = {}) => fc.sample(validArbitrary(schema, opts), { numRuns: 200, seed: 1 });
const invalid = (schema: Schema, opts = {}) => fc.sample(invalidArbitrary(schema, opts), { numRuns: 200, seed: 2 });

describe("keywords", () => {
  it("types, required, enum, const, bounds, formats", () => {
    const schema = {
      type: "object",
      required: ["id", "kind", "n", "when", "tag"],
      properties: {
        id: { type: "string", format: "uuid" },
        kind: { type: "string", enum: ["a", "b"] },
        n: { type: "integer", minimum: 1, maximum: 5 },
        x: { type: "number", exclusiveMinimum: 0 },
        when: { type: "string", format: "date-time" },
        tag: { const: "fixed" },
        name: { type: "string", minLength: 2, maxLength: 4 },
        list: { type: "array", minItems: 1, maxItems: 2, items: { type: "boolean" } },
      },
    };
    const v = ajv.compile(schema);
    for (const x of valid(schema)) expect(v(x), JSON.stringify(x)).toBe(true);
    const kinds = new Set<string>();
    for (const { value, mutation } of invalid(schema)) {
      expect(v(value), `${mutation.rule}: ${JSON.stringify(value)}`).toBe(false);
      kinds.add(mutation.kind);
    }
    expect([...kinds].sort()).toEqual(
      ["above-maximum", "below-minimum", "missing-required", "not-const", "outside-enum", "too-few-items", "too-long", "too-many-items", "too-short", "wrong-format", "wrong-type"].sort(),
    );
  });

  it("nullable types give null as well as the other type", () => {
    const schema = { type: ["string", "null"] };
    const xs = valid(schema);
    expect(xs).toContain(null);
    expect(xs.some((x) => typeof x === "string")).toBe(true);
    for (const { value } of invalid(schema)) expect(value === null || typeof value === "string").toBe(false);
  });

  it("anyOf and oneOf: each branch is used, oneOf values match exactly one branch", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string" }, b: { type: "string" } },
      oneOf: [
        { required: ["a"], properties: { a: true } },
        { required: ["b"], properties: { b: true } },
      ],
    };
    const v = ajv.compile(schema);
    const xs = valid(schema) as Array<Record<string, unknown>>;
    for (const x of xs) expect(v(x), JSON.stringify(x)).toBe(true);
    expect(xs.some((x) => "a" in x)).toBe(true);
    expect(xs.some((x) => "b" in x)).toBe(true);
    const any = { anyOf: [{ const: "*" }, { type: "array", items: { type: "string" } }] };
    const ys = valid(any);
    expect(ys).toContain("*");
    expect(ys.some(Array.isArray)).toBe(true);
  });

  it("recursive $refs are followed to a bounded depth", () => {
    const doc = {
      $defs: {
        Node: { type: "object", required: ["name"], properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } } },
      },
    };
    const schema = { $ref: "#/$defs/Node" };
    const v = ajv.compile({ ...doc, ...schema });
    const depth = (n: any): number => 1 + Math.max(0, ...((n.children ?? []) as any[]).map(depth));
    const xs = valid(schema, { root: doc });
    for (const x of xs) expect(v(x), JSON.stringify(x)).toBe(true);
    expect(Math.max(...xs.map(depth))).toBeGreaterThan(1);
    expect(Math.max(...xs.map(depth))).toBeLessThanOrEqual(3);
    for (const { value, mutation } of invalid(schema, { root: doc })) expect(v(value), mutation.rule).toBe(false);
  });

  it("never breaks a schema marked x-valid-subset", () => {
    const schema = {
      type: "object",
      required: ["schedule"],
      properties: { schedule: { type: "string", pattern: "^\\* \\*$", "x-valid-subset": true }, n: { type: "integer", minimum: 0 } },
    };
    const sites = mutationSites(schema);
    expect(sites.filter((s) => s.path[0] === "schedule")).toEqual([]);
    expect(sites.map((s) => s.rule)).toContain("schedule is required");
    for (const x of valid(schema) as Array<{ schedule: string }>) expect(x.schedule).toBe("* *");
  });

  it("neither generates nor breaks a property marked x-level: SHOULD (the properties are MUST)", () => {
    const doc = { components: { schemas: { Ttl: { type: "object", required: ["ttl"], properties: { ttl: { type: "number" } } } } } };
    const schema = {
      type: "object",
      properties: {
        ttl: { $ref: "#/components/schemas/Ttl", "x-level": "SHOULD" },
        flag: { type: "boolean", "x-level": "SHOULD" },
        n: { type: "integer", minimum: 0 },
      },
    };
    const sites = mutationSites(schema, { root: doc });
    expect(sites.filter((s) => s.path[0] === "ttl" || s.path[0] === "flag")).toEqual([]);
    expect(sites.map((s) => s.rule)).toContain("n minimum 0");
    for (const x of valid(schema, { root: doc }) as Array<Record<string, unknown>>) {
      expect("ttl" in x || "flag" in x, JSON.stringify(x)).toBe(false);
    }
  });

  it("the contract marks the fields only the newest document or an SDK gives as x-level: SHOULD", () => {
    const at = (pointer: string) => resolvePointer(root, pointer) as Record<string, any>;
    for (const p of [
      "/components/schemas/StorePutRequest/properties/index",
      "/components/schemas/StorePutRequest/properties/ttl",
      "/components/schemas/StoreSearchRequest/properties/refresh_ttl",
      "/components/schemas/ThreadCreate/properties/ttl",
      "/components/schemas/ThreadPatch/properties/ttl",
      "/components/schemas/RunCreateStateless/properties/durability",
    ]) {
      expect(at(p)["x-level"], p).toBe("SHOULD");
      expect(typeof at(p)["x-level-reason"], p).toBe("string");
    }
  });

  it("URLs point at hosts nobody answers", () => {
    for (const u of valid({ type: "string", format: "uri-reference" }) as string[]) {
      if (/^[a-z]+:/.test(u)) expect(new URL(u).hostname).toMatch(/\.invalid$/);
      else expect(u.startsWith("/")).toBe(true);
    }
  });

  it("sizes stay bounded", () => {
    const schema = { type: "object", properties: { s: { type: "string" }, a: { type: "array" }, o: { type: "object" } } };
    for (const x of valid(schema)) expect(JSON.stringify(x).length).toBeLessThan(4_000);
  });

  it("the same seed gives the same values", () => {
    const ptr = contract.requestSchemaPointer(contract.operation("POST /threads/{thread_id}/runs")!)!;
    const schema = resolvePointer(root, ptr) as Schema;
    const a = fc.sample(invalidArbitrary(schema, { root }), { numRuns: 20, seed: 123 });
    const b = fc.sample(invalidArbitrary(schema, { root }), { numRuns: 20, seed: 123 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
