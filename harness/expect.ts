// Assertions for checks. A failed assertion is the target's failure (reported at
// the check's level); its message says what the contract wanted and what came.

import { contentTypeCause, schemaCause } from "./causes";
import type { Cause, ExchangeRecord } from "./model";
import type { HttpResponse, StreamResponse } from "./http";

/** What a failure knows of its cause, beyond its message (see harness/causes.ts). */
export interface FailureDetail {
  /** The cause, where the assertion can name it (a failure without one is a cause of its own check). */
  cause?: Cause;
  /** A status that was not the one wanted: the wrapper names its cause with the contract at hand. */
  status?: { wanted: number[]; got: number };
}

export class CheckFailure extends Error {
  constructor(
    message: string,
    /** The exchange the failure is about, shown first in the evidence. */
    readonly exchange?: ExchangeRecord,
    readonly detail: FailureDetail = {},
  ) {
    super(message);
    this.name = "CheckFailure";
  }
}

type Answer = HttpResponse | StreamResponse;

function opName(res: Answer): string {
  return res.record.operation ?? `${res.record.request.method} ${new URL(res.record.request.url).pathname}`;
}

function bodyHint(res: Answer): string {
  const body = res.text?.trim();
  if (!body) return "";
  return `: ${body.length > 200 ? `${body.slice(0, 200)}…` : body}`;
}

export function fail(message: string, res?: Answer, detail?: FailureDetail): never {
  throw new CheckFailure(message, res?.record, detail);
}

export function ensure(condition: unknown, message: string, res?: Answer, detail?: FailureDetail): asserts condition {
  if (!condition) fail(message, res, detail);
}

/** The response has one of the expected statuses. */
export function expectStatus(res: Answer, expected: number | number[], why?: string): void {
  const list = Array.isArray(expected) ? expected : [expected];
  if (!list.includes(res.status)) {
    fail(`${opName(res)} answered ${res.status}, expected ${list.join(" or ")}${why ? ` (${why})` : ""}${bodyHint(res)}`, res, { status: { wanted: list, got: res.status } });
  }
}

/** A 2xx with a JSON object body. */
export function expectJsonObject(res: Answer, what = "body"): Record<string, any> {
  const v = res.json;
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    fail(`${opName(res)} ${what} is not a JSON object${bodyHint(res)}`, res);
  }
  return v;
}

export function expectJsonArray(res: Answer, what = "body"): any[] {
  if (!Array.isArray(res.json)) fail(`${opName(res)} ${what} is not a JSON array${bodyHint(res)}`, res);
  return res.json;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

export function expectEqual<T>(actual: T, expected: T, what: string, res?: Answer): void {
  if (!deepEqual(actual, expected)) fail(`${what}: expected ${show(expected)}, got ${show(actual)}`, res);
}

/** Every key of `expected` is in `actual` with an equal value (deep). */
export function expectSubset(actual: unknown, expected: Record<string, unknown>, what: string, res?: Answer): void {
  if (actual === null || typeof actual !== "object") fail(`${what}: expected an object containing ${show(expected)}, got ${show(actual)}`, res);
  for (const [k, v] of Object.entries(expected)) {
    if (!deepEqual((actual as Record<string, unknown>)[k], v)) {
      fail(`${what}: '${k}' expected ${show(v)}, got ${show((actual as Record<string, unknown>)[k])}`, res);
    }
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Set || b instanceof Set || a instanceof Map || b instanceof Map) {
    throw new TypeError("deepEqual compares JSON values; use expectSameMembers for sets");
  }
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as any)[k], (b as any)[k]));
}

/** The same members, in any order; the message lists what is missing and what is extra. */
export function expectSameMembers(actual: unknown[], expected: unknown[], what: string, res?: Answer): void {
  const key = (x: unknown) => JSON.stringify(x);
  const a = actual.map(key);
  const e = expected.map(key);
  const missing = e.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !e.includes(x));
  if (missing.length || extra.length || a.length !== e.length) {
    fail(
      `${what}: ${missing.length ? `missing ${missing.join(", ")}` : ""}${missing.length && extra.length ? "; " : ""}${extra.length ? `unexpected ${extra.join(", ")}` : ""}${!missing.length && !extra.length ? `expected ${e.length} items, got ${a.length} (duplicates)` : ""}`,
      res,
    );
  }
}

/**
 * The response matches what the contract declares for its operation and status
 * (status declared, media type, body schema; for streams, every event). Wire
 * validation never decides a check by itself: a check whose claim is the shape
 * of an answer says so with this assertion.
 */
export function expectConforms(res: Answer, what?: string): void {
  const v = res.record.violations;
  if (v.length > 0) fail(`${what ? `${what}: ` : ""}${v.map((x) => x.message).join("; ")}`, res, { cause: { signature: v[0]!.signature, title: v[0]!.title } });
}

/**
 * The answer is sent as JSON (application/json or a +json type), as the claim
 * says: a JSON text under another media type is refused by clients that read
 * by media type. Its cause is the wire's, so the finding is one.
 */
export function expectJsonMediaType(res: Answer): void {
  const ct = res.headers["content-type"] ?? "";
  const base = ct.split(";")[0]!.trim().toLowerCase();
  if (base === "application/json" || /^application\/[^/]+\+json$/.test(base)) return;
  fail(`${opName(res)} answered ${res.status} with Content-Type '${ct || "(none)"}', not application/json`, res, { cause: contentTypeCause(res.status, ct, ["application/json"]) });
}

/**
 * The object has each of `fields`, which the contract's `component` schema
 * requires: a check whose claim names those fields says so. Its cause is the
 * one wire validation gives the same gap, so the finding is one.
 */
export function expectRequired(res: Answer, value: Record<string, unknown>, component: string, fields: string[]): void {
  const missing = fields.filter((f) => !(f in value));
  if (missing.length === 0) return;
  const spot = { component, path: "", keyword: "required", detail: missing[0]!, message: `must have required property '${missing[0]}'` };
  fail(`${opName(res)} answered ${component} without ${missing.map((m) => `'${m}'`).join(", ")}, which the contract requires`, res, { cause: schemaCause(spot, res.status) });
}
