// Options that decide when and where a run starts: after_seconds delays it,
// if_not_exists decides whether an unknown thread is created or refused,
// on_completion whether a stateless run's thread is kept, and checkpoint /
// checkpoint_id which state of the thread it starts from.

import { check, type CheckContext } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { ensure, expectEqual, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import type { HttpResponse, StreamResponse } from "../../harness/http";
import { uuid } from "../_support/resources";
import { assistantFor, createThread, settleThread } from "../_support/runs";
import { explained, isInFlight, pollRunUntil, readRun, Timeline, watched } from "./timeline";

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ after_seconds

const AFTER_SECONDS = 5;

check(
  {
    id: "MTK-060",
    level: "MUST",
    profile: "runs",
    operations: ["POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs/{run_id}"],
    spec: [
      { source: "api-ref", section: "RunCreateStateful.after_seconds", quote: "The number of seconds to wait before starting the run. Use to schedule future runs." },
      { source: "contract", section: "RunStatus", quote: "pending: waiting to start (queued, or after_seconds not yet passed)" },
    ],
    title: `A run created with after_seconds=${AFTER_SECONDS} is pending and does not start before ${AFTER_SECONDS} s have passed; then it runs to success`,
    requires: ["graph:slow"],
    timeoutMs: 90_000,
  },
  async (c) => {
    const assistantId = await assistantFor(c, "slow");
    const thread = await createThread(c);
    const threadId: string = thread.thread_id;
    const tl = new Timeline();
    c = watched(c, tl);
    try {
      await explained(c, tl, async () => {
        const marker = `D-${uuid().slice(0, 8)}`;
        // The server cannot have received the request before it was sent: a start
        // seen earlier than sent + after_seconds is a start before the delay, however
        // slow the machine. (Seen later proves nothing either way: it is not judged.)
        const sentAt = tl.event(`run sent with after_seconds=${AFTER_SECONDS}`);
        const earliest = sentAt + AFTER_SECONDS * 1000;
        const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: marker, sleep_ms: 100 }, after_seconds: AFTER_SECONDS });
        expectStatus(res, 200, "creating a delayed run");
        const run = expectJsonObject(res);
        tl.label(run.run_id, `D (after_seconds ${AFTER_SECONDS})`);
        tl.observe(run);
        expectEqual(run.status, "pending", "the status of a run created with after_seconds", res);
        for (;;) {
          const { run: now } = await readRun(c, tl, threadId, run.run_id);
          // The history, not the state: a thread with no checkpoint yet has an empty history.
          // It is a second witness of an early start, next to the run's status: an
          // answer that is not 200 is judged by the threads profile, not here.
          const h = await c.api.get(`/threads/${threadId}/history`, { query: { limit: 1 } });
          const at = tl.now();
          const startedRun = now?.status !== "pending";
          const wrote = h.status === 200 && Array.isArray(h.json) && h.json.some((s: any) => s?.values?.started === marker);
          if (startedRun || wrote) {
            if (at < earliest) {
              fail(
                `${at - sentAt} ms after the request was sent (before the ${AFTER_SECONDS} s of after_seconds had passed) the run reads '${now?.status ?? "(gone)"}'` +
                  `${wrote ? " and its first node has written the thread's state" : ""}; it may not start earlier`,
              );
            }
            break;
          }
          if (at > earliest + 60_000) fail(`the delayed run was still pending ${at - sentAt} ms after it was sent`);
          await delay(150);
        }
        const ended = await pollRunUntil(c, tl, threadId, run.run_id, (r) => r === undefined || !isInFlight(r.status), { timeoutMs: 30_000, what: "end" });
        expectEqual(ended?.status, "success", "the status of the delayed run once it has run");
      });
    } finally {
      await settleThread(c, threadId);
    }
  },
);

// ------------------------------------------------------------------ if_not_exists

const IF_NOT_EXISTS_SPEC: Citation[] = [
  {
    source: "api-ref",
    section: "RunCreateStateful.if_not_exists",
    quote: "How to handle missing thread. Must be either 'reject' (raise error if missing), or 'create' (create new thread).",
    note: 'default "reject"',
  },
  { source: "contract", section: "POST /threads/{thread_id}/runs, 404 x-decision", note: "the thread does not exist (and if_not_exists is reject, the default)" },
];

