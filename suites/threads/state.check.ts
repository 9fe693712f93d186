// The state of a thread: new, after a run of the echo graph (fixtures/graphs/echo.ts:
// node `first` copies `value` into `echoed`, then node `second`; both append
// their name to `trail`), after updates, and at a past checkpoint.

import type { HttpResponse } from "../../harness/http";
import { check, scenario, type CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor, createThread, runToEnd, RUN_TIMEOUT_MS } from "../_support/runs";

const ECHO = ["graph:echo"];
const GET_STATE = "GET /threads/{thread_id}/state";
const POST_STATE = "POST /threads/{thread_id}/state";
const AT = "GET /threads/{thread_id}/state/{checkpoint_id}";
const AT_POST = "POST /threads/{thread_id}/state/checkpoint";

/** A thread of the echo graph, run once to its end with a value of its own. */
async function usedThread(c: CheckContext) {
  const assistant = await assistantFor(c, "echo");
  const thread = await createThread(c);
  const value = `v-${uuid()}`;
  await runToEnd(c, thread.thread_id, assistant, { value });
  return { threadId: thread.thread_id as string, value };
}

/** The shared used thread, with the checkpoint between its two nodes (after `first`, before `second`). */
const used = scenario(
  "a thread run once on the echo graph",
  async (c) => {
    const u = await usedThread(c);
    const res = await c.api.get(`/threads/${u.threadId}/history`, { query: { limit: 100 } });
    expectStatus(res, 200, "reading the history to find the checkpoint between the two nodes");
    const between = expectJsonArray(res).find((s) => Array.isArray(s?.next) && s.next.length === 1 && s.next[0] === "second");
    const checkpointId = between?.checkpoint?.checkpoint_id;
    if (typeof checkpointId !== "string") fail("the history of a run of the echo graph has no state whose next node is 'second' (the state after node 'first')", res);
    return { ...u, between: checkpointId as string };
  },
  RUN_TIMEOUT_MS,
);

async function state(c: CheckContext, threadId: string) {
  const res = await c.api.get(`/threads/${threadId}/state`);
  expectStatus(res, 200);
  return { res, s: expectJsonObject(res) };
}

async function update(c: CheckContext, threadId: string, body: Record<string, unknown>): Promise<string> {
  const res = await c.api.post(`/threads/${threadId}/state`, body);
  expectStatus(res, 200);
  const id = expectJsonObject(res).checkpoint?.checkpoint_id;
  ensure(typeof id === "string" && id.length > 0, `POST /threads/{thread_id}/state answered no checkpoint.checkpoint_id: ${JSON.stringify(res.json)}`, res);
  return id;
}

check(
  {
    id: "THR-100",
    level: "MUST",
    profile: "threads",
    operations: [GET_STATE],
    spec: [
      { source: "api-ref-2024", section: "GET /threads/{thread_id}/state (Get Latest Thread State)", quote: "Get state for a thread.", note: "200 ThreadState" },
      { source: "api-ref", section: "ThreadState", note: "values and next required: a thread no graph has run on has no values and nothing to run next" },
    ],
    title: "GET /threads/{thread_id}/state of a new thread answers 200 with empty values and no next nodes",
  },
  async (c) => {
    const t = await createThread(c);
    const { res, s } = await state(c, t.thread_id);
    const empty = (Array.isArray(s.values) && s.values.length === 0) || (s.values && typeof s.values === "object" && Object.keys(s.values).length === 0);
    ensure(empty, `values of a new thread: expected {} (or []), got ${JSON.stringify(s.values)}`, res);
    expectEqual(s.next, [], "next of a new thread", res);
  },
);

check(
  {
    id: "THR-101",
    level: "MUST",
    profile: "threads",
    operations: [GET_STATE],
    spec: [
      { source: "openapi", section: "GET /threads/{thread_id}/state (Get Thread State)", quote: "The latest state of the thread (i.e. latest checkpoint) is returned." },
      { source: "api-ref", section: "ThreadState", note: "values, next and checkpoint required; fixtures/graphs/echo.ts" },
    ],
    title: "GET /threads/{thread_id}/state after a run answers the values the run wrote, no next nodes, and the checkpoint",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const u = await used(c);
    const { res, s } = await state(c, u.threadId);
    expectEqual(s.values?.echoed, u.value, "values.echoed (node 'first' copies the input value)", res);
    expectEqual(s.values?.trail, ["first", "second"], "values.trail (the nodes that ran)", res);
    expectEqual(s.next, [], "next after the run ended", res);
    ensure(typeof s.checkpoint?.checkpoint_id === "string" && s.checkpoint.checkpoint_id.length > 0, `the state names no checkpoint: ${JSON.stringify(s.checkpoint)}`, res);
  },
);

