// The reference server repaired: where the embedded reference server breaks the
// contract in ways that keep checks from passing, the proxy makes it keep the
// contract, so that those checks can be mutation-tested (a mutant breaks what
// the base gets right). Each repair is a finding of the reference server,
// reported by its own checks when the suite runs against it without the proxy
// (docs/verdicts/reference-server.md). What the proxy cannot repair is listed
// in UNREPAIRED with the reason, and docs/mutation-score.md lists every check
// that does not pass on the base.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { loadContract, type Contract } from "../../harness/contract";
import { loadStreams } from "../../harness/streams";
import { editEvents, type Fault, type ProxiedRequest, type ProxiedResponse, type StreamTransform } from "./proxy";

const pathOf = (r: ProxiedRequest): string => new URL(r.path, "http://proxy.invalid").pathname;
const queryOf = (r: ProxiedRequest): URLSearchParams => new URL(r.path, "http://proxy.invalid").searchParams;
const json = (status: number, body: unknown): ProxiedResponse => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const parse = (text: string): { ok: boolean; value?: any } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};
const ID = "[0-9a-fA-F-]{36}";
const createsRun = (r: ProxiedRequest) => r.method === "POST" && /^(\/threads\/[^/]+)?\/runs(\/stream|\/wait)?$/.test(pathOf(r));
const THREAD_RUN = new RegExp(`^/threads/(${ID})/runs(/stream|/wait)?$`);

/** The fixture's graphs (fixtures/langgraph.json): an assistant of another graph_id does not exist. */
const GRAPHS = new Set(Object.keys(JSON.parse(readFileSync(fileURLToPath(new URL("../../fixtures/langgraph.json", import.meta.url)), "utf8")).graphs ?? {}));

/** Threads this process has seen an answer name (the suite creates every thread it uses through the proxy). */
const knownThreads = new Set<string>();
const KNOWN_MAX = 200_000;
function learnThreads(s: ProxiedResponse): void {
  if (s.status < 200 || s.status >= 300 || knownThreads.size > KNOWN_MAX) return;
  const b = parse(s.body);
  if (!b.ok) return;
  for (const x of Array.isArray(b.value) ? b.value : [b.value]) if (typeof x?.thread_id === "string") knownThreads.add(x.thread_id);
}

/** A request the proxy answers itself (turned into a harmless GET /ok upstream): the answer travels in this header. */
const ANSWER = "x-lgc-repair-answer";
/** The page a search asked for, where the proxy sorts and pages it itself. */
const PAGE = "x-lgc-repair-page";
const answered = (r: ProxiedRequest, answer: ProxiedResponse): ProxiedRequest => ({ ...r, method: "GET", path: "/ok", body: "", headers: { ...r.headers, [ANSWER]: JSON.stringify(answer) } });

