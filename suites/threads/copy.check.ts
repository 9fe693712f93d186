import { check, scenario, type CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor, createThread, runToEnd, RUN_TIMEOUT_MS } from "../_support/runs";

const ECHO = ["graph:echo"];
const COPY = "POST /threads/{thread_id}/copy";

/** The original: a thread run once on the echo graph, then updated once. */
const original = scenario(
  "a thread with a run and a state update, to copy",
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const t = await createThread(c, { metadata: { role: "original" } });
    const value = `v-${uuid()}`;
    await runToEnd(c, t.thread_id, assistant, { value });
    expectStatus(await c.api.post(`/threads/${t.thread_id}/state`, { values: { echoed: "updated" } }), 200, "updating the original's state");
    return { threadId: t.thread_id as string, value };
  },
  RUN_TIMEOUT_MS,
);

async function copyOf(c: CheckContext, threadId: string) {
  const res = await c.api.post(`/threads/${threadId}/copy`);
  const t = res.json;
  if (res.status === 200 && typeof t?.thread_id === "string" && t.thread_id !== threadId) c.created.thread(t.thread_id);
  expectStatus(res, 200);
  expectJsonObject(res);
  return { res, copy: t as Record<string, any> };
}

async function states(c: CheckContext, threadId: string) {
  const res = await c.api.get(`/threads/${threadId}/history`, { query: { limit: 100 } });
  expectStatus(res, 200);
  return { res, list: expectJsonArray(res) };
}

check(
  {
    id: "THR-090",
    level: "MUST",
    profile: "threads",
    operations: [COPY, "GET /threads/{thread_id}"],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/copy (Copy Thread)",
        quote: "Create a new thread with a copy of the state and checkpoints from an existing thread.",
        note: "the same in openapi-prev",
      },
      { source: "sdk-py", section: "ThreadsClient.copy", quote: "Copy a thread." },
    ],
    title: "POST /threads/{thread_id}/copy answers a new thread with a new thread_id, which GET then finds",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const o = await original(c);
    const { res, copy } = await copyOf(c, o.threadId);
    ensure(typeof copy.thread_id === "string" && copy.thread_id !== o.threadId, `the copy's thread_id ${JSON.stringify(copy.thread_id)} is not a new id`, res);
    expectStatus(await c.api.get(`/threads/${copy.thread_id}`), 200, "the copy was just created");
    expectStatus(await c.api.get(`/threads/${o.threadId}`), 200, "the original is still there");
  },
);

check(
  {
    id: "THR-091",
    level: "MUST",
    profile: "threads",
    operations: [COPY, "GET /threads/{thread_id}/state"],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/copy (Copy Thread)",
        quote: "Create a new thread with a copy of the state and checkpoints from an existing thread.",
        note: "the same in openapi-prev",
      },
    ],
    title: "The copy of a thread has the same state values and next nodes",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const o = await original(c);
    const { copy } = await copyOf(c, o.threadId);
    const a = await c.api.get(`/threads/${o.threadId}/state`);
    const b = await c.api.get(`/threads/${copy.thread_id}/state`);
    expectStatus(a, 200);
    expectStatus(b, 200);
    expectEqual(b.json?.values, a.json?.values, "values of the copy's state against the original's", b);
    expectEqual(b.json?.next, a.json?.next, "next of the copy's state against the original's", b);
  },
);

check(
  {
    id: "THR-092",
    level: "MUST",
    profile: "threads",
    operations: [COPY, "GET /threads/{thread_id}/history"],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/copy (Copy Thread)",
        quote: "a copy of the state and checkpoints from an existing thread",
        note: "the checkpoints are the thread's history; the same in openapi-prev",
      },
    ],
    title: "The copy of a thread has the same history: as many states, with the same values, in the same order",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const o = await original(c);
    const { copy } = await copyOf(c, o.threadId);
    const a = await states(c, o.threadId);
    const b = await states(c, copy.thread_id);
    expectEqual(b.list.length, a.list.length, "number of states in the copy's history against the original's", b.res);
    expectEqual(
      b.list.map((s) => s?.values),
      a.list.map((s) => s?.values),
      "values of each state of the copy's history against the original's",
      b.res,
    );
  },
);

check(
  {
    id: "THR-093",
    level: "MUST",
    profile: "threads",
    operations: [COPY, "POST /threads/{thread_id}/state", "GET /threads/{thread_id}/state"],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/copy (Copy Thread)",
        quote: "Create a new thread with a copy of the state and checkpoints from an existing thread.",
        note: "a copy, not a second name for the same thread",
      },
    ],
    title: "Updating the state of a copy leaves the original's state unchanged",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const o = await original(c);
    const { copy } = await copyOf(c, o.threadId);
    const before = await c.api.get(`/threads/${o.threadId}/state`);
    expectStatus(before, 200);
    expectStatus(await c.api.post(`/threads/${copy.thread_id}/state`, { values: { echoed: `copy-only-${uuid()}` } }), 200, "updating the copy's state");
    const after = await c.api.get(`/threads/${o.threadId}/state`);
    expectStatus(after, 200);
    expectEqual(after.json?.values, before.json?.values, "values of the original after the copy was updated", after);
    expectEqual(after.json?.checkpoint?.checkpoint_id, before.json?.checkpoint?.checkpoint_id, "latest checkpoint of the original after the copy was updated", after);
  },
);

check(
  {
    id: "THR-094",
    level: "SHOULD",
    profile: "threads",
    operations: [COPY],
    spec: [
      { source: "openapi", section: "POST /threads/{thread_id}/copy (Copy Thread), responses", note: "200, 409 and 422, no 404; the documents do not say when their 409 applies" },
      {
        source: "contract",
        section: "POST /threads/{thread_id}/copy, 404 x-decision",
        quote: "An unknown thread_id is the 404 condition of every other id-scoped thread operation",
        note: "the contract's choice: SHOULD; the documented 409 is taken too",
      },
    ],
    title: "POST /threads/{thread_id}/copy answers 404 (or the documented 409) for a thread that does not exist",
  },
  async (c) => {
    const res = await c.api.post(`/threads/${uuid()}/copy`);
    if (res.status === 200 && typeof res.json?.thread_id === "string") c.created.thread(res.json.thread_id);
    expectStatus(res, [404, 409], "there is no thread to copy; 404 is the contract's, 409 the documents' only error besides 422");
  },
);
