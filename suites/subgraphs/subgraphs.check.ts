// Subgraphs and checkpoint namespaces: a run paused two subgraphs deep, as the
// thread's state, state at a checkpoint, history and streams show it, the
// subgraph's own state read and written through its checkpoint namespace, the
// run resumed on the edit; and what an assistant says of its graph's subgraphs
// (GET subgraphs with recurse, GET graph with xray as a depth).

import { check, scenario, type CheckContext } from "../../harness/check";
import { deepEqual, ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";
import { RUN_TIMEOUT_MS } from "../_support/runs";
import { createAssistant } from "../_support/resources";
import { EDITED_VALUE, INPUT_VALUE, LEAF_NODES, leafNamespace, MIDDLE_NODES, NESTED, pausedInSubgraph, pauseNested, RESUME_VALUE, taskOf } from "./support";

const STATE = "GET /threads/{thread_id}/state";
const STATE_AT = "GET /threads/{thread_id}/state/{checkpoint_id}";
const STATE_POST = "POST /threads/{thread_id}/state/checkpoint";
const UPDATE = "POST /threads/{thread_id}/state";
const HISTORY = "POST /threads/{thread_id}/history";
const THREAD_STREAM = "POST /threads/{thread_id}/runs/stream";

const SUBGRAPHS_WORDS = { source: "api-ref", section: "ThreadStateCheckpointRequest.subgraphs", quote: "Include subgraph states." };
const GET_STATE_SUBGRAPHS = { source: "sdk-py", section: "threads.get_state, subgraphs", quote: "Include subgraphs states." };
const TASK_STATE = { source: "openapi", section: "ThreadState.tasks[].state", note: "each task of a state carries `state`, a ThreadState: where a subgraph's state is given" };
const NS_WORDS = { source: "sdk-py", section: "Checkpoint.checkpoint_ns", quote: "Namespace for the checkpoint; used internally to manage subgraph state." };

const show = (v: unknown) => JSON.stringify(v)?.slice(0, 300);

// ------------------------------------------------------------ while paused

check(
  {
    id: "SUB-001",
    level: "MUST",
    profile: "threads",
    operations: [STATE],
    spec: [
      { source: "sdk-py", section: "ThreadState.next", quote: "The next nodes to execute. If empty, the thread is done until new input is received." },
      { source: "contract", section: "ThreadState.next", note: "the root graph's next node is the one that runs the subgraph; the subgraph's own nodes are in its state" },
    ],
    title: "While a run is paused inside a subgraph, the thread's state names the root's node that runs the subgraph in `next`",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    expectStatus(p.state, 200);
    expectEqual(expectJsonObject(p.state).next, ["outer"], "next of the root graph paused inside its subgraph node 'outer'", p.state);
  },
);

check(
  {
    id: "SUB-002",
    level: "MUST",
    profile: "threads",
    operations: ["GET /threads/{thread_id}"],
    spec: [{ source: "sdk-py", section: "ThreadStatus", quote: '"interrupted": The thread\'s execution was interrupted.' }],
    title: "A thread whose run paused inside a subgraph (interrupt() two subgraphs deep) reads `interrupted`",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    expectStatus(p.thread, 200);
    expectEqual(expectJsonObject(p.thread).status, "interrupted", "status of the thread paused inside its subgraph", p.thread);
  },
);

check(
  {
    id: "SUB-003",
    level: "SHOULD",
    profile: "threads",
    operations: [STATE],
    spec: [
      NS_WORDS,
      { source: "openapi", section: "ThreadState.tasks[].checkpoint", note: "a task carries a CheckpointConfig; which checkpoint is not said in words" },
      { source: "streams", section: "x-event-names", note: "a subgraph's namespace is `node:task_id` per level" },
    ],
    title: "While paused inside a subgraph, the state's task of the subgraph node carries a checkpoint in the subgraph's namespace (`outer:<task id>`)",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    expectStatus(p.state, 200);
    const t = taskOf(expectJsonObject(p.state), "outer");
    ensure(t !== undefined, `the state has no task of the node 'outer' (tasks: ${show(p.state.json.tasks)})`, p.state);
    const ns = t.checkpoint?.checkpoint_ns;
    ensure(typeof ns === "string" && ns !== "", `the task of 'outer' carries no checkpoint with a namespace: checkpoint is ${show(t.checkpoint)}`, p.state);
    const segments = ns.split("|");
    ensure(
      segments.length === 1 && segments[0]!.split(":")[0] === "outer",
      `the task of 'outer' names checkpoint_ns '${ns}', not the namespace of the subgraph node 'outer' (outer:<task id>)`,
      p.state,
    );
  },
);

/** The answer gives the middle graph's state in the task of `outer`, and the innermost graph's in the middle's task of `inner`. */
function expectNestedStates(res: HttpResponse | undefined, what: string): void {
  ensure(res !== undefined, `${what} was not read: the paused state names no checkpoint id`);
  expectStatus(res, 200);
  const outer = taskOf(expectJsonObject(res), "outer");
  ensure(outer !== undefined, `${what}: the state has no task of the node 'outer' (tasks: ${show(res.json.tasks)})`, res);
  const middle = outer.state;
  ensure(middle && typeof middle === "object", `${what}: the task of 'outer' carries no state of its subgraph (state is ${show(middle)})`, res);
  expectEqual(middle.next, ["inner"], `${what}: next of the subgraph's state (the task of 'outer')`, res);
  ensure(middle.values?.entered === true, `${what}: the subgraph's state does not hold what its node 'enter' wrote (values: ${show(middle.values)})`, res);
  const inner = taskOf(middle, "inner");
  ensure(inner !== undefined, `${what}: the subgraph's state has no task of its node 'inner' (tasks: ${show(middle.tasks)})`, res);
  const leaf = inner.state;
  ensure(leaf && typeof leaf === "object", `${what}: the task of 'inner' carries no state of the subgraph's own subgraph (state is ${show(leaf)}): subgraph states stop one level down`, res);
  expectEqual(leaf.next, ["ask"], `${what}: next of the innermost subgraph's state (the task of 'inner')`, res);
  expectEqual(leaf.values?.value, INPUT_VALUE, `${what}: value in the innermost subgraph's state`, res);
}

check(
  {
    id: "SUB-004",
    level: "MUST",
    profile: "threads",
    operations: [STATE],
    spec: [GET_STATE_SUBGRAPHS, { source: "openapi", section: "GET /threads/{thread_id}/state, subgraphs", quote: "Whether to include subgraphs in the response." }, TASK_STATE],
    title: "GET /threads/{thread_id}/state?subgraphs=true gives each subgraph's state in its task, down to the innermost",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    expectNestedStates(p.stateWithSubgraphs, "GET state with subgraphs=true");
  },
);

check(
  {
    id: "SUB-005",
    level: "MUST",
    profile: "threads",
    operations: [STATE_AT],
    spec: [{ source: "openapi", section: "GET /threads/{thread_id}/state/{checkpoint_id}, subgraphs", quote: "Whether to include subgraphs in the response." }, TASK_STATE],
    title: "GET /threads/{thread_id}/state/{checkpoint_id}?subgraphs=true gives each subgraph's state in its task, down to the innermost",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    if (!p.stateAtWithSubgraphs) return c.skip("the paused state names no checkpoint id to ask for (SUB-001 and the threads checks judge the state)");
    expectNestedStates(p.stateAtWithSubgraphs, "GET state at the paused checkpoint with subgraphs=true");
  },
);

check(
  {
    id: "SUB-006",
    level: "MUST",
    profile: "threads",
    operations: [STATE_POST],
    spec: [SUBGRAPHS_WORDS, TASK_STATE],
    title: "POST /threads/{thread_id}/state/checkpoint with subgraphs: true gives each subgraph's state in its task, down to the innermost",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    // A run of its own, read while it is paused: the shared one has been resumed by the time this check may run,
    // and what a subgraph's state is "at" an older checkpoint of its parent is not said.
    const { threadId } = await pauseNested(c);
    const state = await c.api.get(`/threads/${threadId}/state`);
    const checkpointId = state.json?.checkpoint?.checkpoint_id;
    if (typeof checkpointId !== "string") return c.skip("the paused state names no checkpoint id to ask for (SUB-001 and the threads checks judge the state)");
    const checkpoint = { checkpoint_id: checkpointId };
    const res = await c.api.post(`/threads/${threadId}/state/checkpoint`, { checkpoint, subgraphs: true });
    if (res.status >= 400 && res.status < 500) {
      const plain = await c.api.post(`/threads/${threadId}/state/checkpoint`, { checkpoint });
      if (plain.status === 200) c.skip(`the target refuses subgraphs as a boolean in the body (${res.status}) and answers the same request without it: THR-108 judges that`);
    }
    expectNestedStates(res, "POST state/checkpoint with subgraphs: true");
  },
);

// ------------------------------------------------------------ the subgraph's own state

check(
  {
    id: "SUB-007",
    level: "MUST",
    profile: "threads",
    operations: [STATE],
    spec: [
      { source: "sdk-py", section: "ThreadState.tasks", quote: "Tasks to execute in this step. If already attempted, may contain an error." },
      { source: "sdk-py", section: "ThreadState.next", quote: "If empty, the thread is done until new input is received." },
    ],
    title: "Once the resumed run has finished, the state (with subgraphs=true) has no next node and no task",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    expectStatus(p.final, 200);
    const s = expectJsonObject(p.final);
    expectEqual(s.next, [], "next once the run has finished", p.final);
    ensure(s.tasks === undefined || (Array.isArray(s.tasks) && s.tasks.length === 0), `the state of the finished thread still lists tasks: ${show(s.tasks)}`, p.final);
  },
);

check(
  {
    id: "SUB-008",
    level: "MUST",
    profile: "threads",
    operations: [STATE_POST],
    spec: [
      { source: "api-ref", section: "ThreadStateCheckpointRequest.checkpoint", quote: "The checkpoint to get the state for." },
      { source: "api-ref", section: "CheckpointConfig.checkpoint_ns", quote: "Namespace for the checkpoint, used for organization and retrieval." },
      NS_WORDS,
    ],
    title: "POST /threads/{thread_id}/state/checkpoint naming a subgraph's checkpoint_ns answers that subgraph's state",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    const ns = leafNamespace(c, p);
    const res = p.leafRead!;
    expectStatus(res, 200);
    const s = expectJsonObject(res);
    expectEqual(s.checkpoint?.checkpoint_ns, ns, "checkpoint_ns of the answered state", res);
    expectEqual(s.next, ["ask"], "next of the innermost subgraph's state", res);
    expectEqual(s.values?.value, INPUT_VALUE, "value in the innermost subgraph's state", res);
  },
);

check(
  {
    id: "SUB-009",
    level: "MUST",
    profile: "threads",
    operations: [UPDATE, STATE_POST],
    spec: [
      { source: "api-ref", section: "ThreadStateUpdate.checkpoint", quote: "The checkpoint to update the state of." },
      { source: "api-ref", section: "CheckpointConfig.checkpoint_ns", quote: "Namespace for the checkpoint, used for organization and retrieval." },
      NS_WORDS,
    ],
    title: "POST /threads/{thread_id}/state naming a subgraph's checkpoint_ns writes into that subgraph's state: a new checkpoint in its namespace that holds the values",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    const ns = leafNamespace(c, p);
    const edit = p.edit!;
    expectStatus(edit, 200, "a state update of the innermost subgraph");
    expectEqual(expectJsonObject(edit).checkpoint?.checkpoint_ns, ns, "checkpoint_ns of the checkpoint the update answers", edit);
    const after = p.leafAfterEdit!;
    expectStatus(after, 200);
    expectEqual(expectJsonObject(after).values?.value, EDITED_VALUE, "value in the innermost subgraph's state after the update", after);
    const before = p.leafRead?.json?.checkpoint?.checkpoint_id;
    if (typeof before === "string")
      ensure(after.json.checkpoint?.checkpoint_id !== before, `the innermost subgraph's latest checkpoint is still ${before} after the update: it was rewritten, not added`, after);
  },
);

check(
  {
    id: "SUB-010",
    level: "SHOULD",
    profile: "threads",
    operations: [THREAD_STREAM, UPDATE, STATE],
    spec: [
      { source: "api-ref", section: "ThreadStateUpdate.checkpoint", quote: "The checkpoint to update the state of." },
      {
        source: "contract",
        section: "POST /threads/{thread_id}/state",
        note: "that a resumed run continues from the edited checkpoint is how LangGraph resumes; no document says it of subgraphs in words: SHOULD",
      },
    ],
    title: "Resuming a run paused inside a subgraph whose state was edited runs the paused node on the edited values",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    leafNamespace(c, p);
    if (p.edit?.status !== 200) c.skip(`the update of the innermost subgraph's state answered ${p.edit?.status} (SUB-009 judges it)`);
    expectStatus(p.final, 200);
    const v = expectJsonObject(p.final).values ?? {};
    expectEqual(v.answer, RESUME_VALUE, "answer in the final state (the resume value the paused node received)", p.final);
    expectEqual(v.echoed, EDITED_VALUE, `echoed in the final state (the node 'ask' copies the value it sees: '${EDITED_VALUE}' after the edit, '${INPUT_VALUE}' without it)`, p.final);
  },
);

// ------------------------------------------------------------ history by namespace

check(
  {
    id: "SUB-011",
    level: "MUST",
    profile: "threads",
    operations: [HISTORY],
    spec: [
      { source: "sdk-py", section: "get_history, checkpoint", quote: "Return states for this subgraph. If empty defaults to root." },
      { source: "contract", section: "CheckpointConfig.checkpoint_ns", note: '"" for the root graph' },
    ],
    title: "History without a checkpoint namespace lists the root graph's checkpoints only, none of its subgraphs'",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    const res = p.rootHistory;
    expectStatus(res, 200);
    const list = expectJsonArray(res);
    if (list.length === 0) return c.skip("the root history of a thread a run has checkpointed is empty: nothing to tell namespaces apart by (the history checks judge that)");
    const sub = [...MIDDLE_NODES, ...LEAF_NODES];
    const foreign = list.filter((s) => (s?.checkpoint?.checkpoint_ns ?? "") !== "" || (Array.isArray(s?.next) && s.next.some((n: string) => sub.includes(n))));
    ensure(
      foreign.length === 0,
      `${foreign.length} of ${list.length} entries of the root history are a subgraph's (first: checkpoint_ns '${foreign[0]?.checkpoint?.checkpoint_ns}', next ${show(foreign[0]?.next)})`,
      res,
    );
  },
);

check(
  {
    id: "SUB-012",
    level: "MUST",
    profile: "threads",
    operations: [HISTORY],
    spec: [{ source: "api-ref", section: "ThreadStateSearch.checkpoint", quote: "Return states for this subgraph." }, NS_WORDS],
    title: "History naming a subgraph's checkpoint_ns lists that subgraph's own checkpoints, at each level of nesting",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    const leaf = leafNamespace(c, p);
    const levels: Array<[string, string | undefined, HttpResponse | undefined, string[]]> = [
      ["the middle subgraph", p.ns.middle, p.middleHistory, ["inner"]],
      ["the innermost subgraph", leaf, p.leafHistory, ["ask"]],
    ];
    for (const [what, ns, res, next] of levels) {
      ensure(res !== undefined && ns !== undefined, `no namespace of ${what} to ask the history of`);
      expectStatus(res, 200);
      const list = expectJsonArray(res);
      ensure(list.length > 0, `the history of ${what} (checkpoint_ns '${ns}') is empty`, res);
      const other = list.filter((s) => s?.checkpoint?.checkpoint_ns !== ns);
      ensure(
        other.length === 0,
        `${other.length} of ${list.length} entries of the history of ${what} are in another namespace (first: '${other[0]?.checkpoint?.checkpoint_ns}', next ${show(other[0]?.next)}); asked for '${ns}'`,
        res,
      );
      expectEqual(list[0]?.next, next, `next of the newest entry of the history of ${what}`, res);
    }
  },
);

// ------------------------------------------------------------ streaming the resumed run

/** The resumed stream's updates events, with their namespaces. */
function updatesOf(res: { sse?: { events: Array<{ event: string; data: string }> } }) {
  return (res.sse?.events ?? [])
    .map((e, index) => {
      const [base, ...ns] = e.event.split("|");
      let data: any;
      try {
        data = JSON.parse(e.data);
      } catch {
        data = undefined;
      }
      return { index, base, ns, name: e.event, data };
    })
    .filter((e) => e.base === "updates" && e.data && typeof e.data === "object");
}

const STREAM_SUBGRAPHS = { source: "api-ref", section: "RunCreateStateful.stream_subgraphs", quote: "Whether to stream output from subgraphs." };

check(
  {
    id: "SUB-013",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [STREAM_SUBGRAPHS, { source: "streams", section: "x-event-names", note: "a subgraph's events carry its namespace" }],
    title: "Resuming a run paused inside a subgraph with stream_subgraphs streams the subgraphs' updates under their namespace: the paused node's and the middle graph's",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    const ups = updatesOf(p.resumed);
    const ask = ups.find((u) => u.ns.length > 0 && u.data.ask !== undefined);
    ensure(
      ask !== undefined,
      `the resumed stream carries no namespaced update of the paused node 'ask'; updates: ${ups.map((u) => `${u.name} ${show(u.data).slice(0, 60)}`).join(" | ") || "none"}`,
      p.resumed,
    );
    expectEqual(ask.data.ask?.answer, RESUME_VALUE, `answer in the update of 'ask' (${ask.name})`, p.resumed);
    const leave = ups.find((u) => u.ns.length > 0 && u.data.leave !== undefined);
    ensure(leave !== undefined, `the resumed stream carries no namespaced update of the middle graph's node 'leave'; updates: ${ups.map((u) => u.name).join(", ")}`, p.resumed);
  },
);

check(
  {
    id: "SUB-014",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [STREAM_SUBGRAPHS, { source: "streams", section: "x-order subgraph-before-parent" }],
    title: "Resuming with stream_subgraphs streams a subgraph's updates before its parent's update for the node that ran it, at each level",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    const ups = updatesOf(p.resumed);
    const ask = ups.find((u) => u.ns.length > 0 && u.data.ask !== undefined);
    const inner = ups.find((u) => u.ns.length > 0 && u.data.inner !== undefined);
    if (!ask || !inner) return c.skip("the resumed stream lacks the subgraphs' namespaced updates (SUB-013 judges that)");
    const outer = ups.find((u) => u.ns.length === 0 && u.data.outer !== undefined);
    ensure(outer !== undefined, `the resumed stream carries no update of the root's node 'outer' (the subgraph's result); updates: ${ups.map((u) => u.name).join(", ")}`, p.resumed);
    ensure(ask.index < inner.index, `the innermost graph's update of 'ask' (#${ask.index}) comes after the middle graph's update of 'inner' (#${inner.index}), the node that ran it`, p.resumed);
    ensure(inner.index < outer.index, `the middle graph's update of 'inner' (#${inner.index}) comes after the root's update of 'outer' (#${outer.index}), the node that ran it`, p.resumed);
    const late = ups.filter((u) => u.ns.length > 0 && u.index > outer.index);
    ensure(late.length === 0, `${late.length} namespaced update(s) come after the root's update of 'outer' (first: #${late[0]?.index} '${late[0]?.name}')`, p.resumed);
  },
);

check(
  {
    id: "SUB-015",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      STREAM_SUBGRAPHS,
      { source: "streams", section: "x-event-names", quote: "segments go from the outermost subgraph to the innermost" },
      { source: "streams", section: "x-event-names x-decision", note: "the grammar of namespaces is the contract's decision (the JS SDK only has `${event}|${string}`): SHOULD" },
    ],
    title: "The events of a subgraph of a subgraph are named with two namespace segments, outermost first: `updates|outer:<task id>|inner:<task id>`",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    const ups = updatesOf(p.resumed);
    const ask = ups.find((u) => u.ns.length > 0 && u.data.ask !== undefined);
    if (!ask) return c.skip("the resumed stream carries no namespaced update of the paused node 'ask' (SUB-013 judges that)");
    const nodes = ask.ns.map((s) => s.split(":")[0]);
    const ids = ask.ns.map((s) => s.slice(s.indexOf(":") + 1));
    ensure(
      ask.ns.length === 2 && deepEqual(nodes, ["outer", "inner"]) && ask.ns.every((s) => s.indexOf(":") > 0) && ids.every((x) => x !== "" && !x.includes(",")),
      `the update of the innermost node 'ask' is named '${ask.name}', not updates|outer:<task id>|inner:<task id>`,
      p.resumed,
    );
  },
);