/**
 * The reference server's deviations the proxy repairs (each named with a check
 * that judges it, which then passes on the base):
 * - error bodies as text/plain, or JSON without `detail` (zod's {success, error}), get {"detail": ...} (AST-021, THR-021);
 * - a request body that is JSON and is refused with 400 is refused with 422 (AST-130..., the contract keeps 400 for a body that is not JSON);
 * - DELETE /threads/{thread_id} answers 204, the contract 200 (THR-040);
 * - GET /store/items answers 200 `null` for a missing item, the contract 404 (STO-004);
 * - POST /threads/{thread_id}/state/checkpoint refuses `subgraphs` as a boolean in the body, the contract's type (SUB-006): sent as the string it takes;
 * - multitask_strategy=reject on a busy thread answers 422, the contract 409 (MTK-001, STC-017);
 * - a run on a thread that does not exist answers 409 ("already running") or 500, the contract 404 (RUN-008, MTK-063..066, MTK-072);
 * - POST /threads/{thread_id}/runs/wait and POST /runs/wait answer JSON as text/plain (RUN-020, SRN-010);
 * - GET /info lacks `metadata` and `langgraph_py_version`, which ServerInfo requires (SYS-003): given {} and "";
 * - POST /assistants/{assistant_id}/latest takes the version only from a body (AST-091): a query's version is sent in the body too;
 * - POST /assistants with a graph_id no graph has creates an assistant, the contract 404 (AST-011);
 * - GET .../runs/{run_id}/join of a run that does not exist answers 200 with a "Run not found" __error__, the contract 404 (RUN-033);
 * - GET /threads/{thread_id}/state/{checkpoint_id} of a checkpoint that does not exist answers an empty state, the contract 404 (THR-111);
 * - GET /threads/{thread_id}/runs ignores select (RUN-045): the fields not selected are left out;
 * - GET /threads/{thread_id}/runs applies offset within the first `limit` runs (runs offset to limit; offset=10 of 12 answers none; RUN-042, RUN-156):
 *   the limit asked upstream is raised by the offset, so that the runs offset to offset + limit come back;
 * - GET /assistants/{assistant_id}/schemas leaves out input_schema, output_schema or state_schema, which GraphSchemaNoId requires: given {};
 * - assistant versions lack updated_at: given their created_at; thread states lack metadata: given null (ThreadState allows it);
 * - a thread's state lacks `interrupts` (HIL-008): the interrupts of its tasks;
 * - null for an optional field the contract lets be null is refused (PBT-001, PBT-011, PBT-018, PBT-021, PBT-028): sent as the field left out;
 * - POST /assistants/search ignores sort_by and sort_order (AST-054...): the proxy asks for every match and sorts and pages it;
 * - POST /threads/{thread_id}/history refuses `before` as a checkpoint object (THR-155): sent as its checkpoint_id;
 * - the graphs of GET /assistants/{assistant_id}/subgraphs lack the schemas GraphSchemaNoId requires (AST-120): given {};
 * - a run created without multitask_strategy is rejected on a busy thread; the newest documents make enqueue the default (RUN-006, MTK-010...): sent as enqueue;
 * - a streamed run whose client leaves goes on; the documents make on_disconnect=cancel the default (STR-054): sent as cancel;
 * - streams with stream_subgraphs, and joins with stream_mode, carry events of modes that were not asked for (STR-027, STR-028, STR-033): left out.
 * The refusals of requests that break the contract's request schemas are `contractRefusals` (after the emulations, in base()).
 */