check(
  {
    id: "THR-102",
    level: "MUST",
    profile: "threads",
    operations: [POST_STATE, GET_STATE],
    spec: [
      { source: "api-ref-2024", section: "POST /threads/{thread_id}/state (Update Thread State)", quote: "Add state to a thread." },
      { source: "api-ref", section: "ThreadStateUpdate.values", quote: "The values to update the state with." },
      { source: "api-ref", section: "ThreadStateUpdateResponse", quote: "Response for adding state to a thread.", note: "its checkpoint" },
    ],
    title: "POST /threads/{thread_id}/state without as_node answers the new checkpoint, and GET state then shows the values at it",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const u = await usedThread(c);
    const written = `w-${uuid()}`;
    const id = await update(c, u.threadId, { values: { echoed: written } });
    const { res, s } = await state(c, u.threadId);
    expectEqual(s.checkpoint?.checkpoint_id, id, "checkpoint of the latest state (the one the update answered)", res);
    expectEqual(s.values?.echoed, written, "values.echoed after the update", res);
    expectEqual(s.values?.value, u.value, "values.value (not in the update: kept)", res);
  },
);

check(
  {
    id: "THR-103",
    level: "MUST",
    profile: "threads",
    operations: [POST_STATE, GET_STATE],
    spec: [
      { source: "api-ref", section: "ThreadStateUpdate.as_node", quote: "Update the state as if this node had just executed.", note: "fixtures/graphs/echo.ts: node 'second' follows node 'first'" },
    ],
    title: "POST /threads/{thread_id}/state with as_node writes the values as that node: the node after it is next",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const u = await usedThread(c);
    const written = `w-${uuid()}`;
    await update(c, u.threadId, { values: { echoed: written }, as_node: "first" });
    const { res, s } = await state(c, u.threadId);
    expectEqual(s.values?.echoed, written, "values.echoed after the update as node 'first'", res);
    expectEqual(s.next, ["second"], "next after an update as node 'first' (the graph's edge first → second)", res);
  },
);

check(
  {
    id: "THR-104",
    level: "MUST",
    profile: "threads",
    operations: [POST_STATE, "GET /threads/{thread_id}/history"],
    spec: [
      { source: "api-ref-2024", section: "POST /threads/{thread_id}/state (Update Thread State)", quote: "Add state to a thread." },
      { source: "api-ref-2024", section: "GET /threads/{thread_id}/history (Get Thread History)", quote: "Get all past states for a thread." },
      {
        source: "guide-persistence",
        section: "Get state history",
        quote: "the checkpoints will be ordered chronologically with the most recent checkpoint / StateSnapshot being the first in the list",
      },
    ],
    title: "A state update shows in the history: the newest state is the update, the one before it the run's",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const u = await usedThread(c);
    const written = `w-${uuid()}`;
    const id = await update(c, u.threadId, { values: { echoed: written } });
    const res = await c.api.get(`/threads/${u.threadId}/history`, { query: { limit: 2 } });
    expectStatus(res, 200);
    const list = expectJsonArray(res);
    ensure(list.length === 2, `history with limit=2 returned ${list.length} states`, res);
    expectEqual(list[0]?.checkpoint?.checkpoint_id, id, "checkpoint of the newest state in the history (the update's)", res);
    expectEqual(list[0]?.values?.echoed, written, "values.echoed of the newest state", res);
    expectEqual(list[1]?.values?.echoed, u.value, "values.echoed of the state before the update (the run's)", res);
  },
);

/** The answer is the state at checkpoint `between`: after node 'first', before 'second'. */
function expectStateBetween(res: HttpResponse, between: string): void {
  expectStatus(res, 200);
  const s = expectJsonObject(res);
  expectEqual(s.checkpoint?.checkpoint_id, between, "checkpoint of the answered state", res);
  expectEqual(s.values?.trail, ["first"], "values.trail at the checkpoint after node 'first'", res);
  expectEqual(s.next, ["second"], "next at the checkpoint after node 'first'", res);
}

check(
  {
    id: "THR-105",
    level: "MUST",
    profile: "threads",
    operations: [AT],
    spec: [{ source: "openapi", section: "GET /threads/{thread_id}/state/{checkpoint_id} (Get Thread State At Checkpoint)", quote: "Get state for a thread at a specific checkpoint." }],
    title: "GET /threads/{thread_id}/state/{checkpoint_id} answers the state at that checkpoint, not the latest",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const u = await used(c);
    const res = await c.api.get(`/threads/${u.threadId}/state/${u.between}`);
    expectStateBetween(res, u.between);
  },
);

check(
  {
    id: "THR-106",
    level: "MUST",
    profile: "threads",
    operations: [AT_POST],
    spec: [
      { source: "api-ref", section: "ThreadStateCheckpointRequest", quote: "Payload for getting the state of a thread at a checkpoint." },
      { source: "api-ref", section: "ThreadStateCheckpointRequest.checkpoint", quote: "The checkpoint to get the state for.", note: "required" },
    ],
    title: "POST /threads/{thread_id}/state/checkpoint answers the state at the checkpoint given in the body",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const u = await used(c);
    const res = await c.api.post(`/threads/${u.threadId}/state/checkpoint`, { checkpoint: { checkpoint_id: u.between } });
    expectStateBetween(res, u.between);
  },
);

