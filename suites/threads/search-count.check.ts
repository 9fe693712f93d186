import { check, scenario, type CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectSameMembers, expectStatus } from "../../harness/expect";
import { expectSortedBy, uuid } from "../_support/resources";
import { assistantFor, createThread, pollThread, runToEnd, RUN_TIMEOUT_MS } from "../_support/runs";

const REQUIRES = ["graph:echo", "graph:interrupt", "graph:error"];

/**
 * Five threads under one marker, in every status a client can filter on:
 * one never run (idle), two run on the echo graph (idle, each with its own
 * `echoed` value), one stopped at an interrupt, one whose run failed.
 */
const family = scenario(
  "five tagged threads in four states",
  async (c) => {
    const marker = { family: `search-${uuid()}` };
    const meta = (i: number) => ({ ...marker, parity: i % 2 ? "odd" : "even" });
    const [echo, interrupt, error] = await Promise.all([assistantFor(c, "echo"), assistantFor(c, "interrupt"), assistantFor(c, "error")]);
    const threads = [];
    for (let i = 0; i < 5; i++) threads.push(await createThread(c, { metadata: meta(i) }));
    const [fresh, echoA, echoB, interrupted, failed] = threads as [any, any, any, any, any];
    const a = `a-${uuid()}`;
    const b = `b-${uuid()}`;
    await runToEnd(c, echoA.thread_id, echo, { value: a });
    await runToEnd(c, echoB.thread_id, echo, { value: b });
    await runToEnd(c, interrupted.thread_id, interrupt, { value: "ask" });
    // A failing run may answer the wait with an error: only the thread's status matters here.
    await c.api.post(`/threads/${failed.thread_id}/runs/wait`, { assistant_id: error, input: { value: "boom" } }, { timeoutMs: 60_000 });
    // Wait (bounded) for the statuses these runs give. A server that never gives
    // them is judged on that by MTK-051 and MTK-052 (a thread's status after an
    // interrupt, after a failure), not by every check of search and count: the
    // checks that filter on status compare with the statuses the threads report.
    await pollThread(c, interrupted.thread_id, (t) => t.status === "interrupted", { timeoutMs: 30_000, what: "status interrupted" }).catch(() => undefined);
    await pollThread(c, failed.thread_id, (t) => t.status === "error", { timeoutMs: 30_000, what: "status error" }).catch(() => undefined);
    // The thread created first is updated last, so that the order of updated_at is
    // not the order of creation: a search that ignores sort_by=updated_at cannot pass by luck.
    const touched = await c.api.patch(`/threads/${fresh.thread_id}`, { metadata: { ...meta(0), touched: true } });
    expectStatus(touched, 200, "updating the oldest thread of the family last");
    const ids = threads.map((t) => t.thread_id as string);
    const statuses: Record<string, string> = {};
    for (const id of ids) {
      const res = await c.api.get(`/threads/${id}`);
      expectStatus(res, 200, "reading the status of a thread of the family");
      statuses[id] = String(res.json?.status);
    }
    return { filter: { ...c.tag(), ...marker }, ids, statuses, fresh, echoA, echoB, interrupted, failed, a, b };
  },
  RUN_TIMEOUT_MS,
);

/** The family's threads by the status they report, for every status a filter can name. */
function byStatus(c: CheckContext, f: { ids: string[]; statuses: Record<string, string>; fresh: any; echoA: any; echoB: any; interrupted: any; failed: any }): Record<string, string[]> {
  const intended: Record<string, string> = {
    [f.fresh.thread_id]: "idle",
    [f.echoA.thread_id]: "idle",
    [f.echoB.thread_id]: "idle",
    [f.interrupted.thread_id]: "interrupted",
    [f.failed.thread_id]: "error",
  };
  const off = f.ids.filter((id) => f.statuses[id] !== intended[id]).map((id) => `${id} is '${f.statuses[id]}', not '${intended[id]}'`);
  if (off.length) c.note(`the threads' statuses are not the ones their runs give (MTK-051 and MTK-052 judge that); the filter is held to the statuses the threads report: ${off.join("; ")}`);
  const out: Record<string, string[]> = { idle: [], busy: [], interrupted: [], error: [] };
  for (const id of f.ids) (out[f.statuses[id]!] ??= []).push(id);
  return out;
}

const SEARCH = ["POST /threads/search"];

async function search(c: CheckContext, body: Record<string, unknown>) {
  const res = await c.api.post("/threads/search", body);
  expectStatus(res, 200);
  return { res, list: expectJsonArray(res) };
}
const idsOf = (l: any[]) => l.map((t) => t?.thread_id);

