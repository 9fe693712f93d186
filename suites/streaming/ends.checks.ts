// How a run's stream ends, and what joins and other runs see of it: a failed
// run's error event (its class, and the same event for a client that joined),
// a cancelled run's open stream, the multitask strategies when the busy run is
// the one being streamed, Last-Event-ID -1 while the run still runs, and an
// unknown assistant on the streaming and waiting forms of run creation.

import { canonicalData } from "../../harness/sse";
import { check, scenario, type CheckContext } from "../../harness/check";
import { CheckFailure, ensure, expectEqual, fail } from "../../harness/expect";
import type { StreamResponse } from "../../harness/http";
import { ERROR_CLASS, ERROR_MESSAGE } from "../../fixtures/graphs/error";
import { uuid } from "../_support/resources";
import {
  assistantFor,
  createThread,
  expectStreamEnded,
  openStreamWith,
  pollGone,
  expectInterrupted,
  pollRun,
  ROLLBACK_KEEPS,
  runIdFromLocation,
  settleThread,
  streamCheckTimeout,
  streamEndReason,
  streamTimeoutMs,
  TERMINAL_RUN_STATUSES,
  type OpenedStream,
} from "../_support/runs";
import { events } from "./support";

const THREAD_STREAM = "POST /threads/{thread_id}/runs/stream";
const JOIN = "GET /threads/{thread_id}/runs/{run_id}/stream";
const CREATE = "POST /threads/{thread_id}/runs";
const GET_RUN = "GET /threads/{thread_id}/runs/{run_id}";
const JOIN_WORDS = { source: "sdk-py", section: "runs.join_stream", quote: "Stream output from a run in real-time, until the run is done." };
const ENDS_WITH_RUN = { source: "contract", section: "POST /threads/{thread_id}/runs/stream", quote: "The stream ends when the run ends." };
const show = (v: unknown) => JSON.stringify(v)?.slice(0, 240);

// ------------------------------------------------------------ a failed run

interface Failed {
  /** The stream of a run of `error`, read to its end. */
  own: StreamResponse;
  /** The stream joined of another run of `error`, joined while it waits (after_seconds) to start. */
  joined: StreamResponse;
  joinedRun?: Record<string, any>;
}

const failed = scenario(
  "runs of the error graph: one streamed, one joined before it starts",
  async (c): Promise<Failed> => {
    const [assistantId, a, b] = await Promise.all([assistantFor(c, "error"), createThread(c), createThread(c)]);
    const input = { value: "failing" };
    const ownP = c.api.stream({ method: "POST", path: `/threads/${a.thread_id}/runs/stream`, json: { assistant_id: assistantId, input, stream_mode: ["values"], metadata: c.tag() } });
    // A background run that waits a second before it starts: the join opens before the run fails.
    const created = await c.api.post(`/threads/${b.thread_id}/runs`, { assistant_id: assistantId, input, stream_mode: ["values"], after_seconds: 1, metadata: c.tag() });
    ensure(created.status === 200 && typeof created.json?.run_id === "string", `creating the background run to join answered ${created.status}`, created);
    const runId = created.json.run_id as string;
    const joined = await c.api.stream({ method: "GET", path: `/threads/${b.thread_id}/runs/${runId}/stream` });
    const own = await ownP;
    const { run } = await pollRun(c, b.thread_id, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
    return { own, joined, joinedRun: run };
  },
  streamTimeoutMs() + 30_000,
);

/** The error event of a stream, and what follows it. */
function errorEvent(res: StreamResponse, what: string): { data: any; index: number } {
  ensure(res.status === 200 && res.sse, `${what} answered ${res.status}, not an event stream`, res);
  expectStreamEnded(res as OpenedStream, what);
  const all = events(res as OpenedStream);
  const at = all.findIndex((e) => e.event === "error");
  ensure(at >= 0, `${what} carries no error event; events: ${all.map((e) => e.event).join(", ") || "none"}`, res);
  return { data: all[at]!.data, index: at };
}

check(
  {
    id: "STC-012",
    level: "MUST",
    profile: "streaming",
    operations: [JOIN, CREATE],
    spec: [
      JOIN_WORDS,
      {
        source: "openapi",
        section: "GET /threads/{thread_id}/runs/{run_id}/stream",
        quote: "This endpoint streams output in real-time from a run similar to the /threads/__THREAD_ID__/runs/stream endpoint.",
      },
      { source: "streams", section: "error", quote: "The run failed: the error's type (`error`) and its `message`." },
    ],
    title: "Joining a run that fails ends the joined stream with the run's error event, the one the run's own stream gives",
    requires: ["graph:error"],
    timeoutMs: streamCheckTimeout(2),
  },
  async (c) => {
    const f = await failed(c);
    const own = errorEvent(f.own, "the stream of the failing run");
    ensure(f.joined.status === 200 && f.joined.sse, `joining the run answered ${f.joined.status}, not an event stream`, f.joined);
    const all = events(f.joined as OpenedStream);
    if (all.length === 0 && TERMINAL_RUN_STATUSES.includes(String(f.joinedRun?.status))) {
      return c.skip("the joined stream carried nothing: the run had ended before the join opened (after_seconds was not honoured; RUN-014 judges it)");
    }
    const joined = errorEvent(f.joined, "the joined stream of the failing run");
    const after = all.slice(joined.index + 1).filter((e) => e.event !== "end");
    ensure(after.length === 0, `${after.length} event(s) follow the joined stream's error event (first: '${after[0]?.event}')`, f.joined);
    expectEqual(joined.data, own.data, "the joined stream's error event vs the error event of a run of the same graph streamed directly", f.joined);
  },
);

check(
  {
    id: "STC-013",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      { source: "streams", section: "error", quote: "The run failed: the error's type (`error`) and its `message`." },
      { source: "streams", section: "error x-sources", note: "the JS SDK's ErrorStreamEvent; the reference's words do not describe the error event: SHOULD" },
    ],
    title: "The `error` event of a failed run names the class of what the node raised in `error`",
    requires: ["graph:error"],
    timeoutMs: streamCheckTimeout(2),
  },
  async (c) => {
    const f = await failed(c);
    const e = errorEvent(f.own, "the stream of the failing run");
    expectEqual(e.data?.error, ERROR_CLASS, `error in the error event (the node raises a ${ERROR_CLASS}: '${ERROR_MESSAGE}')`, f.own);
  },
);

