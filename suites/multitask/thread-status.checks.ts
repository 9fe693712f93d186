// A thread's status follows its runs: idle before, busy while one is in
// progress, then idle, interrupted or error as the run ends; and a busy thread
// refuses a state update that its running run would overwrite.

import { check, type CheckContext } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { ensure, expectEqual, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor, createThread, settleThread, type FixtureGraph } from "../_support/runs";
import { startBusyRun } from "./double-text";
import { explained, Inconclusive, isInFlight, pollRunUntil, readRun, Timeline, withLongerRuns, watched } from "./timeline";

const STATUS_SPEC: Citation[] = [
  { source: "api-ref", section: "Thread.status", quote: "The status of the thread.", note: "one of idle, busy, interrupted, error" },
  { source: "contract", section: "ThreadStatus", quote: "idle: no run in progress; busy: a run is in progress; interrupted: the last run stopped at an interrupt; error: the last run failed." },
];
const THREAD_OPS = ["GET /threads/{thread_id}", "POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs/{run_id}"];

async function threadStatus(c: CheckContext, tl: Timeline, threadId: string): Promise<string> {
  const res = await c.api.get(`/threads/${threadId}`);
  expectStatus(res, 200, "reading the thread's status");
  const status = String(expectJsonObject(res).status);
  tl.event(`thread read '${status}'`);
  return status;
}

/**
 * The thread's status once its run has ended. The status may trail the run's
 * own by a moment (a server sets one, then the other): bounded wait while busy.
 */
async function statusAfterRun(c: CheckContext, tl: Timeline, threadId: string): Promise<string> {
  const started = performance.now();
  for (;;) {
    const status = await threadStatus(c, tl, threadId);
    if (status !== "busy") return status;
    if (performance.now() - started > 10_000) return status;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Runs `graph` to its end (background run, polled) on a new thread. */
async function runToEnd(c: CheckContext, tl: Timeline, graph: FixtureGraph, input: unknown, extra: Record<string, unknown> = {}) {
  const assistantId = await assistantFor(c, graph);
  const thread = await createThread(c);
  const res = await c.api.post(`/threads/${thread.thread_id}/runs`, { assistant_id: assistantId, input, ...extra });
  expectStatus(res, 200, `creating a run of the fixture graph '${graph}'`);
  const runId: string = expectJsonObject(res).run_id;
  tl.label(runId, graph);
  tl.observe(res.json);
  const run = await pollRunUntil(c, tl, thread.thread_id, runId, (r) => r === undefined || !isInFlight(r.status), { timeoutMs: 30_000, what: "end" });
  return { threadId: thread.thread_id as string, runId, run };
}

check(
  {
    id: "MTK-050",
    level: "MUST",
    profile: "runs",
    operations: THREAD_OPS,
    spec: STATUS_SPEC,
    title: "A thread reads idle before its first run, busy while the run is in progress, and idle once it has succeeded",
    requires: ["graph:slow"],
    timeoutMs: 90_000,
  },
  async (c) => {
    const assistantId = await assistantFor(c, "slow");
    await withLongerRuns(c, [3_000, 12_000], async (sleepMs, tl, c) => {
      const thread = await createThread(c);
      const threadId: string = thread.thread_id;
      try {
        expectEqual(await threadStatus(c, tl, threadId), "idle", "the status of a thread that has had no run");
        const runId = await startBusyRun(c, tl, threadId, assistantId, `S-${uuid().slice(0, 8)}`, sleepMs, "R");
        const during = await threadStatus(c, tl, threadId);
        const { run } = await readRun(c, tl, threadId, runId);
        if (during !== "busy") {
          // Busy is owed only while the run is in flight: was it still, after the read?
          if (!run || !isInFlight(run.status)) throw new Inconclusive(`the run had ended ('${run?.status ?? "gone"}') by the time the thread was read`);
          fail(`the thread reads '${during}' while its run is '${run.status}'; a thread with a run in progress is busy`);
        }
        const ended = await pollRunUntil(c, tl, threadId, runId, (r) => r === undefined || !isInFlight(r.status), { timeoutMs: sleepMs + 30_000, what: "end" });
        ensure(ended?.status === "success", `the run ended '${ended?.status ?? "(gone)"}', not 'success'`);
        expectEqual(await statusAfterRun(c, tl, threadId), "idle", "the status of the thread once its run has succeeded");
      } finally {
        await settleThread(c, threadId);
      }
    });
  },
);

for (const [id, graph, status, what, input] of [
  ["MTK-051", "interrupt", "interrupted", "stops at an interrupt (the graph calls interrupt())", { value: "q" }],
  ["MTK-052", "error", "error", "fails (a node raises)", { value: "e" }],
] as Array<[string, FixtureGraph, string, string, unknown]>) {
  check(
    {
      id,
      level: "MUST",
      profile: "runs",
      operations: THREAD_OPS,
      spec: STATUS_SPEC,
      title: `A thread reads ${status} once its run ${what}`,
      requires: [`graph:${graph}`],
    },
    async (c) => {
      const tl = new Timeline();
      c = watched(c, tl);
      await explained(c, tl, async () => {
        const { threadId } = await runToEnd(c, tl, graph, input);
        expectEqual(await statusAfterRun(c, tl, threadId), status, `the status of the thread once its run ${what}`);
      });
    },
  );
}

check(
  {
    id: "MTK-053",
    level: "SHOULD",
    profile: "runs",
    operations: ["POST /threads/{thread_id}/state", "GET /threads/{thread_id}/state"],
    spec: [
      {
        source: "contract",
        section: "POST /threads/{thread_id}/state, 409 x-decision",
        quote: "The API documents declare no 409 here",
        note: "an update of a busy thread is refused with 409, as the official servers do and LangChain's client reference (RemoteAgent.aupdate_state) describes; the API documents are silent, so SHOULD",
      },
    ],
    title: "POST /threads/{thread_id}/state on a thread busy with a run answers 409 and leaves the state as it was",
    requires: ["graph:slow"],
    timeoutMs: 90_000,
  },
  async (c) => {
    const assistantId = await assistantFor(c, "slow");
    await withLongerRuns(c, [30_000], async (sleepMs, tl, c) => {
      const thread = await createThread(c);
      const threadId: string = thread.thread_id;
      try {
        const marker = `U-${uuid().slice(0, 8)}`;
        const runId = await startBusyRun(c, tl, threadId, assistantId, `S-${uuid().slice(0, 8)}`, sleepMs, "R");
        tl.event("state update sent");
        const res = await c.api.post(`/threads/${threadId}/state`, { values: { value: marker } });
        tl.event(`state update answered ${res.status}`);
        const { run } = await readRun(c, tl, threadId, runId);
        if (!run || !isInFlight(run.status)) throw new Inconclusive("the run had ended by the time the update was answered");
        if (res.status >= 200 && res.status < 300) fail(`a state update of a thread whose run is '${run.status}' was accepted (${res.status}); the contract wants 409`, res);
        expectStatus(res, 409, "the thread is busy");
        const st = await c.api.get(`/threads/${threadId}/state`);
        expectStatus(st, 200);
        ensure(expectJsonObject(st).values?.value !== marker, `the refused update reached the state: ${JSON.stringify(st.json?.values)}`, st);
      } finally {
        await settleThread(c, threadId);
      }
    });
  },
);
