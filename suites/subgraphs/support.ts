// A run of the `nested` fixture graph paused inside its innermost subgraph, and
// everything the subgraph checks read of it: the thread and its state (with and
// without subgraphs) while paused, its history by checkpoint namespace, an edit
// of the innermost subgraph's state, the stream of the run that resumes it, and
// the state once that run has ended. Read once, in this order (the edit and the
// resume change what the thread holds); each check asserts its part.
//
// What the graph is (fixtures/graphs/nested.ts): root `prepare` → `outer`
// (a graph: `enter` → `inner` (a graph: `ask`, which calls interrupt()) →
// `leave`) → `finish`. Every level shares one state; `ask` copies its level's
// `value` into `echoed` and the resume value into `answer`.

import { scenario, type CheckContext } from "../../harness/check";
import { ensure, expectStatus } from "../../harness/expect";
import type { HttpResponse, StreamResponse } from "../../harness/http";
import { assistantFor, createThread, expectStreamEnded, parseEventData, pollRun, RUN_TIMEOUT_MS, streamTimeoutMs } from "../_support/runs";

export const NESTED = ["graph:nested"];
export const INPUT_VALUE = "nested";
export const EDITED_VALUE = "edited";
export const RESUME_VALUE = "go on";

/** The nodes of the subgraphs, by level (a root history that names one of them mixes namespaces). */
export const MIDDLE_NODES = ["enter", "inner", "leave"];
export const LEAF_NODES = ["ask"];

export interface Namespaces {
  /** checkpoint_ns of the middle graph (the root's node `outer`), e.g. `outer:<task id>`. */
  middle?: string;
  /** checkpoint_ns of the innermost graph (the middle's node `inner`), e.g. `outer:<id>|inner:<id>`. */
  leaf?: string;
  /** Where they were learned: the state, or (failing that) the names of streamed events. */
  from: string;
}

export interface Paused {
  threadId: string;
  assistantId: string;
  /** The run's first stream (stream_mode updates, stream_subgraphs), to the interrupt. */
  first: StreamResponse;
  thread: HttpResponse;
  state: HttpResponse;
  stateWithSubgraphs: HttpResponse;
  /** GET /threads/{thread_id}/state/{checkpoint_id}?subgraphs=true of the paused checkpoint (when it has an id). */
  stateAtWithSubgraphs?: HttpResponse;
  ns: Namespaces;
  rootHistory: HttpResponse;
  middleHistory?: HttpResponse;
  leafHistory?: HttpResponse;
  /** POST /threads/{thread_id}/state/checkpoint naming the innermost graph's namespace. */
  leafRead?: HttpResponse;
  /** POST /threads/{thread_id}/state writing `value` into the innermost graph's state. */
  edit?: HttpResponse;
  /** The innermost graph's state read again after the edit. */
  leafAfterEdit?: HttpResponse;
  /** The stream of the run that resumes it (command.resume, stream_mode updates, stream_subgraphs). */
  resumed: StreamResponse;
  /** GET state?subgraphs=true once the resumed run has ended. */
  final: HttpResponse;
}

const task = (state: any, name: string): any => (Array.isArray(state?.tasks) ? state.tasks.find((t: any) => t?.name === name) : undefined);

/** The task of the node `name` in a state read (a JSON body), if any. */
export const taskOf = task;

const nsOf = (cp: any): string | undefined => (typeof cp?.checkpoint_ns === "string" && cp.checkpoint_ns !== "" ? cp.checkpoint_ns : undefined);

/** The namespaces of streamed events (the part of the name after the first `|`), in order of first appearance. */
function streamedNamespaces(res: StreamResponse): string[][] {
  const seen = new Map<string, string[]>();
  for (const e of res.sse?.events ?? []) {
    const parts = e.event.split("|");
    if (parts.length > 1) seen.set(parts.slice(1).join("|"), parts.slice(1));
  }
  return [...seen.values()];
}

function learnNamespaces(state: HttpResponse, withSub: HttpResponse, first: StreamResponse): Namespaces {
  const outer = task(state.json, "outer");
  const outerSub = task(withSub.json, "outer");
  const innerSub = task(outerSub?.state, "inner");
  const middle = nsOf(outer?.checkpoint) ?? nsOf(outerSub?.checkpoint) ?? nsOf(outerSub?.state?.checkpoint);
  const leaf = nsOf(innerSub?.checkpoint) ?? nsOf(innerSub?.state?.checkpoint);
  if (middle && leaf) return { middle, leaf, from: "the thread's state" };
  // Failing that, the namespaces of the events of the stream (`mode|outer:<id>|inner:<id>`).
  const streamed = streamedNamespaces(first);
  const one = streamed.find((n) => n.length === 1)?.join("|");
  const two = streamed.find((n) => n.length === 2)?.join("|");
  return {
    ...((middle ?? one) ? { middle: middle ?? one } : {}),
    ...((leaf ?? two) ? { leaf: leaf ?? two } : {}),
    from: middle && !leaf ? "the thread's state (the middle graph's) and the stream's event names" : "the names of the streamed events",
  };
}

