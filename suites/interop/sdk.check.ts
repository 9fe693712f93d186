// A real client agrees: the official JS client reads streams of every kind from
// the target and sees the same events (names and data, in order) as the suite's
// WHATWG reader sees in the very same bytes. A server whose bytes pass the
// framing checks but that the real client cannot read fails here.

import { canonicalData } from "../../harness/sse";
import { check } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { ensure, expectEqual } from "../../harness/expect";
import { assistantFor, createThread, runIdFromLocation, streamCheckTimeout, streamTimeoutMs } from "../_support/runs";
import { CHAT_INPUT, startBackgroundRun } from "../streaming/support";
import { drain, expectAgreement, SDK_VERSION, tappedClient } from "./sdk";

const TIMEOUT = streamCheckTimeout(1) + 10_000;
const SPEC: Citation[] = [
  {
    source: "sdk-js",
    section: "Client.runs.stream, runs.joinStream, threads.joinStream",
    note: `the interop profile's requirement: the official JS client (${SDK_VERSION}) reads the target's streams and sees the same events as a standard reader of the same bytes. A requirement of this suite (a server official clients cannot read is of no use to them), not words of the API's documents`,
  },
  {
    source: "whatwg-html",
    section: "9.2.6 Interpreting an event stream",
    quote: "Lines must be processed, in the order they are received, as follows:",
    note: "the standard reader the suite compares with",
  },
  { source: "streams", section: "$defs", note: "the events and their JSON data" },
];

check(
  {
    id: "IOP-001",
    level: "MUST",
    profile: "interop",
    operations: ["POST /threads/{thread_id}/runs/stream"],
    spec: SPEC,
    title: "The official JS client reads a thread run's stream (values, updates) and sees the same events as the suite's reader",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
    const t = tappedClient(c);
    const sdk = await drain(t.client.runs.stream(thread.thread_id, assistantId, { input: { value: "iop" }, streamMode: ["values", "updates"], metadata: c.tag(), signal: t.signal }));
    await expectAgreement(c, t, sdk, "client.runs.stream of a thread run (values, updates)");
  },
);

check(
  {
    id: "IOP-002",
    level: "MUST",
    profile: "interop",
    operations: ["POST /runs/stream"],
    spec: SPEC,
    title: "The official JS client reads a stateless run's stream and sees the same events as the suite's reader",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const t = tappedClient(c);
    const sdk = await drain(t.client.runs.stream(null, assistantId, { input: { value: "iop" }, streamMode: ["values", "updates"], metadata: c.tag(), signal: t.signal }));
    await expectAgreement(c, t, sdk, "client.runs.stream of a stateless run (values, updates)");
  },
);

check(
  {
    id: "IOP-003",
    level: "MUST",
    profile: "interop",
    operations: ["POST /threads/{thread_id}/runs/stream"],
    spec: SPEC,
    title: "The official JS client reads a chat model's token stream (messages-tuple, messages) and sees the same events as the suite's reader",
    requires: ["graph:chat"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "chat"), createThread(c)]);
    const t = tappedClient(c);
    const sdk = await drain(t.client.runs.stream(thread.thread_id, assistantId, { input: CHAT_INPUT, streamMode: ["messages-tuple", "messages"], metadata: c.tag(), signal: t.signal }));
    await expectAgreement(c, t, sdk, "client.runs.stream of a run of 'chat' (messages-tuple, messages)");
  },
);

check(
  {
    id: "IOP-004",
    level: "MUST",
    profile: "interop",
    operations: ["POST /threads/{thread_id}/runs/stream"],
    spec: SPEC,
    title: "The official JS client reads a stream with subgraph events (stream_subgraphs) and sees the same events, namespaces included, as the suite's reader",
    requires: ["graph:subgraph"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "subgraph"), createThread(c)]);
    const t = tappedClient(c);
    const sdk = await drain(
      t.client.runs.stream(thread.thread_id, assistantId, { input: { value: "iop" }, streamMode: ["updates", "custom"], streamSubgraphs: true, metadata: c.tag(), signal: t.signal }),
    );
    await expectAgreement(c, t, sdk, "client.runs.stream of a run of 'subgraph' with streamSubgraphs (updates)");
  },
);

check(
  {
    id: "IOP-005",
    level: "MUST",
    profile: "interop",
    operations: ["POST /threads/{thread_id}/runs/stream"],
    spec: SPEC,
    title: "The official JS client reads the stream of a failing run (its error event) and sees the same events as the suite's reader",
    requires: ["graph:error"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "error"), createThread(c)]);
    const t = tappedClient(c);
    const sdk = await drain(t.client.runs.stream(thread.thread_id, assistantId, { input: { value: "iop" }, streamMode: ["values", "updates"], metadata: c.tag(), signal: t.signal }));
    await expectAgreement(c, t, sdk, "client.runs.stream of a run of 'error'");
  },
);

check(
  {
    id: "IOP-006",
    level: "MUST",
    profile: "interop",
    operations: ["GET /threads/{thread_id}/runs/{run_id}/stream", "POST /threads/{thread_id}/runs"],
    spec: SPEC,
    title: "The official JS client joins a running run's stream (runs.joinStream) and sees the same events as the suite's reader",
    requires: ["graph:slow"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "slow"), createThread(c)]);
    const runId = await startBackgroundRun(c, thread.thread_id, assistantId, { input: { value: "iop", sleep_ms: 1000 }, stream_mode: ["values", "custom"] });
    const t = tappedClient(c);
    const sdk = await drain(t.client.runs.joinStream(thread.thread_id, runId, { signal: t.signal }));
    await expectAgreement(c, t, sdk, "client.runs.joinStream of a running run of 'slow' (values, custom)");
  },
);

