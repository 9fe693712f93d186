// The thread stream (GET /threads/{thread_id}/stream): what happens on a thread,
// run after run. It stays open until the client closes it, so every read here
// stops on what it waits for, or at its bounds (idle, time), never hangs.

import { check, type CheckContext } from "../../harness/check";
import { ensure, expectStatus, fail } from "../../harness/expect";
import type { Citation } from "../../harness/model";
import { canonicalData, type SseEvent } from "../../harness/sse";
import { assistantFor, createThread, pollRun, streamCheckTimeout, streamTimeoutMs, type OpenedStream } from "../_support/runs";
import { baseName, eventsOfMode, startBackgroundRun } from "./support";

const OP = "GET /threads/{thread_id}/stream";
const SPEC: Citation[] = [
  {
    source: "openapi",
    section: "GET /threads/{thread_id}/stream (Join Thread Stream)",
    quote: "This endpoint streams output in real-time from a thread. The stream will include the output of each run executed sequentially on the thread and will remain open indefinitely.",
  },
  {
    source: "openapi",
    section: "GET /threads/{thread_id}/stream, query stream_modes",
    quote: "'lifecycle' returns only run start/end events, 'run_modes' returns all run events (default behavior), 'state_update' returns only state update events.",
  },
  { source: "sdk-py", section: "ThreadsClient.join_stream", quote: "Get a stream of events for a thread." },
];
const IDLE_MS = Math.min(10_000, streamTimeoutMs());
const NOT_OFFERED = [404, 405, 501];

/** The final values of a run of 'echo' (trail first, second): the run's events reached the stream. */
const isFinalEchoValues = (ev: SseEvent) => baseName(ev.event) === "values" && canonicalData(ev.data).includes('"second"');

interface ThreadStreamRead {
  res: Awaited<ReturnType<CheckContext["api"]["stream"]>>;
  threadId: string;
  runId?: string;
}

/**
 * Opens the thread stream of a new thread and, once it answers, starts a run of
 * 'echo' on the thread; reads until `done` says so, or the stream goes quiet,
 * or its time is up.
 */