export const repairs: Fault = {
  name: "repairs",
  request(r) {
    r = nullsLeftOut(r);
    const path = pathOf(r);
    if (r.method === "GET" && new RegExp(`^/threads/${ID}/runs$`).test(path)) {
      const q = queryOf(r);
      const offset = q.get("offset") ?? "0";
      const limit = q.get("limit") ?? "10";
      if (/^[0-9]+$/.test(offset) && /^[0-9]+$/.test(limit) && Number(offset) > 0 && Number(limit) > 0) {
        const u = new URL(r.path, "http://proxy.invalid");
        u.searchParams.set("limit", String(Number(limit) + Number(offset)));
        return { ...r, path: `${u.pathname}${u.search}` };
      }
    }
    if (r.method === "POST" && /^\/threads\/[^/]+\/state\/checkpoint$/.test(path)) {
      const b = parse(r.body);
      if (b.ok && typeof b.value?.subgraphs === "boolean") return { ...r, body: JSON.stringify({ ...b.value, subgraphs: String(b.value.subgraphs) }) };
    }
    if (r.method === "POST" && new RegExp(`^/assistants/${ID}/latest$`).test(path) && r.body.trim() === "" && queryOf(r).has("version")) {
      const v = Number(queryOf(r).get("version"));
      if (Number.isInteger(v)) return { ...r, body: JSON.stringify({ version: v }), headers: { ...r.headers, "content-type": "application/json" } };
    }
    if (r.method === "POST" && path === "/assistants") {
      const b = parse(r.body);
      if (b.ok && typeof b.value?.graph_id === "string" && !GRAPHS.has(b.value.graph_id) && !/^[0-9a-f-]{36}$/i.test(b.value.graph_id)) {
        return answered(r, json(404, { detail: `Graph '${b.value.graph_id}' not found` }));
      }
    }
    if (r.method === "POST" && new RegExp(`^/threads/${ID}/history$`).test(path)) {
      const b = parse(r.body);
      const before = b.ok ? b.value?.before : undefined;
      if (before && typeof before === "object" && typeof before.checkpoint_id === "string") return { ...r, body: JSON.stringify({ ...b.value, before: before.checkpoint_id }) };
    }
    if (r.method === "POST" && path === "/assistants/search") {
      const b = parse(r.body);
      if (b.ok && b.value && typeof b.value === "object" && (b.value.sort_by !== undefined || b.value.sort_order !== undefined)) {
        const { limit = 10, offset = 0, ...rest } = b.value;
        return {
          ...r,
          body: JSON.stringify({ ...rest, limit: 1000, offset: 0 }),
          headers: { ...r.headers, [PAGE]: JSON.stringify({ limit, offset, sort_by: rest.sort_by ?? "created_at", sort_order: rest.sort_order ?? "desc" }) },
        };
      }
    }
    if (createsRun(r)) {
      const b = parse(r.body);
      if (b.ok && b.value && typeof b.value === "object" && !Array.isArray(b.value)) {
        const body = { ...b.value };
        const thread = THREAD_RUN.exec(path)?.[1];
        if (thread && body.if_not_exists === "create") knownThreads.add(thread);
        if (THREAD_RUN.test(path) && body.multitask_strategy === undefined) body.multitask_strategy = "enqueue";
        if (/\/stream$/.test(path) && body.on_disconnect === undefined) body.on_disconnect = "cancel";
        if (JSON.stringify(body) !== r.body) return { ...r, body: JSON.stringify(body) };
      }
    }
    return r;
  },
  response(q, s) {
    if (q.headers[ANSWER]) return JSON.parse(q.headers[ANSWER]) as ProxiedResponse;
    const path = pathOf(q);
    learnThreads(s);
    const named = new RegExp(`^/threads/(${ID})(/|$)`).exec(path)?.[1];
    if (named && s.status >= 200 && s.status < 300 && q.method !== "DELETE") knownThreads.add(named);
    if (createsRun(q)) {
      const thread = THREAD_RUN.exec(path)?.[1];
      const body = parse(q.body);
      const create = body.ok && body.value?.if_not_exists === "create";
      if (thread && !create && !knownThreads.has(thread) && (s.status === 409 || s.status === 422 || s.status >= 500)) return json(404, { detail: `Thread ${thread} not found` });
      if (s.status === 422 && /already running a task/.test(s.body)) return json(409, { detail: s.body });
      if (s.status === 200 && /\/wait$/.test(path) && /^text\/plain/i.test(s.headers["content-type"] ?? "") && parse(s.body).ok)
        return { ...s, headers: { ...s.headers, "content-type": "application/json" } };
    }
    if (q.method === "DELETE" && new RegExp(`^/threads/${ID}$`).test(path) && s.status === 204) return json(200, {});
    if (q.method === "GET" && path === "/store/items" && s.status === 200 && s.body.trim() === "null") return json(404, { detail: "Item not found" });
    if (q.method === "GET" && /\/runs\/[^/]+\/join$/.test(path) && s.status === 200) {
      const b = parse(s.body);
      if (b.ok && /Run not found/.test(String(b.value?.__error__?.message ?? ""))) return json(404, { detail: "Run not found" });
    }
    if (q.method === "GET" && new RegExp(`^/threads/${ID}/state/[^/]+$`).test(path) && s.status === 200) {
      const b = parse(s.body);
      if (b.ok && b.value?.created_at === null && b.value?.metadata == null && Array.isArray(b.value?.next) && b.value.next.length === 0) return json(404, { detail: "Checkpoint not found" });
    }
    if (s.status >= 400) return errorBody(q, s);
    if (s.status !== 200) return s;
    if (q.headers[PAGE]) {
      const page = JSON.parse(q.headers[PAGE]) as { limit: number; offset: number; sort_by: string; sort_order: string };
      const dir = page.sort_order === "asc" ? 1 : -1;
      const key = (x: any) => String(x?.[page.sort_by] ?? "");
      return editJson(s, (b) => (Array.isArray(b) ? [...b].sort((x, y) => (key(x) < key(y) ? -dir : key(x) > key(y) ? dir : 0)).slice(page.offset, page.offset + page.limit) : b));
    }
    if (q.method === "POST" && new RegExp(`^/threads/${ID}/state/checkpoint$`).test(path)) {
      const b = parse(s.body);
      if (
        b.ok &&
        b.value?.created_at === null &&
        b.value?.metadata == null &&
        Array.isArray(b.value?.next) &&
        b.value.next.length === 0 &&
        parse(q.body).ok &&
        parse(q.body).value?.checkpoint?.checkpoint_id
      )
        return json(404, { detail: "Checkpoint not found" });
    }
    if (q.method === "GET" && new RegExp(`^/assistants/${ID}/subgraphs(/.*)?$`).test(path)) {
      return editJson(s, (b) =>
        Array.isArray(b)
          ? b
          : Object.fromEntries(
              Object.entries(b).map(([k, g]: [string, any]) => [
                k,
                g && typeof g === "object" ? { ...g, input_schema: g.input_schema ?? {}, output_schema: g.output_schema ?? {}, state_schema: g.state_schema ?? {} } : g,
              ]),
            ),
      );
    }
    if (q.method === "GET" && path === "/info") return editJson(s, (b) => ({ ...b, metadata: b.metadata ?? {}, langgraph_py_version: b.langgraph_py_version ?? "" }));
    if (q.method === "GET" && new RegExp(`^/threads/${ID}/runs$`).test(path) && queryOf(q).has("select")) {
      const keep = new Set(queryOf(q).getAll("select"));
      return editJson(s, (b) => (Array.isArray(b) ? b.map((run) => Object.fromEntries(Object.entries(run ?? {}).filter(([k]) => keep.has(k)))) : b));
    }
    if (q.method === "GET" && new RegExp(`^/assistants/${ID}/schemas$`).test(path))
      return editJson(s, (b) => ({ ...b, input_schema: b.input_schema ?? {}, output_schema: b.output_schema ?? {}, state_schema: b.state_schema ?? {} }));
    if (q.method === "POST" && new RegExp(`^/assistants/${ID}/versions$`).test(path))
      return editJson(s, (b) => (Array.isArray(b) ? b.map((v) => (v && typeof v === "object" && v.updated_at === undefined ? { ...v, updated_at: v.created_at } : v)) : b));
    if (new RegExp(`^/threads/${ID}/(state(/[^/]+|/checkpoint)?|history)$`).test(path)) return editJson(s, (b) => (Array.isArray(b) ? b.map(fixState) : fixState(b)));
    return s;
  },
  stream: (req, head, body, signal) => {
    const thread = new RegExp(`^/threads/(${ID})/`).exec(pathOf(req))?.[1];
    if (thread && head.status < 300) knownThreads.add(thread);
    const modes = requestedModes(req);
    return modes ? onlyModes(modes)(req, head, body, signal) : body;
  },
};