check(
  {
    id: "THR-108",
    level: "MUST",
    profile: "threads",
    operations: [AT_POST],
    spec: [
      { source: "api-ref", section: "ThreadStateCheckpointRequest.subgraphs", quote: "Include subgraph states.", note: "a boolean in the body; both public documents type it so too" },
      { source: "contract", section: "POST /threads/{thread_id}/state/checkpoint x-decision", quote: "The contract takes the body form." },
    ],
    title: "POST /threads/{thread_id}/state/checkpoint takes subgraphs as a boolean in the body",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const u = await used(c);
    const res = await c.api.post(`/threads/${u.threadId}/state/checkpoint`, { checkpoint: { checkpoint_id: u.between }, subgraphs: false });
    expectStatus(res, 200, "subgraphs=false is a valid request");
    expectEqual(expectJsonObject(res).checkpoint?.checkpoint_id, u.between, "checkpoint of the answered state", res);
  },
);

check(
  {
    id: "THR-107",
    level: "MUST",
    profile: "threads",
    operations: [POST_STATE, AT],
    spec: [{ source: "api-ref", section: "ThreadStateUpdate.checkpoint", quote: "The checkpoint to update the state of." }],
    title: "POST /threads/{thread_id}/state with a checkpoint writes on top of that checkpoint, not of the latest",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const u = await usedThread(c);
    const hist = await c.api.get(`/threads/${u.threadId}/history`, { query: { limit: 100 } });
    expectStatus(hist, 200);
    const between = expectJsonArray(hist).find((s) => Array.isArray(s?.next) && s.next[0] === "second")?.checkpoint;
    if (!between?.checkpoint_id) fail("the history of a run of the echo graph has no state whose next node is 'second'", hist);
    const written = `w-${uuid()}`;
    const id = await update(c, u.threadId, { values: { echoed: written }, checkpoint: { checkpoint_id: between.checkpoint_id, checkpoint_ns: between.checkpoint_ns ?? "" } });
    const res = await c.api.get(`/threads/${u.threadId}/state/${id}`);
    expectStatus(res, 200);
    const s = expectJsonObject(res);
    expectEqual(s.values?.echoed, written, "values.echoed of the new state", res);
    expectEqual(s.values?.trail, ["first"], "values.trail of the new state (the checkpoint it was written on had only 'first')", res);
  },
);

check(
  {
    id: "THR-110",
    level: "SHOULD",
    profile: "threads",
    operations: [GET_STATE, POST_STATE],
    spec: [
      { source: "openapi", section: "GET and POST /threads/{thread_id}/state, responses", note: "only 200 and 422 are declared" },
      {
        source: "contract",
        section: "POST /threads/{thread_id}/state, 404 x-decision",
        quote: "an unknown thread_id answers 404 as for GET /threads/{thread_id}",
        note: "the contract's choice, hence SHOULD",
      },
    ],
    title: "GET and POST /threads/{thread_id}/state answer 404 for a thread that does not exist",
  },
  async (c) => {
    const id = uuid();
    const got = await c.api.get(`/threads/${id}/state`);
    expectStatus(got, 404, "no thread has this id");
    const posted = await c.api.post(`/threads/${id}/state`, { values: { echoed: "nobody" } });
    expectStatus(posted, 404, "no thread has this id");
    const after = await c.api.get(`/threads/${id}`);
    if (after.status === 200) c.created.thread(id);
    expectStatus(after, 404, "a state update of an unknown thread must not create it");
  },
);

check(
  {
    id: "THR-111",
    level: "SHOULD",
    profile: "threads",
    operations: [AT, AT_POST],
    spec: [
      { source: "openapi", section: "GET /threads/{thread_id}/state/{checkpoint_id}, responses", note: "only 200 and 422 are declared" },
      {
        source: "contract",
        section: "GET /threads/{thread_id}/state/{checkpoint_id}, 404 x-decision",
        quote: "or a checkpoint_id the thread does not have, answers 404",
        note: "the contract's choice, hence SHOULD",
      },
    ],
    title: "GET /threads/{thread_id}/state/{checkpoint_id} and POST .../state/checkpoint answer 404 for a checkpoint the thread does not have",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const u = await used(c);
    const unknown = uuid();
    const got = await c.api.get(`/threads/${u.threadId}/state/${unknown}`);
    expectStatus(got, 404, "the thread has no checkpoint with this id");
    const posted = await c.api.post(`/threads/${u.threadId}/state/checkpoint`, { checkpoint: { checkpoint_id: unknown } });
    expectStatus(posted, 404, "the thread has no checkpoint with this id");
  },
);