check(
  {
    id: "THR-050",
    level: "MUST",
    profile: "threads",
    operations: SEARCH,
    spec: [
      { source: "api-ref", section: "ThreadSearchRequest.metadata", quote: "Thread metadata to filter on." },
      { source: "contract", section: "Metadata", quote: "Search filters match each key/value pair exactly." },
    ],
    title: "POST /threads/search with a metadata filter returns exactly the threads whose metadata matches",
    requires: REQUIRES,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await family(c);
    const { res, list } = await search(c, { metadata: f.filter, limit: 100 });
    expectSameMembers(idsOf(list), f.ids, "threads found by the metadata filter", res);
    const even = await search(c, { metadata: { ...f.filter, parity: "even" }, limit: 100 });
    expectSameMembers(idsOf(even.list), [f.ids[0], f.ids[2], f.ids[4]], "threads found with one more metadata pair", even.res);
  },
);

check(
  {
    id: "THR-051",
    level: "MUST",
    profile: "threads",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "ThreadSearchRequest.values", quote: "State values to filter on." }],
    title: "POST /threads/search with a values filter returns only the threads whose state has those values",
    requires: REQUIRES,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await family(c);
    const { res, list } = await search(c, { metadata: f.filter, values: { echoed: f.a }, limit: 100 });
    expectEqual(idsOf(list), [f.echoA.thread_id], `threads whose values have echoed="${f.a}"`, res);
  },
);

check(
  {
    id: "THR-052",
    level: "MUST",
    profile: "threads",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "ThreadSearchRequest.status", quote: "Thread status to filter on.", note: "one of idle, busy, interrupted, error" }],
    title: "POST /threads/search with status returns only the threads in that status",
    requires: REQUIRES,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await family(c);
    const expected = byStatus(c, f);
    for (const status of ["idle", "interrupted", "error", "busy"]) {
      const ids = expected[status] ?? [];
      const { res, list } = await search(c, { metadata: f.filter, status, limit: 100 });
      expectSameMembers(idsOf(list), ids, `threads found with status=${status}`, res);
    }
  },
);

check(
  {
    id: "THR-053",
    level: "MUST",
    profile: "threads",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "ThreadSearchRequest.limit", quote: "Maximum number to return." }],
    title: "POST /threads/search returns at most `limit` threads",
    requires: REQUIRES,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await family(c);
    const { res, list } = await search(c, { metadata: f.filter, limit: 2 });
    ensure(list.length === 2, `limit=2 returned ${list.length} threads (5 match)`, res);
  },
);

check(
  {
    id: "THR-054",
    level: "MUST",
    profile: "threads",
    operations: SEARCH,
    spec: [
      { source: "api-ref", section: "ThreadSearchRequest.offset", quote: "Offset to start from." },
      { source: "api-ref", section: "ThreadSearchRequest.limit", quote: "Maximum number to return.", note: "pages of one sorted search" },
    ],
    title: "POST /threads/search pages with offset: consecutive pages are disjoint and together are the whole list",
    requires: REQUIRES,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await family(c);
    const order = { sort_by: "thread_id", sort_order: "asc" };
    const whole = await search(c, { metadata: f.filter, limit: 5, offset: 0, ...order });
    const p1 = await search(c, { metadata: f.filter, limit: 3, offset: 0, ...order });
    const p2 = await search(c, { metadata: f.filter, limit: 3, offset: 3, ...order });
    const p3 = await search(c, { metadata: f.filter, limit: 3, offset: 5, ...order });
    expectEqual([...idsOf(p1.list), ...idsOf(p2.list)], idsOf(whole.list), "pages at offset 0 and 3 (limit 3) joined, against one page of 5", p2.res);
    ensure(p3.list.length === 0, `offset=5 past the 5 matches returned ${p3.list.length} threads`, p3.res);
  },
);

for (const [id, sortBy, order] of [
  ["THR-055", "created_at", "asc"],
  ["THR-056", "created_at", "desc"],
  ["THR-057", "updated_at", "asc"],
  ["THR-058", "updated_at", "desc"],
  ["THR-059", "thread_id", "asc"],
  ["THR-060", "thread_id", "desc"],
] as const) {
  check(
    {
      id,
      level: "MUST",
      profile: "threads",
      operations: SEARCH,
      spec: [
        { source: "api-ref", section: "ThreadSearchRequest.sort_by", quote: "Sort by field.", note: "one of thread_id, status, created_at, updated_at" },
        { source: "api-ref", section: "ThreadSearchRequest.sort_order", quote: "Sort order.", note: "asc or desc" },
      ],
      title: `POST /threads/search with sort_by=${sortBy} and sort_order=${order} returns the threads in that order`,
      requires: REQUIRES,
      timeoutMs: RUN_TIMEOUT_MS,
    },
    async (c) => {
      const f = await family(c);
      const { res, list } = await search(c, { metadata: f.filter, limit: 100, sort_by: sortBy, sort_order: order });
      ensure(list.length === f.ids.length, `the sorted search returned ${list.length} of the ${f.ids.length} matching threads`, res);
      expectSortedBy(res, list, sortBy, order);
    },
  );
}