/** Fields whose null says something (user data, a run's input): a null there is kept. */
const NULL_MEANS = new Set(["input", "values", "value", "metadata", "config", "context", "kwargs", "resume", "update", "goto", "interrupts"]);

/**
 * The reference refuses null for optional fields the contract lets be null
 * (description, command, checkpoint.checkpoint_id, query, command.update: PBT-001,
 * PBT-011, PBT-018, PBT-021, PBT-028): sent as the field left out, at the top
 * of a JSON body (each item of a batch) and in its checkpoint and command.
 */
function nullsLeftOut(r: ProxiedRequest): ProxiedRequest {
  if (r.method !== "POST" && r.method !== "PATCH" && r.method !== "PUT") return r;
  if (!r.body.includes("null") || /^\/mcp\/?$/.test(pathOf(r))) return r;
  const b = parse(r.body);
  if (!b.ok || !b.value || typeof b.value !== "object") return r;
  let changed = false;
  const strip = (o: any, keep: (k: string) => boolean): any => {
    if (!o || typeof o !== "object" || Array.isArray(o)) return o;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (v === null && !keep(k)) changed = true;
      else out[k] = v;
    }
    return out;
  };
  const one = (o: any) => {
    const top = strip(o, (k) => NULL_MEANS.has(k));
    if (top && typeof top === "object") {
      if (top.checkpoint && typeof top.checkpoint === "object") top.checkpoint = strip(top.checkpoint, () => false);
      if (top.command && typeof top.command === "object") top.command = strip(top.command, (k) => k === "resume" || k === "goto");
    }
    return top;
  };
  const value = Array.isArray(b.value) ? b.value.map(one) : one(b.value);
  return changed ? { ...r, body: JSON.stringify(value) } : r;
}

