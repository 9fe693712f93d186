// Mutants of what a running graph receives (RTM-*) and of human-in-the-loop on
// the root graph (HIL-*): a run's context, config or metadata that never
// reaches the graph, a store that is not the graph's, checkpoints that keep
// what they should not or lack what they should, state updates and commands
// that are answered but not carried out, thread statuses that do not follow.

import { ASSISTANT, changeStatus, createsRun, editEach, editOk, ignoreFields, json, KEPT, pathOf, queryOf, route, THREAD, type Match } from "../faults";
import { m, type Mutant } from "../mutant";
import { rewriteRequestJson, type Fault, type ProxiedRequest, type ProxiedResponse, parseJson } from "../proxy";

const ID = "[0-9a-fA-F-]{36}";
const HISTORY: Match = (r) => /^\/threads\/[^/]+\/history$/.test(pathOf(r)) && (r.method === "GET" || r.method === "POST");
const STATE_GET: Match = (r) => r.method === "GET" && /^\/threads\/[^/]+\/state$/.test(pathOf(r));
const STATE_POST: Match = (r) => r.method === "POST" && new RegExp(`^/threads/${ID}/state$`).test(pathOf(r));
const SCHEMAS: Match = (r) => r.method === "GET" && /^\/assistants\/[^/]+\/schemas$/.test(pathOf(r));
const CANCEL: Match = (r) => r.method === "POST" && new RegExp(`^/threads/${ID}/runs/${ID}/cancel$`).test(pathOf(r));

/** The thread id of a path under /threads/{thread_id}, if any. */
const threadIdOf = (r: ProxiedRequest): string | undefined => new RegExp(`^/threads/(${ID})(?:/|$)`).exec(pathOf(r))?.[1];

/** A request body edited when it is a JSON object. */
const editBody = (match: Match, edit: (b: Record<string, any>) => Record<string, any>): Fault["request"] =>
  rewriteRequestJson(match, (b) => (b && typeof b === "object" && !Array.isArray(b) ? edit(b) : b));

/**
 * A run's object (context, or config.configurable) replaces its assistant's
 * instead of being added to it: the assistant's keys the run does not give are
 * sent as null, so the graph no longer sees them. The assistant's own values
 * are learnt from the answers of POST and PATCH /assistants.
 */
function replacesAssistants(pick: (holder: any) => Record<string, unknown> | undefined, put: (body: Record<string, any>, value: Record<string, unknown>) => void): Omit<Fault, "name"> {
  const known = new Map<string, Record<string, unknown>>();
  return {
    observe(q, s) {
      if (s.status !== 200) return;
      if ((q.method === "POST" && pathOf(q) === "/assistants") || (q.method === "PATCH" && ASSISTANT.test(pathOf(q)))) {
        const a = parseJson(s.body);
        const v = pick(a);
        if (typeof a?.assistant_id === "string" && v && typeof v === "object") known.set(a.assistant_id, v);
      }
    },
    request: editBody(createsRun, (b) => {
      const own = pick(b);
      const asst = known.get(b.assistant_id);
      if (!own || !asst) return b;
      const replaced: Record<string, unknown> = { ...own };
      for (const k of Object.keys(asst)) if (!(k in own)) replaced[k] = null;
      put(b, replaced);
      return b;
    }),
  };
}

