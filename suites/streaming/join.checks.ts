// Joining a run's stream (GET /threads/{thread_id}/runs/{run_id}/stream) while
// it runs and after it ended, and resuming a resumable stream from an event id
// with nothing lost or repeated.

import { check } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { deepEqual, ensure, expectEqual, expectSubset, fail } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor, createThread, expectStreamEnded, openStream, openStreamWith, pollRun, streamCheckTimeout, streamTimeoutMs, TERMINAL_RUN_STATUSES } from "../_support/runs";
import { events, expectExactlyModes, metadataRunId, startBackgroundRun } from "./support";

const JOIN = "GET /threads/{thread_id}/runs/{run_id}/stream";
const THREAD_STREAM = "POST /threads/{thread_id}/runs/stream";
const CREATE = "POST /threads/{thread_id}/runs";
const RESUME_SPEC: Citation[] = [
  { source: "api-ref", section: "RunCreateStateful.stream_resumable", quote: "Whether to persist the stream chunks in order to resume the stream later." },
  { source: "sdk-py", section: "RunsClient.stream, stream_resumable", quote: "If true, the stream can be resumed and replayed in its entirety even after disconnection." },
  {
    source: "openapi",
    section: "GET /threads/{thread_id}/runs/{run_id}/stream (Join Run Stream)",
    quote: "If the run has been created with `stream_resumable=true`, the stream can be resumed from the last seen event ID.",
  },
  { source: "openapi", section: "GET /threads/{thread_id}/runs/{run_id}/stream, header Last-Event-ID", quote: "The ID of the last event received. Set to -1 if you want to stream all events." },
];

/** The ticks of the 'slow' graph: sleep_ms / 100 custom events {tick, of}. */
function ticksOf(list: Array<{ event: string; data: any }>): number[] {
  return list.filter((e) => e.event === "custom").map((e) => e.data?.tick);
}

check(
  {
    id: "STR-030",
    level: "MUST",
    profile: "streaming",
    operations: [JOIN, CREATE],
    spec: [
      { source: "sdk-py", section: "RunsClient.join_stream", quote: "Stream output from a run in real-time, until the run is done." },
      {
        source: "openapi",
        section: "GET /threads/{thread_id}/runs/{run_id}/stream (Join Run Stream)",
        quote: "This endpoint streams output in real-time from a run similar to the /threads/__THREAD_ID__/runs/stream endpoint.",
      },
    ],
    title: "Joining a running run's stream carries its events to its end and ends when the run ends",
    requires: ["graph:slow"],
    timeoutMs: streamCheckTimeout(2),
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "slow"), createThread(c)]);
    const threadId = thread.thread_id as string;
    const runId = await startBackgroundRun(c, threadId, assistantId, { input: { value: "join", sleep_ms: 2000 }, stream_mode: ["values", "custom"] });
    const res = await openStream(c, { method: "GET", path: `/threads/${threadId}/runs/${runId}/stream` });
    expectStreamEnded(res, "the joined stream of a running run");
    const all = events(res);
    const ticks = ticksOf(all);
    ensure(ticks.includes(20), `the joined stream did not carry the run's last custom event (tick 20 of 20); ticks seen: ${ticks.join(", ") || "none"}`, res);
    const last = all.filter((e) => e.event === "values").at(-1);
    expectSubset(last?.data, { echoed: "join", trail: ["start", "sleep"] }, "the last values event of the joined stream (the run's final state)", res);
    const { run } = await pollRun(c, threadId, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "an end, having streamed its end" });
    ensure(TERMINAL_RUN_STATUSES.includes(run.status), `the run's status is '${run.status}' after its stream ended`);
  },
);

