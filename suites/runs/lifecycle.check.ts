// The statuses a run goes through, observed by polling GET /threads/{thread_id}/runs/{run_id}
// (bounded; every status seen, with when, goes into the evidence). Runs of the
// slow graph last long enough for a loaded machine to see them running.

import { check, scenario } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor, createRun, createThread, describeSeen, firstIllegalMove, isTerminalRunStatus, pollRun, SLOW_RUN_MS, type Observed } from "../_support/runs";

const CREATE = "POST /threads/{thread_id}/runs";
const GET = "GET /threads/{thread_id}/runs/{run_id}";

/** A run of the slow graph, polled from its creation to its end. */
const observed = scenario("a slow run polled from creation to its end", async (c) => {
  const assistantId = await assistantFor(c, "slow");
  const thread = await createThread(c);
  const value = `slow-${uuid()}`;
  const t0 = performance.now();
  const run = await createRun(c, thread.thread_id, { assistant_id: assistantId, input: { value, sleep_ms: SLOW_RUN_MS } });
  // The answer to the creation is the first status seen; times count from the request.
  const first: Observed = { status: run.status, atMs: Math.round(performance.now() - t0) };
  const polled = await pollRun(c, thread.thread_id, run.run_id, undefined, { intervalMs: 100, timeoutMs: 60_000, what: "an end status" });
  const later = polled.seen.map((s) => ({ ...s, atMs: s.atMs + first.atMs }));
  const seen = later[0]?.status === first.status ? [first, ...later.slice(1)] : [first, ...later];
  return { threadId: thread.thread_id as string, runId: run.run_id as string, value, seen, final: polled.run };
});

check(
  {
    id: "RUN-010",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET],
    spec: [
      { source: "api-ref", section: "Run.status", quote: "The status of the run. One of 'pending', 'running', 'error', 'success', 'timeout', 'interrupted'." },
      {
        source: "contract",
        section: "RunStatus",
        quote: "pending: waiting to start",
        note: "then running, then an end (success, error, timeout, interrupted); the documents give no diagram, the order is the meaning of the words",
      },
    ],
    title: "A run's status moves only forward, from pending to running to an end status, never back",
    requires: ["graph:slow"],
  },
  async (c) => {
    const s = await observed(c);
    c.note(`statuses seen: ${describeSeen(s.seen)}`);
    const bad = firstIllegalMove(s.seen);
    ensure(!bad, `the run's status moved from '${bad?.from}' to '${bad?.to}' (seen: ${describeSeen(s.seen)})`);
  },
);

check(
  {
    id: "RUN-011",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET],
    spec: [
      {
        source: "api-ref",
        section: "Run.status",
        quote: "The status of the run. One of 'pending', 'running', 'error', 'success', 'timeout', 'interrupted'.",
        note: "a run whose graph sleeps 2500 ms is polled every 100 ms",
      },
      { source: "contract", section: "RunStatus", quote: "pending: waiting to start (queued, or after_seconds not yet passed); running" },
    ],
    title: `A run is reported running while its graph runs (a run of ${SLOW_RUN_MS} ms is seen running)`,
    requires: ["graph:slow"],
  },
  async (c) => {
    const s = await observed(c);
    c.note(`statuses seen: ${describeSeen(s.seen)}`);
    ensure(
      s.seen.some((o) => o.status === "running"),
      `the run was never seen running in ${SLOW_RUN_MS} ms of work (seen: ${describeSeen(s.seen)})`,
    );
  },
);