// ------------------------------------------------------------ the assistant's view of its subgraphs

const assistant = scenario("an assistant of the nested graph", (c) => createAssistant(c, { graph_id: "nested" }));
// Subgraph schemas are derived from the graph's code; the first call can be slow (see graph-and-schemas.check.ts).
const SLOW = { timeoutMs: 180_000 };
const LONG = 240_000;

/** The ids of a drawn graph's nodes, each split into its parts (`outer:inner:ask` → outer, inner, ask). */
const nodeParts = (g: any): string[][] => (Array.isArray(g?.nodes) ? g.nodes.map((n: any) => String(n?.id).split(/[:|./]/)) : []);
const nodeIds = (g: any): string => (Array.isArray(g?.nodes) ? g.nodes.map((n: any) => String(n?.id)).join(", ") : "none");
const draws = (g: any, node: string) => nodeParts(g).some((parts) => parts.length > 1 && parts.at(-1) === node);

const RECURSE = { source: "api-ref", section: "Get Assistant Subgraphs, recurse", quote: "Recursively retrieve subgraphs of subgraphs." };
const XRAY = {
  source: "api-ref",
  section: "Get Assistant Graph, xray",
  quote: "Include graph representation of subgraphs. If an integer value is provided, only subgraphs with a depth less than or equal to the value will be included.",
};