function editJson(s: ProxiedResponse, edit: (b: any) => any): ProxiedResponse {
  const b = parse(s.body);
  if (!b.ok || !b.value || typeof b.value !== "object") return s;
  return { ...s, body: JSON.stringify(edit(b.value)) };
}

/** A thread state with the fields ThreadState requires or the documents give. */
function fixState(st: any): any {
  if (!st || typeof st !== "object" || !("values" in st) || !("next" in st)) return st;
  const out = { ...st };
  if (!("metadata" in out)) out.metadata = null;
  if (!Array.isArray(out.interrupts) && Array.isArray(out.tasks)) out.interrupts = out.tasks.flatMap((t: any) => (Array.isArray(t?.interrupts) ? t.interrupts : []));
  return out;
}

/** An error answer with a JSON error body ({"detail": ...}), and 422 for a JSON request body refused with 400. */
function errorBody(q: ProxiedRequest, s: ProxiedResponse): ProxiedResponse {
  const isJson = /json/i.test(s.headers["content-type"] ?? "");
  const b = isJson ? parse(s.body) : { ok: false, value: undefined };
  const conforms = b.ok && contract.validator("/components/schemas/ErrorBody")(b.value) === true;
  // A body that is JSON (or none) refused with 400 breaks a schema, not the syntax: 422 (the contract keeps 400 for a body that is not JSON).
  const status = s.status === 400 && (q.body.trim() === "" || parse(q.body).ok) ? 422 : s.status;
  if (conforms && status === s.status) return s;
  if (conforms) return { ...s, status };
  const detail = b.ok && typeof b.value?.detail === "string" ? b.value.detail : b.ok ? JSON.stringify(b.value) : s.body;
  return json(status, { detail });
}

/** The stream modes a stream request asks for, where the repair judges them: given explicitly, or with stream_subgraphs (default values). */
function requestedModes(r: ProxiedRequest): string[] | undefined {
  const path = pathOf(r);
  if (r.method === "GET" && /\/runs\/[^/]+\/stream$/.test(path)) {
    const modes = queryOf(r).getAll("stream_mode");
    return modes.length ? modes : undefined;
  }
  if (r.method !== "POST" || !/\/runs\/stream$/.test(path)) return undefined;
  const b = parse(r.body);
  if (!b.ok || !b.value) return undefined;
  if (b.value.stream_mode !== undefined) return [b.value.stream_mode].flat().filter((x: unknown): x is string => typeof x === "string");
  return b.value.stream_subgraphs === true ? ["values"] : undefined;
}

/** Events of modes other than `modes` (and than those every stream carries) left out. */
function onlyModes(modes: string[]): StreamTransform {
  const streams = loadStreams();
  const allowed = new Set([...(streams.modes["every-stream"] ?? []), ...modes.flatMap((m) => streams.modes[m] ?? [])]);
  // A mode the stream contract does not know: nothing is left out.
  if (modes.some((m) => !streams.modes[m])) return (_q, _h, body) => body;
  return editEvents((e) => {
    const name = /^event: ?([^\n|]*)/m.exec(e)?.[1];
    return name !== undefined && !allowed.has(name) ? null : undefined;
  });
}

// ------------------------------------------------------------------ requests the contract refuses

const contract: Contract = await loadContract();
const validators = new Map<string, ValidateFunction>();
function validatorOf(key: string, schema: unknown): ValidateFunction {
  let v = validators.get(key);
  if (!v) {
    v = contract.ajv.compile(schema as object);
    validators.set(key, v);
  }
  return v;
}

/** A query value as the contract's schema types it (a number, a boolean), where it reads as one. */
function coerce(v: string): unknown {
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(v)) return Number(v);
  if (v === "true" || v === "false") return v === "true";
  return v;
}

