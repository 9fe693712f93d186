// The bookkeeping of threads: search without sort_by (its order, its pages),
// limits past the default page, metadata filters whose values are not strings
// with count held to them, a thread created with supersteps, a state update on
// a thread no graph has run on, what a copy keeps, deleting a thread whose runs
// are still going, a run from an earlier checkpoint, the order of a filtered
// history and history limits past their default.
//
// Data tells implementations apart: twelve matches where the default page is
// ten, created one after the other with the oldest updated last, a boolean
// `true` beside the string "true" and `false`; a history of fifteen states where
// the defaults are one and ten.

import { check, scenario, type CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectSameMembers, expectStatus, fail } from "../../harness/expect";
import type { Citation } from "../../harness/model";
import { uuid } from "../_support/resources";
import { assistantFor, createRun, createThread, pollRun, runToEnd, RUN_TIMEOUT_MS, settleThread } from "../_support/runs";
import { at, holds, roundTrip } from "../_support/roundtrip.checks";
import { listAnswer, oneAfterAnother, typedMetadata, TYPED_FILTERS } from "../_support/bookkeeping";

const SEARCH = "POST /threads/search";
const COUNT = "POST /threads/count";
const GET_HISTORY = "GET /threads/{thread_id}/history";
const POST_HISTORY = "POST /threads/{thread_id}/history";
const COPY = "POST /threads/{thread_id}/copy";

const idsOf = (l: any[]) => l.map((t) => t?.thread_id);
const cpId = (s: any): string | undefined => s?.checkpoint?.checkpoint_id;

const search = (c: CheckContext, body: Record<string, unknown>) => listAnswer(c, "/threads/search", body);

async function history(c: CheckContext, threadId: string, method: "GET" | "POST", params: Record<string, unknown>) {
  const res = method === "GET" ? await c.api.get(`/threads/${threadId}/history`, { query: params as Record<string, string | number> }) : await c.api.post(`/threads/${threadId}/history`, params);
  expectStatus(res, 200);
  return { res, list: expectJsonArray(res) };
}

// ------------------------------------------------------------------ twelve threads

/** Twelve threads under one marker, created one after the other; three with metadata that is not a string; the oldest updated last. */
const twelve = scenario(
  "twelve threads created one after the other",
  async (c) => {
    const marker = { family: `bk-${uuid()}` };
    const created: Array<Record<string, any>> = await oneAfterAnother(12, (i) => createThread(c, { metadata: { ...marker, ...typedMetadata(i) } }));
    // Best effort: a target that cannot PATCH keeps created and updated in one order (THR-030 judges PATCH).
    const touched = await c.api.patch(`/threads/${created[0]!.thread_id}`, { metadata: { touched: true } });
    if (touched.status !== 200) c.note(`the oldest thread could not be updated last (PATCH answered ${touched.status})`);
    return { filter: { ...c.tag(), ...marker }, created, newestFirst: [...created].reverse().map((t) => t.thread_id as string) };
  },
  RUN_TIMEOUT_MS,
);

const LIMIT_WORDS: Citation = { source: "api-ref", section: "ThreadSearchRequest.limit", quote: "Maximum number to return.", note: "min 1, max 1000, default 10" };
const OFFSET_WORDS: Citation = { source: "api-ref", section: "ThreadSearchRequest.offset", quote: "Offset to start from.", note: "default 0" };

check(
  {
    id: "THR-247",
    level: "MUST",
    profile: "threads",
    operations: [SEARCH],
    spec: [LIMIT_WORDS],
    title: "POST /threads/search with limit=11, above the default page of 10, returns 11 of 12 matching threads",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    const { res, list } = await search(c, { metadata: f.filter, limit: 11 });
    ensure(list.length === 11, `limit=11 returned ${list.length} of the 12 matching threads`, res);
  },
);

