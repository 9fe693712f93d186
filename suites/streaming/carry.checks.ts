// What the stream modes carry, held against what the thread records: the
// `checkpoints`, `debug`, `tasks` and `values` events of a run that pauses at an
// interrupt and of the run that resumes it, against the thread's history; the
// `messages` modes (partial, complete, mixed with values; messages a node returns
// in messages-tuple) and the `events` mode of a chat model run; the `metadata`
// event's attempt.
//
// One run of each kind serves several checks: the interrupt graph streamed in
// all four checkpoint-related modes at once, the chat graph in messages, values
// and events at once. A target that refuses the combination gets a run per
// check with only the modes that check needs, so that each check still judges
// only its own mode.

import { check, scenario, type CheckContext } from "../../harness/check";
import { deepEqual, ensure, expectEqual, fail } from "../../harness/expect";
import type { StreamResponse } from "../../harness/http";
import { REPLY_TOKENS } from "../../fixtures/graphs/chat";
import { PREPARED_MESSAGE } from "../../fixtures/graphs/nested";
import { assistantFor, createThread, expectStreamEnded, pollRun, streamCheckTimeout, streamTimeoutMs, type OpenedStream } from "../_support/runs";
import { CHAT_INPUT, events, namespaceOf, baseName } from "./support";

const THREAD_STREAM = "POST /threads/{thread_id}/runs/stream";
const HISTORY = "POST /threads/{thread_id}/history";
const TIMEOUT = streamCheckTimeout(4);

const show = (v: unknown) => JSON.stringify(v)?.slice(0, 240);
const MODE_WORDS = (mode: string, words: string) => ({ source: "sdk-py", section: `StreamMode, "${mode}"`, quote: words });

// ------------------------------------------------------------ a run paused and resumed, against history

const CHECKPOINT_MODES = ["checkpoints", "debug", "tasks", "values"];

interface Ev {
  event: string;
  data: any;
  index: number;
}

/** One run's stream, read to its end. */
interface RunRead {
  res: OpenedStream;
  /** The root graph's events (no namespace). */
  events: Ev[];
}

interface PausedAndResumed {
  /** false: the target refused the stream (its answer is `refused`). */
  accepted: boolean;
  refused?: StreamResponse;
  modes: string[];
  threadId?: string;
  first?: RunRead;
  resumed?: RunRead;
  /** The checkpoint the first run stopped at (GET state), by id. */
  pausedId?: string;
  /** The thread's history, oldest first. */
  history: any[];
  historyRes?: Awaited<ReturnType<CheckContext["api"]["post"]>>;
}

function read(res: OpenedStream): RunRead {
  return { res, events: events(res).filter((e) => namespaceOf(e.event).length === 0) };
}

/**
 * Runs the `interrupt` graph on a new thread, streamed with `modes`: to its
 * interrupt, then resumed (command.resume) to its end; then reads the history.
 */
