// The body-taking operations of the contract, each with what its generated
// traffic needs to stay the suite's own: the resources it works on (made per
// property, tagged), the fields the suite fills itself (tagged metadata, a
// namespace under the run's root, the id of its own assistant), what a 2xx
// created (registered for deletion), and how to prove that a refused request
// created or changed nothing. Everything else comes from the request schema.

import fc from "fast-check";
import { invalidArbitrary, resolvePointer, validArbitrary, type MutationSite, type Path, type Schema } from "../../harness/arbitraries";
import type { CheckContext } from "../../harness/check";
import { ensure, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import type { Api, HttpResponse, StreamResponse } from "../../harness/http";
import type { Citation, OperationKey } from "../../harness/model";
import { createAssistant } from "../_support/resources";
import { createThread, pollRun, settleThread } from "../_support/runs";

/** The contract's 422, cited by every body property. */
export const VALIDATION_ERROR: Citation = {
  source: "contract",
  section: "components.responses.ValidationError",
  quote: "The request does not match the request schema (or its parameters theirs).",
  note: "every API document gives 422 (Validation Error) to an invalid request",
};

/** Why fields the contract judges at SHOULD are not in these MUST properties (harness/arbitraries.ts honours it). */
export const REQUEST_SCHEMA_LEVEL: Citation = {
  source: "contract",
  section: "request schemas, x-level",
  note: "fields marked x-level: SHOULD (their constraints rest only on the newest document or on an SDK, or the official server does not check them) are neither generated nor broken in these MUST properties",
};

/** What a property works on, made once per property. */
export interface Fixture {
  assistantId?: string;
  threadId?: string;
  /** The property's own store namespace (under the run's root). */
  ns: string[];
  /** Ids the target made in the setup: masked in the determinism digest. */
  made: string[];
  /** What the setup resource looked like, for "changed nothing" proofs. */
  before?: Record<string, any>;
}

export interface BodyOperation {
  key: OperationKey;
  /** Check ids: generated valid bodies accepted; generated invalid bodies refused. Absent: not generated (see `why`). */
  valid?: string;
  invalid?: string;
  /** Why a family is left out for this operation. */
  why?: string;
  requires?: string[];
  setup?: (c: CheckContext) => Promise<Omit<Fixture, "ns" | "made"> & { made?: string[] }>;
  /** Fields the suite fills (by path), so that traffic stays within the suite's own resources. */
  overrides?: (c: CheckContext, f: Fixture) => Record<string, fc.Arbitrary<unknown>>;
  /** Keys always present in invalid bodies (a client-chosen id, to find what a wrongly accepted request made). */
  idKeys?: Array<{ key: string }>;
  /** The part of the schema the suite generates from (never the part that would touch others' resources). */
  narrow?: (schema: Record<string, any>) => Record<string, any>;
  /** Properties never generated (by path, `*` for array items), with the reason in the README. */
  omit?: string[];
  allowSite?: (site: MutationSite) => boolean;
  /** Statuses besides 2xx a valid body may get: documented business errors of the contract. */
  business?: number[];
  /** Statuses the contract gives to an invalid body (default 422). */
  refused?: number[];
  stream?: boolean;
  /** The schema a 2xx must match when the body chooses the shape (`select`). */
  expectSchema?: (body: any) => string | undefined;
  /** Registers, before sending, what the body would make under a client-chosen id (deleting what does not exist is harmless). */
  preRegister?: (c: CheckContext, body: unknown) => void;
  /** Registers (and, for crons, deletes at once) what a 2xx made. */
  register?: (c: CheckContext, api: Api, body: any, res: HttpResponse | StreamResponse) => Promise<void>;
  /** State a refused body must leave as it was (read before and after each invalid case). */
  trace?: Trace;
  /**
   * The cases share one thread: a run a case leaves running would make the next
   * case meet a busy thread (its refusal is the suite's doing, not the target's),
   * so each case ends with the thread's runs settled.
   */
  settleThread?: boolean;
}

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object" && !Array.isArray(v);
const smallKey = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const smallValue = fc.oneof(fc.string({ maxLength: 8, unit: "grapheme-ascii" }), fc.integer({ min: -100, max: 100 }), fc.boolean(), fc.constant(null));
const UUID_PATH = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Metadata that carries the check's tag, plus a few generated pairs. */
export const taggedMetadata = (c: CheckContext) => fc.dictionary(smallKey, smallValue, { maxKeys: 2 }).map((extra) => ({ ...extra, ...c.tag() }));
/** Tagged metadata with a marker of its own case, by which a search finds what the case made. */
const caseMetadata = (c: CheckContext) => fc.tuple(taggedMetadata(c), fc.noShrink(fc.noBias(fc.uuid({ version: 4 })))).map(([m, marker]) => ({ ...m, conformance_case: marker }));

/**
 * What exists under the id the body named, and carrying the body's case marker
 * (which still finds it when the id itself was the broken field).
 */
const madeTrace = (plural: "assistants" | "threads", idKey: string): Trace => ({
  what: `the ${plural} under the body's ${idKey} or carrying its case marker`,
  read: async (c, api, _f, body) => {
    if (!isObject(body)) return "";
    const seen: string[] = [];
    const id = body[idKey];
    if (typeof id === "string" && UUID_PATH.test(id)) seen.push(`GET /${plural}/${id}: ${(await api.get(`/${plural}/${id}`)).status}`);
    const marker = isObject(body.metadata) ? body.metadata.conformance_case : undefined;
    if (typeof marker === "string") {
      const res = await api.post(`/${plural}/search`, { metadata: { ...c.tag(), conformance_case: marker }, limit: 10 });
      expectStatus(res, 200, "searching by the case marker around a refused request");
      const found: any[] = Array.isArray(res.json) ? res.json : [];
      for (const x of found) if (typeof x?.[idKey] === "string") plural === "threads" ? c.created.thread(x[idKey]) : c.created.assistant(x[idKey]);
      seen.push(`found by the case marker: ${found.length}`);
    }
    return seen.join("; ");
  },
});

/** A metadata filter that keeps a search to the check's own resources. */
const ownFilter = (c: CheckContext) => fc.option(fc.dictionary(smallKey, smallValue, { maxKeys: 1 }), { nil: undefined, freq: 3 }).map((extra) => ({ ...(extra ?? {}), ...c.tag() }));
const label = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
const ownNamespace = (f: Fixture) => fc.array(label, { maxLength: 2 }).map((rest) => [...f.ns, ...rest]);

async function echoAssistant(c: CheckContext) {
  const a = await createAssistant(c, { graph_id: "echo" });
  return { assistantId: a.assistant_id as string, made: [a.assistant_id as string], before: a };
}
async function ownThread(c: CheckContext) {
  const t = await createThread(c);
  return { threadId: t.thread_id as string, made: [t.thread_id as string], before: t };
}
/** A thread with a finished echo run: it has checkpoints and state. */
async function threadWithState(c: CheckContext) {
  const a = await echoAssistant(c);
  const t = await ownThread(c);
  // A run, then its status until it ends (not /runs/wait: the properties judge bodies, not that operation).
  const res = await c.api.post(`/threads/${t.threadId}/runs`, { assistant_id: a.assistantId, input: { value: "seed" }, metadata: c.tag() });
  expectStatus(res, 200, "running the echo graph once so that the thread has a state");
  await pollRun(c, t.threadId, expectJsonObject(res).run_id, undefined, { timeoutMs: 30_000, what: "its end" });
  const state = await c.api.get(`/threads/${t.threadId}/state`);
  expectStatus(state, 200, "reading the state the property starts from");
  return { assistantId: a.assistantId, threadId: t.threadId, made: [a.assistantId, t.threadId], before: expectJsonObject(state) };
}

const graphIds = (c: CheckContext) => {
  const offered = (c.run.graphs ?? ["echo"]).filter((g) => ["echo", "chat", "interrupt", "subgraph"].includes(g));
  // An id no deployment has: the contract's 404 ("a resource the body refers to does not exist").
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(offered.length ? offered : ["echo"])) }, { weight: 1, arbitrary: fc.constant("conformance-no-such-graph") });
};

