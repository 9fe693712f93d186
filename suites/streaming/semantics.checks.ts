// What a run stream says: it starts with `metadata` naming the run, it carries
// the events of the requested stream modes and no others, subgraph events carry
// their namespace, a failing node ends the stream with `error`, an interrupt
// shows in it. Every event read is also judged against streams.yaml.

import { check } from "../../harness/check";
import type { Citation, Level } from "../../harness/model";
import { ensure, expectEqual, expectSubset, fail } from "../../harness/expect";
import { REPLY_TOKENS } from "../../fixtures/graphs/chat";
import { ERROR_MESSAGE } from "../../fixtures/graphs/error";
import { runIdFromLocation, streamCheckTimeout } from "../_support/runs";
import { baseName, CHAT_INPUT, eventsOfMode, events, expectExactlyModes, metadataRunId, namespaceOf, streamStatelessRun, streamThreadRun } from "./support";
import type { FixtureGraph } from "../_support/runs";

const THREAD_STREAM = "POST /threads/{thread_id}/runs/stream";
const STATELESS_STREAM = "POST /runs/stream";
const TIMEOUT = streamCheckTimeout(1);
const MODES_SPEC: Citation[] = [
  { source: "api-ref", section: "RunCreateStateful.stream_mode", quote: "The stream mode(s) to use.", note: "an enum of nine modes, or a list of them; the same in both public documents" },
  {
    source: "guide-streaming",
    section: "Stream multiple modes",
    quote: "The streamed outputs will be tuples of (mode, chunk) where mode is the name of the stream mode and chunk is the data streamed by that mode.",
  },
  { source: "streams", section: "x-stream-modes", note: "the events of each mode, and metadata, error, end and feedback on every stream" },
];

// ------------------------------------------------------------ metadata first

check(
  {
    id: "STR-001",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      { source: "streams", section: "description", quote: "A stream starts with `metadata`" },
      { source: "sdk-py", section: "RunsClient.stream, example", quote: "StreamPart(event='metadata'", note: "the first part of the example stream, with the run_id" },
    ],
    title: "The first event of a run stream is `metadata`",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "echo", { input: { value: "first" }, stream_mode: ["values"] });
    const first = res.sse.events[0];
    ensure(first !== undefined, "the run stream carried no event at all", res);
    ensure(
      first.event === "metadata",
      `the first event of the run stream is '${first.event}', not 'metadata' (events: ${res.sse.events
        .slice(0, 5)
        .map((e) => e.event)
        .join(", ")}…)`,
      res,
    );
  },
);

check(
  {
    id: "STR-002",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM, "GET /threads/{thread_id}/runs/{run_id}"],
    spec: [
      { source: "streams", section: "$defs.metadata", quote: "First event of a run stream; says which run it is." },
      { source: "sdk-py", section: "RunsClient.stream, example", quote: "StreamPart(event='metadata', data={'run_id':", note: "the metadata event carries the run_id" },
      { source: "contract", section: "ThreadRunLocation", note: "Content-Location, when present, names the created run" },
    ],
    title: "The `metadata` event of a run stream names the run it streams (a run of the thread, the one in Content-Location when given)",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res, threadId } = await streamThreadRun(c, "echo", { input: { value: "meta" }, stream_mode: ["values"] });
    const runId = metadataRunId(res);
    const located = runIdFromLocation(res.headers["content-location"]);
    if (located !== undefined) expectEqual(runId, located, "run_id of the metadata event vs the run named by Content-Location", res);
    const got = await c.api.get(`/threads/${threadId}/runs/${runId}`);
    ensure(got.status === 200, `the metadata event names run ${runId}, but GET /threads/{thread_id}/runs/${runId} answered ${got.status}`, got);
  },
);

check(
  {
    id: "STR-003",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/runs/stream, 200 headers Content-Location",
        quote: "The URL of the run that was created. Can be used to later join the stream.",
        note: "declared, not marked required; the same in openapi-prev",
      },
      { source: "contract", section: "ThreadRunLocation x-decision", quote: "checks of its presence are SHOULD" },
    ],
    title: "POST /threads/{thread_id}/runs/stream answers with a Content-Location that names the run",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res, threadId } = await streamThreadRun(c, "echo", { input: { value: "loc" }, stream_mode: ["values"] });
    const loc = res.headers["content-location"];
    ensure(loc !== undefined, "the stream's response has no Content-Location header", res);
    ensure(new RegExp(`/threads/${threadId}/runs/[^/?#]+/?$`).test(loc), `Content-Location '${loc}' does not name a run of thread ${threadId} (…/threads/{thread_id}/runs/{run_id})`, res);
  },
);