/** The HTTP store kept apart from the graphs' store: PUT and GET of items go to a store of the proxy's own. */
function storeApart(): Omit<Fault, "name"> {
  const items = new Map<string, unknown>();
  const ANSWER = "x-lgc-fault-answer";
  const keyOf = (ns: unknown, key: unknown) => JSON.stringify([Array.isArray(ns) ? ns.join(".") : ns, key]);
  const kept = (r: ProxiedRequest, answer: ProxiedResponse): ProxiedRequest => ({
    ...r,
    method: "GET",
    path: "/ok",
    body: "",
    headers: { ...r.headers, [KEPT]: "1", [ANSWER]: JSON.stringify(answer) },
  });
  return {
    request(r) {
      if (pathOf(r) !== "/store/items") return r;
      if (r.method === "PUT") {
        const b = parseJson(r.body);
        if (!b || !Array.isArray(b.namespace)) return r;
        items.set(keyOf(b.namespace, b.key), { namespace: b.namespace, key: b.key, value: b.value, created_at: new Date().toISOString(), updated_at: new Date().toISOString() });
        return kept(r, { status: 204, headers: {}, body: "" });
      }
      if (r.method === "GET") {
        const q = queryOf(r);
        const item = items.get(keyOf(q.get("namespace"), q.get("key")));
        return kept(r, item ? json(200, item) : json(404, { detail: "Item not found" }));
      }
      if (r.method === "DELETE") {
        const b = parseJson(r.body);
        if (b && Array.isArray(b.namespace)) items.delete(keyOf(b.namespace, b.key));
      }
      return r;
    },
    response: (q, s) => (q.headers[KEPT] && q.headers[ANSWER] ? (JSON.parse(q.headers[ANSWER]) as ProxiedResponse) : s),
  };
}

/** The run-creating requests' context, remembered by thread, written into the metadata of that thread's checkpoints. */
function contextInCheckpoints(): Omit<Fault, "name"> {
  const byThread = new Map<string, unknown>();
  const withContext = (st: any, q: ProxiedRequest) => {
    const ctx = byThread.get(threadIdOf(q) ?? "");
    return ctx === undefined || !st || typeof st !== "object" ? st : { ...st, metadata: { ...(st.metadata ?? {}), context: ctx } };
  };
  return {
    request(r) {
      if (createsRun(r)) {
        const b = parseJson(r.body);
        const t = threadIdOf(r);
        if (t && b?.context && typeof b.context === "object") byThread.set(t, b.context);
      }
      return r;
    },
    response: editEach(
      (r) => HISTORY(r) || STATE_GET(r),
      (st, q) => withContext(st, q),
    ),
  };
}

/** Threads that got a state update read idle where they are interrupted, until a run is created on them. */
function updateClearsInterrupted(): Omit<Fault, "name"> {
  const updated = new Set<string>();
  return {
    observe(q, s) {
      const t = threadIdOf(q);
      if (t && STATE_POST(q) && s.status === 200) updated.add(t);
      if (t && createsRun(q)) updated.delete(t);
    },
    response: editEach(route("GET", THREAD), (t) => (updated.has(t.thread_id) && t.status === "interrupted" ? { ...t, status: "idle" } : t)),
  };
}

/** A state update answered 200 with the latest checkpoint, and not carried out. */
function updateNotApplied(): Omit<Fault, "name"> {
  return {
    request: (r) => (STATE_POST(r) ? { ...r, method: "GET", body: "", headers: { ...r.headers, [KEPT]: "1" } } : r),
    response: (q, s) => {
      if (!q.headers[KEPT] || !STATE_GET(q) || s.status !== 200) return s;
      return json(200, { checkpoint: parseJson(s.body)?.checkpoint ?? {} });
    },
  };
}

/** Threads whose run was cancelled keep reading busy. */
function cancelledStaysBusy(): Omit<Fault, "name"> {
  const cancelled = new Set<string>();
  return {
    observe(q, s) {
      const t = threadIdOf(q);
      if (t && CANCEL(q) && s.status < 300) cancelled.add(t);
    },
    response: editEach(route("GET", THREAD), (t) => (cancelled.has(t.thread_id) && t.status !== "busy" ? { ...t, status: "busy" } : t)),
  };
}

const hasInput = (b: Record<string, any>) => b.input !== undefined && b.input !== null;