check(
  {
    id: "THR-061",
    level: "MUST",
    profile: "threads",
    operations: SEARCH,
    spec: [
      { source: "sdk-py", section: "ThreadsClient.search, ids", quote: "List of thread IDs to filter by." },
      { source: "openapi", section: "ThreadSearchRequest.ids", quote: "List of thread IDs to include. Others are excluded.", note: "the same in openapi-prev" },
    ],
    title: "POST /threads/search with ids returns exactly those threads",
    requires: REQUIRES,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await family(c);
    const wanted = [f.echoB.thread_id, f.interrupted.thread_id];
    const { res, list } = await search(c, { ids: wanted, limit: 100 });
    expectSameMembers(idsOf(list), wanted, "threads found by ids", res);
  },
);

check(
  {
    id: "THR-062",
    level: "MUST",
    profile: "threads",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "ThreadSearchRequest.limit", quote: "Maximum number to return.", note: "default 10" }],
    title: "POST /threads/search without limit returns at most 10 threads",
  },
  async (c) => {
    // Twelve matches are needed for the default to show.
    const marker = { family: `default-limit-${uuid()}` };
    await Promise.all(Array.from({ length: 12 }, () => createThread(c, { metadata: marker })));
    const { res, list } = await search(c, { metadata: c.tag(marker) });
    ensure(list.length === 10, `without limit, search returned ${list.length} of 12 matching threads; the default limit is 10`, res);
  },
);

check(
  {
    id: "THR-063",
    level: "MUST",
    profile: "threads",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "ThreadSearchRequest.select", quote: "Specify which fields to return. If not provided, all fields are returned." }],
    title: "POST /threads/search with select returns only the selected fields",
    requires: REQUIRES,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await family(c);
    const res = await c.api.request({
      method: "POST",
      path: "/threads/search",
      json: { metadata: f.filter, limit: 100, select: ["thread_id", "status"] },
      expectSchema: "/components/schemas/ThreadSelectedList",
    });
    expectStatus(res, 200);
    const list = expectJsonArray(res);
    ensure(list.length === f.ids.length, `search with select returned ${list.length} of ${f.ids.length} threads`, res);
    for (const t of list) {
      const extra = Object.keys(t).filter((k) => k !== "thread_id" && k !== "status");
      ensure(extra.length === 0, `an item carries fields that were not selected: ${extra.join(", ")}`, res);
      ensure(typeof t.thread_id === "string" && typeof t.status === "string", `an item lacks a selected field: ${JSON.stringify(t)}`, res);
    }
  },
);

check(
  {
    id: "THR-070",
    level: "MUST",
    profile: "threads",
    operations: ["POST /threads/count", "POST /threads/search"],
    spec: [
      { source: "api-ref", section: "ThreadCountRequest", quote: "Payload for counting threads.", note: 'metadata: "Thread metadata to filter on."' },
      { source: "sdk-py", section: "ThreadsClient.count", quote: "Number of threads matching the criteria." },
    ],
    title: "POST /threads/count with a metadata filter counts what search finds",
    requires: REQUIRES,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await family(c);
    const res = await c.api.post("/threads/count", { metadata: f.filter });
    expectStatus(res, 200);
    expectEqual(res.json, f.ids.length, "count of threads under the marker", res);
    const odd = await c.api.post("/threads/count", { metadata: { ...f.filter, parity: "odd" } });
    expectStatus(odd, 200);
    expectEqual(odd.json, 2, "count with one more metadata pair", odd);
  },
);

check(
  {
    id: "THR-071",
    level: "MUST",
    profile: "threads",
    operations: ["POST /threads/count"],
    spec: [
      { source: "api-ref", section: "ThreadCountRequest.status", quote: "Thread status to filter on." },
      { source: "api-ref", section: "ThreadCountRequest.values", quote: "State values to filter on." },
    ],
    title: "POST /threads/count with status or values filters counts only the matching threads",
    requires: REQUIRES,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await family(c);
    const expected = byStatus(c, f);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ status: "idle" }, expected.idle!.length, "status=idle"],
      [{ status: "interrupted" }, expected.interrupted!.length, "status=interrupted"],
      [{ status: "error" }, expected.error!.length, "status=error"],
      [{ values: { echoed: f.b } }, 1, `values.echoed="${f.b}"`],
    ];
    for (const [extra, n, what] of cases) {
      const res = await c.api.post("/threads/count", { metadata: f.filter, ...extra });
      expectStatus(res, 200);
      expectEqual(res.json, n, `count of the marker's threads with ${what}`, res);
    }
  },
);
