// The history of a thread: a run of the echo graph (four checkpoints in
// LangGraph: input, after `first`, after `second`... the suite does not count on
// how many) followed by two state updates, whose checkpoints the suite knows.

import { check, scenario, type CheckContext } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectSameMembers, expectStatus } from "../../harness/expect";
import { firstOutOfOrder, uuid } from "../_support/resources";
import { assistantFor, createThread, runToEnd, RUN_TIMEOUT_MS } from "../_support/runs";

const ECHO = ["graph:echo"];
const GET = "GET /threads/{thread_id}/history";
const POST = "POST /threads/{thread_id}/history";

const cpId = (s: any): string | undefined => s?.checkpoint?.checkpoint_id;

async function update(c: CheckContext, threadId: string, echoed: string): Promise<string> {
  const res = await c.api.post(`/threads/${threadId}/state`, { values: { echoed } });
  expectStatus(res, 200, "a state update that adds a checkpoint the checks know");
  const id = expectJsonObject(res).checkpoint?.checkpoint_id;
  ensure(typeof id === "string", "the state update answered no checkpoint_id", res);
  return id;
}

/** One run and two updates: `older` then `newest` are the two update checkpoints. */
const thread = scenario(
  "a thread with a run and two state updates",
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const t = await createThread(c);
    await runToEnd(c, t.thread_id, assistant, { value: `v-${uuid()}` });
    const older = await update(c, t.thread_id, "update-1");
    const newest = await update(c, t.thread_id, "update-2");
    const res = await c.api.get(`/threads/${t.thread_id}/history`, { query: { limit: 100 } });
    expectStatus(res, 200, "reading the whole history");
    const all = expectJsonArray(res);
    ensure(all.length >= 3, `the history of a thread with a run and two updates has ${all.length} states`, res);
    return { threadId: t.thread_id as string, older, newest, all };
  },
  RUN_TIMEOUT_MS,
);

async function history(c: CheckContext, method: "GET" | "POST", threadId: string, params: Record<string, unknown>) {
  const res = method === "GET" ? await c.api.get(`/threads/${threadId}/history`, { query: params as Record<string, string | number> }) : await c.api.post(`/threads/${threadId}/history`, params);
  expectStatus(res, 200);
  return { res, list: expectJsonArray(res) };
}

type Scenario = Awaited<ReturnType<typeof thread>>;

/** History with `before` (as the request gives it) lists exactly the states older than the scenario's older update, newest first. */
async function expectOnlyOlder(c: CheckContext, method: "GET" | "POST", before: (t: Scenario) => unknown): Promise<void> {
  const t = await thread(c);
  const { res, list } = await history(c, method, t.threadId, { before: before(t), limit: 100 });
  const expected = t.all.slice(t.all.findIndex((s) => cpId(s) === t.older) + 1).map(cpId);
  expectEqual(list.map(cpId), expected, `checkpoints before ${t.older}, newest first`, res);
}

const NEWEST_FIRST: Record<"GET" | "POST", Citation[]> = {
  // THR-150
  GET: [
    { source: "api-ref-2024", section: "GET /threads/{thread_id}/history (Get Thread History)", quote: "Get all past states for a thread." },
    {
      source: "guide-persistence",
      section: "Get state history",
      quote: "the checkpoints will be ordered chronologically with the most recent checkpoint / StateSnapshot being the first in the list",
      note: "the library's state history, which this operation serves",
    },
    { source: "contract", section: "GET /threads/{thread_id}/history", quote: "Past states of a thread, newest first" },
  ],
  // THR-151
  POST: [
    { source: "openapi", section: "POST /threads/{thread_id}/history (Get Thread History Post)", quote: "Get all past states for a thread." },
    {
      source: "guide-persistence",
      section: "Get state history",
      quote: "the checkpoints will be ordered chronologically with the most recent checkpoint / StateSnapshot being the first in the list",
      note: "the library's state history, which this operation serves",
    },
    { source: "contract", section: "POST /threads/{thread_id}/history", quote: "Past states of a thread, newest first" },
  ],
};