check(
  {
    id: "STR-031",
    level: "MUST",
    profile: "streaming",
    operations: [JOIN, CREATE],
    spec: [
      { source: "sdk-py", section: "RunsClient.join_stream", quote: "Stream output from a run in real-time, until the run is done.", note: "a run that has ended has nothing more to stream" },
      { source: "contract", section: "GET /threads/{thread_id}/runs/{run_id}/stream", quote: "until the run ends" },
    ],
    title: "Joining the stream of a run that has ended ends the stream (it does not stay open)",
    requires: ["graph:echo"],
    timeoutMs: streamCheckTimeout(1) + 10_000,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
    const threadId = thread.thread_id as string;
    const runId = await startBackgroundRun(c, threadId, assistantId, { input: { value: "done" }, stream_mode: ["values"] });
    await pollRun(c, threadId, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
    const res = await openStream(c, { method: "GET", path: `/threads/${threadId}/runs/${runId}/stream` });
    expectStreamEnded(res, "the joined stream of a run that had ended");
  },
);

check(
  {
    id: "STR-032",
    level: "MUST",
    profile: "streaming",
    operations: [JOIN],
    spec: [
      {
        source: "openapi",
        section: "GET /threads/{thread_id}/runs/{run_id}/stream (Join Run Stream), responses",
        quote: "Not Found",
        note: "404; the same in openapi-prev: a run that does not exist has no stream to join",
      },
    ],
    title: "Joining the stream of a run that does not exist answers 404",
    timeoutMs: streamCheckTimeout(1),
  },
  async (c) => {
    const thread = await createThread(c);
    const res = await c.api.stream({ method: "GET", path: `/threads/${thread.thread_id}/runs/${uuid()}/stream` });
    if (res.status === 404) return;
    if (res.sse) {
      fail(
        `GET /threads/{thread_id}/runs/{run_id}/stream of an unknown run answered ${res.status} with an event stream (${res.sse.events.map((e) => `${e.event} ${e.data.slice(0, 60)}`).join(" | ") || "no events"}) instead of 404`,
        res,
      );
    }
    fail(`GET /threads/{thread_id}/runs/{run_id}/stream of an unknown run answered ${res.status}, expected 404: ${res.text.slice(0, 200)}`, res);
  },
);

check(
  {
    id: "STR-033",
    level: "MUST",
    profile: "streaming",
    operations: [JOIN, CREATE],
    spec: [
      { source: "openapi", section: "GET /threads/{thread_id}/runs/{run_id}/stream, query stream_mode", quote: "The mode to stream the run in." },
      { source: "sdk-py", section: "RunsClient.join_stream, stream_mode", quote: "The stream mode(s) to use. Must be a subset of the stream modes passed when creating the run." },
    ],
    title: "Joining with stream_mode carries only the events of that mode (a subset of the run's modes)",
    requires: ["graph:slow"],
    timeoutMs: streamCheckTimeout(1) + 10_000,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "slow"), createThread(c)]);
    const threadId = thread.thread_id as string;
    const runId = await startBackgroundRun(c, threadId, assistantId, { input: { value: "subset", sleep_ms: 1500 }, stream_mode: ["values", "custom"] });
    const res = await openStream(c, { method: "GET", path: `/threads/${threadId}/runs/${runId}/stream`, query: { stream_mode: "custom" } });
    expectStreamEnded(res, "the joined stream");
    const what = "the stream joined with stream_mode=custom (the run streams values and custom)";
    expectExactlyModes(res, ["custom"], what);
  },
);

check(
  {
    id: "STR-034",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      ...RESUME_SPEC,
      {
        source: "whatwg-html",
        section: "9.2.4 The `Last-Event-ID` header",
        quote: "The `Last-Event-ID` HTTP request header reports an object's last event ID string to the server when the user agent is to reestablish the connection.",
        note: "a client resumes from the id of the last event it received, so each event of a resumable stream needs one",
      },
    ],
    title: "Every event of a stream created with stream_resumable carries an id",
    requires: ["graph:echo"],
    timeoutMs: streamCheckTimeout(1),
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
    const res = await openStream(c, {
      method: "POST",
      path: `/threads/${thread.thread_id}/runs/stream`,
      json: { assistant_id: assistantId, input: { value: "ids" }, stream_mode: ["values", "updates"], stream_resumable: true, metadata: c.tag() },
    });
    expectStreamEnded(res, "the resumable stream");
    const without = res.sse.events.filter((e) => e.id === undefined);
    ensure(
      without.length === 0,
      `${without.length} of ${res.sse.events.length} events of the resumable stream carry no id (first: #${without[0]?.index} '${without[0]?.event}'): a client cannot resume after them`,
      res,
    );
  },
);

