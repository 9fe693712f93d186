// Cancelling runs: one run (POST .../cancel) with action interrupt or rollback,
// with and without wait=true, on a running and on a pending run, and what GET
// shows after; several runs by id (POST /runs/cancel); a run that already ended;
// a run that does not exist.
//
// Left out on purpose: POST /runs/cancel by status. It cancels every run of the
// server with that status, including runs the suite did not create (other
// checks', other users' on a shared deployment); the suite touches nothing it
// did not create.

import { check, type CheckContext } from "../../harness/check";
import type { Citation, Level } from "../../harness/model";
import type { HttpResponse } from "../../harness/http";
import { ensure, expectEqual, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor, createThread, expectInterrupted, settleThread } from "../_support/runs";
import { startBusyRun } from "./double-text";
import { expectRolledBack, expectRolledBackHistory, explained, historyOldestFirst, isInFlight, pollRunUntil, readRun, Timeline, watched, withLongerRuns } from "./timeline";

const CANCEL = "POST /threads/{thread_id}/runs/{run_id}/cancel";
const GET_RUN = "GET /threads/{thread_id}/runs/{run_id}";
const CANCEL_SPEC: Citation[] = [
  {
    source: "openapi",
    section: "POST /threads/{thread_id}/runs/{run_id}/cancel, query action",
    quote: "`interrupt` will simply cancel the run. `rollback` will cancel the run and delete the run and associated checkpoints afterwards.",
    note: "the same in openapi-prev",
  },
  { source: "contract", section: "CancelAction", quote: "interrupt: stop the run (status interrupted). rollback: stop the run, then delete it and the checkpoints it made" },
];
/** The words on `wait`, which only the Python SDK's docstring gives: the checks with wait=true are SHOULD. */
const WAIT_SPEC: Citation[] = [
  {
    source: "sdk-py",
    section: "RunsClient.cancel, wait",
    quote: "Whether to wait until run has completed.",
    note: "the public documents declare the wait parameter without a word on it, hence SHOULD",
  },
  { source: "contract", section: "POST /threads/{thread_id}/runs/{run_id}/cancel, query wait", quote: "Answer only once the run has ended" },
];
/** A run kept pending by after_seconds far beyond the check's own life. */
const PENDING_AFTER_SECONDS = 120;
const BUSY_MS = 30_000;

type Action = "interrupt" | "rollback";
type Target = "running" | "pending";

/** A run that waits for after_seconds; skips the check when the target does not keep it pending. */
async function pendingRun(c: CheckContext, tl: Timeline, threadId: string, assistantId: string, marker: string): Promise<string> {
  const res = await c.api.post(`/threads/${threadId}/runs`, {
    assistant_id: assistantId,
    input: { value: marker, sleep_ms: 100 },
    after_seconds: PENDING_AFTER_SECONDS,
    multitask_strategy: "enqueue",
  });
  expectStatus(res, 200, "creating a run delayed by after_seconds, to have a pending run");
  const run = expectJsonObject(res);
  tl.label(run.run_id, `P (pending, after_seconds ${PENDING_AFTER_SECONDS})`);
  tl.observe(run);
  const { run: now } = await readRun(c, tl, threadId, run.run_id);
  if (now?.status !== "pending") {
    c.skip(`no pending run to cancel: a run created with after_seconds=${PENDING_AFTER_SECONDS} reads '${now?.status ?? "(gone)"}' (MTK-060 judges after_seconds)`);
  }
  tl.event("run P seen pending");
  return run.run_id;
}

function cancelCheck(id: string, level: Level, target: Target, action: Action, wait: boolean): void {
  const how = `action=${action}${wait ? " and wait=true" : ""}`;
  const outcome = action === "interrupt" ? "ends interrupted and stays readable" : "is deleted (GET answers 404)";
  check(
    {
      id,
      level,
      profile: "runs",
      operations: [CANCEL, GET_RUN, "POST /threads/{thread_id}/runs"],
      spec: wait ? [...CANCEL_SPEC, ...WAIT_SPEC] : CANCEL_SPEC,
      title: `Cancelling a ${target} run with ${how}: the run ${outcome}${wait ? ", already when the cancel answers" : ""}`,
      requires: ["graph:slow"],
      timeoutMs: 90_000,
    },
    async (c) => {
      const assistantId = await assistantFor(c, "slow");
      await withLongerRuns(c, [BUSY_MS], async (sleepMs, tl, c) => {
        const thread = await createThread(c);
        const threadId: string = thread.thread_id;
        try {
          const marker = `C-${uuid().slice(0, 8)}`;
          const runId = target === "running" ? await startBusyRun(c, tl, threadId, assistantId, marker, sleepMs, "R (running)") : await pendingRun(c, tl, threadId, assistantId, marker);
          tl.event(`cancel sent with ${how}`);
          const res = await c.api.post(`/threads/${threadId}/runs/${runId}/cancel`, undefined, { query: { action, ...(wait ? { wait: true } : {}) } });
          tl.event(`cancel answered ${res.status}`);
          // Which success status is the contract's business (wire validation); a refusal is this check's.
          ensure(res.status < 400, `the cancel answered ${res.status}; the run exists and is ${target}`, res);
          if (wait) {
            // The answer came once the run had ended: the very next read shows it ended.
            const { run } = await readRun(c, tl, threadId, runId);
            ensure(run === undefined || !isInFlight(run.status), `the cancel with wait=true answered while the run was still '${run?.status}'; it answers only once the run has ended`);
          }
          if (action === "interrupt") {
            const run = await pollRunUntil(c, tl, threadId, runId, (r) => r === undefined || !isInFlight(r.status), { timeoutMs: 15_000, what: "end after the cancel" });
            ensure(run !== undefined, `the run is gone (GET answered 404) after a cancel with action=interrupt; only rollback deletes it`);
            expectInterrupted(run!.status, "the status of a run cancelled with action=interrupt");
          } else {
            await expectRolledBack(c, tl, threadId, runId);
            if (target === "running") {
              const history = await historyOldestFirst(c, threadId);
              expectRolledBackHistory(history, marker, `the thread's history still carries the rolled-back run's checkpoint (started = ${marker}); rollback deletes the checkpoints it made`);
            }
          }
        } finally {
          await settleThread(c, threadId);
        }
      });
    },
  );
}