check(
  {
    id: "SUB-016",
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/subgraphs"],
    spec: [RECURSE],
    title: "GET /assistants/{assistant_id}/subgraphs?recurse=true lists the subgraphs of subgraphs too, by their nested namespace",
    requires: NESTED,
    timeoutMs: LONG,
  },
  async (c) => {
    const a = await assistant(c);
    const res = await c.api.get(`/assistants/${a.assistant_id}/subgraphs`, { ...SLOW, query: { recurse: true } });
    expectStatus(res, 200);
    const keys = Object.keys(expectJsonObject(res));
    ensure(keys.includes("outer"), `the subgraphs listed with recurse=true lack 'outer' (keys: ${keys.join(", ") || "none"})`, res);
    const nested = keys.filter((k) => k !== "outer" && k.split(/[|:./]/).at(-1) === "inner" && k.split(/[|:./]/)[0] === "outer");
    ensure(nested.length === 1, `with recurse=true no key names the subgraph 'inner' of 'outer' (such as 'outer|inner'); keys: ${keys.join(", ") || "none"}`, res);
  },
);

check(
  {
    id: "SUB-017",
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/subgraphs"],
    spec: [RECURSE, { source: "api-ref", section: "Get Assistant Subgraphs, recurse", note: "default false: without it, subgraphs of subgraphs are not retrieved" }],
    title: "GET /assistants/{assistant_id}/subgraphs without recurse lists only the graph's own subgraphs, not theirs",
    requires: NESTED,
    timeoutMs: LONG,
  },
  async (c) => {
    const a = await assistant(c);
    const res = await c.api.get(`/assistants/${a.assistant_id}/subgraphs`, SLOW);
    expectStatus(res, 200);
    expectEqual(Object.keys(expectJsonObject(res)), ["outer"], "namespaces of the subgraphs listed without recurse", res);
  },
);