// ------------------------------------------------------------ a streamed run that another request ends

/** A streamed run of `slow`, and what the check did once its node `start` had run. */
interface Slow {
  res: OpenedStream;
  threadId: string;
  assistantId: string;
  runId?: string;
  action?: unknown;
  /** When the action was taken, in ms from the stream's opening. */
  actionAt?: number;
  /** How long the stream could stay open after the action before the check stopped reading it. */
  afterMs?: number;
}

/**
 * The `slow` graph streamed (values and custom); `onTick` fires once, when the
 * values event after its node `start` arrives (the run is then in `sleep`).
 * The stream is read for `afterMs` after that at the most (a run that waited
 * in a busy server's queue before it started is not held against it), and the
 * whole read is bounded by the stream time limit.
 */
async function streamSlow(
  c: CheckContext,
  sleepMs: number,
  afterMs: number | undefined,
  onTick: (runId: string, threadId: string, assistantId: string) => Promise<unknown>,
  extra: Record<string, unknown> = {},
): Promise<Slow> {
  const [assistantId, thread] = await Promise.all([assistantFor(c, "slow"), createThread(c)]);
  const threadId = thread.thread_id as string;
  let runId: string | undefined;
  let action: Promise<unknown> | undefined;
  let actionAt: number | undefined;
  const stop = new AbortController();
  let stopTimer: NodeJS.Timeout | undefined;
  const t0 = performance.now();
  try {
    const res = await openStreamWith(
      c,
      {
        method: "POST",
        path: `/threads/${threadId}/runs/stream`,
        json: { assistant_id: assistantId, input: { value: "streamed", sleep_ms: sleepMs }, stream_mode: ["custom", "values"], metadata: c.tag(), ...extra },
      },
      {
        limits: { timeoutMs: streamTimeoutMs() },
        stop: stop.signal,
        onHeaders: (_s, h) => {
          runId ??= runIdFromLocation(h["content-location"]);
        },
        onEvent: (ev) => {
          if (ev.event === "metadata") {
            try {
              runId ??= JSON.parse(ev.data)?.run_id;
            } catch {
              /* judged elsewhere */
            }
          }
          if (ev.event === "values" && action === undefined && runId !== undefined && /"started":/.test(canonicalData(ev.data))) {
            actionAt = performance.now() - t0;
            action = onTick(runId, threadId, assistantId);
            action.catch(() => undefined);
            if (afterMs !== undefined) stopTimer = setTimeout(() => stop.abort(), afterMs);
          }
          return undefined;
        },
      },
    );
    return {
      res,
      threadId,
      assistantId,
      ...(runId ? { runId } : {}),
      action: action ? await action : undefined,
      ...(actionAt !== undefined ? { actionAt } : {}),
      ...(afterMs !== undefined ? { afterMs } : {}),
    };
  } finally {
    clearTimeout(stopTimer);
  }
}