export const RUNTIME_HITL_MUTANTS: Mutant[] = [
  // ---------------------------------------------------------------- what a running graph receives
  m(
    "run-context-ignored",
    "request",
    "A run's context never reaches the graph",
    ["RTM-001", "RTM-004"],
    () => ({
      request: ignoreFields(createsRun, "context"),
    }),
    { catches: ["RTM-001", "RTM-004"] },
  ),
  m(
    "assistant-context-ignored",
    "request",
    "POST /assistants drops the assistant's context: its runs run without it",
    ["RTM-002"],
    () => ({
      request: ignoreFields(route("POST", "/assistants"), "context"),
    }),
    { catches: ["RTM-002"] },
  ),
  m(
    "assistant-patch-context-ignored",
    "request",
    "PATCH /assistants/{assistant_id} answers 200 but keeps the old context",
    ["RTM-003"],
    () => ({
      request: ignoreFields(route("PATCH", ASSISTANT), "context"),
    }),
    { catches: ["RTM-003"] },
  ),
  m(
    "run-context-replaces-assistant-context",
    "request",
    "A run's context replaces its assistant's instead of being added to it",
    ["RTM-004"],
    () =>
      replacesAssistants(
        (h) => (h?.context && typeof h.context === "object" && Object.keys(h.context).length > 0 ? h.context : undefined),
        (b, v) => void (b.context = v),
      ),
    { catches: ["RTM-004"] },
  ),
  m(
    "run-configurable-ignored",
    "request",
    "A run's config.configurable never reaches the graph",
    ["RTM-005", "RTM-006"],
    () => ({
      request: editBody(createsRun, (b) => {
        if (b.config && typeof b.config === "object") delete b.config.configurable;
        return b;
      }),
    }),
    { catches: ["RTM-005", "RTM-006"] },
  ),
  m(
    "run-configurable-replaces-assistant-config",
    "request",
    "A run's config.configurable replaces its assistant's instead of being merged with it",
    ["RTM-006"],
    () =>
      replacesAssistants(
        (h) => (h?.config?.configurable && typeof h.config.configurable === "object" && Object.keys(h.config.configurable).length > 0 ? h.config.configurable : undefined),
        (b, v) => void (b.config = { ...b.config, configurable: v }),
      ),
    { catches: ["RTM-006"] },
  ),
  m(
    "recursion-limit-ignored",
    "request",
    "A run's config.recursion_limit is ignored (the default limit applies)",
    ["RTM-007"],
    () => ({
      request: editBody(createsRun, (b) => {
        if (b.config && typeof b.config === "object") delete b.config.recursion_limit;
        return b;
      }),
    }),
    { catches: ["RTM-007"] },
  ),
  m(
    "store-apart-from-graphs",
    "request",
    "The HTTP store is not the graphs' store: items PUT over HTTP never reach a node, items a node writes are never read over HTTP",
    ["RTM-008", "RTM-009"],
    storeApart,
    { catches: ["RTM-008", "RTM-009"] },
  ),
  m(
    "run-metadata-not-in-checkpoints",
    "request",
    "A run's metadata does not reach the checkpoints it makes",
    ["RTM-010"],
    () => ({
      request: ignoreFields(createsRun, "metadata"),
    }),
    { catches: ["RTM-010"] },
  ),
  m(
    "checkpoint-metadata-without-source",
    "response",
    "The history's checkpoints carry no source and step in their metadata",
    ["RTM-011"],
    () => ({
      response: editEach(HISTORY, (st) => {
        if (!st.metadata || typeof st.metadata !== "object") return st;
        const { source: _s, step: _t, ...rest } = st.metadata;
        return { ...st, metadata: rest };
      }),
    }),
    { catches: ["RTM-011"] },
  ),
  m("run-context-in-checkpoints", "response", "A run's context is kept in the metadata of its thread's checkpoints", ["RTM-012"], contextInCheckpoints, { catches: ["RTM-012"] }),
  m(
    "schemas-without-context",
    "response",
    "GET /assistants/{assistant_id}/schemas leaves out the context_schema the graph declares",
    ["RTM-013"],
    () => ({
      response: editOk(SCHEMAS, (b) => {
        if (b && typeof b === "object") delete b.context_schema;
        return b;
      }),
    }),
    { catches: ["RTM-013"] },
  ),
  m(
    "schemas-state-only",
    "response",
    "GET /assistants/{assistant_id}/schemas gives the state schema only (no input_schema, no output_schema)",
    ["RTM-014"],
    () => ({
      response: editOk(SCHEMAS, (b) => {
        if (b && typeof b === "object") {
          delete b.input_schema;
          delete b.output_schema;
        }
        return b;
      }),
    }),
    { catches: ["RTM-014"] },
  ),

  // ---------------------------------------------------------------- human in the loop
  m("update-clears-interrupted", "response", "A state update on a thread paused at a breakpoint makes it read idle", ["HIL-001"], updateClearsInterrupted, { catches: ["HIL-001"] }),
  m("state-update-not-applied", "request", "POST /threads/{thread_id}/state answers 200 with a checkpoint but changes nothing", ["HIL-002", "HIL-015"], updateNotApplied, {
    catches: ["HIL-002", "HIL-015"],
  }),
  m(
    "state-tasks-empty",
    "response",
    "GET /threads/{thread_id}/state answers no tasks while the thread waits at a breakpoint",
    ["HIL-003"],
    () => ({
      response: editOk(STATE_GET, (b) => (b && typeof b === "object" && Array.isArray(b.tasks) ? { ...b, tasks: [] } : b)),
    }),
    { catches: ["HIL-003"] },
  ),
  m(
    "interrupt-id-dropped",
    "response",
    "The interrupts of a state's tasks carry no id",
    ["HIL-006"],
    () => ({
      response: editOk(STATE_GET, (b) =>
        b && Array.isArray(b.tasks) ? { ...b, tasks: b.tasks.map((t: any) => (Array.isArray(t?.interrupts) ? { ...t, interrupts: t.interrupts.map(({ id: _id, ...i }: any) => i) } : t)) } : b,
      ),
    }),
    { catches: ["HIL-006"] },
  ),
  m(
    "thread-interrupts-by-interrupt-id",
    "response",
    "Thread.interrupts is keyed by each interrupt's own id, not by the id of the task that raised it",
    ["HIL-007"],
    () => ({
      response: editEach(route("GET", THREAD), (t) => {
        if (!t.interrupts || typeof t.interrupts !== "object") return t;
        const rekeyed: Record<string, unknown[]> = {};
        for (const list of Object.values(t.interrupts)) for (const i of Array.isArray(list) ? list : []) rekeyed[String((i as any)?.id)] = [i];
        return { ...t, interrupts: rekeyed };
      }),
    }),
    { catches: ["HIL-007"] },
  ),
  m(
    "command-update-needs-resume",
    "request",
    "command.update is applied only together with command.resume",
    ["HIL-009", "HIL-010"],
    () => ({
      request: editBody(createsRun, (b) => {
        if (b.command && typeof b.command === "object" && b.command.resume === undefined) delete b.command.update;
        return b;
      }),
    }),
    { catches: ["HIL-009", "HIL-010"] },
  ),
  m(
    "command-update-pairs-ignored",
    "request",
    "command.update given as a list of [key, value] pairs is ignored",
    ["HIL-010"],
    () => ({
      request: editBody(createsRun, (b) => {
        if (Array.isArray(b.command?.update)) delete b.command.update;
        return b;
      }),
    }),
    { catches: ["HIL-010"] },
  ),
  m(
    "input-wins-over-command",
    "request",
    "A run created with both input and command runs the input and drops the command",
    ["HIL-011"],
    () => ({
      request: editBody(createsRun, (b) => {
        if (hasInput(b) && b.command) delete b.command;
        return b;
      }),
    }),
    { catches: ["HIL-011"] },
  ),
  m(
    "pending-thread-reads-idle",
    "response",
    "A thread whose run is pending reads idle, not busy",
    ["HIL-012"],
    () => ({
      response: editEach(route("GET", THREAD), (t) => (t.status === "busy" ? { ...t, status: "idle" } : t)),
    }),
    { catches: ["HIL-012"] },
  ),
  m(
    "busy-update-accepted",
    "response",
    "A state update of a busy thread answers 200 instead of 409",
    ["HIL-013"],
    () => ({
      response: changeStatus(STATE_POST, 409, 200),
    }),
    { catches: ["HIL-013"] },
  ),
  m("cancelled-thread-stays-busy", "response", "A thread whose pending run was cancelled keeps reading busy", ["HIL-014"], cancelledStaysBusy, { catches: ["HIL-014"] }),
];