async function drawn(c: CheckContext, xray: string | number | boolean): Promise<HttpResponse> {
  const a = await assistant(c);
  const res = await c.api.get(`/assistants/${a.assistant_id}/graph`, { ...SLOW, query: { xray } });
  expectStatus(res, 200);
  expectJsonObject(res);
  return res;
}

check(
  {
    id: "SUB-018",
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph"],
    spec: [XRAY],
    title: "GET /assistants/{assistant_id}/graph?xray=1 draws the nodes of the graph's subgraphs but not those of their subgraphs",
    requires: NESTED,
    timeoutMs: LONG,
  },
  async (c) => {
    const res = await drawn(c, 1);
    ensure(draws(res.json, "enter"), `with xray=1 the nodes of the subgraph 'outer' (its node 'enter') are not drawn; nodes: ${nodeIds(res.json)}`, res);
    ensure(!draws(res.json, "ask"), `with xray=1 the nodes of the subgraph at depth 2 (its node 'ask') are drawn; nodes: ${nodeIds(res.json)}`, res);
  },
);

check(
  {
    id: "SUB-019",
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph"],
    spec: [XRAY],
    title: "GET /assistants/{assistant_id}/graph?xray=2 draws the nodes of subgraphs of subgraphs",
    requires: NESTED,
    timeoutMs: LONG,
  },
  async (c) => {
    const res = await drawn(c, 2);
    ensure(draws(res.json, "ask"), `with xray=2 the nodes of the subgraph at depth 2 (its node 'ask') are not drawn; nodes: ${nodeIds(res.json)}`, res);
  },
);