/** Why the check could not act on the streamed run: it never saw the values event of node `start` (with the run's id). */
function neverTicked(s: Slow, what: string): string {
  const sse = s.res.sse;
  const seen = `${sse.events.length} events in ${sse.durationMs} ms`;
  if (s.runId === undefined) return `the stream named no run (no Content-Location, no metadata event with run_id; ${seen}): the check could not ${what}`;
  if (sse.end === "eof") return `the stream ended before its node 'start' had run (no values event with 'started'; ${seen}): the check could not ${what}`;
  return `the run's node 'start' had not run when the stream was cut (${streamEndReason(sse.end)}; ${seen}): the check could not ${what}`;
}

/** The state the `slow` run's last values event gives (`echoed` is written when its sleep has run its course). */
const finalValues = (res: OpenedStream) =>
  events(res)
    .filter((e) => e.event === "values")
    .at(-1)?.data;

/** The stream ended (EOF) before the run could have run its course, within `afterMs` of the check's action. */
function expectEndedEarly(s: Slow, what: string): void {
  const sse = s.res.sse;
  if (sse.end === "stopped" && s.afterMs !== undefined) fail(`${what} was still open ${s.afterMs} ms later (${sse.events.length} events; the last '${sse.events.at(-1)?.event ?? "none"}')`, s.res);
  expectStreamEnded(s.res, what);
  const last = finalValues(s.res);
  ensure(last?.echoed === undefined, `${what} carried the run to its natural end (its last values event: ${show(last)}): nothing stopped it`, s.res);
}

const LONG_RUN_MS = 8_000;
/** How long a stream may stay open after what should end it: well under what is left of the run. */
const READ_MS = 6_000;

check(
  {
    id: "STC-014",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM, "POST /threads/{thread_id}/runs/{run_id}/cancel"],
    spec: [ENDS_WITH_RUN, JOIN_WORDS, { source: "sdk-py", section: "runs.cancel, action", quote: "Action to take when cancelling the run." }],
    title: "Cancelling a run whose stream is open ends that stream",
    requires: ["graph:slow"],
    timeoutMs: streamCheckTimeout(1),
  },
  async (c) => {
    const s = await streamSlow(c, LONG_RUN_MS, READ_MS, (runId, threadId) => c.api.post(`/threads/${threadId}/runs/${runId}/cancel`));
    try {
      const cancel = s.action as Awaited<ReturnType<CheckContext["api"]["post"]>> | undefined;
      ensure(cancel !== undefined, neverTicked(s, "cancel its run"), s.res);
      ensure(cancel.status < 400, `the cancel answered ${cancel.status}`, cancel);
      expectEndedEarly(s, `the stream of the run cancelled at ${Math.round(s.actionAt ?? 0)} ms`);
    } finally {
      await settleThread(c, s.threadId);
    }
  },
);

// ---- the multitask strategies when the busy run is the streamed one

const STRATEGY_WORDS = (name: string, words: string) => ({ source: "sdk-py", section: `MultitaskStrategy, "${name}"`, quote: words });

/** A second run on the thread, created while the first is streamed. */
const second = (c: CheckContext, threadId: string, assistantId: string, strategy: string) =>
  c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: "second", sleep_ms: 100 }, multitask_strategy: strategy, metadata: c.tag() });

type Answer = Awaited<ReturnType<CheckContext["api"]["post"]>>;