check(
  {
    id: "STR-004",
    level: "MUST",
    profile: "streaming",
    operations: [STATELESS_STREAM],
    spec: [
      { source: "streams", section: "description", quote: "A stream starts with `metadata`" },
      { source: "streams", section: "$defs.metadata", quote: "says which run it is" },
      {
        source: "sdk-py",
        section: "RunsClient.stream, example",
        quote: "StreamPart(event='metadata', data={'run_id':",
        note: "the first part of the example stream names the run; with thread_id None, a stateless run",
      },
      { source: "contract", section: "RunLocation", note: "Content-Location, when present, names the created run" },
    ],
    title: "The first event of a stateless run stream is `metadata` naming the run (the one in Content-Location when given)",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamStatelessRun(c, "echo", { input: { value: "stateless" }, stream_mode: ["values"] });
    const first = res.sse.events[0];
    ensure(first?.event === "metadata", `the first event of the stateless run stream is ${first ? `'${first.event}'` : "missing"}, not 'metadata'`, res);
    const runId = metadataRunId(res);
    const located = runIdFromLocation(res.headers["content-location"]);
    if (located !== undefined) expectEqual(runId, located, "run_id of the metadata event vs the run named by Content-Location", res);
  },
);

check(
  {
    id: "STR-005",
    level: "SHOULD",
    profile: "streaming",
    operations: [STATELESS_STREAM],
    spec: [
      { source: "openapi", section: "POST /runs/stream, 200 headers Content-Location", quote: "The URL of the run that was created.", note: "declared, not marked required; the same in openapi-prev" },
      { source: "contract", section: "RunLocation", note: "presence is SHOULD" },
    ],
    title: "POST /runs/stream answers with a Content-Location that names the run",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamStatelessRun(c, "echo", { input: { value: "loc" }, stream_mode: ["values"] });
    const loc = res.headers["content-location"];
    ensure(loc !== undefined, "the stream's response has no Content-Location header", res);
    ensure(runIdFromLocation(loc) !== undefined, `Content-Location '${loc}' does not name a run (…/runs/{run_id})`, res);
  },
);

// ------------------------------------------------------------ one check per stream mode

interface ModeCase {
  id: string;
  mode: string;
  graph: FixtureGraph;
  input: unknown;
  /** MUST where a document says what the mode streams; SHOULD where only an SDK does. */
  level: Level;
  /** The words on what the mode streams. */
  words: Citation;
}

const guide = (mode: string, quote: string): Citation => ({ source: "guide-streaming", section: `Supported stream modes, ${mode}`, quote });
const sdkOnly = (mode: string, quote: string): Citation => ({
  source: "sdk-py",
  section: `StreamMode, "${mode}"`,
  quote,
  note: "no API document or guide says what this mode streams; only the SDKs' docstrings and types do (the event names are the JS SDK's), hence SHOULD",
});

const MODE_CASES: ModeCase[] = [
  { id: "STR-010", mode: "values", graph: "echo", input: { value: "mode" }, level: "MUST", words: guide("values", "Stream the full graph state after each super-step.") },
  { id: "STR-011", mode: "updates", graph: "echo", input: { value: "mode" }, level: "MUST", words: guide("updates", "Streams the updates to the state after each step of the graph.") },
  {
    id: "STR-012",
    mode: "messages-tuple",
    graph: "chat",
    input: CHAT_INPUT,
    level: "MUST",
    words: {
      ...guide("messages-tuple", "Streams LLM tokens and metadata for the graph node where the LLM is invoked (useful for chat apps)."),
      note: "its events are named `messages` (the JS SDK's MessagesTupleStreamEvent)",
    },
  },
  { id: "STR-013", mode: "messages", graph: "chat", input: CHAT_INPUT, level: "SHOULD", words: sdkOnly("messages", "Stream complete messages.") },
  { id: "STR-014", mode: "custom", graph: "slow", input: { value: "mode", sleep_ms: 300 }, level: "MUST", words: guide("custom", "Streams custom data from inside your graph") },
  { id: "STR-015", mode: "debug", graph: "echo", input: { value: "mode" }, level: "MUST", words: guide("debug", "Streams as much information as possible throughout the execution of the graph.") },
  { id: "STR-016", mode: "tasks", graph: "echo", input: { value: "mode" }, level: "SHOULD", words: sdkOnly("tasks", "Stream task start and finish events.") },
  { id: "STR-017", mode: "checkpoints", graph: "echo", input: { value: "mode" }, level: "SHOULD", words: sdkOnly("checkpoints", "Stream checkpoints as they are created.") },
  { id: "STR-018", mode: "events", graph: "echo", input: { value: "mode" }, level: "MUST", words: guide("events", "Stream all events (including the state of the graph)") },
];