check(
  {
    id: "THR-248",
    level: "MUST",
    profile: "threads",
    operations: [SEARCH],
    spec: [OFFSET_WORDS, LIMIT_WORDS],
    title: "POST /threads/search with offset=10 and no limit returns the 2 of 12 matches past the first page, none of the first page's",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    const order = { sort_by: "created_at", sort_order: "desc" };
    const first = await search(c, { metadata: f.filter, ...order });
    const rest = await search(c, { metadata: f.filter, offset: 10, ...order });
    ensure(rest.list.length === 2, `offset=10 returned ${rest.list.length} threads; 12 match, so 2 are left past the first 10`, rest.res);
    const both = idsOf(rest.list).filter((id) => idsOf(first.list).includes(id));
    ensure(both.length === 0, `offset=10 returned threads the first page already had: ${both.join(", ")}`, rest.res);
    expectSameMembers([...idsOf(first.list), ...idsOf(rest.list)], f.newestFirst, "the first page and the page at offset 10 together", rest.res);
  },
);

check(
  {
    id: "THR-249",
    level: "SHOULD",
    profile: "threads",
    operations: [SEARCH],
    spec: [
      { source: "api-ref", section: "ThreadSearchRequest.sort_by", quote: "Sort by field.", note: "no default is given" },
      { source: "contract", section: "ThreadSearchRequest.sort_by x-decision", quote: "Without sort_by, the newest thread comes first" },
    ],
    title: "POST /threads/search without sort_by lists the newest thread (by created_at) first",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    const { res, list } = await search(c, { metadata: f.filter, limit: 100 });
    expectEqual(idsOf(list), f.newestFirst, "threads without sort_by (newest created first; the oldest was updated last)", res);
  },
);

check(
  {
    id: "THR-250",
    level: "MUST",
    profile: "threads",
    operations: [SEARCH],
    spec: [{ ...OFFSET_WORDS, note: "a list read page by page: an offset means the same order each time, whatever the order is" }, LIMIT_WORDS],
    title: "POST /threads/search without sort_by pages stably: pages at offsets 0, 5 and 10 are disjoint and together are every match",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    const pages = [];
    for (const offset of [0, 5, 10]) pages.push(await search(c, { metadata: f.filter, limit: 5, offset }));
    const seen = pages.flatMap((p) => idsOf(p.list));
    const twice = seen.filter((id, i) => seen.indexOf(id) !== i);
    ensure(twice.length === 0, `pages of 5 without sort_by repeat threads: ${[...new Set(twice)].join(", ")}`, pages[2]!.res);
    expectSameMembers(seen, f.newestFirst, "the pages at offsets 0, 5 and 10 (limit 5) together", pages[2]!.res);
  },
);

const METADATA_WORDS: Citation[] = [
  { source: "api-ref", section: "ThreadSearchRequest.metadata", quote: "Thread metadata to filter on." },
  { source: "contract", section: "Metadata", quote: "Search filters match each key/value pair exactly." },
];

check(
  {
    id: "THR-251",
    level: "MUST",
    profile: "threads",
    operations: [SEARCH],
    spec: METADATA_WORDS,
    title: 'POST /threads/search with metadata values that are a boolean or an object matches them as such: true is not "true"',
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    for (const t of TYPED_FILTERS) {
      const { res, list } = await search(c, { metadata: { ...f.filter, ...t.filter }, limit: 100 });
      expectSameMembers(
        idsOf(list),
        t.matches.map((i) => f.created[i]!.thread_id),
        `threads found with ${t.what}`,
        res,
      );
    }
  },
);

check(
  {
    id: "THR-252",
    level: "MUST",
    profile: "threads",
    operations: [COUNT, SEARCH],
    spec: [{ source: "api-ref", section: "ThreadCountRequest", quote: "Payload for counting threads.", note: 'metadata: "Thread metadata to filter on."' }, ...METADATA_WORDS],
    title: "POST /threads/count with metadata values that are a boolean or an object counts what search finds",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    for (const t of TYPED_FILTERS) {
      const res = await c.api.post("/threads/count", { metadata: { ...f.filter, ...t.filter } });
      expectStatus(res, 200);
      expectEqual(res.json, t.matches.length, `count with ${t.what}`, res);
    }
  },
);

// ------------------------------------------------------------------ supersteps, and an update with no graph