/** The run id of a stream's metadata event. */
function runIdOf(res: StreamResponse): string | undefined {
  const meta = res.sse?.events.find((e) => e.event === "metadata");
  const d = meta ? parseEventData(meta.data) : undefined;
  const id = d?.ok ? (d.value as any)?.run_id : undefined;
  return typeof id === "string" ? id : undefined;
}

async function streamRun(c: CheckContext, threadId: string, body: Record<string, unknown>, what: string): Promise<StreamResponse> {
  const res = await c.api.stream({ method: "POST", path: `/threads/${threadId}/runs/stream`, json: { ...body, metadata: c.tag() } });
  expectStatus(res, 200, what);
  ensure(res.sse !== undefined, `${what}: the answer is not an event stream`, res);
  expectStreamEnded(res as any, what);
  const runId = runIdOf(res);
  // The run has ended once its stream has; read it to be sure before the next step reads the thread.
  if (runId) await pollRun(c, threadId, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
  return res;
}

const history = (c: CheckContext, threadId: string, ns?: string) => c.api.post(`/threads/${threadId}/history`, { limit: 20, ...(ns !== undefined ? { checkpoint: { checkpoint_ns: ns } } : {}) });

/** A run of 'nested' on a new thread, to its pause in the innermost subgraph (its stream: updates, with stream_subgraphs). */
export async function pauseNested(c: CheckContext): Promise<{ threadId: string; assistantId: string; first: StreamResponse }> {
  const [assistantId, t] = await Promise.all([assistantFor(c, "nested"), createThread(c)]);
  const threadId = t.thread_id as string;
  const first = await streamRun(
    c,
    threadId,
    { assistant_id: assistantId, input: { value: INPUT_VALUE }, stream_mode: ["updates"], stream_subgraphs: true },
    "the run of 'nested' that pauses in its innermost subgraph",
  );
  return { threadId, assistantId, first };
}

export const pausedInSubgraph = scenario(
  "a run of 'nested' paused inside its innermost subgraph, read, edited and resumed",
  async (c): Promise<Paused> => {
    const { threadId, assistantId, first } = await pauseNested(c);
    const [thread, state, stateWithSubgraphs] = await Promise.all([
      c.api.get(`/threads/${threadId}`),
      c.api.get(`/threads/${threadId}/state`),
      c.api.get(`/threads/${threadId}/state`, { query: { subgraphs: true } }),
    ]);
    const checkpointId = state.json?.checkpoint?.checkpoint_id;
    const stateAtWithSubgraphs = typeof checkpointId === "string" ? await c.api.get(`/threads/${threadId}/state/${checkpointId}`, { query: { subgraphs: true } }) : undefined;
    const ns = learnNamespaces(state, stateWithSubgraphs, first);
    const [rootHistory, middleHistory, leafHistory, leafRead] = await Promise.all([
      history(c, threadId),
      ns.middle ? history(c, threadId, ns.middle) : undefined,
      ns.leaf ? history(c, threadId, ns.leaf) : undefined,
      ns.leaf ? c.api.post(`/threads/${threadId}/state/checkpoint`, { checkpoint: { checkpoint_ns: ns.leaf } }) : undefined,
    ]);

    let edit: HttpResponse | undefined;
    let leafAfterEdit: HttpResponse | undefined;
    if (ns.leaf) {
      edit = await c.api.post(`/threads/${threadId}/state`, { values: { value: EDITED_VALUE }, checkpoint: { checkpoint_ns: ns.leaf } });
      leafAfterEdit = await c.api.post(`/threads/${threadId}/state/checkpoint`, { checkpoint: { checkpoint_ns: ns.leaf } });
    }

    const resumed = await streamRun(
      c,
      threadId,
      { assistant_id: assistantId, command: { resume: RESUME_VALUE }, stream_mode: ["updates"], stream_subgraphs: true },
      "the run that resumes 'nested' inside its innermost subgraph",
    );
    const final = await c.api.get(`/threads/${threadId}/state`, { query: { subgraphs: true } });
    return {
      threadId,
      assistantId,
      first,
      thread,
      state,
      stateWithSubgraphs,
      ...(stateAtWithSubgraphs ? { stateAtWithSubgraphs } : {}),
      ns,
      rootHistory,
      ...(middleHistory ? { middleHistory } : {}),
      ...(leafHistory ? { leafHistory } : {}),
      ...(leafRead ? { leafRead } : {}),
      ...(edit ? { edit } : {}),
      ...(leafAfterEdit ? { leafAfterEdit } : {}),
      resumed,
      final,
    };
  },
  RUN_TIMEOUT_MS,
);

/** The innermost namespace, or a skip that says why there is none to name. */
export function leafNamespace(c: CheckContext, p: Paused): string {
  if (!p.ns.leaf) {
    c.skip("the target gave no checkpoint namespace of the innermost subgraph, neither in the state's tasks nor in the streamed event names (SUB-003, SUB-004 and SUB-015 judge those)");
  }
  return p.ns.leaf;
}