/** What breaks the contract in a request: its JSON body or a query parameter, or undefined. */
export function requestViolation(r: ProxiedRequest): string | undefined {
  const path = pathOf(r);
  const op = contract.findOperation(r.method, path);
  if (!op) return undefined;
  const spec = contract.document.paths?.[op.path]?.[op.method.toLowerCase()];
  for (const p of (spec?.parameters ?? []) as Array<{ name: string; in: string; schema?: unknown }>) {
    if (p.in !== "query" || !p.schema) continue;
    const values = queryOf(r).getAll(p.name);
    if (values.length === 0) continue;
    const validate = validatorOf(`${op.key} ?${p.name}`, p.schema);
    // A boolean as servers read it in a query (0/1, yes/no, on/off too: the official SDKs send cancel_on_disconnect=0).
    const truth = (v: string) => (/^(1|true|yes|on)$/i.test(v) ? true : /^(0|false|no|off)$/i.test(v) ? false : undefined);
    const candidates = [values.map(coerce), values.length === 1 ? [coerce(values[0]!), values[0], truth(values[0]!)] : []].flat().filter((x) => x !== undefined);
    const asArray = values.map(coerce);
    if (!candidates.some((c) => validate(c)) && !validate(asArray) && !validate(values)) return `query parameter ${p.name} breaks the contract`;
  }
  const pointer = contract.requestSchemaPointer(op, "application/json");
  if (!pointer || r.body.trim() === "") return undefined;
  const type = (r.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) return undefined;
  const b = parse(r.body);
  if (!b.ok) return undefined;
  const validate = contract.validator(pointer);
  return validate(b.value) ? undefined : `the body breaks the contract: ${contract.ajv.errorsText(validate.errors, { separator: "; " }).slice(0, 300)}`;
}