check(
  {
    id: "STR-035",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM, JOIN],
    spec: [...RESUME_SPEC, { source: "contract", section: "GET /threads/{thread_id}/runs/{run_id}/stream, header Last-Event-ID", quote: "the stream resumes after it" }],
    title: "A resumable stream, left after a few events and joined with Last-Event-ID, resumes after that event with no event lost or repeated",
    requires: ["graph:slow"],
    timeoutMs: streamCheckTimeout(2) + 10_000,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "slow"), createThread(c)]);
    const threadId = thread.thread_id as string;
    // on_disconnect continue: leaving the first stream must not cancel the run.
    const first = await openStream(
      c,
      {
        method: "POST",
        path: `/threads/${threadId}/runs/stream`,
        json: { assistant_id: assistantId, input: { value: "resume", sleep_ms: 1500 }, stream_mode: ["values", "custom"], stream_resumable: true, on_disconnect: "continue", metadata: c.tag() },
      },
      undefined,
      (ev) => (ev.event === "custom" && ev.index >= 4 ? "stop" : undefined),
    );
    const got = first.sse.events;
    ensure(got.length > 0, "the resumable stream carried no event before the check left it", first);
    const lastId = got.at(-1)!.lastEventId;
    ensure(lastId !== "", `the resumable stream's first ${got.length} events carry no id, so there is nothing to resume from`, first);
    const runId = metadataRunId(first);
    const resumed = await openStream(c, { method: "GET", path: `/threads/${threadId}/runs/${runId}/stream`, headers: { "last-event-id": lastId } });
    expectStreamEnded(resumed, "the resumed stream");

    const before = events(first);
    const after = events(resumed);
    const seenIds = new Set(got.map((e) => e.id).filter((x) => x !== undefined));
    const repeatedId = resumed.sse.events.find((e) => e.id !== undefined && seenIds.has(e.id));
    ensure(!repeatedId, `the resumed stream repeats event id ${repeatedId?.id} ('${repeatedId?.event}'), which came before Last-Event-ID ${lastId}`, resumed);
    const ticks = ticksOf([...before, ...after]);
    expectEqual(
      ticks,
      Array.from({ length: 15 }, (_, i) => i + 1),
      `the custom ticks of the stream left after event id ${lastId} and the resumed stream, together (each once, in order)`,
      resumed,
    );
    const last = [...before, ...after].filter((e) => e.event === "values").at(-1);
    expectSubset(last?.data, { echoed: "resume", trail: ["start", "sleep"] }, "the last values event of the resumed stream (the run's final state)", resumed);
    const dupValues = after.filter((e) => e.event === "values" && before.some((b) => b.event === "values" && deepEqual(b.data, e.data)));
    ensure(dupValues.length === 0, `the resumed stream repeats a values event received before Last-Event-ID ${lastId}: ${JSON.stringify(dupValues[0]?.data)}`, resumed);
  },
);

check(
  {
    id: "STR-036",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM, JOIN],
    spec: RESUME_SPEC,
    title: "Joining a resumable run's stream with Last-Event-ID -1 after the run ended replays the whole stream: the same events, in order",
    requires: ["graph:echo"],
    timeoutMs: streamCheckTimeout(2) + 10_000,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
    const threadId = thread.thread_id as string;
    const original = await openStream(c, {
      method: "POST",
      path: `/threads/${threadId}/runs/stream`,
      json: { assistant_id: assistantId, input: { value: "replay" }, stream_mode: ["values", "updates"], stream_resumable: true, metadata: c.tag() },
    });
    expectStreamEnded(original, "the resumable stream");
    const runId = metadataRunId(original);
    await pollRun(c, threadId, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
    const replay = await openStreamWith(c, { method: "GET", path: `/threads/${threadId}/runs/${runId}/stream`, headers: { "last-event-id": "-1" } }, {});
    expectStreamEnded(replay, "the replayed stream");
    const show = (list: ReturnType<typeof events>) => list.map((e) => ({ event: e.event, data: e.data }));
    expectEqual(show(events(replay)), show(events(original)), "the events replayed with Last-Event-ID -1 vs the events of the original stream", replay);
  },
);