check(
  {
    id: "THR-253",
    level: "MUST",
    profile: "threads",
    operations: ["POST /threads", "GET /threads/{thread_id}/state", GET_HISTORY],
    spec: [
      { source: "sdk-py", section: "ThreadsClient.create, supersteps", quote: "Apply a list of supersteps when creating a thread, each containing a sequence of updates." },
      { source: "api-ref", section: "ThreadSuperstepUpdate.as_node", quote: "Update the state as if this node had just executed." },
      {
        source: "sdk-py",
        section: "ThreadsClient.create, graph_id",
        quote: "Optional graph ID to associate with the thread.",
        note: "the SDK sends it as metadata.graph_id, which names the graph whose state the updates write",
      },
    ],
    title: "POST /threads with supersteps applies them in order: the state holds every update, and the history one state per superstep",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const tag = uuid().slice(0, 8);
    const res = await c.api.post("/threads", {
      metadata: { ...c.tag(), graph_id: "echo" },
      supersteps: [{ updates: [{ values: { value: `v-${tag}` }, as_node: "first" }] }, { updates: [{ values: { echoed: `e-${tag}` }, as_node: "second" }] }],
    });
    if (typeof res.json?.thread_id === "string") c.created.thread(res.json.thread_id);
    expectStatus(res, 200);
    const threadId = expectJsonObject(res).thread_id;
    const state = await c.api.get(`/threads/${threadId}/state`);
    expectStatus(state, 200);
    expectEqual(state.json?.values?.value, `v-${tag}`, "values.value after the supersteps (the first one's update)", state);
    expectEqual(state.json?.values?.echoed, `e-${tag}`, "values.echoed after the supersteps (the second one's update)", state);
    const h = await history(c, threadId, "GET", { limit: 10 });
    expectEqual(h.list.length, 2, "states in the history of a thread created with two supersteps", h.res);
    expectEqual(h.list[1]?.values?.value, `v-${tag}`, "values.value of the older state (after the first superstep)", h.res);
    ensure(h.list[1]?.values?.echoed === undefined, `the state after the first superstep already has echoed ${JSON.stringify(h.list[1]?.values?.echoed)}`, h.res);
  },
);

check(
  {
    id: "THR-254",
    level: "SHOULD",
    profile: "threads",
    operations: ["POST /threads/{thread_id}/state", GET_HISTORY],
    spec: [
      {
        source: "api-ref",
        section: "ThreadStateUpdate.as_node",
        note: "an update is written as a node of the thread's graph; a thread no graph has run on, and that names none, has no graph to write it for",
      },
      { source: "contract", section: "POST /threads/{thread_id}/state x-decision", quote: "a thread no graph has run on and whose metadata names no graph_id answers a client error" },
    ],
    title: "POST /threads/{thread_id}/state on a thread no graph has run on answers a client error and adds no state",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await createThread(c);
    const res = await c.api.post(`/threads/${t.thread_id}/state`, { values: { value: "no graph" } });
    ensure(
      res.status >= 400 && res.status < 500,
      `POST /threads/{thread_id}/state on a thread no graph has run on answered ${res.status}; there is no graph to write the update for, a client error was wanted`,
      res,
    );
    const h = await history(c, t.thread_id, "GET", { limit: 10 });
    expectEqual(h.list.length, 0, "states in the history after the refused update", h.res);
  },
);

// ------------------------------------------------------------------ a copy

const original = scenario(
  "a thread run once, to copy",
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const t = await createThread(c);
    await runToEnd(c, t.thread_id, assistantId, { value: "original" });
    const copy = await c.api.post(`/threads/${t.thread_id}/copy`);
    if (typeof copy.json?.thread_id === "string") c.created.thread(copy.json.thread_id);
    // Both histories as the copy left them, before any check runs on the copy.
    const before = await c.api.get(`/threads/${t.thread_id}/history`, { query: { limit: 100 } });
    const after = typeof copy.json?.thread_id === "string" ? await c.api.get(`/threads/${copy.json.thread_id}/history`, { query: { limit: 100 } }) : undefined;
    return { assistantId, threadId: t.thread_id as string, copy, originalHistory: before, copyHistory: after };
  },
  RUN_TIMEOUT_MS,
);

const COPY_WORDS: Citation = {
  source: "openapi",
  section: "POST /threads/{thread_id}/copy (Copy Thread)",
  quote: "Create a new thread with a copy of the state and checkpoints from an existing thread.",
  note: "the same in openapi-prev",
};