// id, level, the run cancelled, the action, wait=true.
const CANCEL_CASES: Array<[string, Level, Target, Action, boolean]> = [
  ["MTK-030", "MUST", "running", "interrupt", false],
  ["MTK-031", "SHOULD", "running", "interrupt", true],
  ["MTK-032", "MUST", "running", "rollback", false],
  ["MTK-033", "SHOULD", "running", "rollback", true],
  ["MTK-034", "MUST", "pending", "interrupt", false],
  ["MTK-035", "SHOULD", "pending", "interrupt", true],
  ["MTK-036", "MUST", "pending", "rollback", false],
  ["MTK-037", "SHOULD", "pending", "rollback", true],
];
for (const [id, level, target, action, wait] of CANCEL_CASES) {
  cancelCheck(id, level, target, action, wait);
}

// ----------------------------------------------------------- POST /runs/cancel

const CANCEL_MANY = "POST /runs/cancel";
const MANY_SPEC: Citation[] = [
  { source: "openapi", section: "POST /runs/cancel (Cancel Runs)", quote: "Cancel one or more runs. Can cancel runs by thread ID and run IDs", note: "204 Success - Runs cancelled" },
  { source: "contract", section: "RunsCancel", note: "the runs run_ids of thread thread_id" },
];

for (const [id, action] of [
  ["MTK-038", "interrupt"],
  ["MTK-039", "rollback"],
] as Array<[string, Action]>) {
  check(
    {
      id,
      level: "MUST",
      profile: "runs",
      operations: [CANCEL_MANY, GET_RUN],
      spec: [...MANY_SPEC, ...CANCEL_SPEC],
      title:
        action === "interrupt"
          ? "POST /runs/cancel with a thread_id and run_ids answers 204 and stops each run named: a running and a pending run both end interrupted"
          : "POST /runs/cancel?action=rollback with a thread_id and run_ids answers 204 and deletes each run named, running or pending",
      requires: ["graph:slow"],
      timeoutMs: 90_000,
    },
    async (c) => {
      const assistantId = await assistantFor(c, "slow");
      await withLongerRuns(c, [BUSY_MS], async (sleepMs, tl, c) => {
        const thread = await createThread(c);
        const threadId: string = thread.thread_id;
        try {
          const tag = uuid().slice(0, 8);
          const running = await startBusyRun(c, tl, threadId, assistantId, `R-${tag}`, sleepMs, "R (running)");
          const pending = await pendingRun(c, tl, threadId, assistantId, `P-${tag}`);
          tl.event(`POST /runs/cancel sent with action=${action}`);
          const res = await c.api.post("/runs/cancel", { thread_id: threadId, run_ids: [running, pending] }, { query: { action } });
          tl.event(`POST /runs/cancel answered ${res.status}`);
          expectStatus(res, 204, "cancelling existing runs of an existing thread by id");
          for (const runId of [running, pending]) {
            if (action === "interrupt") {
              const run = await pollRunUntil(c, tl, threadId, runId, (r) => r === undefined || !isInFlight(r.status), { timeoutMs: 15_000, what: "end after the cancel" });
              ensure(run !== undefined, `run ${tl.labelOf(runId)} is gone (404) after a cancel with action=interrupt`);
              expectInterrupted(run!.status, `the status of run ${tl.labelOf(runId)} after POST /runs/cancel`);
            } else {
              await expectRolledBack(c, tl, threadId, runId);
            }
          }
        } finally {
          await settleThread(c, threadId);
        }
      });
    },
  );
}

// ----------------------------------------------------- finished and unknown runs