for (const [id, method] of [
  ["THR-150", "GET"],
  ["THR-151", "POST"],
] as const) {
  check(
    {
      id,
      level: "MUST",
      profile: "threads",
      operations: [method === "GET" ? GET : POST],
      spec: NEWEST_FIRST[method],
      title: `${method} /threads/{thread_id}/history lists the states newest first, starting with the latest`,
      requires: ECHO,
      timeoutMs: RUN_TIMEOUT_MS,
    },
    async (c) => {
      const t = await thread(c);
      const { res, list } = await history(c, method, t.threadId, { limit: 100 });
      expectEqual(list.length, t.all.length, "number of states with limit=100", res);
      expectEqual(cpId(list[0]), t.newest, "checkpoint of the first state (the latest update)", res);
      expectEqual(cpId(list[1]), t.older, "checkpoint of the second state (the update before it)", res);
      const bad = firstOutOfOrder(list, (s) => Date.parse(s?.created_at ?? ""), "desc");
      ensure(bad === -1, `states are not newest first: ${list[bad - 1]?.created_at} comes before ${list[bad]?.created_at}`, res);
      for (let i = 0; i + 1 < list.length; i++) {
        const parent = list[i]?.parent_checkpoint?.checkpoint_id;
        if (parent !== undefined && parent !== null) {
          expectEqual(parent, cpId(list[i + 1]), `parent_checkpoint of state ${i} (the next state in the list, if the list is newest first)`, res);
        }
      }
    },
  );
}

const LIMIT: Record<"GET" | "POST", Citation[]> = {
  // THR-152
  GET: [
    { source: "api-ref-2024", section: "GET /threads/{thread_id}/history, query limit", note: "an integer, default 10" },
    { source: "sdk-py", section: "ThreadsClient.get_history, limit", quote: "The maximum number of states to return." },
  ],
  // THR-153
  POST: [{ source: "api-ref", section: "ThreadStateSearch.limit", quote: "The maximum number of states to return." }],
};

for (const [id, method] of [
  ["THR-152", "GET"],
  ["THR-153", "POST"],
] as const) {
  check(
    {
      id,
      level: "MUST",
      profile: "threads",
      operations: [method === "GET" ? GET : POST],
      spec: LIMIT[method],
      title: `${method} /threads/{thread_id}/history with limit=2 answers the two newest states`,
      requires: ECHO,
      timeoutMs: RUN_TIMEOUT_MS,
    },
    async (c) => {
      const t = await thread(c);
      const { res, list } = await history(c, method, t.threadId, { limit: 2 });
      expectEqual(list.map(cpId), [t.newest, t.older], "checkpoints of the states with limit=2", res);
    },
  );
}