check(
  {
    id: "MTK-062",
    level: "MUST",
    profile: "runs",
    operations: ["POST /threads/{thread_id}/runs", "GET /threads/{thread_id}"],
    spec: IF_NOT_EXISTS_SPEC,
    title: "POST /threads/{thread_id}/runs with if_not_exists=create on an unknown thread_id creates that thread and runs on it",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = uuid();
    c.created.thread(threadId);
    const tl = new Timeline();
    c = watched(c, tl);
    try {
      await explained(c, tl, async () => {
        const marker = `N-${uuid().slice(0, 8)}`;
        const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: marker }, if_not_exists: "create", metadata: c.tag() });
        expectStatus(res, 200, "if_not_exists=create");
        const run = expectJsonObject(res);
        expectEqual(run.thread_id, threadId, "thread_id of the run created with if_not_exists=create", res);
        const ended = await pollRunUntil(c, tl, threadId, run.run_id, (r) => r === undefined || !isInFlight(r.status), { timeoutMs: 30_000, what: "end" });
        expectEqual(ended?.status, "success", "the status of the run on the created thread");
        const got = await c.api.get(`/threads/${threadId}`);
        expectStatus(got, 200, "the thread was created by the run");
        const st = await c.api.get(`/threads/${threadId}/state`);
        expectStatus(st, 200);
        expectEqual(expectJsonObject(st).values?.echoed, marker, "the output of the run on the created thread", st);
      });
    } finally {
      await settleThread(c, threadId);
    }
  },
);

async function expectNoThread(c: CheckContext, threadId: string): Promise<void> {
  const got = await c.api.get(`/threads/${threadId}`);
  ensure(got.status === 404, `the refused run still created thread ${threadId} (GET answered ${got.status})`, got);
}

check(
  {
    id: "MTK-063",
    level: "MUST",
    profile: "runs",
    operations: ["POST /threads/{thread_id}/runs", "GET /threads/{thread_id}"],
    spec: IF_NOT_EXISTS_SPEC,
    title: "POST /threads/{thread_id}/runs with if_not_exists=reject on an unknown thread_id answers 404 and creates no thread",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = uuid();
    c.created.thread(threadId);
    const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: "x" }, if_not_exists: "reject" });
    if (res.status >= 200 && res.status < 300) fail(`a run on an unknown thread with if_not_exists=reject was accepted (${res.status}); the contract wants 404`, res);
    expectStatus(res, 404, "the thread does not exist and if_not_exists=reject");
    await expectNoThread(c, threadId);
  },
);

for (const [id, path, op] of [
  ["MTK-064", "runs", "POST /threads/{thread_id}/runs"],
  ["MTK-065", "runs/stream", "POST /threads/{thread_id}/runs/stream"],
  ["MTK-066", "runs/wait", "POST /threads/{thread_id}/runs/wait"],
] as const) {
  check(
    {
      id,
      level: "MUST",
      profile: "runs",
      operations: [op, "GET /threads/{thread_id}"],
      spec: IF_NOT_EXISTS_SPEC,
      title: `${op} on an unknown thread_id without if_not_exists answers 404 (the default is reject) and creates no thread`,
      requires: ["graph:echo"],
    },
    async (c) => {
      const assistantId = await assistantFor(c, "echo");
      const threadId = uuid();
      c.created.thread(threadId);
      const body = { assistant_id: assistantId, input: { value: "x" } };
      const res: HttpResponse | StreamResponse =
        path === "runs/stream"
          ? await c.api.stream({ method: "POST", path: `/threads/${threadId}/${path}`, json: body }, { limits: { timeoutMs: 15_000 } })
          : await c.api.post(`/threads/${threadId}/${path}`, body);
      if (res.status >= 200 && res.status < 300) fail(`a run on an unknown thread without if_not_exists was accepted (${res.status}); the default is reject, which answers 404`, res);
      expectStatus(res, 404, "the thread does not exist (if_not_exists defaults to reject)");
      await expectNoThread(c, threadId);
    },
  );
}

check(
  {
    id: "MTK-072",
    level: "MUST",
    profile: "runs",
    operations: ["POST /threads/{thread_id}/runs", "GET /threads/{thread_id}"],
    spec: [
      ...IF_NOT_EXISTS_SPEC,
      { source: "api-ref", section: "RunCreateStateful.multitask_strategy", quote: "Multitask strategy to use.", note: "it concerns a thread that is running a run, which an unknown thread is not" },
    ],
    title: "POST /threads/{thread_id}/runs with multitask_strategy=enqueue on an unknown thread_id answers 404 and creates no thread",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = uuid();
    c.created.thread(threadId);
    const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: "x" }, multitask_strategy: "enqueue" });
    if (res.status >= 200 && res.status < 300) fail(`a run on an unknown thread was accepted (${res.status}); if_not_exists defaults to reject, which answers 404`, res);
    expectStatus(res, 404, "the thread does not exist (if_not_exists defaults to reject), whatever the multitask strategy");
    await expectNoThread(c, threadId);
  },
);