check(
  {
    id: "MTK-040",
    level: "SHOULD",
    profile: "runs",
    operations: [CANCEL, GET_RUN],
    spec: [
      {
        source: "contract",
        section: "RunStatus",
        quote: "interrupted: cancelled, or replaced by a newer run.",
        note: "which a run that succeeded was not; the documents do not say what cancelling a run that has ended does: SHOULD",
      },
    ],
    title: "Cancelling a run that has already succeeded leaves it as it ended: status success, its output on the thread",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const thread = await createThread(c);
    const threadId: string = thread.thread_id;
    const tl = new Timeline();
    c = watched(c, tl);
    try {
      await explained(c, tl, async () => {
        const marker = `F-${uuid().slice(0, 8)}`;
        const created = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: marker } });
        expectStatus(created, 200, "a run to let finish");
        const runId: string = expectJsonObject(created).run_id;
        tl.label(runId, "F (finished)");
        await pollRunUntil(c, tl, threadId, runId, (r) => r !== undefined && !isInFlight(r.status), { timeoutMs: 30_000, what: "end" });
        const before = (await readRun(c, tl, threadId, runId)).run;
        ensure(before?.status === "success", `the echo run ended '${before?.status}', not 'success'; nothing to learn about cancelling it`);
        tl.event("cancel sent (no action: interrupt)");
        const res = await c.api.post(`/threads/${threadId}/runs/${runId}/cancel`);
        tl.event(`cancel answered ${res.status}`);
        ensure(res.status < 500, `cancelling a finished run answered ${res.status}, a server error`, res);
        const after = (await readRun(c, tl, threadId, runId)).run;
        ensure(after !== undefined, "the finished run is gone (GET answered 404) after a cancel");
        expectEqual(after!.status, "success", "the status of a succeeded run after a cancel");
        const st = await c.api.get(`/threads/${threadId}/state`);
        expectStatus(st, 200);
        expectEqual(expectJsonObject(st).values?.echoed, marker, "the thread's output after cancelling its finished run");
      });
    } finally {
      await settleThread(c, threadId);
    }
  },
);

/**
 * A 404 for an unknown run says something only if the same request for a run
 * that exists is not answered 404 too (a server without the route answers 404
 * to everything): the control cancels a pending run first.
 */
async function controlCancel(c: CheckContext, threadId: string, send: (threadId: string, runId: string) => Promise<HttpResponse>, judgedBy: string): Promise<void> {
  const assistantId = await assistantFor(c, "echo");
  const runId = await pendingRun(c, new Timeline(), threadId, assistantId, `K-${uuid().slice(0, 8)}`);
  const control = await send(threadId, runId);
  if (control.status < 200 || control.status >= 300) {
    c.skip(`the same request for a pending run that exists answered ${control.status}, so a 404 for an unknown run would say nothing (${judgedBy} judges cancelling existing runs)`);
  }
}

check(
  {
    id: "MTK-041",
    level: "MUST",
    profile: "runs",
    operations: [CANCEL],
    spec: [
      { source: "openapi", section: "POST /threads/{thread_id}/runs/{run_id}/cancel (Cancel Run), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
      { source: "contract", section: "components.responses.NotFound", quote: "The resource named in the path" },
    ],
    title: "POST /threads/{thread_id}/runs/{run_id}/cancel for a run_id the thread does not have answers 404",
    requires: ["graph:echo"],
  },
  async (c) => {
    const send = (threadId: string, runId: string) => c.api.post(`/threads/${threadId}/runs/${runId}/cancel`, undefined, { query: { wait: true } });
    const threadId: string = (await createThread(c)).thread_id;
    try {
      await controlCancel(c, threadId, send, "MTK-030 to MTK-037");
      const res = await c.api.post(`/threads/${threadId}/runs/${uuid()}/cancel`);
      if (res.status >= 200 && res.status < 300) fail(`cancelling a run id the thread does not have was accepted (${res.status}); the contract wants 404`, res);
      expectStatus(res, 404, "no such run");
    } finally {
      await settleThread(c, threadId);
    }
  },
);

check(
  {
    id: "MTK-042",
    level: "MUST",
    profile: "runs",
    operations: [CANCEL_MANY],
    spec: [
      { source: "openapi", section: "POST /runs/cancel (Cancel Runs), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
      { source: "contract", section: "POST /runs/cancel, 404 x-decision", note: "a run named in run_ids does not exist on thread_id, or the thread does not exist" },
    ],
    title: "POST /runs/cancel naming a run the thread does not have answers 404",
    requires: ["graph:echo"],
  },
  async (c) => {
    const send = (threadId: string, runId: string) => c.api.post("/runs/cancel", { thread_id: threadId, run_ids: [runId] });
    const threadId: string = (await createThread(c)).thread_id;
    try {
      await controlCancel(c, threadId, send, "MTK-038");
      const res = await send(threadId, uuid());
      if (res.status >= 200 && res.status < 300) fail(`POST /runs/cancel accepted (${res.status}) a run id the thread does not have; the contract wants 404`, res);
      expectStatus(res, 404, "no such run on the thread");
    } finally {
      await settleThread(c, threadId);
    }
  },
);
