// GET /threads/{thread_id}/runs: every run of the thread and only those, paged
// by limit and offset, filtered by status, trimmed by select. The contract
// gives no order, so pages are judged as a partition of the whole list.

import { check, scenario } from "../../harness/check";
import type { CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectSameMembers, expectStatus } from "../../harness/expect";
import type { QueryValue } from "../../harness/http";
import type { Citation, Level } from "../../harness/model";
import { expectRefused, uuid } from "../_support/resources";
import { assistantFor, createRun, createThread, describeSeen, pollRun } from "../_support/runs";

const LIST = "GET /threads/{thread_id}/runs";

/** Runs one after the other (each ended before the next starts), returning their ids by status. */
async function runsInTurn(c: CheckContext, threadId: string, graphs: Array<{ assistantId: string; expect: string }>) {
  const ids: Array<{ runId: string; status: string }> = [];
  for (const [i, g] of graphs.entries()) {
    const run = await createRun(c, threadId, { assistant_id: g.assistantId, input: { value: i } });
    const { run: ended, seen } = await pollRun(c, threadId, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status" });
    ensure(ended.status === g.expect, `run ${i + 1} of the set-up ended '${ended.status}', expected '${g.expect}' (seen: ${describeSeen(seen)})`);
    ids.push({ runId: run.run_id, status: ended.status });
  }
  return ids;
}

/** A thread with three ended runs: success, error, success. */
const three = scenario("a thread with three ended runs (success, error, success)", async (c) => {
  const [echo, error] = await Promise.all([assistantFor(c, "echo"), assistantFor(c, "error")]);
  const thread = await createThread(c);
  const runs = await runsInTurn(c, thread.thread_id, [
    { assistantId: echo, expect: "success" },
    { assistantId: error, expect: "error" },
    { assistantId: echo, expect: "success" },
  ]);
  return { threadId: thread.thread_id as string, runs };
});

async function list(c: CheckContext, threadId: string, query: Record<string, QueryValue> = {}, expectSchema?: string) {
  const res = await c.api.request({ method: "GET", path: `/threads/${threadId}/runs`, query, ...(expectSchema ? { expectSchema } : {}) });
  expectStatus(res, 200);
  return { res, items: expectJsonArray(res) };
}

const ids = (items: any[]) => items.map((r) => r?.run_id);

check(
  {
    id: "RUN-040",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: [{ source: "api-ref-2024", section: "GET /threads/{thread_id}/runs (List Runs)", quote: "List all runs for a thread." }],
    title: "GET /threads/{thread_id}/runs lists every run of the thread, and only those",
    requires: ["graph:echo", "graph:error"],
  },
  async (c) => {
    const s = await three(c);
    const { res, items } = await list(c, s.threadId);
    expectSameMembers(
      ids(items),
      s.runs.map((r) => r.runId),
      "run_ids listed for the thread",
      res,
    );
    for (const r of items) expectEqual(r?.thread_id, s.threadId, `thread_id of listed run ${r?.run_id}`, res);
  },
);

check(
  {
    id: "RUN-041",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: [
      { source: "api-ref-2024", section: "GET /threads/{thread_id}/runs, query limit and offset", note: "limit default 10, offset default 0" },
      { source: "sdk-py", section: "RunsClient.list, limit", quote: "The maximum number of results to return." },
    ],
    title: "GET /threads/{thread_id}/runs?limit=2 returns 2 of the thread's 3 runs",
    requires: ["graph:echo", "graph:error"],
  },
  async (c) => {
    const s = await three(c);
    const { res, items } = await list(c, s.threadId, { limit: 2 });
    ensure(items.length === 2, `limit=2 returned ${items.length} runs of 3`, res);
    const known = new Set(s.runs.map((r) => r.runId));
    for (const id of ids(items)) ensure(known.has(id), `limit=2 returned a run that is not one of the thread's: ${id}`, res);
  },
);

check(
  {
    id: "RUN-042",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: [
      {
        source: "sdk-py",
        section: "RunsClient.list, limit and offset",
        quote: "The number of results to skip.",
        note: "no document gives an order, but an offset means the same list each time: pages neither repeat nor miss a run",
      },
      { source: "api-ref-2024", section: "GET /threads/{thread_id}/runs, query limit and offset", note: "limit default 10, offset default 0" },
    ],
    title: "GET /threads/{thread_id}/runs pages (limit=2 at offset 0 and 2) return each of the thread's runs exactly once",
    requires: ["graph:echo", "graph:error"],
  },
  async (c) => {
    const s = await three(c);
    const first = await list(c, s.threadId, { limit: 2, offset: 0 });
    const second = await list(c, s.threadId, { limit: 2, offset: 2 });
    ensure(first.items.length === 2, `the first page (limit=2, offset=0) has ${first.items.length} runs, expected 2`, first.res);
    ensure(second.items.length === 1, `the second page (limit=2, offset=2) has ${second.items.length} runs, expected the 1 left of 3`, second.res);
    expectSameMembers(
      [...ids(first.items), ...ids(second.items)],
      s.runs.map((r) => r.runId),
      "run_ids of both pages together",
      second.res,
    );
  },
);

check(
  {
    id: "RUN-043",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: [{ source: "sdk-py", section: "RunsClient.list, offset", quote: "The number of results to skip." }],
    title: "GET /threads/{thread_id}/runs with offset=1 skips exactly one run, and with an offset past the end returns an empty list",
    requires: ["graph:echo", "graph:error"],
  },
  async (c) => {
    const s = await three(c);
    const skipped = await list(c, s.threadId, { offset: 1 });
    ensure(skipped.items.length === 2, `offset=1 returned ${skipped.items.length} runs of 3, expected 2`, skipped.res);
    const past = await list(c, s.threadId, { offset: 3 });
    ensure(past.items.length === 0, `offset=3 on a thread of 3 runs returned ${past.items.length} runs`, past.res);
  },
);

check(
  {
    id: "RUN-044",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: [
      { source: "openapi", section: "GET /threads/{thread_id}/runs (List Runs), query status", note: "a RunStatus" },
      { source: "sdk-py", section: "RunsClient.list, status", quote: "The status of the run to filter by." },
    ],
    title: "GET /threads/{thread_id}/runs?status=... returns only the thread's runs with that status",
    requires: ["graph:echo", "graph:error"],
  },
  async (c) => {
    const s = await three(c);
    for (const status of ["error", "success"]) {
      const { res, items } = await list(c, s.threadId, { status });
      expectSameMembers(
        ids(items),
        s.runs.filter((r) => r.status === status).map((r) => r.runId),
        `run_ids listed with status=${status}`,
        res,
      );
    }
    const none = await list(c, s.threadId, { status: "timeout" });
    ensure(none.items.length === 0, `status=timeout returned ${none.items.length} runs; none of the thread's runs timed out`, none.res);
  },
);

check(
  {
    id: "RUN-045",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: [
      {
        source: "openapi",
        section: "GET /threads/{thread_id}/runs (List Runs), query select",
        quote: "Specify which fields to return. If not provided, all fields are returned.",
        note: "the same in openapi-prev; the Python SDK's runs.list takes select",
      },
    ],
    title: "GET /threads/{thread_id}/runs?select=run_id&select=status returns only those fields of each run",
    requires: ["graph:echo", "graph:error"],
  },
  async (c) => {
    const s = await three(c);
    const { res, items } = await list(c, s.threadId, { select: ["run_id", "status"] }, "/components/schemas/RunSelectedList");
    expectSameMembers(
      ids(items),
      s.runs.map((r) => r.runId),
      "run_ids listed with select",
      res,
    );
    for (const r of items) {
      const extra = Object.keys(r ?? {}).filter((k) => k !== "run_id" && k !== "status");
      ensure(extra.length === 0, `a listed run carries fields that were not selected: ${extra.join(", ")}`, res);
      ensure(typeof r.status === "string", `a listed run lacks the selected field status: ${JSON.stringify(r)}`, res);
    }
  },
);

check(
  {
    id: "RUN-046",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: [
      { source: "api-ref-2024", section: "GET /threads/{thread_id}/runs, query limit", note: "default 10" },
      { source: "openapi", section: "GET /threads/{thread_id}/runs, query limit", note: "default 10; the same in openapi-prev" },
    ],
    title: "GET /threads/{thread_id}/runs without limit returns at most 10 runs (of 11)",
    requires: ["graph:echo"],
    timeoutMs: 60_000,
  },
  async (c) => {
    const echo = await assistantFor(c, "echo");
    const thread = await createThread(c);
    await runsInTurn(
      c,
      thread.thread_id,
      Array.from({ length: 11 }, () => ({ assistantId: echo, expect: "success" })),
    );
    const { res, items } = await list(c, thread.thread_id);
    ensure(items.length === 10, `without limit the list has ${items.length} of the thread's 11 runs, expected 10 (the default limit)`, res);
  },
);

check(
  {
    id: "RUN-047",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: [{ source: "openapi", section: "GET /threads/{thread_id}/runs (List Runs), responses", quote: "Not Found", note: "404; the same in openapi-prev" }],
    title: "GET /threads/{thread_id}/runs answers 404 for a thread that does not exist",
  },
  async (c) => {
    const res = await c.api.get(`/threads/${uuid()}/runs`);
    expectStatus(res, 404, "no thread has this id");
  },
);

const LIST_422: Citation = { source: "openapi", section: "GET /threads/{thread_id}/runs (List Runs), responses", quote: "Validation Error", note: "422; the same in openapi-prev" };

// id, level, query, rule broken, where the documents state the rule.
const badQueries: Array<[string, Level, Record<string, QueryValue>, string, Citation[]]> = [
  [
    "RUN-150",
    "MUST",
    { limit: "ten" },
    "limit is an integer",
    [{ source: "api-ref-2024", section: "GET /threads/{thread_id}/runs (List Runs), query limit", note: "an integer, as in both public documents and the Go client" }],
  ],
  [
    "RUN-151",
    "MUST",
    { offset: "two" },
    "offset is an integer",
    [{ source: "api-ref-2024", section: "GET /threads/{thread_id}/runs (List Runs), query offset", note: "an integer, as in both public documents and the Go client" }],
  ],
  // The status filter's values are constrained only by the public OpenAPI documents, whose enums differ;
  // the Go client types status as a free string and api-ref-2024 has no status filter: SHOULD.
  [
    "RUN-152",
    "SHOULD",
    { status: "finished" },
    "status is a RunStatus (pending, running, error, success, timeout, interrupted)",
    [
      { source: "openapi", section: "GET /threads/{thread_id}/runs (List Runs), query status", note: "an enum: pending, running, error, success, timeout, interrupted" },
      { source: "openapi-prev", section: "GET /threads/{thread_id}/runs (List Runs), query status", note: "an enum without running" },
      {
        source: "go-client",
        section: "ListRunsHttpThreadsThreadIdRunsGet, status",
        note: "a string, no enum; api-ref-2024 has no status parameter: the documents disagree on whether the value is constrained",
      },
    ],
  ],
  [
    "RUN-153",
    "MUST",
    { select: ["secret"] },
    "select items are field names of Run",
    [
      {
        source: "openapi",
        section: "GET /threads/{thread_id}/runs (List Runs), query select",
        quote: "Specify which fields to return.",
        note: "an array of an enum of the fields of Run; the same in openapi-prev",
      },
    ],
  ],
];

for (const [id, level, query, why, rule] of badQueries) {
  const shown = Object.entries(query)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : v}`)
    .join("&");
  check(
    {
      id,
      level,
      profile: "runs",
      operations: [LIST],
      spec: [...rule, LIST_422],
      title: `GET /threads/{thread_id}/runs?${shown} answers 422`,
    },
    async (c) => {
      const thread = await createThread(c);
      const res = await c.api.request({ method: "GET", path: `/threads/${thread.thread_id}/runs`, query });
      expectRefused(res, [422], why);
    },
  );
}

check(
  {
    id: "RUN-154",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: [
      {
        source: "openapi",
        section: "GET /threads/{thread_id}/runs (List Runs), query limit and offset",
        note: "integers with no bounds declared; 200 and 422 are both declared answers, a 5xx is declared for no input; the same in openapi-prev",
      },
    ],
    title: "GET /threads/{thread_id}/runs with limit or offset of 0, -1 or 10^9 answers 200 or 422, never a server error",
  },
  async (c) => {
    const thread = await createThread(c);
    for (const query of [{ limit: 0 }, { limit: -1 }, { limit: 1_000_000_000 }, { offset: -1 }, { offset: 1_000_000_000 }]) {
      const res = await c.api.request({ method: "GET", path: `/threads/${thread.thread_id}/runs`, query });
      expectStatus(res, [200, 422], `${Object.keys(query)[0]}=${Object.values(query)[0]} is an integer`);
    }
  },
);