async function copied(c: CheckContext) {
  const o = await original(c);
  if (o.copy.status !== 200 || typeof o.copy.json?.thread_id !== "string") c.skip(`POST /threads/{thread_id}/copy answered ${o.copy.status} (THR-090 judges the copy)`);
  return { ...o, copyId: o.copy.json.thread_id as string };
}

check(
  {
    id: "THR-255",
    level: "SHOULD",
    profile: "threads",
    operations: [COPY, GET_HISTORY],
    spec: [COPY_WORDS, { source: "contract", section: "POST /threads/{thread_id}/copy x-decision", quote: "The copy keeps the checkpoint ids of the original" }],
    title: "The copy of a thread keeps the checkpoint ids of the original, each now naming the copy's thread",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const o = await copied(c);
    const a = o.originalHistory;
    const b = o.copyHistory!;
    expectStatus(a, 200, "reading the original's history");
    expectStatus(b, 200, "reading the copy's history");
    const [la, lb] = [expectJsonArray(a), expectJsonArray(b)];
    expectEqual(lb.map(cpId), la.map(cpId), "checkpoint ids of the copy's history against the original's", b);
    const foreign = lb.filter((s) => s?.checkpoint?.thread_id !== undefined && s.checkpoint.thread_id !== o.copyId);
    ensure(foreign.length === 0, `states of the copy's history name thread ${foreign[0]?.checkpoint?.thread_id}, not the copy ${o.copyId}`, b);
  },
);

check(
  {
    id: "THR-256",
    level: "MUST",
    profile: "threads",
    operations: [COPY, "POST /threads/{thread_id}/runs/wait"],
    spec: [COPY_WORDS],
    title: "A run on the copy of a thread goes on from the copied state: the nodes it runs add to what the original's run wrote",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const o = await copied(c);
    const before = await c.api.get(`/threads/${o.copyId}/state`);
    if (before.status !== 200 || JSON.stringify(before.json?.values?.trail) !== JSON.stringify(["first", "second"])) {
      c.skip(`the copy's state does not hold the original's values before any run (trail ${JSON.stringify(before.json?.values?.trail)}; THR-091 judges the copied state)`);
    }
    const res = await c.api.post(`/threads/${o.copyId}/runs/wait`, { assistant_id: o.assistantId, input: { value: "on the copy" } }, { timeoutMs: 60_000 });
    expectStatus(res, 200, "a run on the copy");
    const after = await c.api.get(`/threads/${o.copyId}/state`);
    expectStatus(after, 200);
    expectEqual(after.json?.values?.trail, ["first", "second", "first", "second"], "trail of the copy after a run on it (the original's two nodes, then the new run's)", after);
    const state = await c.api.get(`/threads/${o.threadId}/state`);
    expectStatus(state, 200);
    expectEqual(state.json?.values?.trail, ["first", "second"], "trail of the original, which the run on the copy must leave alone", state);
  },
);

// ------------------------------------------------------------------ deleting a thread whose runs go on