for (const m of MODE_CASES) {
  const names = eventsOfMode(m.mode);
  check(
    {
      id: m.id,
      level: m.level,
      profile: "streaming",
      operations: [THREAD_STREAM],
      spec: [...MODES_SPEC, m.words, { source: "streams", section: `x-stream-modes.${m.mode}`, note: `${m.mode} → ${names.join(", ")}` }],
      title: `stream_mode ${m.mode} streams ${names.map((n) => `\`${n}\``).join(" / ")} events, and no event of another mode`,
      requires: [`graph:${m.graph}`],
      timeoutMs: TIMEOUT,
    },
    async (c) => {
      const { res } = await streamThreadRun(c, m.graph, { input: m.input, stream_mode: [m.mode] });
      const what = `the stream of a run with stream_mode [${m.mode}]`;
      expectExactlyModes(res, [m.mode], what);
    },
  );
}

check(
  {
    id: "STR-019",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      ...MODES_SPEC,
      {
        source: "guide-streaming",
        section: "Stream multiple modes",
        quote: "You can pass a list as the stream_mode parameter to stream multiple modes at once.",
        note: "the modes whose events a guide describes; tasks, described by the SDKs only, is judged at SHOULD by STR-016",
      },
    ],
    title: "Several stream modes at once (values, updates, custom, debug) each stream their events, and no other mode's",
    requires: ["graph:slow"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const modes = ["values", "updates", "custom", "debug"];
    const { res } = await streamThreadRun(c, "slow", { input: { value: "modes", sleep_ms: 300 }, stream_mode: modes });
    const what = `the stream of a run with stream_mode [${modes.join(", ")}]`;
    expectExactlyModes(res, modes, what);
  },
);

check(
  {
    id: "STR-020",
    level: "MUST",
    profile: "streaming",
    operations: [STATELESS_STREAM],
    spec: [
      ...MODES_SPEC,
      { source: "api-ref", section: "RunCreateStateless.stream_mode", quote: "The stream mode(s) to use.", note: "the same stream_mode as a thread run" },
      {
        source: "api-ref",
        section: "Stateless Runs",
        quote: "with no state or memory persistence",
        note: "so whether a stateless run saves, and streams, checkpoints is not said: not asked here; nor tasks, which only the SDKs describe (STR-016)",
      },
    ],
    title: "A stateless run streams the events of each requested mode (values, updates, custom, debug), and no other mode's",
    requires: ["graph:slow"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const modes = ["values", "updates", "custom", "debug"];
    const { res } = await streamStatelessRun(c, "slow", { input: { value: "stateless", sleep_ms: 300 }, stream_mode: modes });
    const what = `the stream of a stateless run with stream_mode [${modes.join(", ")}]`;
    expectExactlyModes(res, modes, what);
  },
);

// ------------------------------------------------------------ what the modes carry

check(
  {
    id: "STR-021",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [guide("values", "Stream the full graph state after each super-step."), { source: "streams", section: "$defs.values" }],
    title: "The last `values` event of a run is the run's final state",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "echo", { input: { value: "final" }, stream_mode: ["values"] });
    const values = events(res).filter((e) => e.event === "values");
    ensure(values.length > 0, "the stream carried no values event", res);
    expectSubset(values.at(-1)!.data, { value: "final", echoed: "final", trail: ["first", "second"] }, "the last values event (the echo graph's final state)", res);
  },
);

check(
  {
    id: "STR-022",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      { source: "guide-streaming", section: "Stream graph state, Stream Mode: updates", quote: "The streamed outputs include the name of the node as well as the update." },
      { source: "streams", section: "$defs.updates", quote: "an object whose keys are node names and whose values are the updates they returned" },
    ],
    title: "`updates` events give each node's update under its name, in the order the nodes ran",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "echo", { input: { value: "upd" }, stream_mode: ["updates"] });
    const updates = events(res)
      .filter((e) => e.event === "updates")
      .map((e) => e.data);
    expectEqual(updates, [{ first: { echoed: "upd", trail: ["first"] } }, { second: { trail: ["second"] } }], "the updates events of a run of 'echo' (nodes first, then second)", res);
  },
);

check(
  {
    id: "STR-023",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      {
        source: "guide-streaming",
        section: "LLM tokens",
        quote: "The streamed output from messages-tuple mode is a tuple (message_chunk, metadata) where: message_chunk: the token or message segment from the LLM.",
      },
      { source: "streams", section: "$defs.messages" },
    ],
    title: "stream_mode messages-tuple streams the model's reply as message chunks whose contents, joined, are the reply",
    requires: ["graph:chat"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "chat", { input: CHAT_INPUT, stream_mode: ["messages-tuple"] });
    const chunks = events(res).filter((e) => e.event === "messages" && Array.isArray(e.data));
    const ai = chunks.map((e) => e.data[0]).filter((m) => typeof m?.type === "string" && /ai/i.test(m.type));
    ensure(ai.length > 1, `the stream carried ${ai.length} AI message chunk(s); the fixture model streams ${REPLY_TOKENS.length} tokens`, res);
    const text = ai.map((m) => (typeof m.content === "string" ? m.content : "")).join("");
    expectEqual(text, REPLY_TOKENS.join(""), "the AI message chunks' contents, joined", res);
  },
);

check(
  {
    id: "STR-024",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [guide("custom", "Streams custom data from inside your graph"), { source: "streams", section: "$defs.custom", note: "what a node wrote, any JSON value" }],
    title: "stream_mode custom carries what a node wrote to the stream, in order",
    requires: ["graph:slow"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "slow", { input: { value: "ticks", sleep_ms: 300 }, stream_mode: ["custom"] });
    const ticks = events(res)
      .filter((e) => e.event === "custom")
      .map((e) => e.data);
    expectEqual(
      ticks,
      [1, 2, 3].map((tick) => ({ tick, of: 3 })),
      "the custom events of 'slow' with sleep_ms 300 (one per 100 ms tick)",
      res,
    );
  },
);

// ------------------------------------------------------------ subgraphs

check(
  {
    id: "STR-025",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      { source: "api-ref", section: "RunCreateStateful.stream_subgraphs", quote: "Whether to stream output from subgraphs." },
      {
        source: "guide-streaming",
        section: "Subgraphs",
        quote: "Note that we are receiving not just the node updates, but we also the namespaces which tell us what graph (or subgraph) we are streaming from.",
      },
      {
        source: "streams",
        section: "x-event-names x-decision",
        quote: "No document gives a grammar for the namespace.",
        note: 'the form mode|node:task_id is the contract\'s decision (the JS SDK says only that the name is the base name, "|", and more), hence SHOULD',
      },
    ],
    title: "With stream_subgraphs, the events of a subgraph are named `mode|<node>:<task id>`",
    requires: ["graph:subgraph"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "subgraph", { input: { value: "sub" }, stream_mode: ["updates"], stream_subgraphs: true });
    const names = res.sse.events.map((e) => e.event);
    const child = names.filter((n) => baseName(n) === "updates" && namespaceOf(n)[0]?.split(":")[0] === "child");
    ensure(child.length > 0, `no event is named updates|child:<task id> (the subgraph node 'child'); events: ${names.join(", ")}`, res);
    const childUpdate = events(res).find((e) => e.event === child[0]);
    expectSubset(childUpdate?.data, { inner: { echoed: "sub", trail: ["inner"] } }, `the data of '${child[0]}' (the update of the subgraph's node 'inner')`, res);
    ensure(
      names.some((n) => n === "updates"),
      "the stream carries no update of the parent graph (an event named plain 'updates')",
      res,
    );
  },
);