check(
  {
    id: "RUN-012",
    level: "MUST",
    profile: "runs",
    operations: [GET, "GET /threads/{thread_id}/runs"],
    spec: [
      { source: "api-ref", section: "Run.status", quote: "The status of the run. One of 'pending', 'running', 'error', 'success', 'timeout', 'interrupted'.", note: "an end status is final" },
      { source: "contract", section: "RunStatus", note: "success, error, timeout and interrupted end a run" },
    ],
    title: "A run of a graph that returns ends with status success and keeps it: GET and the thread's run list say success afterwards",
    requires: ["graph:slow"],
  },
  async (c) => {
    const s = await observed(c);
    c.note(`statuses seen: ${describeSeen(s.seen)}`);
    expectEqual(s.final.status, "success", "the end status of a run whose graph returned");
    const again = await c.api.get(`/threads/${s.threadId}/runs/${s.runId}`);
    expectStatus(again, 200);
    expectEqual(expectJsonObject(again).status, "success", "status of the ended run, read again", again);
    const list = await c.api.get(`/threads/${s.threadId}/runs`);
    expectStatus(list, 200);
    const listed = expectJsonArray(list).find((r) => r?.run_id === s.runId);
    ensure(listed, "the run is missing from its thread's run list", list);
    expectEqual(listed.status, "success", "status of the ended run in the thread's run list", list);
  },
);

check(
  {
    id: "RUN-013",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET],
    spec: [
      { source: "api-ref", section: "Run.status", quote: "One of 'pending', 'running', 'error', 'success', 'timeout', 'interrupted'." },
      { source: "contract", section: "RunStatus", quote: "error: ended by an error" },
    ],
    title: "A run whose graph raises ends with status error",
    requires: ["graph:error"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "error");
    const thread = await createThread(c);
    const run = await createRun(c, thread.thread_id, { assistant_id: assistantId, input: { value: 1 } });
    const { run: ended, seen } = await pollRun(c, thread.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status" });
    c.note(`statuses seen: ${describeSeen(seen)}`);
    expectEqual(ended.status, "error", "the end status of a run whose graph raised");
    const bad = firstIllegalMove([{ status: run.status }, ...seen]);
    ensure(!bad, `the run's status moved from '${bad?.from}' to '${bad?.to}' (seen: ${describeSeen(seen)})`);
  },
);

// Long enough for a loaded machine to get polls answered before it; every second adds to the wall time.
const AFTER_S = 3;

check(
  {
    id: "RUN-014",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET],
    spec: [
      { source: "api-ref", section: "RunCreateStateful.after_seconds", quote: "The number of seconds to wait before starting the run. Use to schedule future runs." },
      { source: "contract", section: "RunStatus", quote: "pending: waiting to start (queued, or after_seconds not yet passed)" },
    ],
    title: `A run created with after_seconds=${AFTER_S} stays pending until then, and runs afterwards`,
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const thread = await createThread(c);
    // Polls answered less than AFTER_S seconds after the create request was
    // sent reached the server less than AFTER_S seconds after it created the
    // run, whatever the delays on the way: the run cannot have started.
    const t0 = performance.now();
    const run = await createRun(c, thread.thread_id, { assistant_id: assistantId, input: { value: "later" }, after_seconds: AFTER_S });
    const early: Array<{ status: unknown; atMs: number }> = [{ status: run.status, atMs: Math.round(performance.now() - t0) }];
    for (;;) {
      const res = await c.api.get(`/threads/${thread.thread_id}/runs/${run.run_id}`);
      const atMs = Math.round(performance.now() - t0);
      if (atMs >= AFTER_S * 1000) break;
      expectStatus(res, 200, "reading the scheduled run");
      const status = expectJsonObject(res).status;
      early.push({ status, atMs });
      ensure(status === "pending", `the run is '${status}' ${atMs} ms after it was requested with after_seconds=${AFTER_S} (seen: ${early.map((e) => `${e.status}@${e.atMs}ms`).join(" → ")})`, res);
      await new Promise((r) => setTimeout(r, 200));
    }
    c.note(`statuses before ${AFTER_S} s: ${early.map((e) => `${e.status}@${e.atMs}ms`).join(" → ")}`);
    if (early.length < 2) c.skip(`no poll was answered within ${AFTER_S} s of the request on this machine: the wait could not be observed`);
    const { run: ended, seen } = await pollRun(c, thread.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status after its delay" });
    c.note(`statuses after: ${describeSeen(seen)}`);
    ensure(isTerminalRunStatus(ended.status), "the run did not end");
    expectEqual(ended.status, "success", "the end status of the delayed run");
  },
);