check(
  {
    id: "THR-257",
    level: "SHOULD",
    profile: "threads",
    operations: ["DELETE /threads/{thread_id}", "GET /threads/{thread_id}/runs/{run_id}"],
    spec: [
      { source: "api-ref-2024", section: "DELETE /threads/{thread_id} (Delete Thread)", quote: "Delete a thread by ID." },
      { source: "contract", section: "DELETE /threads/{thread_id} x-decision", quote: "A thread whose runs are pending or running is deleted too, with its runs" },
    ],
    title: "DELETE /threads/{thread_id} of a thread with a running and a pending run succeeds, and its runs are gone",
    requires: ["graph:slow"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const assistantId = await assistantFor(c, "slow");
    const t = await createThread(c);
    try {
      const running = await createRun(c, t.thread_id, { assistant_id: assistantId, input: { sleep_ms: 4000 } });
      const pending = await createRun(c, t.thread_id, { assistant_id: assistantId, input: { sleep_ms: 100 }, multitask_strategy: "enqueue" });
      await pollRun(c, t.thread_id, running.run_id, (r) => r.status === "running", { timeoutMs: 10_000, what: "status running" }).catch(() => undefined);
      const del = await c.api.delete(`/threads/${t.thread_id}`);
      ensure(del.status >= 200 && del.status < 300, `DELETE of a thread with a running and a pending run answered ${del.status}`, del, { status: { wanted: [200, 204], got: del.status } });
      for (const [what, run] of [
        ["running", running],
        ["pending", pending],
      ] as const) {
        const got = await c.api.get(`/threads/${t.thread_id}/runs/${run.run_id}`);
        expectStatus(got, 404, `the ${what} run's thread was deleted`);
      }
    } finally {
      await settleThread(c, t.thread_id);
    }
  },
);

// ------------------------------------------------------------------ a run from an earlier checkpoint

check(
  {
    id: "THR-258",
    level: "MUST",
    profile: "threads",
    operations: ["POST /threads/{thread_id}/runs/wait", GET_HISTORY],
    spec: [
      { source: "api-ref", section: "RunCreateStateful.checkpoint", quote: "The checkpoint to resume from." },
      {
        source: "api-ref-2024",
        section: "GET /threads/{thread_id}/history (Get Thread History)",
        quote: "Get all past states for a thread.",
        note: "a new run adds states; the past ones stay as they were",
      },
    ],
    title: "A run from an earlier checkpoint adds states on top of that checkpoint and leaves every earlier state of the history as it was",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const t = await createThread(c);
    await runToEnd(c, t.thread_id, assistantId, { value: "first run" });
    const before = await history(c, t.thread_id, "GET", { limit: 100 });
    if (before.list.length < 2 || !before.list.every((s) => typeof cpId(s) === "string"))
      c.skip(`the history after one run has ${before.list.length} states with checkpoint ids; a state before the last is needed (THR-150 judges history)`);
    const from = cpId(before.list[1]);
    const res = await c.api.post(`/threads/${t.thread_id}/runs/wait`, { assistant_id: assistantId, input: { value: "second run" }, checkpoint: { checkpoint_id: from } }, { timeoutMs: 60_000 });
    expectStatus(res, 200, "a run from the checkpoint before the last");
    const after = await history(c, t.thread_id, "GET", { limit: 100 });
    const old = new Set(before.list.map(cpId));
    const added = after.list.filter((s) => !old.has(cpId(s)));
    ensure(added.length > 0, "the run from an earlier checkpoint added no state to the history", after.res);
    const kept = after.list.filter((s) => old.has(cpId(s)));
    expectEqual(kept.map(cpId), before.list.map(cpId), "the states that were in the history before the second run, in their order", after.res);
    expectEqual(
      kept.map((s) => s?.values),
      before.list.map((s) => s?.values),
      "the values of those states",
      after.res,
    );
    const oldestAdded = added.at(-1);
    expectEqual(oldestAdded?.parent_checkpoint?.checkpoint_id, from, "parent of the oldest state the second run added (the checkpoint it was started from)", after.res);
  },
);

// ------------------------------------------------------------------ a long history

/** A thread with a run of the echo graph and eleven state updates after it: fifteen states or more. */
const longHistory = scenario(
  "a thread with a run and eleven state updates",
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const t = await createThread(c);
    await runToEnd(c, t.thread_id, assistantId, { value: "long" });
    const updates: string[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await c.api.post(`/threads/${t.thread_id}/state`, { values: { echoed: `update-${i}` } });
      expectStatus(res, 200, "a state update that lengthens the history");
      updates.push(res.json?.checkpoint?.checkpoint_id);
    }
    const all = await history(c, t.thread_id, "GET", { limit: 100 });
    return { threadId: t.thread_id as string, updates, all: all.list };
  },
  RUN_TIMEOUT_MS,
);

/** The long history; a target whose updates name no checkpoint skips (THR-102 judges the update's answer). */
async function longHistoryOrSkip(c: CheckContext) {
  const h = await longHistory(c);
  if (!h.updates.every((id) => typeof id === "string")) c.skip("the state updates answered no checkpoint ids to hold the history against (THR-102 judges the answer)");
  return h;
}