check(
  {
    id: "STR-026",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      { source: "api-ref", section: "RunCreateStateful.stream_subgraphs", quote: "Whether to stream output from subgraphs.", note: "default false" },
      { source: "streams", section: "x-event-names", quote: "A namespace appears only on events that come from a subgraph, which a run streams only with `stream_subgraphs: true`." },
    ],
    title: "Without stream_subgraphs, no event of a run with a subgraph carries a namespace",
    requires: ["graph:subgraph"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "subgraph", { input: { value: "flat" }, stream_mode: ["values", "updates"] });
    const namespaced = res.sse.events.filter((e) => e.event.includes("|"));
    ensure(namespaced.length === 0, `${namespaced.length} event(s) carry a namespace although stream_subgraphs was not set (first: #${namespaced[0]?.index} '${namespaced[0]?.event}')`, res);
  },
);

check(
  {
    id: "STR-027",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [...MODES_SPEC, { source: "streams", section: "x-event-names", note: "with stream_subgraphs a subgraph's events carry its namespace, each still the event of a requested mode" }],
    title: "With stream_subgraphs, a run streams only the events of the requested modes (values, updates), from the graph and its subgraph",
    requires: ["graph:subgraph"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const modes = ["values", "updates"];
    const { res } = await streamThreadRun(c, "subgraph", { input: { value: "sub" }, stream_mode: modes, stream_subgraphs: true });
    const what = `the stream of a run with stream_subgraphs and stream_mode [${modes.join(", ")}]`;
    expectExactlyModes(res, modes, what);
  },
);

check(
  {
    id: "STR-028",
    level: "MUST",
    profile: "streaming",
    operations: [STATELESS_STREAM],
    spec: [...MODES_SPEC, { source: "streams", section: "x-event-names", note: "with stream_subgraphs a subgraph's events carry its namespace, each still the event of a requested mode" }],
    title: "A stateless run with stream_subgraphs streams only the events of the requested modes (values, updates)",
    requires: ["graph:subgraph"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const modes = ["values", "updates"];
    const { res } = await streamStatelessRun(c, "subgraph", { input: { value: "sub" }, stream_mode: modes, stream_subgraphs: true });
    const what = `the stream of a stateless run with stream_subgraphs and stream_mode [${modes.join(", ")}]`;
    expectExactlyModes(res, modes, what);
  },
);

// ------------------------------------------------------------ errors and interrupts

check(
  {
    id: "STR-060",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      { source: "streams", section: "description", quote: "a run that fails sends `error`" },
      { source: "streams", section: "$defs.error", quote: "The run failed: the error's type (`error`) and its `message`." },
      { source: "sdk-js", section: "ErrorStreamEvent (dist/types.stream.d.ts)", note: "the JS SDK's type of the event; no API document or guide names an error event, hence SHOULD" },
    ],
    title: "A failing node gives an `error` event, and the stream ends with it (only `end` may follow)",
    requires: ["graph:error"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "error", { input: { value: "boom" }, stream_mode: ["values", "updates"] });
    const all = events(res);
    const at = all.findIndex((e) => e.event === "error");
    ensure(at !== -1, `the stream of a run whose node raises carries no 'error' event; events: ${all.map((e) => e.event).join(", ")}`, res);
    const after = all.slice(at + 1).filter((e) => e.event !== "end");
    ensure(after.length === 0, `${after.length} event(s) follow the error event (first: '${after[0]?.event}'): the run has ended`, res);
  },
);

check(
  {
    id: "STR-061",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      {
        source: "streams",
        section: "$defs.error",
        quote: "The run failed: the error's type (`error`) and its `message`.",
        note: "a failing graph should give an error the client can read; the documents do not say the message must be the node's own: SHOULD",
      },
    ],
    title: "The `error` event's message carries what the failing node raised",
    requires: ["graph:error"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "error", { input: { value: "boom" }, stream_mode: ["values"] });
    const err = events(res).find((e) => e.event === "error");
    ensure(err !== undefined, "the stream carries no 'error' event", res);
    const message = typeof err.data?.message === "string" ? err.data.message : JSON.stringify(err.data);
    ensure(message.includes(ERROR_MESSAGE), `the error event's message is ${JSON.stringify(message)}; it does not carry the node's '${ERROR_MESSAGE}'`, res);
  },
);