/** Run fields a generated body must not leave free: the assistant, waiting, what happens to temporary threads. */
const runOverrides = (prefix: string) => (c: CheckContext, f: Fixture) => ({
  [`${prefix}assistant_id`]: fc.constant(f.assistantId!),
  [`${prefix}metadata`]: taggedMetadata(c),
  // A run that waits long would hold a wait or a stream open: at most half a second.
  [`${prefix}after_seconds`]: fc.constantFrom(0, 0.1, 0.5),
  // A kept temporary thread carries no tag; it must be deleted by the server.
  [`${prefix}on_completion`]: fc.constant("delete"),
});

const registerThreadFromLocation = async (c: CheckContext, _api: Api, _body: unknown, res: HttpResponse | StreamResponse) => {
  const tid = (res as HttpResponse).json?.thread_id ?? /\/threads\/([^/]+)\/runs\//.exec(res.headers["content-location"] ?? "")?.[1];
  if (typeof tid === "string" && UUID_PATH.test(tid)) c.created.thread(tid);
};

const registerCron = async (c: CheckContext, api: Api, _body: unknown, res: HttpResponse | StreamResponse) => {
  const id = (res as HttpResponse).json?.cron_id;
  if (typeof id === "string") {
    c.created.cron(id);
    // A cron fires on its schedule: it is deleted at once, not at the end of the check.
    await api.delete(`/runs/crons/${encodeURIComponent(id)}`);
  }
};