/** Whether a request with a body to an operation that takes JSON is sent as another media type. */
function wrongMediaType(r: ProxiedRequest): boolean {
  if (r.body.trim() === "") return false;
  const op = contract.findOperation(r.method, pathOf(r));
  if (!op || !contract.requestSchemaPointer(op, "application/json")) return false;
  const type = (r.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  return type !== "application/json" && !type.endsWith("+json");
}

/**
 * The reference server carries out requests the contract refuses (a body that
 * breaks its schema, a query parameter out of its range, a JSON body sent as
 * text/plain): behind the proxy, such a request is answered 422 (415 for the
 * media type) and never reaches the server. It comes first in base(), so that
 * it judges the request as the suite sent it (crons, emulated, are judged the
 * same way: a refused request reaches no emulation).
 */
export const contractRefusals: Fault = refusalsExcept(() => false);

/** The contract's operation a request is sent to ("POST /assistants"), if any. */
export function operationKeyOf(r: ProxiedRequest): string | undefined {
  return contract.findOperation(r.method, pathOf(r))?.key;
}

/**
 * The contract's refusals, except for the requests `skip` picks: a mutant whose
 * bug is that the server carries out such requests (crons that accept any
 * schedule) is made on a base that does not refuse them for it.
 */
export function refusalsExcept(skip: (r: ProxiedRequest) => boolean): Fault {
  return {
    name: "contract refusals",
    request(r) {
      if (r.headers[ANSWER] || /^\/mcp\/?$/.test(pathOf(r)) || skip(r)) return r;
      if (wrongMediaType(r)) return answered(r, json(415, { detail: "The body must be application/json" }));
      const why = requestViolation(r);
      return why ? answered(r, json(422, { detail: why })) : r;
    },
    response: (q, s) => (q.headers[ANSWER] ? (JSON.parse(q.headers[ANSWER]) as ProxiedResponse) : s),
  };
}

/**
 * Checks (by id) or findings (by id) that do not pass on the base, with why the
 * proxy leaves the deviation unrepaired: docs/mutation-score.md lists each
 * check that does not pass on the base with the finding it is an instance of
 * and this reason.
 */
export const UNREPAIRED: Record<string, string> = {
  // Not offered by the reference server: the proxy would have to be the server.
  "STR-040": "the reference does not offer GET /threads/{thread_id}/stream; emulating a thread's stream of every run is the server's work, not a repair",
  "STR-041": "skips: the reference does not offer the thread stream (STR-040)",
  "STR-042": "skips: the reference does not offer the thread stream (STR-040)",
  "IOP-009": "skips: the reference does not offer the thread stream (STR-040)",
  "MTK-038": "the reference does not offer POST /runs/cancel (404); the proxy's hooks answer one request with one request, and this one cancels many runs",
  "MTK-039": "the reference does not offer POST /runs/cancel (MTK-038)",
  "MTK-042": "skips: POST /runs/cancel is not offered, so its 404 for an unknown run says nothing (MTK-038)",
  "SYS-020": "skips by design: the base emulates crons and declares flags.crons = true; the self-test resource-faults.test.ts judges SYS-020 behind cronsDeclaredOff()",
  // Behaviour of the server's runtime, which a proxy cannot change after the fact.
  "F-4f7e2af7":
    "rollback keeps the run it stops and its checkpoints on the reference; deleting them behind the proxy would mean issuing DELETEs the server does not make, and its history would still carry the checkpoints",
  "MTK-071": "a run that names no checkpoint after a run from an earlier checkpoint starts from the earlier branch on the reference (the server's checkpointer)",
  "HIL-004": "runs/wait of a run stopped at a breakpoint answers without the state's values at the break (the reference's runtime)",
  "HIL-005": "command.goto=__end__ on a paused thread runs the paused node on the reference (its runtime)",
  "RUN-034": "join of a run stopped by interrupt() answers without the thread's values at the interrupt (the reference's runtime)",
  "RUN-035": "join of a failed run answers the values without __error__ (the reference's runtime; a repair would have to know the run failed)",
  "SUB-019": "the reference draws no nodes below the first level of subgraphs for xray=2 (its graph drawing)",
  "SUB-020": "the reference draws no nodes below the first level of subgraphs for xray=true (its graph drawing)",
  "AST-103": "the reference draws no subgraph nodes with xray=true for this graph (its graph drawing)",
  "THR-051": "the reference's values filter of POST /threads/search matches more threads than the values given (a search the proxy cannot redo without every thread's state)",
  "THR-071": "the reference's count with a values filter counts threads the filter excludes (THR-051's deviation in count)",
  "STO-025": "the reference lists store items in the order they were first put, not by their last update (a repair would need every item's update time)",
  "STO-045": "the reference keeps listing a namespace whose only item was deleted (MAY)",
  "THR-159": "POST /threads/{thread_id}/history without limit answers every state; answering one would break every other caller of the history that relies on the reference's default",
  "MTK-092": "the webhook delivery goes from the server to the suite's receiver directly, not through the proxy",
  "SSE-007": "some 'checkpoints' events of the reference lack config (a stream repair would have to invent the checkpoint's config)",
  "STR-032": "joining the stream of an unknown run answers 200 with an error event; the proxy sends a stream's headers at once (it keeps the timing), so it cannot turn that stream into a 404",
  // Bodies the contract allows that the reference refuses, where the proxy cannot say what the reference would take instead.
  "PBT-005": "POST /assistants/{assistant_id}/versions answers 404 for a generated valid body (the reference)",
  "PBT-007": "POST /threads with supersteps answers 422 'has no graph ID' for a valid body (the reference needs a graph to apply supersteps)",
  "PBT-012": "the reference refuses a checkpoint_id that is not a UUID (the contract takes any string)",
  "PBT-013": "the reference refuses a checkpoint_id that is not a UUID (the contract takes any string)",
  "PBT-014": "the reference refuses a checkpoint_id that is not a UUID (the contract takes any string)",
  "PBT-015": "the reference refuses a checkpoint_id that is not a UUID (the contract takes any string)",
  "PBT-016": "the reference refuses a checkpoint_id that is not a UUID (the contract takes any string)",
  "PBT-019": "the reference refuses command.update as a list of values (the contract takes it)",
  "PBT-018": "the reference refuses command.update as a list of values (the contract takes it)",
  "PBT-020": "the reference refuses command.update as a list of values (the contract takes it)",
  "PBT-021": "the reference refuses command.update as a list of values (the contract takes it)",
  "PBT-011": "the reference answers 500 to a checkpoint_ns it does not know in a state update (the contract takes any string)",
  "PBT-029": "POST /store/namespaces answers 'Namespace is required' for an empty suffix (the contract takes it)",
  // The auth profile runs against the reference with the fixture auth, without the emulations.
  "AUT-060": "crons are emulated for the main server only (the emulations know no users): the auth profile meets the reference's own cron answers",
  "AUT-016": "the reference with the fixture auth runs another user's assistant (the fixture's authorization handlers do not filter assistants by owner on runs)",
  "AUT-017": "the reference with the fixture auth carries another user's assistant in a run's answer (AUT-016)",
  "AUT-098": "the reference with the fixture auth refuses some cross-user requests with 409 or answers a stream (the fixture auth's handlers)",
};
