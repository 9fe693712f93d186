// The bookkeeping of runs: a thread's run list past its default page (limit
// above ten with twelve runs, offset past the first page), and a stateless run
// that is gone once it has ended.

import { check, scenario, type CheckContext } from "../../harness/check";
import { ensure, expectJsonArray, expectJsonObject, expectSameMembers, expectStatus } from "../../harness/expect";
import type { Citation } from "../../harness/model";
import { assistantFor, createRun, createThread, isTerminalRunStatus, pollGone, pollRun, RUN_TIMEOUT_MS } from "../_support/runs";

const LIST = "GET /threads/{thread_id}/runs";

/** A thread with twelve runs of the echo graph, queued one behind the other, all ended. */
const twelve = scenario(
  "a thread with twelve runs",
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const thread = await createThread(c);
    const runIds: string[] = [];
    for (let i = 0; i < 12; i++) runIds.push((await createRun(c, thread.thread_id, { assistant_id: assistantId, input: { value: i }, multitask_strategy: "enqueue" })).run_id);
    for (const runId of runIds) await pollRun(c, thread.thread_id, runId, (r) => isTerminalRunStatus(r.status), { timeoutMs: 60_000, what: "an end status" });
    return { threadId: thread.thread_id as string, runIds };
  },
  RUN_TIMEOUT_MS,
);

async function list(c: CheckContext, threadId: string, query: Record<string, number> = {}) {
  const res = await c.api.get(`/threads/${threadId}/runs`, { query });
  expectStatus(res, 200);
  return { res, items: expectJsonArray(res) };
}
const ids = (items: any[]) => items.map((r) => r?.run_id);

const LIMIT: Citation[] = [
  { source: "api-ref-2024", section: "GET /threads/{thread_id}/runs, query limit and offset", note: "limit default 10, offset default 0" },
  { source: "sdk-py", section: "RunsClient.list, limit", quote: "The maximum number of results to return." },
];

check(
  {
    id: "RUN-155",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: LIMIT,
    title: "GET /threads/{thread_id}/runs?limit=11, above the default page of 10, returns 11 of the thread's 12 runs",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelve(c);
    const { res, items } = await list(c, s.threadId, { limit: 11 });
    ensure(items.length === 11, `limit=11 returned ${items.length} of the thread's 12 runs`, res);
  },
);

check(
  {
    id: "RUN-156",
    level: "MUST",
    profile: "runs",
    operations: [LIST],
    spec: [{ source: "sdk-py", section: "RunsClient.list, offset", quote: "The number of results to skip." }, ...LIMIT],
    title: "GET /threads/{thread_id}/runs?offset=10 without limit returns the 2 of 12 runs past the first page, none of the first page's",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelve(c);
    const first = await list(c, s.threadId);
    const rest = await list(c, s.threadId, { offset: 10 });
    ensure(rest.items.length === 2, `offset=10 returned ${rest.items.length} runs; of 12, 2 are left past the first 10`, rest.res);
    expectSameMembers([...ids(first.items), ...ids(rest.items)], s.runIds, "runs of the first page and of the page at offset 10 together", rest.res);
  },
);

check(
  {
    id: "SRN-124",
    level: "SHOULD",
    profile: "stateless",
    operations: ["POST /runs", "GET /threads/{thread_id}/runs/{run_id}"],
    spec: [
      {
        source: "api-ref",
        section: "RunCreateStateless.on_completion",
        quote: "Whether to delete or keep the thread created for a stateless run. Must be one of 'delete' or 'keep'.",
        note: 'default "delete"',
      },
      { source: "contract", section: "RunCreateStateless x-decision", quote: "a stateless run whose thread is deleted is gone with it" },
    ],
    title: "A stateless run without on_completion is gone once it has ended: GET of the run then answers 404",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const res = await c.api.post("/runs", { assistant_id: assistantId, input: { value: "stateless, then gone" }, metadata: c.tag() });
    if (typeof res.json?.thread_id === "string") c.created.thread(res.json.thread_id);
    expectStatus(res, 200);
    const run = expectJsonObject(res);
    ensure(typeof run.thread_id === "string" && typeof run.run_id === "string", "POST /runs answered no thread_id and run_id to read the run by", res);
    await pollGone(c, `/threads/${run.thread_id}/runs/${run.run_id}`, {
      timeoutMs: 15_000,
      what: "a stateless run deletes its thread, and the run with it, when it ends (on_completion defaults to delete)",
    });
  },
);

check(
  {
    id: "RUN-157",
    level: "MUST",
    profile: "runs",
    operations: ["POST /threads/{thread_id}/runs/{run_id}/cancel", "GET /threads/{thread_id}/runs/{run_id}"],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/runs/{run_id}/cancel, query action",
        quote: "`interrupt` will simply cancel the run. `rollback` will cancel the run and delete the run and associated checkpoints afterwards.",
        note: "default interrupt; the same in openapi-prev",
      },
    ],
    title: "POST /threads/{thread_id}/runs/{run_id}/cancel without action cancels as interrupt does: the pending run ends interrupted and stays readable (the default)",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const thread = await createThread(c);
    const run = await createRun(c, thread.thread_id, { assistant_id: assistantId, input: { value: "never runs" }, after_seconds: 30, multitask_strategy: "enqueue" });
    const now = await c.api.get(`/threads/${thread.thread_id}/runs/${run.run_id}`);
    if (now.json?.status !== "pending") c.skip(`a run created with after_seconds=30 reads '${now.json?.status}', not pending: no pending run to cancel (MTK-060 judges after_seconds)`);
    const res = await c.api.post(`/threads/${thread.thread_id}/runs/${run.run_id}/cancel`);
    ensure(res.status < 400, `the cancel of a pending run answered ${res.status}`, res);
    const t0 = Date.now();
    let got = await c.api.get(`/threads/${thread.thread_id}/runs/${run.run_id}`);
    while (got.status === 200 && !isTerminalRunStatus(got.json?.status) && Date.now() - t0 < 15_000) {
      await new Promise((r) => setTimeout(r, 100));
      got = await c.api.get(`/threads/${thread.thread_id}/runs/${run.run_id}`);
    }
    expectStatus(got, 200, "a cancel without action interrupts the run, which stays readable (only rollback deletes it)");
    ensure(got.json?.status === "interrupted", `the run cancelled without action reads '${got.json?.status}', not 'interrupted'`, got);
  },
);