check(
  {
    id: "STC-015",
    level: "MUST",
    profile: "multitask",
    operations: [THREAD_STREAM, CREATE, GET_RUN],
    spec: [STRATEGY_WORDS("interrupt", "Interrupt current task for new ones."), ENDS_WITH_RUN],
    title: "multitask_strategy=interrupt on a thread busy with a streamed run ends that run's open stream, and the run reads interrupted",
    requires: ["graph:slow"],
    timeoutMs: streamCheckTimeout(1) + 20_000,
  },
  async (c) => {
    const s = await streamSlow(c, LONG_RUN_MS, READ_MS, (_r, t, a) => second(c, t, a, "interrupt"));
    try {
      const res = s.action as Answer | undefined;
      ensure(res !== undefined && s.runId, neverTicked(s, "send the second run"), s.res);
      ensure(res.status === 200, `the second run (multitask_strategy=interrupt) answered ${res.status}`, res);
      expectEndedEarly(s, "the stream of the busy run");
      const { run } = await pollRun(c, s.threadId, s.runId, undefined, { timeoutMs: 15_000, what: "its end" });
      expectInterrupted(run.status, "the status of the streamed run interrupted by a new one", s.res);
    } finally {
      await settleThread(c, s.threadId);
    }
  },
);

check(
  {
    id: "STC-016",
    level: "MUST",
    profile: "multitask",
    operations: [THREAD_STREAM, CREATE, GET_RUN],
    spec: [STRATEGY_WORDS("rollback", "Roll back current task and start new one."), ENDS_WITH_RUN],
    title: "multitask_strategy=rollback on a thread busy with a streamed run ends that run's open stream, and the run is deleted",
    requires: ["graph:slow"],
    timeoutMs: streamCheckTimeout(1) + 40_000,
  },
  async (c) => {
    const s = await streamSlow(c, LONG_RUN_MS, READ_MS, (_r, t, a) => second(c, t, a, "rollback"));
    try {
      const res = s.action as Answer | undefined;
      ensure(res !== undefined && s.runId, neverTicked(s, "send the second run"), s.res);
      ensure(res.status === 200, `the second run (multitask_strategy=rollback) answered ${res.status}`, res);
      expectEndedEarly(s, "the stream of the busy run");
      await pollGone(c, `/threads/${s.threadId}/runs/${s.runId}`, { timeoutMs: 5_000, what: "rollback deletes the run it stops" }).catch((e: unknown) => {
        throw e instanceof CheckFailure && !e.detail.cause ? new CheckFailure(e.message, e.exchange, { cause: ROLLBACK_KEEPS }) : e;
      });
    } finally {
      await settleThread(c, s.threadId);
    }
  },
);

const SHORT_RUN_MS = 1_200;

check(
  {
    id: "STC-017",
    level: "MUST",
    profile: "multitask",
    operations: [THREAD_STREAM, CREATE, GET_RUN],
    spec: [STRATEGY_WORDS("reject", "Reject new tasks when busy."), { source: "openapi", section: "POST /threads/{thread_id}/runs", note: "409 Conflict" }],
    title: "multitask_strategy=reject on a thread busy with a streamed run answers 409, and the streamed run goes on to its end in its stream",
    requires: ["graph:slow"],
    timeoutMs: streamCheckTimeout(1) + 20_000,
  },
  async (c) => {
    const s = await streamSlow(c, SHORT_RUN_MS, undefined, (_r, t, a) => second(c, t, a, "reject"));
    try {
      const res = s.action as Answer | undefined;
      ensure(res !== undefined && s.runId, neverTicked(s, "send the second run"), s.res);
      ensure(res.status === 409, `the second run (multitask_strategy=reject) on the busy thread answered ${res.status}, not 409`, res, { status: { wanted: [409], got: res.status } });
      expectStreamEnded(s.res, "the stream of the busy run");
      expectEqual(finalValues(s.res)?.echoed, "streamed", "echoed in the streamed run's last values event (its own input, written when it has run to its end)", s.res);
    } finally {
      await settleThread(c, s.threadId);
    }
  },
);

check(
  {
    id: "STC-018",
    level: "MUST",
    profile: "multitask",
    operations: [THREAD_STREAM, CREATE, GET_RUN],
    spec: [STRATEGY_WORDS("enqueue", "Queue new tasks for later execution.")],
    title: "multitask_strategy=enqueue on a thread busy with a streamed run queues the new run: the stream goes on to its end, then the new run runs",
    requires: ["graph:slow"],
    timeoutMs: streamCheckTimeout(1) + 30_000,
  },
  async (c) => {
    const s = await streamSlow(c, SHORT_RUN_MS, undefined, (_r, t, a) => second(c, t, a, "enqueue"));
    try {
      const res = s.action as Answer | undefined;
      ensure(res !== undefined && s.runId, neverTicked(s, "send the second run"), s.res);
      ensure(res.status === 200 && typeof res.json?.run_id === "string", `the second run (multitask_strategy=enqueue) answered ${res.status}`, res);
      expectStreamEnded(s.res, "the stream of the busy run");
      expectEqual(finalValues(s.res)?.echoed, "streamed", "echoed in the streamed run's last values event (its own input, written when it has run to its end)", s.res);
      const { run } = await pollRun(c, s.threadId, res.json.run_id, undefined, { timeoutMs: 20_000, what: "its end" });
      expectEqual(run.status, "success", "the status of the queued run once the streamed one has ended", s.res);
    } finally {
      await settleThread(c, s.threadId);
    }
  },
);