/**
 * What a refused request must leave as it was, read before and after each case:
 * the state itself, as a line, so that a case is judged by what it did, not by
 * what an earlier (wrongly accepted) case left behind.
 */
export interface Trace {
  what: string;
  read: (c: CheckContext, api: Api, f: Fixture, body: unknown) => Promise<string>;
}

const assistantTrace: Trace = {
  what: "the assistant (version, name, metadata)",
  read: async (_c, api, f) => {
    const res = await api.get(`/assistants/${f.assistantId}`);
    expectStatus(res, 200, "reading the assistant around a refused request");
    const a = expectJsonObject(res);
    return JSON.stringify({ version: a.version, name: a.name, metadata: a.metadata });
  },
};

const threadTrace: Trace = {
  what: "the thread's metadata",
  read: async (_c, api, f) => {
    const res = await api.get(`/threads/${f.threadId}`);
    expectStatus(res, 200, "reading the thread around a refused request");
    return JSON.stringify(expectJsonObject(res).metadata);
  },
};

const runsTrace: Trace = {
  what: "the thread's runs",
  read: async (_c, api, f) => {
    const res = await api.get(`/threads/${f.threadId}/runs`, { query: { limit: 100 } });
    expectStatus(res, 200, "listing the thread's runs around a refused request");
    return JSON.stringify((Array.isArray(res.json) ? res.json : []).map((r: any) => r?.run_id).sort());
  },
};

const stateTrace: Trace = {
  what: "the thread's latest checkpoint",
  read: async (_c, api, f) => {
    const res = await api.get(`/threads/${f.threadId}/state`);
    expectStatus(res, 200, "reading the state around a refused request");
    return String(expectJsonObject(res).checkpoint?.checkpoint_id);
  },
};

const cronsTrace: Trace = {
  what: "the crons of the property's assistant",
  read: async (c, api, f) => {
    const res = await api.post("/runs/crons/search", { assistant_id: f.assistantId, limit: 100 });
    expectStatus(res, 200, "searching the property's crons around a refused request");
    const found: any[] = Array.isArray(res.json) ? res.json : [];
    for (const x of found) if (typeof x?.cron_id === "string") c.created.cron(x.cron_id);
    return JSON.stringify(found.map((x) => x?.cron_id).sort());
  },
};

const storeTrace: Trace = {
  what: "the items of the property's namespace",
  read: async (c, api, f) => {
    const res = await api.post("/store/items/search", { namespace_prefix: f.ns, limit: 100 });
    expectStatus(res, 200, "searching the property's namespace around a refused request");
    const items: any[] = Array.isArray(res.json?.items) ? res.json.items : [];
    for (const it of items) if (Array.isArray(it?.namespace)) c.created.storeItem(it.namespace, it.key);
    return JSON.stringify(items.map((it) => `${(it?.namespace ?? []).join(".")}/${it?.key}=${JSON.stringify(it?.value)}`).sort());
  },
};

const selectSchema = (list: string) => (body: any) => (isObject(body) && Array.isArray(body.select) ? `/components/schemas/${list}` : undefined);