check(
  {
    id: "IOP-007",
    level: "MUST",
    profile: "interop",
    operations: ["GET /threads/{thread_id}/runs/{run_id}/stream", "POST /threads/{thread_id}/runs/stream"],
    spec: [...SPEC, { source: "openapi", section: "GET /threads/{thread_id}/runs/{run_id}/stream, header Last-Event-ID", quote: "Set to -1 if you want to stream all events." }],
    title: "The official JS client replays a resumable run's stream (runs.joinStream with lastEventId -1) and sees the same events as the suite's reader",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT + streamCheckTimeout(1),
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
    const first = tappedClient(c);
    let runId: string | undefined;
    const original = await drain(
      first.client.runs.stream(thread.thread_id, assistantId, {
        input: { value: "iop" },
        streamMode: ["values", "updates"],
        streamResumable: true,
        metadata: c.tag(),
        signal: first.signal,
        onRunCreated: (m) => {
          runId = m.run_id;
        },
      }),
    );
    await expectAgreement(c, first, original, "client.runs.stream of a resumable run");
    runId ??= (original.parts.find((p) => p.event === "metadata")?.data as { run_id?: string } | undefined)?.run_id;
    ensure(typeof runId === "string", "neither Content-Location nor a metadata event named the run, so it cannot be joined");
    const t = tappedClient(c);
    const sdk = await drain(t.client.runs.joinStream(thread.thread_id, runId, { lastEventId: "-1", signal: t.signal }));
    await expectAgreement(c, t, sdk, "client.runs.joinStream of the ended resumable run with lastEventId -1");
  },
);

check(
  {
    id: "IOP-008",
    level: "SHOULD",
    profile: "interop",
    operations: ["POST /threads/{thread_id}/runs/stream"],
    spec: [
      ...SPEC,
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/runs/stream, 200 headers Content-Location",
        quote: "The URL of the run that was created. Can be used to later join the stream.",
        note: "the JS SDK learns the created run from it (onRunCreated); no document marks it required",
      },
      { source: "contract", section: "ThreadRunLocation x-decision", quote: "checks of its presence are SHOULD" },
    ],
    title: "The official JS client learns the streamed run's id from the response (onRunCreated), the id the metadata event gives",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
    const t = tappedClient(c);
    let created: { run_id: string; thread_id?: string } | undefined;
    const sdk = await drain(
      t.client.runs.stream(thread.thread_id, assistantId, {
        input: { value: "iop" },
        streamMode: ["values"],
        metadata: c.tag(),
        signal: t.signal,
        onRunCreated: (m) => {
          created = m;
        },
      }),
    );
    const stream = await expectAgreement(c, t, sdk, "client.runs.stream of a thread run (values)");
    ensure(created !== undefined, `the SDK's onRunCreated was never called: the response's Content-Location is ${JSON.stringify(stream.headers["content-location"] ?? null)}`, stream);
    const metaRun = (sdk.parts.find((p) => p.event === "metadata")?.data as { run_id?: unknown } | undefined)?.run_id;
    expectEqual(created.run_id, metaRun, "the run id the SDK read from the response vs the metadata event's run_id", stream);
    expectEqual(created.run_id, runIdFromLocation(stream.headers["content-location"]), "the run id the SDK read vs Content-Location", stream);
  },
);

check(
  {
    id: "IOP-009",
    level: "MUST",
    profile: "interop",
    operations: ["GET /threads/{thread_id}/stream", "POST /threads/{thread_id}/runs"],
    spec: SPEC,
    title: "The official JS client reads the thread stream (threads.joinStream) and sees the same events as the suite's reader",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
    // The thread stream stays open: a run starts once it answers, and both readers stop at the run's final values.
    const isFinal = (event: string, data: string) => event.split("|")[0] === "values" && canonicalData(data).includes('"second"');
    let run: Promise<unknown> | undefined;
    const t = tappedClient(c, {
      limits: { idleMs: Math.min(10_000, streamTimeoutMs()) },
      onHeaders: (status) => {
        if (status === 200) run ??= startBackgroundRun(c, thread.thread_id, assistantId, { input: { value: "iop" }, stream_mode: ["values"] }).catch(() => undefined);
      },
      onEvent: (ev) => (isFinal(ev.event, ev.data) ? "stop" : undefined),
    });
    const sdk = await drain(t.client.threads.joinStream(thread.thread_id, { signal: t.signal }), (p) => isFinal(p.event, JSON.stringify(p.data)));
    await run;
    const readings = await Promise.all(t.readings);
    const first = readings[0];
    if (first && !first.sse && [404, 405, 501].includes(first.status)) {
      c.skip(`the target does not offer the thread stream (GET /threads/{thread_id}/stream answered ${first.status}); STR-040 reports it`);
    }
    await expectAgreement(c, t, sdk, "client.threads.joinStream while a run of 'echo' executes", { ends: false });
  },
);