check(
  {
    id: "STR-062",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      {
        source: "guide-human-in-the-loop",
        section: "Dynamic interrupts",
        quote: "When the graph hits the interrupt, it returns an interrupt object with the payload and metadata.",
        note: "the library streams it as an update under __interrupt__",
      },
      { source: "streams", section: "$defs.updates", quote: "An interrupt is reported under the key `__interrupt__`." },
    ],
    title: "An interrupt shows in the stream: an `updates` event with `__interrupt__` carrying the value the node gave, and the stream ends without error",
    requires: ["graph:interrupt"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "interrupt", { input: { value: "ask" }, stream_mode: ["updates"] });
    const all = events(res);
    const upd = all.find((e) => e.event === "updates" && e.data && typeof e.data === "object" && "__interrupt__" in e.data);
    if (!upd) fail(`no updates event carries __interrupt__; events: ${all.map((e) => `${e.event} ${JSON.stringify(e.data)?.slice(0, 80)}`).join(" | ")}`, res);
    const interrupts = upd.data.__interrupt__;
    ensure(Array.isArray(interrupts) && interrupts.length > 0, `__interrupt__ is ${JSON.stringify(interrupts)}, not a list of interrupts`, res);
    expectSubset(interrupts[0]?.value, { question: "May the run continue?", value: "ask" }, "the value of the interrupt (what the node passed to interrupt())", res);
    const err = all.find((e) => e.event === "error");
    ensure(err === undefined, `the stream of an interrupted run carries an error event: ${JSON.stringify(err?.data)}`, res);
  },
);