export const BODY_OPERATIONS: BodyOperation[] = [
  // ---------------------------------------------------------------- assistants
  {
    key: "POST /assistants",
    valid: "PBT-001",
    invalid: "PBT-101",
    requires: ["graph:echo"],
    overrides: (c) => ({ metadata: caseMetadata(c), graph_id: graphIds(c) }),
    idKeys: [{ key: "assistant_id" }],
    preRegister: (c, body) => {
      if (isObject(body) && typeof body.assistant_id === "string") c.created.assistant(body.assistant_id);
    },
    business: [404],
    register: async (c, _api, _b, res) => {
      const id = (res as HttpResponse).json?.assistant_id;
      if (typeof id === "string") c.created.assistant(id);
    },
    trace: madeTrace("assistants", "assistant_id"),
  },
  {
    key: "POST /assistants/search",
    valid: "PBT-002",
    invalid: "PBT-102",
    overrides: (c) => ({ metadata: ownFilter(c) }),
    expectSchema: selectSchema("AssistantSelectedList"),
  },
  { key: "POST /assistants/count", valid: "PBT-003", invalid: "PBT-103", overrides: (c) => ({ metadata: ownFilter(c) }) },
  {
    key: "PATCH /assistants/{assistant_id}",
    valid: "PBT-004",
    invalid: "PBT-104",
    requires: ["graph:echo"],
    setup: echoAssistant,
    overrides: (c) => ({ metadata: taggedMetadata(c), graph_id: graphIds(c) }),
    business: [404],
    trace: assistantTrace,
  },
  { key: "POST /assistants/{assistant_id}/versions", valid: "PBT-005", invalid: "PBT-105", requires: ["graph:echo"], setup: echoAssistant, overrides: (c) => ({ metadata: ownFilter(c) }) },
  {
    key: "POST /assistants/{assistant_id}/latest",
    valid: "PBT-006",
    invalid: "PBT-106",
    requires: ["graph:echo"],
    // Two versions, so that most cases name one that exists (the others: the contract's 404).
    setup: async (c) => {
      const a = await echoAssistant(c);
      const res = await c.api.patch(`/assistants/${a.assistantId}`, { metadata: { version_two: true } });
      expectStatus(res, 200, "making a second version of the property's assistant");
      return { ...a, before: expectJsonObject(res) };
    },
    // The contract takes the version from the query or the body: the suite always sends it in the body.
    overrides: () => ({ version: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(1, 2) }, { weight: 1, arbitrary: fc.integer({ min: 3, max: 1000 }) }) }),
    business: [404],
    trace: assistantTrace,
  },
  // ------------------------------------------------------------------- threads
  {
    key: "POST /threads",
    valid: "PBT-007",
    invalid: "PBT-107",
    overrides: (c) => ({ metadata: caseMetadata(c) }),
    idKeys: [{ key: "thread_id" }],
    preRegister: (c, body) => {
      if (isObject(body) && typeof body.thread_id === "string") c.created.thread(body.thread_id);
    },
    register: async (c, _api, _b, res) => {
      const id = (res as HttpResponse).json?.thread_id;
      if (typeof id === "string") c.created.thread(id);
    },
    trace: madeTrace("threads", "thread_id"),
  },
  { key: "POST /threads/search", valid: "PBT-008", invalid: "PBT-108", overrides: (c) => ({ metadata: ownFilter(c) }), expectSchema: selectSchema("ThreadSelectedList") },
  { key: "POST /threads/count", valid: "PBT-009", invalid: "PBT-109", overrides: (c) => ({ metadata: ownFilter(c) }) },
  {
    key: "PATCH /threads/{thread_id}",
    valid: "PBT-010",
    invalid: "PBT-110",
    setup: ownThread,
    overrides: (c) => ({ metadata: taggedMetadata(c) }),
    trace: threadTrace,
  },
  {
    key: "POST /threads/{thread_id}/state",
    valid: "PBT-011",
    invalid: "PBT-111",
    requires: ["graph:echo"],
    setup: threadWithState,
    business: [404],
    trace: stateTrace,
  },
  { key: "POST /threads/{thread_id}/state/checkpoint", valid: "PBT-012", invalid: "PBT-112", requires: ["graph:echo"], setup: threadWithState, business: [404] },
  { key: "POST /threads/{thread_id}/history", valid: "PBT-013", invalid: "PBT-113", requires: ["graph:echo"], setup: threadWithState, business: [404] },
  // ---------------------------------------------------------------------- runs
  ...(
    [
      ["POST /threads/{thread_id}/runs", "PBT-014", "PBT-114"],
      ["POST /threads/{thread_id}/runs/stream", "PBT-015", "PBT-115"],
      ["POST /threads/{thread_id}/runs/wait", "PBT-016", "PBT-116"],
    ] as const
  ).map(([key, valid, invalid]): BodyOperation => ({
    key,
    valid,
    invalid,
    requires: ["graph:echo"],
    setup: async (c) => {
      const a = await echoAssistant(c);
      const t = await ownThread(c);
      return { assistantId: a.assistantId, threadId: t.threadId, made: [a.assistantId, t.threadId], before: t.before };
    },
    overrides: runOverrides(""),
    omit: ["webhook", "feedback_keys"],
    business: [404, 409],
    stream: key.endsWith("/stream"),
    trace: runsTrace,
    settleThread: true,
  })),
  {
    key: "POST /runs/cancel",
    valid: "PBT-017",
    invalid: "PBT-117",
    setup: ownThread,
    // Only the form that names the property's own thread: the `status` form cancels every run of the server.
    narrow: (s) => ({ type: "object", required: ["thread_id", "run_ids"], properties: { thread_id: s.properties.thread_id, run_ids: s.properties.run_ids } }),
    overrides: (_c, f) => ({ thread_id: fc.constant(f.threadId!) }),
    business: [404],
  },
  ...(
    [
      ["POST /runs", "PBT-018", "PBT-118"],
      ["POST /runs/stream", "PBT-019", "PBT-119"],
      ["POST /runs/wait", "PBT-020", "PBT-120"],
    ] as const
  ).map(([key, valid, invalid]): BodyOperation => ({
    key,
    valid,
    invalid,
    requires: ["graph:echo"],
    setup: echoAssistant,
    overrides: runOverrides(""),
    omit: ["webhook", "feedback_keys"],
    business: [404, 409],
    stream: key.endsWith("/stream"),
    register: registerThreadFromLocation,
  })),
  {
    key: "POST /runs/batch",
    valid: "PBT-021",
    invalid: "PBT-121",
    requires: ["graph:echo"],
    setup: echoAssistant,
    overrides: runOverrides("*."),
    omit: ["*.webhook", "*.feedback_keys"],
    business: [404, 409],
    register: async (c, _api, _b, res) => {
      for (const r of Array.isArray((res as HttpResponse).json) ? (res as HttpResponse).json : []) if (typeof r?.thread_id === "string") c.created.thread(r.thread_id);
    },
  },
  // --------------------------------------------------------------------- crons
  {
    key: "POST /threads/{thread_id}/runs/crons",
    valid: "PBT-022",
    invalid: "PBT-122",
    requires: ["graph:echo"],
    setup: async (c) => {
      const a = await echoAssistant(c);
      const t = await ownThread(c);
      return { assistantId: a.assistantId, threadId: t.threadId, made: [a.assistantId, t.threadId] };
    },
    overrides: (c, f) => ({ assistant_id: fc.constant(f.assistantId!), metadata: taggedMetadata(c) }),
    omit: ["webhook"],
    business: [404],
    register: registerCron,
    trace: cronsTrace,
  },
  {
    key: "POST /runs/crons",
    valid: "PBT-023",
    invalid: "PBT-123",
    requires: ["graph:echo"],
    setup: echoAssistant,
    overrides: (c, f) => ({ assistant_id: fc.constant(f.assistantId!), metadata: taggedMetadata(c), on_run_completed: fc.constant("delete") }),
    omit: ["webhook"],
    business: [404],
    register: registerCron,
    trace: cronsTrace,
  },
  {
    key: "POST /runs/crons/search",
    valid: "PBT-024",
    invalid: "PBT-124",
    requires: ["graph:echo"],
    setup: echoAssistant,
    overrides: (_c, f) => ({ assistant_id: fc.constant(f.assistantId!) }),
    expectSchema: selectSchema("CronSelectedList"),
  },
  { key: "POST /runs/crons/count", valid: "PBT-025", invalid: "PBT-125", requires: ["graph:echo"], setup: echoAssistant, overrides: (_c, f) => ({ assistant_id: fc.constant(f.assistantId!) }) },
  // --------------------------------------------------------------------- store
  {
    key: "PUT /store/items",
    valid: "PBT-026",
    invalid: "PBT-126",
    preRegister: (c, body) => {
      if (isObject(body) && Array.isArray(body.namespace) && typeof body.key === "string") c.created.storeItem(body.namespace, body.key);
    },
    overrides: (_c, f) => ({ namespace: ownNamespace(f) }),
    trace: storeTrace,
  },
  { key: "DELETE /store/items", valid: "PBT-027", invalid: "PBT-127", overrides: (_c, f) => ({ namespace: ownNamespace(f) }) },
  { key: "POST /store/items/search", valid: "PBT-028", invalid: "PBT-128", overrides: (_c, f) => ({ namespace_prefix: ownNamespace(f) }) },
  { key: "POST /store/namespaces", valid: "PBT-029", invalid: "PBT-129", overrides: (_c, f) => ({ prefix: ownNamespace(f) }) },
  // ----------------------------------------------------------------------- mcp
  {
    key: "POST /mcp/",
    invalid: "PBT-130",
    why: "valid JSON-RPC messages need an initialized MCP session and answer with JSON-RPC results, not statuses; the mcp profile's own checks cover them",
    refused: [400],
  },
];

