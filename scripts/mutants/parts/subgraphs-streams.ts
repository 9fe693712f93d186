// Mutants of the subgraph checks (SUB-*) and of the checks of what stream modes
// carry and how streams end (STC-*): one realistic bug each, made by the fault
// proxy on the repaired reference server.

import { randomUUID } from "node:crypto";
import { changeStatus, dropQuery, ignoreFields, json, KEPT, pathOf, route, THREAD, editOk, type Match } from "../faults";
import { m, type Mutant } from "../mutant";
import { editEvents, neverEnding, rewriteRequestJson, type ProxiedRequest, type StreamTransform, parseJson } from "../proxy";

const ID = "[0-9a-fA-F-]{36}";
const at = (path: string) => new RegExp(`^${path.replace(/\{id\}/g, ID)}$`);
const get = (path: string): Match => route("GET", at(path));
const post = (path: string): Match => route("POST", at(path));

const STATE = get("/threads/{id}/state");
const STATE_AT = get("/threads/{id}/state/{id}");
const STATE_POST = post("/threads/{id}/state/checkpoint");
const UPDATE = post("/threads/{id}/state");
const HISTORY = post("/threads/{id}/history");
const SUBGRAPHS = route("GET", new RegExp(`^/assistants/${ID}/subgraphs$`));
const GRAPH = route("GET", new RegExp(`^/assistants/${ID}/graph$`));
const THREAD_RUN_CREATE: Match = (r) => r.method === "POST" && new RegExp(`^/threads/${ID}/runs(/stream|/wait)?$`).test(pathOf(r));

/** One event of a stream block: its name, its data read as JSON, and the block's other lines (id:, retry:, comments). */
interface Block {
  name: string;
  data: any;
  raw: string;
}

function readBlock(raw: string): Block {
  const name = /^event: ?(.*)$/m.exec(raw)?.[1] ?? "message";
  const data = parseJson(
    raw
      .split("\n")
      .filter((l) => l.startsWith("data:"))
      .map((l) => l.replace(/^data: ?/, ""))
      .join("\n"),
  );
  return { name, data, raw };
}

function writeBlock(b: Block, name: string, data: unknown): string {
  const others = b.raw.split("\n").filter((l) => l !== "" && !l.startsWith("event:") && !l.startsWith("data:"));
  return [...others, `event: ${name}`, `data: ${JSON.stringify(data)}`, "", ""].join("\n");
}

/**
 * Rewrites a stream's events one by one: `edit` answers the event's new data
 * (undefined: unchanged), or null to drop it. `req` says which request the stream answers.
 */
function mapEvents(edit: (name: string, data: any, req: ProxiedRequest) => unknown, only: Match = () => true): StreamTransform {
  return (req, head, body, signal) => {
    if (!only(req)) return body;
    return editEvents((raw) => {
      if (!/\S/.test(raw) || !/^event:/m.test(raw)) return undefined;
      const b = readBlock(raw);
      const out = edit(b.name, b.data, req);
      if (out === null) return null;
      return out === undefined ? undefined : writeBlock(b, b.name, out);
    })(req, head, body, signal);
  };
}

/** Holds the events `pick` chooses and sends them at the end of the stream (before a closing `end`); the others pass at once. */
function moveToEnd(pick: (b: Block) => boolean): StreamTransform {
  const moved: string[] = [];
  let end: string | undefined;
  return editEvents(
    (raw) => {
      if (!/^event:/m.test(raw)) return undefined;
      const b = readBlock(raw);
      if (b.name === "end") {
        end = raw;
        return null;
      }
      if (!pick(b)) return undefined;
      moved.push(raw);
      return null;
    },
    () => [...moved, ...(end !== undefined ? [end] : [])],
  );
}

/** Does a stream request ask for the messages stream mode (in its body, or a join's query)? */
const asksMessages = (req: ProxiedRequest): boolean => {
  const modes = [parseJson(req.body)?.stream_mode ?? new URL(req.path, "http://proxy.invalid").searchParams.getAll("stream_mode")].flat();
  return modes.some((x) => typeof x === "string" && x.startsWith("messages"));
};