for (const [id, method, note] of [
  ["THR-260", "GET", "default 10"],
  ["THR-261", "POST", "default 1"],
] as const) {
  check(
    {
      id,
      level: "MUST",
      profile: "threads",
      operations: [method === "GET" ? GET_HISTORY : POST_HISTORY],
      spec:
        method === "GET"
          ? [
              { source: "api-ref-2024", section: "GET /threads/{thread_id}/history, query limit", note },
              { source: "sdk-py", section: "ThreadsClient.get_history, limit", quote: "The maximum number of states to return." },
            ]
          : [{ source: "api-ref", section: "ThreadStateSearch.limit", quote: "The maximum number of states to return.", note }],
      title: `${method} /threads/{thread_id}/history with limit=11, above the default page, answers the 11 newest of 15 states`,
      requires: ["graph:echo"],
      timeoutMs: RUN_TIMEOUT_MS,
    },
    async (c) => {
      const h = await longHistoryOrSkip(c);
      const { res, list } = await history(c, h.threadId, method, { limit: 11 });
      // The 11 newest states are the 11 updates, whose checkpoints the updates answered.
      expectEqual(list.map(cpId), [...h.updates].reverse(), "checkpoints with limit=11 (the 11 newest: the eleven updates, newest first)", res);
    },
  );
}

check(
  {
    id: "THR-259",
    level: "MUST",
    profile: "threads",
    operations: [POST_HISTORY],
    spec: [
      { source: "api-ref", section: "ThreadStateSearch.metadata", quote: "Filter states by metadata key-value pairs." },
      {
        source: "guide-persistence",
        section: "Get state history",
        quote: "the checkpoints will be ordered chronologically with the most recent checkpoint / StateSnapshot being the first in the list",
      },
      { source: "contract", section: "POST /threads/{thread_id}/history", quote: "Past states of a thread, newest first" },
    ],
    title: "POST /threads/{thread_id}/history with a metadata filter lists the matching states newest first, as the whole history is",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const h = await longHistory(c);
    // The eleven updates are told apart from the run's states by metadata the
    // server wrote; the pair chosen is one the updates share and the run's states lack.
    const pairs = new Map<string, { key: string; value: unknown }>();
    for (const s of h.all) for (const [key, value] of Object.entries(s?.metadata ?? {})) if (value === null || typeof value !== "object") pairs.set(JSON.stringify([key, value]), { key, value });
    const matching = (p: { key: string; value: unknown }) => h.all.filter((s) => s?.metadata?.[p.key] === p.value);
    const pair = [...pairs.values()].sort((a, b) => a.key.localeCompare(b.key)).find((p) => matching(p).length >= 3 && matching(p).length < h.all.length);
    if (!pair) return c.skip("no metadata pair of the thread's states sets three or more apart from the others; nothing to filter on");
    c.note(`filtering on ${pair.key}=${JSON.stringify(pair.value)}, which ${matching(pair).length} of ${h.all.length} states have`);
    const { res, list } = await history(c, h.threadId, "POST", { metadata: { [pair.key]: pair.value }, limit: 100 });
    expectEqual(list.map(cpId), matching(pair).map(cpId), `states with ${pair.key}=${JSON.stringify(pair.value)}, in the order of the whole history (newest first)`, res);
  },
);

// ------------------------------------------------------------------ optional fields round-tripped

const RT = roundTrip("THR-262");

check(
  {
    id: "THR-262",
    level: RT.level,
    profile: "threads",
    operations: ["POST /threads", "GET /threads/{thread_id}", SEARCH],
    spec: [
      { source: "api-ref", section: RT.words.section, quote: RT.words.quote },
      { source: "api-ref", section: "Thread.metadata", quote: "The thread metadata." },
    ],
    title: "metadata given to POST /threads, with values that are not strings, comes back as given from GET and search",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const marker = { round_trip: `THR-262-${uuid()}` };
    const t = await createThread(c, { metadata: { ...(RT.value as object), ...marker } });
    const got = await c.api.get(`/threads/${t.thread_id}`);
    expectStatus(got, 200);
    if (!holds(at(got.json, RT.at), RT.value)) fail(`GET /threads/{thread_id} answers metadata ${JSON.stringify(got.json?.metadata)}, not holding the ${JSON.stringify(RT.value)} given`, got);
    const found = await search(c, { metadata: c.tag(marker), limit: 10 });
    const mine = found.list.find((x) => x?.thread_id === t.thread_id);
    ensure(mine, "POST /threads/search by the thread's metadata does not list it", found.res);
    if (!holds(at(mine, RT.at), RT.value)) fail(`POST /threads/search answers metadata ${JSON.stringify(mine.metadata)}, not holding the ${JSON.stringify(RT.value)} given`, found.res);
  },
);