// ------------------------------------------------------------------ on_completion

const ON_COMPLETION_SPEC: Citation[] = [
  {
    source: "api-ref",
    section: "RunCreateStateless.on_completion",
    quote: "Whether to delete or keep the thread created for a stateless run. Must be one of 'delete' or 'keep'.",
    note: 'default "delete"',
  },
];

/** A stateless run in the background; returns its thread once the run has ended (or the thread is gone). */
async function statelessRun(c: CheckContext, tl: Timeline, extra: Record<string, unknown>) {
  const assistantId = await assistantFor(c, "echo");
  const marker = `L-${uuid().slice(0, 8)}`;
  const res = await c.api.post("/runs", { assistant_id: assistantId, input: { value: marker }, metadata: c.tag(), ...extra });
  expectStatus(res, 200, "creating a stateless run");
  const run = expectJsonObject(res);
  ensure(typeof run.thread_id === "string" && typeof run.run_id === "string", "the stateless run names no thread_id or run_id", res);
  c.created.thread(run.thread_id);
  tl.label(run.run_id, "stateless");
  tl.observe(run);
  // Polled through its thread: a 404 there means the thread (and the run) went with it.
  await pollRunUntil(c, tl, run.thread_id, run.run_id, (r) => r === undefined || !isInFlight(r.status), { timeoutMs: 30_000, what: "end" });
  return { threadId: run.thread_id as string, runId: run.run_id as string, marker };
}

check(
  {
    id: "MTK-067",
    level: "MUST",
    profile: "stateless",
    operations: ["POST /runs", "GET /threads/{thread_id}"],
    spec: ON_COMPLETION_SPEC,
    title: "A stateless run created without on_completion has its thread deleted when it ends",
    requires: ["graph:echo"],
  },
  async (c) => {
    const tl = new Timeline();
    c = watched(c, tl);
    await explained(c, tl, async () => {
      const { threadId } = await statelessRun(c, tl, {});
      const started = performance.now();
      for (;;) {
        const got = await c.api.get(`/threads/${threadId}`);
        tl.event(`the run's thread read ${got.status}`);
        if (got.status === 404) return;
        expectStatus(got, [200, 404]);
        if (performance.now() - started > 15_000)
          fail(`the thread of a stateless run still exists ${Math.round(performance.now() - started)} ms after the run ended; on_completion defaults to delete`, got);
        await delay(200);
      }
    });
  },
);

check(
  {
    id: "MTK-068",
    level: "MUST",
    profile: "stateless",
    operations: ["POST /runs", "GET /threads/{thread_id}"],
    spec: ON_COMPLETION_SPEC,
    title: "A stateless run created with on_completion=keep leaves its thread, with the run's output, when it ends",
    requires: ["graph:echo"],
  },
  async (c) => {
    const tl = new Timeline();
    c = watched(c, tl);
    await explained(c, tl, async () => {
      const { threadId, runId, marker } = await statelessRun(c, tl, { on_completion: "keep" });
      const run = (await readRun(c, tl, threadId, runId)).run;
      ensure(run !== undefined, "the run of a stateless run with on_completion=keep is gone (GET answered 404) after it ended");
      expectEqual(run!.status, "success", "the status of the stateless run");
      const got = await c.api.get(`/threads/${threadId}`);
      expectStatus(got, 200, "on_completion=keep keeps the run's thread");
      const st = await c.api.get(`/threads/${threadId}/state`);
      expectStatus(st, 200);
      expectEqual(expectJsonObject(st).values?.echoed, marker, "the output of the run on its kept thread", st);
    });
  },
);

// ------------------------------------------------------------------ checkpoints

/**
 * A thread with two runs of `echo` (each appends first, second to `trail`), and
 * the checkpoint after the first: a run from it sees two entries, one from the
 * latest state four.
 */