/** The property's own resources (skips when the operation's profile is not claimed). */
export async function fixtureFor(c: CheckContext, op: BodyOperation): Promise<Fixture> {
  const operation = c.contract.operation(op.key);
  const claim = operation?.profile ? c.run.claims[operation.profile] : undefined;
  if (claim && !claim.claimed) c.skip(`${op.key} belongs to profile '${operation!.profile}', which the target does not claim: ${claim.reason}`);
  const made = op.setup ? await op.setup(c) : {};
  return { ...made, ns: c.namespace(c.meta.id.toLowerCase()), made: made.made ?? [] };
}

/** Fills the path's parameters with the property's own resources. */
export function concretePath(op: BodyOperation, f: Fixture): string {
  const path = op.key.split(" ")[1]!;
  return path.replace("{assistant_id}", f.assistantId ?? "").replace("{thread_id}", f.threadId ?? "");
}

/** Pinned values that may as well be absent (the default is the same, or harmless). */
const OPTIONAL_OVERRIDES = new Set(["after_seconds", "on_completion", "on_run_completed"]);

/** The suite's fields: generated by the suite, and always present (a search stays scoped, a resource tagged). */
function overrideOptions(map: Record<string, fc.Arbitrary<unknown>>) {
  return {
    override: (path: Path) => map[path.join(".")],
    forcePresent: (path: Path) => path.join(".") in map && !OPTIONAL_OVERRIDES.has(path[path.length - 1]!),
  };
}