// ------------------------------------------------------------ Last-Event-ID -1 while the run runs

check(
  {
    id: "STC-019",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM, JOIN],
    spec: [
      {
        source: "openapi",
        section: "GET /threads/{thread_id}/runs/{run_id}/stream, Last-Event-ID",
        quote: "The ID of the last event received. Set to -1 if you want to stream all events. Requires `stream_resumable=true` to be set when creating the run.",
      },
      JOIN_WORDS,
    ],
    title: "Joining a resumable run's stream with Last-Event-ID -1 while the run still runs replays its events from the start and goes on live: the same events as the original stream",
    requires: ["graph:slow"],
    timeoutMs: streamCheckTimeout(2),
  },
  async (c) => {
    let joined: Promise<StreamResponse> | undefined;
    const s = await streamSlow(
      c,
      1_000,
      undefined,
      async (runId, threadId) => {
        joined = c.api.stream({ method: "GET", path: `/threads/${threadId}/runs/${runId}/stream`, headers: { "last-event-id": "-1" } });
        joined.catch(() => undefined);
      },
      { stream_resumable: true },
    );
    try {
      ensure(joined !== undefined, neverTicked(s, "join it"), s.res);
      const j = await joined;
      ensure(j.status === 200 && j.sse, `joining with Last-Event-ID -1 answered ${j.status}, not an event stream`, j);
      expectStreamEnded(s.res, "the original stream");
      expectStreamEnded(j as OpenedStream, "the stream joined with Last-Event-ID -1");
      const bare = (res: OpenedStream) => events(res).map((e) => ({ event: e.event, data: e.data }));
      const [a, b] = [bare(s.res), bare(j as OpenedStream)];
      if (a.length !== b.length)
        fail(
          `the joined stream carries ${b.length} events, the original ${a.length}; first difference at #${a.findIndex((x, i) => show(x) !== show(b[i]))}: ${show(b[a.findIndex((x, i) => show(x) !== show(b[i]))])} vs ${show(a[a.findIndex((x, i) => show(x) !== show(b[i]))])}`,
          j,
        );
      expectEqual(b, a, "the events of the stream joined with Last-Event-ID -1 while the run ran vs the original stream's", j);
    } finally {
      await settleThread(c, s.threadId);
    }
  },
);

// ------------------------------------------------------------ an unknown assistant

for (const [id, op, path, profile] of [
  ["STC-020", THREAD_STREAM, "runs/stream", "streaming"],
  ["STC-021", "POST /threads/{thread_id}/runs/wait", "runs/wait", "runs"],
] as const) {
  check(
    {
      id,
      level: "MUST",
      profile,
      operations: [op],
      spec: [
        { source: "openapi", section: op, note: "declares 404 Not Found" },
        { source: "contract", section: "run creation, 404", note: "no assistant or graph has the id given as assistant_id" },
      ],
      title: `${op} with an assistant_id no assistant has answers 404${path === "runs/stream" ? ", not a stream" : ""}`,
    },
    async (c) => {
      const thread = await createThread(c);
      const body = { assistant_id: uuid(), input: { value: 1 }, metadata: c.tag() };
      const res =
        path === "runs/stream" ? await c.api.stream({ method: "POST", path: `/threads/${thread.thread_id}/${path}`, json: body }) : await c.api.post(`/threads/${thread.thread_id}/${path}`, body);
      if (res.status === 404) return;
      const sse = "sse" in res ? (res as StreamResponse).sse : undefined;
      if (sse)
        fail(
          `${op} with an unknown assistant answered ${res.status} with an event stream (${sse.events.map((e) => `${e.event} ${e.data.slice(0, 60)}`).join(" | ") || "no events"}) instead of 404`,
          res,
        );
      fail(`${op} with an unknown assistant answered ${res.status}, expected 404: ${res.text.slice(0, 200)}`, res);
    },
  );
}