async function readWhileRun(c: CheckContext, query: Record<string, string>, done: (ev: SseEvent, seen: SseEvent[]) => boolean, headers: Record<string, string> = {}): Promise<ThreadStreamRead> {
  const [assistantId, thread] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
  const threadId = thread.thread_id as string;
  const seen: SseEvent[] = [];
  let runId: string | undefined;
  let run: Promise<void> | undefined;
  const res = await c.api.stream(
    { method: "GET", path: `/threads/${threadId}/stream`, query, headers },
    {
      limits: { timeoutMs: streamTimeoutMs(), idleMs: IDLE_MS },
      onHeaders: (status) => {
        if (status !== 200) return;
        run = (async () => {
          runId = await startBackgroundRun(c, threadId, assistantId, { input: { value: "thread-stream" }, stream_mode: ["values", "updates"] });
          await pollRun(c, threadId, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
        })().catch(() => undefined);
      },
      onEvent: (ev) => {
        seen.push(ev);
        return done(ev, seen) ? "stop" : undefined;
      },
    },
  );
  await run;
  return { res, threadId, ...(runId ? { runId } : {}) };
}

function requireStream(read: ThreadStreamRead, skip?: (reason: string) => never): OpenedStream {
  const { res } = read;
  if (skip && NOT_OFFERED.includes(res.status)) skip(`the target does not offer the thread stream (GET /threads/{thread_id}/stream answered ${res.status} for an existing thread); STR-040 reports it`);
  expectStatus(res, 200, "the thread exists");
  if (!res.sse) fail(`GET /threads/{thread_id}/stream answered ${res.status} with Content-Type '${res.headers["content-type"] ?? "(none)"}', not an event stream`, res);
  return res as OpenedStream;
}

check(
  {
    id: "STR-040",
    level: "MUST",
    profile: "streaming",
    operations: [OP, "POST /threads/{thread_id}/runs"],
    spec: SPEC,
    title: "The thread stream of an existing thread is an event stream that stays open and carries the events of a run executed on the thread",
    requires: ["graph:echo"],
    timeoutMs: streamCheckTimeout(1) + 10_000,
  },
  async (c) => {
    const read = await readWhileRun(c, {}, (ev) => isFinalEchoValues(ev));
    const res = requireStream(read);
    const all = res.sse.events;
    if (!all.some(isFinalEchoValues)) {
      const why = res.sse.end === "eof" ? "the stream ended (the server closed it) before" : `the stream stopped (${res.sse.end}) before`;
      fail(`${why} it carried the run's final values event; it carried ${all.length} events: ${all.map((e) => e.event).join(", ") || "none"}`, res);
    }
  },
);

check(
  {
    id: "STR-041",
    level: "MUST",
    profile: "streaming",
    operations: [OP, "POST /threads/{thread_id}/runs"],
    spec: [
      ...SPEC,
      {
        source: "streams",
        section: "x-operations, GET /threads/{thread_id}/stream",
        note: "the documents do not name the lifecycle events; the check requires at least one event and none of the run modes' events",
      },
    ],
    title: "The thread stream with stream_modes=lifecycle carries run start/end events and none of the runs' own events",
    requires: ["graph:echo"],
    timeoutMs: streamCheckTimeout(1) + 10_000,
  },
  async (c) => {
    // Two events (a start and an end) are what lifecycle promises; the read also ends when the stream goes quiet.
    const read = await readWhileRun(c, { stream_modes: "lifecycle" }, (_ev, seen) => seen.length >= 2);
    const res = requireStream(read, c.skip);
    const runEvents = new Set(["values", "updates", "messages-tuple", "messages", "custom", "debug", "tasks", "checkpoints", "events"].flatMap(eventsOfMode));
    const leaked = res.sse.events.filter((e) => runEvents.has(baseName(e.event)));
    ensure(res.sse.events.length > 0, "the lifecycle thread stream carried no event while a run started and ended on the thread", res);
    ensure(leaked.length === 0, `the lifecycle thread stream carries ${leaked.length} event(s) of the run's own modes (first: '${leaked[0]?.event}')`, res);
  },
);

check(
  {
    id: "STR-042",
    level: "SHOULD",
    profile: "streaming",
    operations: [OP, "POST /threads/{thread_id}/runs"],
    spec: [
      { source: "openapi", section: "GET /threads/{thread_id}/stream, header Last-Event-ID", quote: "Used to resume streaming from a specific point. Pass '-' to resume from the beginning." },
      {
        source: "sdk-py",
        section: "ThreadsClient.join_stream, last_event_id",
        quote: "The ID of the last event to get.",
        note: "without its values: only the public documents give '-', hence SHOULD",
      },
    ],
    title: "The thread stream opened with Last-Event-ID '-' replays the events of a run that already ended on the thread",
    requires: ["graph:echo"],
    timeoutMs: streamCheckTimeout(1) + 15_000,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
    const threadId = thread.thread_id as string;
    const runId = await startBackgroundRun(c, threadId, assistantId, { input: { value: "thread-stream" }, stream_mode: ["values"] });
    await pollRun(c, threadId, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
    const res = await c.api.stream(
      { method: "GET", path: `/threads/${threadId}/stream`, headers: { "last-event-id": "-" } },
      { limits: { timeoutMs: streamTimeoutMs(), idleMs: IDLE_MS }, onEvent: (ev) => (isFinalEchoValues(ev) ? "stop" : undefined) },
    );
    const opened = requireStream({ res, threadId }, c.skip);
    ensure(
      opened.sse.events.some(isFinalEchoValues),
      `the thread stream opened with Last-Event-ID '-' did not replay the ended run's final values (it carried ${opened.sse.events.length} events: ${opened.sse.events.map((e) => e.event).join(", ") || "none"}; stopped: ${opened.sse.end})`,
      res,
    );
  },
);