const base = (name: string) => name.split("|")[0]!;
const namespaced = (name: string) => name.includes("|");

/** A request body's field `key` of `checkpoint` removed. */
const withoutCheckpointNs = (match: Match) =>
  rewriteRequestJson(match, (b) => {
    if (b?.checkpoint && typeof b.checkpoint === "object") delete b.checkpoint.checkpoint_ns;
    return b;
  });

/** Requests whose multitask_strategy is `from` carried out with `to`. */
const strategyAs = (from: string, to: string) => rewriteRequestJson(THREAD_RUN_CREATE, (b) => (b?.multitask_strategy === from ? { ...b, multitask_strategy: to } : b));

export const SUBGRAPHS_STREAMS_MUTANTS: Mutant[] = [
  // ---------------------------------------------------------------- subgraphs: state while paused
  m(
    "subgraph-next-names-innermost",
    "response",
    "A thread paused inside a subgraph names the innermost paused node in next, not the root's subgraph node",
    ["SUB-001"],
    () => ({
      response: editOk(STATE, (b) => (Array.isArray(b?.next) && b.next.includes("outer") ? { ...b, next: ["ask"] } : b)),
    }),
    { catches: ["SUB-001"] },
  ),
  m(
    "subgraph-interrupt-reads-idle",
    "response",
    "A thread whose interrupt was raised inside a subgraph reads idle",
    ["SUB-002"],
    () => ({
      response: editOk(route("GET", THREAD), (b) => (b?.status === "interrupted" ? { ...b, status: "idle" } : b)),
    }),
    { catches: ["SUB-002"] },
  ),
  m(
    "subgraph-task-checkpoint-dropped",
    "response",
    "The state's tasks carry no checkpoint of the subgraph they run",
    ["SUB-003"],
    () => ({
      response: editOk(STATE, (b) => (Array.isArray(b?.tasks) ? { ...b, tasks: b.tasks.map((t: any) => ({ ...t, checkpoint: null })) } : b)),
    }),
    { catches: ["SUB-003"] },
  ),
  m("state-subgraphs-ignored", "request", "GET /threads/{thread_id}/state ignores subgraphs=true", ["SUB-004"], () => ({ request: dropQuery(STATE, "subgraphs") }), { catches: ["SUB-004"] }),
  m("state-at-subgraphs-ignored", "request", "GET /threads/{thread_id}/state/{checkpoint_id} ignores subgraphs=true", ["SUB-005"], () => ({ request: dropQuery(STATE_AT, "subgraphs") }), {
    catches: ["SUB-005"],
  }),
  m("state-checkpoint-subgraphs-ignored", "request", "POST /threads/{thread_id}/state/checkpoint ignores subgraphs", ["SUB-006"], () => ({ request: ignoreFields(STATE_POST, "subgraphs") }), {
    catches: ["SUB-006"],
  }),
  m(
    "finished-state-keeps-tasks",
    "response",
    "The state of a thread whose run has finished still lists the last step's task",
    ["SUB-007"],
    () => ({
      response: editOk(STATE, (b) =>
        Array.isArray(b?.next) && b.next.length === 0 && Array.isArray(b.tasks) && b.tasks.length === 0 ? { ...b, tasks: [{ id: randomUUID(), name: "finish", error: null, interrupts: [] }] } : b,
      ),
    }),
    { catches: ["SUB-007"] },
  ),
  // ---------------------------------------------------------------- subgraphs: their own state
  m(
    "state-checkpoint-ns-ignored",
    "request",
    "POST /threads/{thread_id}/state/checkpoint ignores checkpoint_ns (answers the root graph's state)",
    ["SUB-008"],
    () => ({ request: withoutCheckpointNs(STATE_POST) }),
    { catches: ["SUB-008"] },
  ),
  m("state-update-ns-ignored", "request", "POST /threads/{thread_id}/state ignores checkpoint_ns (writes into the root graph)", ["SUB-009"], () => ({ request: withoutCheckpointNs(UPDATE) }), {
    catches: ["SUB-009"],
  }),
  m(
    "state-update-subgraph-not-written",
    "request",
    "A state update naming a subgraph's checkpoint_ns is answered as done but written nowhere",
    ["SUB-009", "SUB-010"],
    () => ({
      // Carried out as a read of that subgraph's state; answered with the checkpoint read.
      request: (r) => {
        if (!UPDATE(r) || !(parseJson(r.body)?.checkpoint?.checkpoint_ns ?? "")) return r;
        return { ...r, path: `${pathOf(r)}/checkpoint`, body: JSON.stringify({ checkpoint: parseJson(r.body).checkpoint }), headers: { ...r.headers, [KEPT]: "1" } };
      },
      response: (q, s) => (q.headers[KEPT] && s.status === 200 ? json(200, { checkpoint: parseJson(s.body)?.checkpoint }) : s),
    }),
    { catches: ["SUB-009", "SUB-010"] },
  ),
  // ---------------------------------------------------------------- subgraphs: history
  m(
    "history-root-lists-subgraphs",
    "response",
    "History without checkpoint_ns also lists a subgraph's checkpoints",
    ["SUB-011"],
    () => ({
      response: editOk(HISTORY, (b, q) =>
        Array.isArray(b) && b.length > 0 && !parseJson(q.body)?.checkpoint ? [...b, { ...b[0], next: ["enter"], checkpoint: { ...b[0].checkpoint, checkpoint_ns: `outer:${randomUUID()}` } }] : b,
      ),
    }),
    { catches: ["SUB-011"] },
  ),
  m(
    "history-checkpoint-ns-ignored",
    "request",
    "History ignores the checkpoint (namespace) it is given: every namespace gets the root's history",
    ["SUB-012"],
    () => ({ request: ignoreFields(HISTORY, "checkpoint") }),
    { catches: ["SUB-012"] },
  ),
  // ---------------------------------------------------------------- subgraphs: streams
  m(
    "resume-stream_subgraphs-ignored",
    "request",
    "A run that resumes (command) ignores stream_subgraphs",
    ["SUB-013"],
    () => ({
      request: rewriteRequestJson(THREAD_RUN_CREATE, (b) => {
        if (b?.command) delete b.stream_subgraphs;
        return b;
      }),
    }),
    { catches: ["SUB-013"] },
  ),
  m(
    "stream-subgraph-events-last",
    "stream",
    "A subgraph's events are sent after the parent graph's (all namespaced events at the end)",
    ["SUB-014"],
    () => ({
      stream: moveToEnd((b) => namespaced(b.name)),
    }),
    { catches: ["SUB-014"] },
  ),
  m(
    "stream-namespace-comma",
    "stream",
    "The segments of a nested namespace are joined with ',' (updates|outer:1,inner:2)",
    ["SUB-015"],
    () => ({
      stream: editEvents((raw) => raw.replace(/^event: ([^|\n]+)\|([^\n]+)$/m, (_l, b: string, ns: string) => `event: ${b}|${ns.replace(/\|/g, ",")}`)),
    }),
    { catches: ["SUB-015"] },
  ),
  // ---------------------------------------------------------------- subgraphs: the assistant's graph
  m("subgraphs-recurse-ignored", "request", "GET /assistants/{assistant_id}/subgraphs ignores recurse", ["SUB-016"], () => ({ request: dropQuery(SUBGRAPHS, "recurse") }), { catches: ["SUB-016"] }),
  m(
    "subgraphs-recurse-by-default",
    "request",
    "GET /assistants/{assistant_id}/subgraphs recurses without recurse=true",
    ["SUB-017"],
    () => ({
      request: (r) => (SUBGRAPHS(r) && !/[?&]recurse=/.test(r.path) ? { ...r, path: `${r.path}${r.path.includes("?") ? "&" : "?"}recurse=true` } : r),
    }),
    { catches: ["SUB-017"] },
  ),
  m(
    "graph-xray-integer-ignored",
    "request",
    "GET /assistants/{assistant_id}/graph reads an integer xray as false",
    ["SUB-018", "SUB-019"],
    () => ({
      request: (r) => (GRAPH(r) ? { ...r, path: r.path.replace(/([?&]xray=)[0-9]+/, "$1false") } : r),
    }),
    { catches: ["SUB-018", "SUB-019"] },
  ),

  // ---------------------------------------------------------------- stream modes against history
  m(
    "stream-checkpoints-input-dropped",
    "stream",
    "stream_mode checkpoints leaves out the run's first (input) checkpoint",
    ["STC-001"],
    () => {
      const first = new Set<string>();
      return {
        stream: mapEvents((name, _d, req) => {
          if (name !== "checkpoints" || first.has(req.path + req.body)) return undefined;
          first.add(req.path + req.body);
          return null;
        }),
      };
    },
    { catches: ["STC-001"] },
  ),
  m(
    "stream-debug-parent-is-self",
    "stream",
    "debug checkpoint events name the checkpoint itself as its parent",
    ["STC-002"],
    () => ({
      stream: mapEvents((name, d) =>
        base(name) === "debug" && d?.type === "checkpoint" && d.payload ? { ...d, payload: { ...d.payload, parent_checkpoint: d.payload.checkpoint, parent_config: d.payload.config } } : undefined,
      ),
    }),
    { catches: ["STC-002"] },
  ),
  m(
    "stream-task-results-dropped",
    "stream",
    "stream_mode tasks sends the tasks' starts but not their results",
    ["STC-003"],
    () => ({
      stream: mapEvents((name, d) => (base(name) === "tasks" && d && typeof d === "object" && ("result" in d || "error" in d) ? null : undefined)),
    }),
    { catches: ["STC-003"] },
  ),
  m("stream-tasks-late", "stream", "tasks events are sent after the run's checkpoints (all at the end of the stream)", ["STC-004"], () => ({ stream: moveToEnd((b) => base(b.name) === "tasks") }), {
    catches: ["STC-004"],
  }),
  m(
    "stream-values-step-missing",
    "stream",
    "stream_mode values skips a step (the second values event of a run is not sent)",
    ["STC-005"],
    () => {
      const seen = new Map<string, number>();
      return {
        stream: mapEvents((name, _d, req) => {
          if (name !== "values") return undefined;
          const k = req.path + req.body;
          const n = (seen.get(k) ?? 0) + 1;
          seen.set(k, n);
          return n === 2 ? null : undefined;
        }),
      };
    },
    { catches: ["STC-005"] },
  ),
  m(
    "stream-attempt-from-zero",
    "stream",
    "The metadata event counts attempts from 0",
    ["STC-006"],
    () => ({
      stream: mapEvents((name, d) => (name === "metadata" && d && typeof d === "object" ? { ...d, attempt: 0 } : undefined)),
    }),
    { catches: ["STC-006"] },
  ),
  // ---------------------------------------------------------------- messages and events
  m(
    "stream-partials-as-deltas",
    "stream",
    "messages/partial events carry each token alone instead of the message so far",
    ["STC-007"],
    () => {
      const sofar = new Map<string, string>();
      return {
        stream: mapEvents((name, d) =>
          base(name) === "messages/partial" && Array.isArray(d)
            ? d.map((msg) => {
                if (typeof msg?.content !== "string") return msg;
                const before = sofar.get(msg.id) ?? "";
                sofar.set(msg.id, msg.content);
                return { ...msg, content: msg.content.startsWith(before) ? msg.content.slice(before.length) : msg.content };
              })
            : undefined,
        ),
      };
    },
    { catches: ["STC-007"] },
  ),
  m(
    "stream-messages-complete-dropped",
    "stream",
    "stream_mode messages never sends messages/complete",
    ["STC-008"],
    () => ({
      stream: mapEvents((name) => (base(name) === "messages/complete" ? null : undefined)),
    }),
    { catches: ["STC-008"] },
  ),
  m(
    "stream-values-lost-with-messages",
    "stream",
    "values events are not sent when stream_mode also has messages",
    ["STC-009"],
    () => ({
      // Decided by what the request asks for (the stream's modes), so that the events pass as they come.
      stream: (req, head, body, signal) => (asksMessages(req) ? editEvents((raw) => (/^event: values(\||\n)/m.test(raw) ? null : undefined))(req, head, body, signal) : body),
    }),
    { catches: ["STC-009"] },
  ),
  m(
    "stream-events-no-chat-model",
    "stream",
    "stream_mode events leaves out the chat model's callback events",
    ["STC-010"],
    () => ({
      stream: mapEvents((name, d) => (base(name) === "events" && typeof d?.event === "string" && d.event.startsWith("on_chat_model") ? null : undefined)),
    }),
    { catches: ["STC-010"] },
  ),
  m(
    "stream-tuple-model-tokens-only",
    "stream",
    "stream_mode messages-tuple sends model tokens only, not a message a node returns",
    ["STC-011"],
    () => ({
      stream: mapEvents((name, d) => (base(name) === "messages" && Array.isArray(d) && d[0] && typeof d[0] === "object" && !("tool_call_chunks" in d[0]) ? null : undefined)),
    }),
    { catches: ["STC-011"] },
  ),
  // ---------------------------------------------------------------- errors
  m(
    "join-error-dropped",
    "stream",
    "A joined stream of a failing run ends without its error event",
    ["STC-012"],
    () => ({
      stream: mapEvents(
        (name) => (base(name) === "error" ? null : undefined),
        (r) => r.method === "GET",
      ),
    }),
    { catches: ["STC-012"] },
  ),
  m(
    "stream-error-class-generic",
    "stream",
    "The error event says 'Error' whatever the node raised",
    ["STC-013"],
    () => ({
      stream: mapEvents((name, d) => (base(name) === "error" && d && typeof d === "object" ? { ...d, error: "Error" } : undefined)),
    }),
    { catches: ["STC-013"] },
  ),
  // ---------------------------------------------------------------- streams that something else ends
  m("stream-outlives-its-run", "stream", "A run stream stays open after its run was cancelled or interrupted", ["STC-014", "STC-015"], () => ({ stream: neverEnding() }), {
    catches: ["STC-014", "STC-015"],
  }),
  m(
    "streamed-busy-interrupt-as-enqueue",
    "request",
    "multitask_strategy=interrupt on a thread busy with a streamed run is carried out as enqueue",
    ["STC-015"],
    () => ({ request: strategyAs("interrupt", "enqueue") }),
    { catches: ["STC-015"] },
  ),
  m(
    "streamed-busy-reject-as-enqueue",
    "request",
    "multitask_strategy=reject on a thread busy with a streamed run is carried out as enqueue",
    ["STC-017"],
    () => ({ request: strategyAs("reject", "enqueue") }),
    { catches: ["STC-017"] },
  ),
  m(
    "streamed-busy-enqueue-as-interrupt",
    "request",
    "multitask_strategy=enqueue on a thread busy with a streamed run interrupts it",
    ["STC-018"],
    () => ({ request: strategyAs("enqueue", "interrupt") }),
    { catches: ["STC-018"] },
  ),
  m(
    "replay-while-running-loses-events",
    "stream",
    "Joining with Last-Event-ID -1 while the run runs loses the events sent before the join",
    ["STC-019"],
    () => ({
      stream: (req, head, body, signal) =>
        req.method === "GET" && req.headers["last-event-id"] === "-1" ? editEvents((_raw, i) => (i === 1 || i === 2 ? null : undefined))(req, head, body, signal) : body,
    }),
    { catches: ["STC-019"] },
  ),
  // ---------------------------------------------------------------- unknown assistants
  m(
    "unknown-assistant-stream-200",
    "response",
    "POST /threads/{thread_id}/runs/stream answers 200 for an assistant that does not exist",
    ["STC-020"],
    () => ({
      response: changeStatus(post("/threads/{id}/runs/stream"), 404, 200),
    }),
    { catches: ["STC-020"] },
  ),
  m(
    "unknown-assistant-wait-200",
    "response",
    "POST /threads/{thread_id}/runs/wait answers 200 for an assistant that does not exist",
    ["STC-021"],
    () => ({
      response: changeStatus(post("/threads/{id}/runs/wait"), 404, 200),
    }),
    { catches: ["STC-021"] },
  ),
];