/** The schema without the properties at `paths` (copied along the way: the document's schemas are shared). */
export function omitPaths(schema: Record<string, any>, paths: string[]): Record<string, any> {
  let out = schema;
  for (const p of paths) out = omitOne(out, p.split("."));
  return out;
}
function omitOne(s: Record<string, any>, path: string[]): Record<string, any> {
  const [head, ...rest] = path;
  if (head === "*") return s.items ? { ...s, items: omitOne(s.items, rest) } : s;
  if (!s.properties || !(head! in s.properties)) return s;
  if (rest.length === 0) {
    const { [head!]: _gone, ...props } = s.properties;
    return { ...s, properties: props };
  }
  return { ...s, properties: { ...s.properties, [head!]: omitOne(s.properties[head!], rest) } };
}

export function requestSchema(c: CheckContext, op: BodyOperation): { schema: Schema; pointer: string } {
  const operation = c.contract.operation(op.key);
  const pointer = operation && c.contract.requestSchemaPointer(operation);
  if (!pointer) throw new Error(`the contract has no request body for ${op.key}`);
  let schema = resolvePointer(c.contract.document, pointer) as Record<string, any>;
  if (op.narrow) schema = op.narrow(schema);
  if (op.omit) schema = omitPaths(schema, op.omit);
  return { schema, pointer };
}

/** Valid bodies for the operation: the schema's, with the suite's own fields, and valid against the contract. */
export function validBodies(c: CheckContext, op: BodyOperation, f: Fixture): fc.Arbitrary<unknown> {
  const { schema, pointer } = requestSchema(c, op);
  const validate = c.contract.validator(pointer);
  return validArbitrary(schema, { root: c.contract.document, ...overrideOptions(op.overrides?.(c, f) ?? {}) }).filter((v) => validate(v) === true);
}