check(
  {
    id: "SUB-020",
    level: "SHOULD",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph"],
    spec: [XRAY, { source: "contract", section: "get_assistant_graph, xray", note: "true sets no depth: every subgraph is drawn; judged at SHOULD as AST-103 (xray=true at one level) is" }],
    title: "GET /assistants/{assistant_id}/graph?xray=true draws the nodes of subgraphs at every depth",
    requires: NESTED,
    timeoutMs: LONG,
  },
  async (c) => {
    const res = await drawn(c, "true");
    ensure(draws(res.json, "ask"), `with xray=true the nodes of the subgraph at depth 2 (its node 'ask') are not drawn; nodes: ${nodeIds(res.json)}`, res);
  },
);

check(
  {
    id: "SUB-021",
    level: "MUST",
    profile: "threads",
    operations: [STATE],
    spec: [
      { source: "openapi", section: "GET /threads/{thread_id}/state, subgraphs", quote: "Whether to include subgraphs in the response.", note: "default false; the same in openapi-prev" },
      TASK_STATE,
    ],
    title: "GET /threads/{thread_id}/state without subgraphs gives the subgraph node's task no subgraph state (the default is false)",
    requires: NESTED,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const p = await pausedInSubgraph(c);
    expectStatus(p.state, 200);
    const t = taskOf(expectJsonObject(p.state), "outer");
    if (t === undefined) return c.skip(`the paused state has no task of the node 'outer' (SUB-003 judges the tasks): ${show(p.state.json.tasks)}`);
    ensure(t.state === undefined || t.state === null, `without subgraphs, the task of 'outer' carries the subgraph's state: ${show(t.state)}`, p.state);
  },
);