check(
  {
    id: "THR-154",
    level: "MUST",
    profile: "threads",
    operations: [GET],
    spec: [
      { source: "api-ref-2024", section: "GET /threads/{thread_id}/history, query before", note: "a string" },
      { source: "sdk-py", section: "ThreadsClient.get_history, before", quote: "Return states before this checkpoint." },
      { source: "contract", section: "GET /threads/{thread_id}/history, query before", quote: "Return only states older than this checkpoint id." },
    ],
    title: "GET /threads/{thread_id}/history?before=<checkpoint_id> answers only the states older than that checkpoint",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  (c) => expectOnlyOlder(c, "GET", (t) => t.older),
);

check(
  {
    id: "THR-155",
    level: "MUST",
    profile: "threads",
    operations: [POST],
    spec: [{ source: "api-ref", section: "ThreadStateSearch.before", quote: "Return states before this checkpoint.", note: "a Checkpoint" }],
    title: "POST /threads/{thread_id}/history with before as a checkpoint object answers only the older states",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  (c) => expectOnlyOlder(c, "POST", (t) => ({ checkpoint_id: t.older })),
);

check(
  {
    id: "THR-156",
    level: "SHOULD",
    profile: "threads",
    operations: [POST],
    spec: [
      { source: "api-ref-2024", section: "ThreadStateSearch.before", note: "a string (a checkpoint id); api-ref types it a Checkpoint" },
      {
        source: "sdk-py",
        section: "ThreadsClient.get_history, before",
        quote: "Return states before this checkpoint.",
        note: "typed str | Checkpoint; the contract accepts both forms; the newer documents do not: SHOULD",
      },
    ],
    title: "POST /threads/{thread_id}/history with before as a checkpoint id string answers only the older states",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  (c) => expectOnlyOlder(c, "POST", (t) => t.older),
);

check(
  {
    id: "THR-157",
    level: "MUST",
    profile: "threads",
    operations: [POST],
    spec: [{ source: "api-ref", section: "ThreadStateSearch.metadata", quote: "Filter states by metadata key-value pairs." }],
    title: "POST /threads/{thread_id}/history with a metadata filter answers exactly the states whose metadata matches",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await thread(c);
    // The suite cannot set checkpoint metadata itself: it filters on a pair the
    // server wrote, one that some states have and others do not.
    const pairs = new Map<string, { key: string; value: unknown }>();
    for (const s of t.all) {
      for (const [key, value] of Object.entries(s?.metadata ?? {})) {
        if (value === null || typeof value === "object") continue;
        pairs.set(JSON.stringify([key, value]), { key, value });
      }
    }
    const matches = (s: any, p: { key: string; value: unknown }) => s?.metadata?.[p.key] === p.value;
    const pair = [...pairs.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .find((p) => {
        const n = t.all.filter((s) => matches(s, p)).length;
        return n > 0 && n < t.all.length;
      });
    if (!pair) return c.skip("no metadata key/value pair of the thread's states sets some apart from the others; nothing to filter on");
    c.note(`filtering on the pair ${pair.key}=${JSON.stringify(pair.value)}, which ${t.all.filter((s) => matches(s, pair)).length} of ${t.all.length} states have`);
    const { res, list } = await history(c, "POST", t.threadId, { metadata: { [pair.key]: pair.value }, limit: 100 });
    const expected = t.all.filter((s) => matches(s, pair)).map(cpId);
    expectSameMembers(list.map(cpId), expected, `states whose metadata has ${pair.key}=${JSON.stringify(pair.value)}`, res);
  },
);

check(
  {
    id: "THR-158",
    level: "MUST",
    profile: "threads",
    operations: [GET],
    spec: [
      { source: "api-ref-2024", section: "GET /threads/{thread_id}/history, query limit", note: "default 10" },
      { source: "openapi", section: "GET /threads/{thread_id}/history, query limit", note: "default 10; the same in openapi-prev" },
    ],
    title: "GET /threads/{thread_id}/history without limit answers the 10 newest states",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const t = await createThread(c);
    await runToEnd(c, t.thread_id, assistant, { value: "many" });
    // Eleven checkpoints beyond the run's, so that more than ten exist whatever the run made.
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push(await update(c, t.thread_id, `update-${i}`));
    const { res, list } = await history(c, "GET", t.thread_id, {});
    expectEqual(list.map(cpId), ids.slice(1).reverse(), "checkpoints of the history without limit (the 10 newest)", res);
  },
);

check(
  {
    id: "THR-159",
    level: "SHOULD",
    profile: "threads",
    operations: [POST],
    spec: [
      { source: "api-ref", section: "ThreadStateSearch.limit", quote: "The maximum number of states to return.", note: "default 1, as in both public documents" },
      { source: "sdk-py", section: "ThreadsClient.get_history, limit", note: "the SDK sends 10 by default" },
      { source: "contract", section: "ThreadStateSearch.limit x-decision", note: "the documents disagree on the default (api-ref-2024 gives 10), hence SHOULD" },
    ],
    title: "POST /threads/{thread_id}/history without limit answers only the newest state",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await thread(c);
    const { res, list } = await history(c, "POST", t.threadId, {});
    expectEqual(list.map(cpId), [t.newest], "checkpoints of the history without limit (default 1)", res);
  },
);

check(
  {
    id: "THR-160",
    level: "SHOULD",
    profile: "threads",
    operations: [GET, POST],
    spec: [
      { source: "openapi", section: "GET and POST /threads/{thread_id}/history, responses", note: "only 200 and 422 are declared" },
      {
        source: "contract",
        section: "GET /threads/{thread_id}/history, 404 x-decision",
        note: "an unknown thread_id answers 404 as for GET /threads/{thread_id}: the contract's choice, hence SHOULD",
      },
    ],
    title: "GET and POST /threads/{thread_id}/history answer 404 for a thread that does not exist",
  },
  async (c) => {
    const id = uuid();
    expectStatus(await c.api.get(`/threads/${id}/history`), 404, "no thread has this id");
    expectStatus(await c.api.post(`/threads/${id}/history`, { limit: 10 }), 404, "no thread has this id");
  },
);

check(
  {
    id: "THR-161",
    level: "MUST",
    profile: "threads",
    operations: [GET, POST],
    spec: [
      { source: "api-ref-2024", section: "GET /threads/{thread_id}/history (Get Thread History)", quote: "Get all past states for a thread.", note: "a thread nothing ran on has no past states" },
    ],
    title: "The history of a new thread is an empty list",
  },
  async (c) => {
    const t = await createThread(c);
    const got = await history(c, "GET", t.thread_id, {});
    expectEqual(got.list, [], "GET history of a new thread", got.res);
    const posted = await history(c, "POST", t.thread_id, { limit: 10 });
    expectEqual(posted.list, [], "POST history of a new thread", posted.res);
  },
);