export type InvalidBody =
  { kind: "schema"; value: unknown; rule: string } | { kind: "malformed"; text: string; rule: string; /** The valid body it was cut from, and where. */ source: string; cut: number };

/**
 * Invalid bodies: one schema rule broken (most cases), or a body that is not
 * JSON. Client-chosen ids are always present, so that what a wrongly accepted
 * request made can be found. A valid body sent in another media type is not
 * generated here: no document requires its refusal, so the checks of it are
 * SHOULD (AST-137, THR-207, RUN-122, RUN-123, SRN-112, SRN-113, STO-109), and these
 * properties are MUST (see the contract's UnsupportedMediaType decision).
 */
export function invalidBodies(c: CheckContext, op: BodyOperation, f: Fixture): fc.Arbitrary<InvalidBody> {
  const { schema, pointer } = requestSchema(c, op);
  const validate = c.contract.validator(pointer);
  const root = c.contract.document;
  const own = overrideOptions(op.overrides?.(c, f) ?? {});
  const withIds = (v: unknown, ids: string[]) => {
    if (!isObject(v)) return v;
    const out = { ...v };
    (op.idKeys ?? []).forEach((k, i) => {
      if (!(k.key in out)) out[k.key] = ids[i];
    });
    return out;
  };
  const ids = fc.array(fc.noShrink(fc.noBias(fc.uuid({ version: 4 }))), { minLength: 2, maxLength: 2 });
  const broken = fc
    .tuple(invalidArbitrary(schema, { root, ...own, ...(op.allowSite ? { allowSite: op.allowSite } : {}) }), ids)
    .map(([iv, idv]): InvalidBody => ({ kind: "schema", value: withIds(iv.value, idv), rule: iv.mutation.rule }))
    .filter((b) => b.kind === "schema" && validate(b.value) === false);
  const valid = fc
    .tuple(validArbitrary(schema, { root, ...own }), ids)
    .map(([v, idv]) => withIds(v, idv))
    .filter((v) => validate(v) === true);
  const malformed = fc.tuple(valid, fc.nat()).map(([v, n]): InvalidBody => {
    const text = JSON.stringify(v);
    // Cut inside the text: never a complete JSON value.
    const cut = text.length > 1 ? 1 + (n % (text.length - 1)) : 1;
    return { kind: "malformed", text: text.slice(0, cut), rule: "the body is JSON", source: text, cut };
  });
  return fc.oneof({ weight: 8, arbitrary: broken }, { weight: 1, arbitrary: malformed });
}

/** Sends a body to the operation, as JSON or as given text. */
/** Ends a case: the runs it left on the shared thread are settled, where the operation asks for it. */
export async function endCase(c: CheckContext, op: BodyOperation, f: Fixture): Promise<void> {
  if (op.settleThread && f.threadId) await settleThread(c, f.threadId);
}

export async function send(api: Api, op: BodyOperation, f: Fixture, body: { json: unknown } | { text: string; contentType: string }, expectSchema?: string): Promise<HttpResponse | StreamResponse> {
  const [method] = op.key.split(" ");
  const path = concretePath(op, f);
  const req = {
    method: method!,
    path,
    ...("json" in body ? { json: body.json } : { body: body.text, headers: { "content-type": body.contentType } }),
    ...(expectSchema ? { expectSchema } : {}),
  };
  if (op.stream) return api.stream(req, { limits: { timeoutMs: 15_000, idleMs: 10_000, maxEvents: 500 } });
  return api.request(req);
}

/** What came back, in a line: status, media type, the start of the body. */
export function answer(res: HttpResponse | StreamResponse): string {
  const ct = res.headers["content-type"] ?? "(no content-type)";
  const body = res.text?.trim() ?? "";
  const shown = body ? ` ${body.length > 200 ? `${body.slice(0, 200)}…` : body}` : (res as StreamResponse).sse ? ` (an event stream of ${(res as StreamResponse).sse!.events.length} event(s))` : "";
  return `${res.status} ${ct}${shown}`;
}

export function shortJson(v: unknown, max = 300): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > max ? `${s.slice(0, max)}…` : s;
}

export { fail };