async function pauseAndResume(c: CheckContext, modes: string[]): Promise<PausedAndResumed> {
  const [assistantId, thread] = await Promise.all([assistantFor(c, "interrupt"), createThread(c)]);
  const threadId = thread.thread_id as string;
  const stream = async (body: Record<string, unknown>, what: string) => {
    const res = await c.api.stream({ method: "POST", path: `/threads/${threadId}/runs/stream`, json: { assistant_id: assistantId, ...body, stream_mode: modes, metadata: c.tag() } });
    if (res.status !== 200 || !res.sse) return { refused: res };
    expectStreamEnded(res as OpenedStream, what);
    const runId = events(res as OpenedStream).find((e) => e.event === "metadata")?.data?.run_id;
    if (typeof runId === "string") await pollRun(c, threadId, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
    return { res: res as OpenedStream };
  };
  const first = await stream({ input: { value: "carried" } }, "the stream of the run that pauses at its interrupt");
  if (!first.res) return { accepted: false, refused: first.refused!, modes, history: [] };
  const paused = await c.api.get(`/threads/${threadId}/state`);
  const pausedId = paused.json?.checkpoint?.checkpoint_id;
  const resumed = await stream({ command: { resume: "yes" } }, "the stream of the run that resumes it");
  if (!resumed.res) return { accepted: false, refused: resumed.refused!, modes, history: [] };
  const historyRes = await c.api.post(`/threads/${threadId}/history`, { limit: 50 });
  const history = Array.isArray(historyRes.json) ? [...historyRes.json].reverse() : [];
  return { accepted: true, modes, threadId, first: read(first.res), resumed: read(resumed.res), ...(typeof pausedId === "string" ? { pausedId } : {}), history, historyRes };
}

const combined = scenario("the interrupt graph streamed in checkpoints, debug, tasks and values, paused and resumed", (c) => pauseAndResume(c, CHECKPOINT_MODES), 2 * streamTimeoutMs() + 30_000);

/** The runs streamed with (at least) `modes`: the shared ones, or, when the target refused them, a pair of the check's own. */
async function runsIn(c: CheckContext, modes: string[]): Promise<PausedAndResumed & { first: RunRead; resumed: RunRead }> {
  let got = await combined(c);
  if (!got.accepted) {
    c.note(`the target refused stream_mode [${CHECKPOINT_MODES.join(", ")}] (${got.refused?.status}); this check streams [${modes.join(", ")}] alone`);
    got = await pauseAndResume(c, modes);
  }
  if (!got.accepted) {
    fail(
      `POST /threads/{thread_id}/runs/stream with stream_mode [${modes.join(", ")}] answered ${got.refused?.status}${got.refused?.sse ? "" : `, not an event stream: ${got.refused?.text.slice(0, 200)}`}`,
      got.refused,
    );
  }
  return got as PausedAndResumed & { first: RunRead; resumed: RunRead };
}

/** The history split by run: the first run made entries 0..p (p: the checkpoint it paused at), the resumed run the rest. */
function byRun(c: CheckContext, got: PausedAndResumed): { first: any[]; resumed: any[]; paused: any } {
  if (got.history.length === 0) c.skip(`the thread's history is empty after two runs (${got.historyRes?.status}): nothing to hold the streamed events against (the history checks judge it)`);
  const p = got.history.findIndex((h) => h?.checkpoint?.checkpoint_id === got.pausedId);
  if (p < 0)
    c.skip(`the thread's history does not list the checkpoint its state named at the interrupt (${got.pausedId ?? "none"}): the runs' checkpoints cannot be told apart (the history checks judge it)`);
  return { first: got.history.slice(0, p + 1), resumed: got.history.slice(p + 1), paused: got.history[p] };
}

const stepOf = (h: any): unknown => h?.metadata?.step;

/** The checkpoint id an event names (checkpoints: config or checkpoint; debug: its payload's). */
function namedId(d: any): string | undefined {
  const id = d?.checkpoint?.checkpoint_id ?? d?.config?.configurable?.checkpoint_id;
  return typeof id === "string" ? id : undefined;
}

/** Why a `checkpoints` event is not the history entry `h`, or undefined when it is. */
function checkpointDiff(d: any, h: any): string | undefined {
  if (!deepEqual(d?.values, h?.values)) return `values ${show(d?.values)} ≠ ${show(h?.values)}`;
  if (!deepEqual(d?.next, h?.next)) return `next ${show(d?.next)} ≠ ${show(h?.next)}`;
  const step = d?.metadata?.step;
  if (step !== undefined && step !== stepOf(h)) return `step ${show(step)} ≠ ${show(stepOf(h))}`;
  const id = namedId(d);
  if (id !== undefined && id !== h?.checkpoint?.checkpoint_id) return `checkpoint ${id} ≠ ${h?.checkpoint?.checkpoint_id}`;
  return undefined;
}

/** The events of a run held against the history entries it made; the entry it started from may lead. */
function expectOnePerEntry(res: OpenedStream, got: Ev[], entries: any[], startedFrom: any, diff: (d: any, h: any) => string | undefined, what: string): void {
  const list =
    startedFrom !== undefined && got.length > 0 && diff(got[0]!.data, startedFrom) === undefined && (entries.length === 0 || diff(got[0]!.data, entries[0]) !== undefined) ? got.slice(1) : got;
  if (list.length !== entries.length) {
    fail(
      `${what}: ${list.length} event(s) for the ${entries.length} checkpoint(s) the run made (steps ${entries.map(stepOf).join(", ")}); events at steps ${list.map((e) => show(e.data?.metadata?.step ?? e.data?.step)).join(", ")}`,
      res,
    );
  }
  list.forEach((e, i) => {
    const why = diff(e.data, entries[i]);
    if (why) fail(`${what}: event #${e.index} is not the run's checkpoint ${i + 1} of ${entries.length} (step ${show(stepOf(entries[i]))}, in the history): ${why}`, res);
  });
}

check(
  {
    id: "STC-001",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM, HISTORY],
    spec: [
      MODE_WORDS("checkpoints", "Stream checkpoints as they are created."),
      { source: "streams", section: "checkpoints", note: "a checkpoint as it is saved, in the form of a state snapshot: values, next, config, metadata" },
    ],
    title: "stream_mode checkpoints streams each checkpoint a run makes once, in the order they are made, each equal to that checkpoint in the history (also for a resumed run)",
    requires: ["graph:interrupt"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const got = await runsIn(c, ["checkpoints"]);
    const h = byRun(c, got);
    const pick = (r: RunRead) => r.events.filter((e) => e.event === "checkpoints");
    expectOnePerEntry(got.first.res, pick(got.first), h.first, undefined, checkpointDiff, "the checkpoints events of the run that paused");
    expectOnePerEntry(got.resumed.res, pick(got.resumed), h.resumed, h.paused, checkpointDiff, "the checkpoints events of the run that resumed");
  },
);

check(
  {
    id: "STC-002",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM, HISTORY],
    spec: [
      MODE_WORDS("debug", "Stream detailed debug information."),
      { source: "streams", section: "debug x-decision", note: "type checkpoint with step and payload; what the payload names is not said in words: SHOULD" },
    ],
    title: "`debug` checkpoint events name each checkpoint with the parent and step the history gives it, in a resumed run too",
    requires: ["graph:interrupt"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const got = await runsIn(c, ["debug"]);
    byRun(c, got);
    const byId = new Map(got.history.map((h) => [h?.checkpoint?.checkpoint_id, h]));
    const seen = new Set<string>();
    for (const r of [got.first, got.resumed]) {
      for (const e of r.events.filter((x) => x.event === "debug" && x.data?.type === "checkpoint")) {
        const p = e.data.payload ?? {};
        const id = namedId(p);
        ensure(id !== undefined, `debug checkpoint event #${e.index} names no checkpoint (payload.checkpoint or payload.config.configurable.checkpoint_id): ${show(p)}`, r.res);
        const h = byId.get(id);
        ensure(h !== undefined, `debug checkpoint event #${e.index} names checkpoint ${id}, which the thread's history does not have`, r.res);
        const parent = p.parent_checkpoint?.checkpoint_id ?? p.parent_config?.configurable?.checkpoint_id ?? null;
        expectEqual(parent, h.parent_checkpoint?.checkpoint_id ?? null, `the parent debug checkpoint event #${e.index} gives checkpoint ${id} (vs its history entry's parent_checkpoint)`, r.res);
        expectEqual(e.data.step ?? p.metadata?.step, stepOf(h), `the step of debug checkpoint event #${e.index} (vs its history entry's metadata.step)`, r.res);
        seen.add(id);
      }
    }
    const missing = got.history.filter((h) => !seen.has(h?.checkpoint?.checkpoint_id));
    ensure(
      missing.length === 0,
      `${missing.length} checkpoint(s) of the history have no debug checkpoint event (first: step ${show(stepOf(missing[0]))}, ${missing[0]?.checkpoint?.checkpoint_id})`,
      got.resumed.res,
    );
  },
);

const isResult = (d: any) => d && typeof d === "object" && ("result" in d || "error" in d);

check(
  {
    id: "STC-003",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [MODE_WORDS("tasks", "Stream task start and finish events."), { source: "streams", section: "tasks", note: "a start has input and triggers; an end has result or error" }],
    title: "stream_mode tasks streams, for each task a run executes, one start and then one result",
    requires: ["graph:interrupt"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const got = await runsIn(c, ["tasks"]);
    for (const [what, r] of [
      ["the run that paused", got.first],
      ["the run that resumed", got.resumed],
    ] as const) {
      const tasks = r.events.filter((e) => e.event === "tasks");
      ensure(tasks.length > 0, `${what} streamed no tasks event`, r.res);
      const byTask = new Map<string, string[]>();
      for (const e of tasks) byTask.set(String(e.data?.id), [...(byTask.get(String(e.data?.id)) ?? []), isResult(e.data) ? "result" : "start"]);
      for (const [id, kinds] of byTask) {
        ensure(
          deepEqual(kinds, ["start", "result"]),
          `${what}: task ${id} (${tasks.find((e) => String(e.data?.id) === id)?.data?.name}) streamed ${kinds.join(", ")}, not one start then one result`,
          r.res,
        );
      }
    }
  },
);

check(
  {
    id: "STC-004",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM, HISTORY],
    spec: [
      MODE_WORDS("tasks", "Stream task start and finish events."),
      MODE_WORDS("checkpoints", "Stream checkpoints as they are created."),
      { source: "streams", section: "x-order tasks-between-checkpoints" },
    ],
    title: "With stream modes tasks and checkpoints, a task starts after the checkpoint that lists it and finishes before the next checkpoint",
    requires: ["graph:interrupt"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const got = await runsIn(c, ["tasks", "checkpoints"]);
    const h = byRun(c, got);
    for (const [what, r, made, from] of [
      ["the run that paused", got.first, h.first, undefined],
      ["the run that resumed", got.resumed, h.resumed, h.paused],
    ] as const) {
      // The checkpoints this run may stream: the one it resumes from, and those it makes.
      const entries: any[] = from === undefined ? [...made] : [from, ...made];
      const cps = r.events.filter((e) => e.event === "checkpoints").map((e) => ({ index: e.index, at: entries.findIndex((x) => checkpointDiff(e.data, x) === undefined) }));
      const unknown = cps.find((x) => x.at < 0);
      if (unknown) return c.skip(`${what}: checkpoints event #${unknown.index} is none of the checkpoints the run made (STC-001 judges that)`);
      for (const start of r.events.filter((e) => e.event === "tasks" && !isResult(e.data))) {
        const id = String(start.data?.id);
        const owner = entries.findIndex((x) => Array.isArray(x?.tasks) && x.tasks.some((t: any) => t?.id === id));
        if (owner < 0) continue; // a task no checkpoint lists: the history's tasks are judged elsewhere
        const before = cps.filter((x) => x.index < start.index).at(-1);
        ensure(
          before ? before.at === owner : from !== undefined && owner === 0,
          `${what}: task ${id} (${start.data?.name}) starts at event #${start.index}, ${before ? `after the checkpoint of step ${show(stepOf(entries[before.at]))}` : "before any checkpoint"}, not after the checkpoint that lists it (step ${show(stepOf(entries[owner]))})`,
          r.res,
        );
        const result = r.events.find((e) => e.event === "tasks" && isResult(e.data) && String(e.data?.id) === id && e.index > start.index);
        if (!result) continue; // STC-003 judges a missing result
        const next = cps.find((x) => x.index > start.index && x.at > owner);
        ensure(
          !next || result.index < next.index,
          `${what}: the result of task ${id} (${start.data?.name}) comes at event #${result.index}, after the next checkpoint (event #${next?.index}, step ${show(stepOf(entries[next?.at ?? 0]))})`,
          r.res,
        );
      }
    }
  },
);

const onlyInterrupt = (d: any) => d && typeof d === "object" && !Array.isArray(d) && Object.keys(d).length > 0 && Object.keys(d).every((k) => k === "__interrupt__");

check(
  {
    id: "STC-005",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM, HISTORY],
    spec: [
      MODE_WORDS("values", "Stream only the values."),
      { source: "streams", section: "values", note: "the whole state of the graph after a step; one per step is the guides' word, not the reference's: SHOULD" },
    ],
    title: "stream_mode values streams one event per step of a run, each the whole state the history holds for that step (also for a resumed run)",
    requires: ["graph:interrupt"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const got = await runsIn(c, ["values"]);
    const h = byRun(c, got);
    const diff = (d: any, x: any) => (deepEqual(d, x?.values) ? undefined : `${show(d)} ≠ ${show(x?.values)}`);
    const pick = (r: RunRead) => r.events.filter((e) => e.event === "values" && !onlyInterrupt(e.data));
    // The first run's input checkpoint (before any step) may or may not be streamed; the resumed run may start with the state it resumes.
    expectOnePerEntry(got.first.res, pick(got.first), h.first.slice(1), h.first[0], diff, "the values events of the run that paused");
    expectOnePerEntry(got.resumed.res, pick(got.resumed), h.resumed, h.paused, diff, "the values events of the run that resumed");
  },
);

check(
  {
    id: "STC-006",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [{ source: "streams", section: "metadata x-decision", note: "run_id, and attempt counted from 1 when present (the documents' examples show attempt 1)" }],
    title: "The `metadata` event of a run's first attempt, when it gives `attempt`, says 1",
    requires: ["graph:interrupt"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const got = await runsIn(c, ["values"]);
    for (const r of [got.first, got.resumed]) {
      const meta = r.events.find((e) => e.event === "metadata");
      ensure(meta !== undefined, "the stream carries no metadata event (STR-001 judges that)", r.res);
      if (meta.data && typeof meta.data === "object" && "attempt" in meta.data) expectEqual(meta.data.attempt, 1, `attempt in the metadata event of a run's first attempt`, r.res);
    }
  },
);

// ------------------------------------------------------------ a chat model run: messages, values, events

const CHAT_MODES = ["messages", "values", "events"];
const REPLY = REPLY_TOKENS.join("");

async function chatRun(c: CheckContext, modes: string[]): Promise<{ res: StreamResponse; accepted: boolean }> {
  const [assistantId, thread] = await Promise.all([assistantFor(c, "chat"), createThread(c)]);
  const res = await c.api.stream({ method: "POST", path: `/threads/${thread.thread_id}/runs/stream`, json: { assistant_id: assistantId, input: CHAT_INPUT, stream_mode: modes, metadata: c.tag() } });
  if (res.status !== 200 || !res.sse) return { res, accepted: false };
  expectStreamEnded(res as OpenedStream, `the stream of the chat run (stream_mode [${modes.join(", ")}])`);
  return { res, accepted: true };
}

const chat = scenario("the chat graph streamed in messages, values and events", (c) => chatRun(c, CHAT_MODES), streamTimeoutMs() + 20_000);

async function chatIn(c: CheckContext, modes: string[]): Promise<{ res: OpenedStream; all: Ev[] }> {
  let got = await chat(c);
  if (!got.accepted) {
    c.note(`the target refused stream_mode [${CHAT_MODES.join(", ")}] (${got.res.status}); this check streams [${modes.join(", ")}] alone`);
    got = await chatRun(c, modes);
  }
  if (!got.accepted) fail(`POST /threads/{thread_id}/runs/stream with stream_mode [${modes.join(", ")}] answered ${got.res.status}${got.res.sse ? "" : `, not an event stream`}`, got.res);
  const res = got.res as OpenedStream;
  return { res, all: events(res) };
}

/** The AI messages of `messages/partial` or `messages/complete` events, with the event's index. */
function aiMessages(all: Ev[], name: string): Array<{ index: number; m: any }> {
  return all.filter((e) => baseName(e.event) === name && Array.isArray(e.data)).flatMap((e) => e.data.filter((m: any) => /ai/i.test(String(m?.type))).map((m: any) => ({ index: e.index, m })));
}

check(
  {
    id: "STC-007",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      { source: "streams", section: "messages/partial", quote: "Messages being generated, each as accumulated so far" },
      { source: "streams", section: "messages/partial x-sources", note: "the JS SDK's MessagesPartialStreamEvent; the reference's words describe only complete messages: SHOULD" },
    ],
    title: "stream_mode messages: each `messages/partial` event of the model's reply carries the reply so far",
    requires: ["graph:chat"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res, all } = await chatIn(c, ["messages"]);
    const partials = aiMessages(all, "messages/partial");
    ensure(partials.length > 0, "the stream carries no messages/partial event of the model's reply", res);
    const sofar = REPLY_TOKENS.map((_, i) => REPLY_TOKENS.slice(0, i + 1).join(""));
    let last = -1;
    for (const { index, m } of partials) {
      const at = sofar.indexOf(typeof m.content === "string" ? m.content : "");
      ensure(
        at >= last,
        `messages/partial event #${index} carries ${show(m.content)}, not the reply so far (the running join of the model's tokens ${show(REPLY_TOKENS)}, never shorter than before)`,
        res,
      );
      last = at;
    }
    expectEqual(partials.at(-1)!.m.content, REPLY, "the content of the last messages/partial event (the whole reply)", res);
  },
);

check(
  {
    id: "STC-008",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [MODE_WORDS("messages", "Stream complete messages."), { source: "streams", section: "messages/complete", quote: "Messages that are complete" }],
    title: "stream_mode messages streams the model's reply complete in a `messages/complete` event, the same message as its last partial",
    requires: ["graph:chat"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res, all } = await chatIn(c, ["messages"]);
    const complete = aiMessages(all, "messages/complete");
    ensure(complete.length > 0, `the stream carries no messages/complete event with the model's reply; events: ${[...new Set(all.map((e) => e.event))].join(", ")}`, res);
    const reply = complete.find(({ m }) => m.content === REPLY);
    ensure(reply !== undefined, `no messages/complete event carries the whole reply ${show(REPLY)} (complete AI messages: ${complete.map(({ m }) => show(m.content)).join(", ")})`, res);
    const partial = aiMessages(all, "messages/partial").at(-1);
    if (partial) {
      expectEqual(reply.m.id, partial.m.id, "the id of the complete reply vs its last partial's", res);
      expectEqual(reply.m.content, partial.m.content, "the content of the complete reply vs its last partial's", res);
    }
  },
);

check(
  {
    id: "STC-009",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [MODE_WORDS("values", "Stream only the values."), { source: "api-ref", section: "RunCreateStateful.stream_mode", quote: "The stream mode(s) to use." }],
    title: "Mixed with stream_mode messages, stream_mode values still streams the whole state: the last values event holds the conversation with the model's reply",
    requires: ["graph:chat"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res, all } = await chatIn(c, ["messages", "values"]);
    ensure(
      all.some((e) => baseName(e.event).startsWith("messages")),
      "the stream carries no event of mode messages",
      res,
    );
    const last = all.filter((e) => e.event === "values").at(-1);
    ensure(last !== undefined, "the stream carries no values event", res);
    const msgs = Array.isArray(last.data?.messages) ? last.data.messages : [];
    expectEqual(
      msgs.map((m: any) => [
        String(m?.type)
          .replace(/Chunk$/, "")
          .toLowerCase()
          .replace(/message$/, ""),
        m?.content,
      ]),
      [
        ["human", CHAT_INPUT.messages[0]!.content],
        ["ai", REPLY],
      ],
      `the messages of the last values event (#${last.index}), as [type, content]`,
      res,
    );
  },
);

check(
  {
    id: "STC-010",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      MODE_WORDS("events", "Stream events occurring during execution."),
      { source: "streams", section: "events", note: "events as LangChain's astream_events reports them; which kinds is not said in the reference's words: SHOULD" },
    ],
    title: "stream_mode events streams the callback events of the run: the graph's chain start and end, and the chat model's start, tokens and end",
    requires: ["graph:chat"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res, all } = await chatIn(c, ["events"]);
    const kinds = all.filter((e) => e.event === "events").map((e) => String(e.data?.event));
    for (const k of ["on_chain_start", "on_chat_model_start", "on_chat_model_stream", "on_chat_model_end", "on_chain_end"]) {
      ensure(kinds.includes(k), `the events stream carries no '${k}' event; it carries ${[...new Set(kinds)].join(", ") || "none"}`, res);
    }
    ensure(
      kinds.indexOf("on_chat_model_start") < kinds.indexOf("on_chat_model_stream") && kinds.lastIndexOf("on_chat_model_stream") < kinds.indexOf("on_chat_model_end"),
      `the chat model's events are out of order: ${kinds.join(", ")}`,
      res,
    );
    ensure(
      kinds.indexOf("on_chain_start") < kinds.indexOf("on_chat_model_start") && kinds.lastIndexOf("on_chain_end") > kinds.indexOf("on_chat_model_end"),
      `the chain's start and end do not enclose the chat model's events: ${kinds.join(", ")}`,
      res,
    );
  },
);

check(
  {
    id: "STC-011",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      { source: "streams", section: "messages", quote: "A chunk of a chat message being generated, with its metadata (mode `messages-tuple`)" },
      {
        source: "contract",
        section: "messages-tuple",
        note: "the official servers also stream, as a pair, a message a node returns that no model generated (LangGraph's messages stream mode); no document says it in words: SHOULD",
      },
    ],
    title: "stream_mode messages-tuple also streams a message a node returns that no model generated",
    requires: ["graph:nested"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const [assistantId, thread] = await Promise.all([assistantFor(c, "nested"), createThread(c)]);
    // The run pauses in its subgraph after the node `prepare` has returned its message.
    const res = await c.api.stream({
      method: "POST",
      path: `/threads/${thread.thread_id}/runs/stream`,
      json: { assistant_id: assistantId, input: { value: "tuple" }, stream_mode: ["messages-tuple"], metadata: c.tag() },
    });
    ensure(res.status === 200 && res.sse, `the stream with stream_mode [messages-tuple] answered ${res.status}`, res);
    expectStreamEnded(res as OpenedStream, "the stream of the run of 'nested'");
    const pairs = events(res as OpenedStream).filter((e) => baseName(e.event) === "messages" && Array.isArray(e.data));
    const mine = pairs.find((e) => e.data[0]?.id === PREPARED_MESSAGE.id);
    ensure(mine !== undefined, `no messages event carries the message the node 'prepare' returned (id ${PREPARED_MESSAGE.id}); messages events: ${pairs.length}`, res);
    expectEqual(mine.data[0]?.content, PREPARED_MESSAGE.content, "the content of the node's message in its messages event", res);
  },
);