async function threadWithHistory(c: CheckContext, tl: Timeline) {
  c = watched(c, tl);
  const assistantId = await assistantFor(c, "echo");
  const thread = await createThread(c);
  const threadId: string = thread.thread_id;
  let n = 0;
  const wait = async (input: unknown, extra: Record<string, unknown> = {}) => {
    const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input, ...extra });
    expectStatus(res, 200, "a run of the echo graph");
    const runId: string = expectJsonObject(res).run_id;
    tl.label(runId, `run ${++n} ${JSON.stringify(extra)}`);
    tl.observe(res.json);
    const ended = await pollRunUntil(c, tl, threadId, runId, (r) => r === undefined || !isInFlight(r.status), { timeoutMs: 30_000, what: "end" }).catch(async (e) => {
      await settleThread(c, threadId);
      throw e;
    });
    ensure(ended?.status === "success", `a run of the echo graph ended '${ended?.status ?? "(gone)"}'`);
    const st = await c.api.get(`/threads/${threadId}/state`);
    expectStatus(st, 200);
    const state = expectJsonObject(st);
    tl.event(`after run ${n}: trail ${JSON.stringify(state.values?.trail)}, checkpoint ${state.checkpoint?.checkpoint_id}`);
    return state;
  };
  const afterFirst = await wait({ value: "one" });
  const checkpointId = afterFirst.checkpoint?.checkpoint_id;
  ensure(typeof checkpointId === "string", `the state after a run names no checkpoint_id: ${JSON.stringify(afterFirst.checkpoint)}`);
  const afterSecond = await wait({ value: "two" });
  expectEqual(afterSecond.values?.trail, ["first", "second", "first", "second"], "the trail after two runs (the fixture's own behaviour)");
  return { threadId, checkpointId: checkpointId as string, wait };
}

const CHECKPOINT_SPEC: Citation[] = [{ source: "api-ref", section: "RunCreateStateful.checkpoint", quote: "The checkpoint to resume from." }];

check(
  {
    id: "MTK-069",
    level: "MUST",
    profile: "runs",
    operations: ["POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/state"],
    spec: CHECKPOINT_SPEC,
    title: "A run created with checkpoint {checkpoint_id} starts from that earlier checkpoint, not from the latest state",
    requires: ["graph:echo"],
  },
  async (c) => {
    const tl = new Timeline();
    await explained(c, tl, async () => {
      const { checkpointId, wait } = await threadWithHistory(c, tl);
      const after = await wait({ value: "three" }, { checkpoint: { checkpoint_id: checkpointId } });
      expectEqual(after.values?.trail, ["first", "second", "first", "second"], "the trail of a run from the checkpoint after the first run (two runs' worth, not three)");
      expectEqual(after.values?.echoed, "three", "the output of the run from the earlier checkpoint");
    });
  },
);

check(
  {
    id: "MTK-070",
    level: "SHOULD",
    profile: "runs",
    operations: ["POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/state"],
    spec: [
      { source: "api-ref-2024", section: "RunCreateStateful.checkpoint_id", note: "the older form, which both SDKs still send; the newer documents give only checkpoint, hence SHOULD" },
      { source: "sdk-py", section: "RunsClient.wait, checkpoint_id", note: "a parameter of the SDK" },
      ...CHECKPOINT_SPEC,
    ],
    title: "A run created with checkpoint_id starts from that earlier checkpoint, not from the latest state",
    requires: ["graph:echo"],
  },
  async (c) => {
    const tl = new Timeline();
    await explained(c, tl, async () => {
      const { checkpointId, wait } = await threadWithHistory(c, tl);
      const after = await wait({ value: "three" }, { checkpoint_id: checkpointId });
      expectEqual(after.values?.trail, ["first", "second", "first", "second"], "the trail of a run from the checkpoint after the first run (two runs' worth, not three)");
    });
  },
);

check(
  {
    id: "MTK-071",
    level: "MUST",
    profile: "runs",
    operations: ["POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/state"],
    spec: [
      { ...CHECKPOINT_SPEC[0]!, note: "of that run" },
      { source: "api-ref", section: "Threads", quote: "A thread contains the accumulated outputs of a group of runs." },
      {
        source: "api-ref",
        section: "Thread Runs",
        quote: "A run is an invocation of a graph / assistant on a thread. It updates the state of the thread.",
        note: "a run that names no checkpoint starts from the thread's latest state, not from a checkpoint an earlier run named",
      },
    ],
    title: "After a run from an earlier checkpoint, a run that names none starts from the thread's latest state",
    requires: ["graph:echo"],
  },
  async (c) => {
    const tl = new Timeline();
    await explained(c, tl, async () => {
      const { checkpointId, wait } = await threadWithHistory(c, tl);
      await wait({ value: "three" }, { checkpoint: { checkpoint_id: checkpointId } });
      const after = await wait({ value: "four" });
      expectEqual(
        after.values?.trail,
        ["first", "second", "first", "second", "first", "second"],
        "the trail of a run without checkpoint after a run from an earlier one (it builds on the latest state)",
      );
    });
  },
);
