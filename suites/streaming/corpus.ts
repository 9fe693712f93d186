// The corpus the SSE framing checks judge: one stream of every kind the API
// answers with (thread runs in several modes and graphs, subgraphs, an error, an
// interrupt, stateless runs, joining a running run, replaying a resumable run,
// and the thread stream when the target offers it), read once, raw bytes kept.
// Each framing check then judges one rule over the whole corpus.
//
// The corpus is read with the contract's wire judgement turned off
// (validate: false): its content type and events are judged by the framing
// checks themselves (SSE-001, SSE-007), rule by rule, so that one broken rule
// fails its own check and not every check that shares the corpus.

import { canonicalData } from "../../harness/sse";
import { scenario, type CheckContext } from "../../harness/check";
import { ensure, expectJsonObject, expectStatus } from "../../harness/expect";
import type { HttpRequest, StreamResponse } from "../../harness/http";
import { loadStreams } from "../../harness/streams";
import { assistantFor, createThread, pollRun, streamTimeoutMs, type FixtureGraph } from "../_support/runs";

export const STREAM_OPERATIONS = ["POST /threads/{thread_id}/runs/stream", "POST /runs/stream", "GET /threads/{thread_id}/runs/{run_id}/stream", "GET /threads/{thread_id}/stream"];

export interface CorpusStream {
  /** What the stream is, for messages: the operation and what was asked. */
  name: string;
  operation: string;
  /** `run` streams end when their run ends; the `thread` stream stays open. */
  kind: "run" | "thread";
  res: StreamResponse;
  contentType: string;
  raw: Uint8Array;
  /** The bytes are the whole stream: the server ended it (not our bounds). */
  complete: boolean;
}

export interface Corpus {
  streams: CorpusStream[];
  /** Kinds of stream the target did not give, with why (the checks note them). */
  missing: string[];
}

const enc = new TextEncoder();

/** Longer than a heartbeat interval of 15 s (WHATWG HTML 9.2.7), so that the corpus meets a heartbeat. */
const QUIET_MS = 16_000;

const CHAT_INPUT = { messages: [{ type: "human", content: "Say hello." }] };

interface Plan {
  name: string;
  graph: FixtureGraph;
  stateless?: boolean;
  body: Record<string, unknown>;
}

const RUN_PLANS: Plan[] = [
  { name: "thread run of 'echo', stream_mode values+updates", graph: "echo", body: { input: { value: "corpus" }, stream_mode: ["values", "updates"] } },
  { name: "thread run of 'chat', stream_mode messages-tuple+messages", graph: "chat", body: { input: CHAT_INPUT, stream_mode: ["messages-tuple", "messages"] } },
  {
    name: "thread run of 'slow', stream_mode custom+debug+tasks+checkpoints+events",
    graph: "slow",
    body: { input: { value: "corpus", sleep_ms: 300 }, stream_mode: ["custom", "debug", "tasks", "checkpoints", "events"] },
  },
  {
    name: "thread run of 'subgraph' with stream_subgraphs, stream_mode values+updates+debug",
    graph: "subgraph",
    body: { input: { value: "corpus" }, stream_mode: ["values", "updates", "debug"], stream_subgraphs: true },
  },
  { name: "thread run of 'error' (a failing node), stream_mode values+updates+tasks", graph: "error", body: { input: { value: "corpus" }, stream_mode: ["values", "updates", "tasks"] } },
  { name: "thread run of 'interrupt' (an interrupt), stream_mode values+updates", graph: "interrupt", body: { input: { value: "corpus" }, stream_mode: ["values", "updates"] } },
  { name: "stateless run of 'echo', stream_mode values+updates+tasks", graph: "echo", stateless: true, body: { input: { value: "corpus" }, stream_mode: ["values", "updates", "tasks"] } },
  { name: "stateless run of 'chat', stream_mode messages-tuple", graph: "chat", stateless: true, body: { input: CHAT_INPUT, stream_mode: ["messages-tuple"] } },
  // Quiet for longer than the interval the standard suggests for heartbeats ("every 15 seconds
  // or so"): a server that sends them sends one here, where SSE-010 judges its form.
  { name: `thread run of 'slow' quiet for ${QUIET_MS / 1000} s, stream_mode values`, graph: "slow", body: { input: { value: "corpus", sleep_ms: QUIET_MS }, stream_mode: ["values"] } },
];

/** Reads one stream for the corpus: recorded as evidence, judged by the framing checks, not here. */
async function read(c: CheckContext, req: HttpRequest, opts: Parameters<CheckContext["api"]["stream"]>[1] = {}): Promise<StreamResponse> {
  return c.api.stream(req, { ...opts, validate: false });
}

function entry(name: string, operation: string, kind: CorpusStream["kind"], res: StreamResponse): CorpusStream {
  const contentType = res.headers["content-type"] ?? "";
  if (res.sse) return { name, operation, kind, res, contentType, raw: res.sse.raw, complete: res.sse.end === "eof" && !res.sse.error };
  // Not an event stream by its media type: its bytes are still what a client got.
  return { name, operation, kind, res, contentType, raw: enc.encode(res.text), complete: true };
}

export const framingCorpus = scenario(
  "sse-corpus",
  async (c): Promise<Corpus> => {
    const missing: string[] = [];
    // Resources first, streams last: the evidence keeps the last exchanges of a long setup.
    const graphs = [...new Set<FixtureGraph>([...RUN_PLANS.map((p) => p.graph), "slow", "echo"])];
    const assistants = Object.fromEntries(await Promise.all(graphs.map(async (g) => [g, await assistantFor(c, g)] as const))) as Record<FixtureGraph, string>;
    const threads = await Promise.all(Array.from({ length: RUN_PLANS.filter((p) => !p.stateless).length + 3 }, () => createThread(c)));
    const threadIds = threads.map((t) => t.thread_id as string);
    const nextThread = () => threadIds.shift()!;

    const runStreams = RUN_PLANS.map(async (p) => {
      const path = p.stateless ? "/runs/stream" : `/threads/${nextThread()}/runs/stream`;
      const operation = p.stateless ? "POST /runs/stream" : "POST /threads/{thread_id}/runs/stream";
      const res = await read(c, { method: "POST", path, json: { assistant_id: assistants[p.graph], ...p.body, metadata: c.tag() } });
      return { name: `${operation}: ${p.name}`, operation, kind: "run" as const, res };
    });

    // Joining a run that is running: a background run of 'slow', joined at once.
    const joinThread = nextThread();
    const joinStream = (async () => {
      const created = await c.api.post(`/threads/${joinThread}/runs`, {
        assistant_id: assistants.slow,
        input: { value: "corpus", sleep_ms: 1200 },
        stream_mode: ["values", "custom"],
        metadata: c.tag(),
      });
      expectStatus(created, 200, "creating the background run the corpus joins");
      const runId = expectJsonObject(created).run_id;
      ensure(typeof runId === "string", "the created run has no run_id", created);
      const operation = "GET /threads/{thread_id}/runs/{run_id}/stream";
      const res = await read(c, { method: "GET", path: `/threads/${joinThread}/runs/${runId}/stream` });
      return { name: `${operation}: joining a running run of 'slow' (values+custom)`, operation, kind: "run" as const, res };
    })();

    // A resumable run, read in full, then replayed from its start with Last-Event-ID -1.
    const resumableThread = nextThread();
    const resumable = (async () => {
      const operation = "POST /threads/{thread_id}/runs/stream";
      const first = await read(c, {
        method: "POST",
        path: `/threads/${resumableThread}/runs/stream`,
        json: { assistant_id: assistants.echo, input: { value: "corpus" }, stream_mode: ["values", "updates"], stream_resumable: true, metadata: c.tag() },
      });
      const out = [{ name: `${operation}: thread run of 'echo' with stream_resumable, values+updates`, operation, kind: "run" as const, res: first }];
      const runId = runIdOf(first);
      if (typeof runId !== "string") {
        missing.push("the replay of a resumable run (its stream gave no run id in a metadata event)");
        return out;
      }
      await pollRun(c, resumableThread, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
      const replay = await read(c, { method: "GET", path: `/threads/${resumableThread}/runs/${runId}/stream`, headers: { "last-event-id": "-1" } });
      out.push({
        name: "GET /threads/{thread_id}/runs/{run_id}/stream: replay of the resumable run with Last-Event-ID -1",
        operation: "GET /threads/{thread_id}/runs/{run_id}/stream",
        kind: "run" as const,
        res: replay,
      });
      return out;
    })();

    // The thread stream stays open: read it while a run executes on the thread, then stop.
    const streamThread = nextThread();
    const threadStream = (async () => {
      const stop = new AbortController();
      let run: Promise<unknown> | undefined;
      const res = await read(
        c,
        { method: "GET", path: `/threads/${streamThread}/stream` },
        {
          stop: stop.signal,
          limits: { timeoutMs: streamTimeoutMs(), idleMs: Math.min(10_000, streamTimeoutMs()) },
          onHeaders: (status) => {
            if (status !== 200) return;
            run = (async () => {
              const created = await c.api.post(`/threads/${streamThread}/runs`, { assistant_id: assistants.echo, input: { value: "corpus" }, stream_mode: ["values"], metadata: c.tag() });
              const runId = created.json?.run_id;
              if (typeof runId === "string") await pollRun(c, streamThread, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
            })().catch(() => undefined);
          },
          // The run is over when its final values arrive, or a run_done / end event.
          onEvent: (ev) => (ev.event === "run_done" || ev.event === "end" || (ev.event.startsWith("values") && canonicalData(ev.data).includes('"second"')) ? "stop" : undefined),
        },
      );
      await run;
      if (res.status !== 200) {
        missing.push(`the thread stream (GET /threads/{thread_id}/stream answered ${res.status})`);
        return [];
      }
      return [{ name: "GET /threads/{thread_id}/stream: the thread's stream while a run of 'echo' executes", operation: "GET /threads/{thread_id}/stream", res, kind: "thread" as const }];
    })();

    // Each part is awaited below, in turn: a handler now keeps a part that fails
    // while an earlier one is still awaited from being an unhandled rejection
    // (a harness error) instead of the check's failure.
    for (const part of [joinStream, resumable, threadStream]) part.catch(() => undefined);
    const got = [...(await Promise.all(runStreams)), await joinStream, ...(await resumable), ...(await threadStream)];
    const streams: CorpusStream[] = [];
    for (const g of got) {
      if (g.res.status < 200 || g.res.status >= 300) {
        missing.push(`${g.name} (answered ${g.res.status})`);
        continue;
      }
      streams.push(entry(g.name, g.operation, g.kind, g.res));
    }
    return { streams, missing };
  },
  // Streams are read concurrently, the replay after its run: two stream bounds, and the requests.
  2 * streamTimeoutMs() + 30_000,
);

/** Is `name` an event the stream contract defines for streams of this kind? */
export function knownEventOf(kind: CorpusStream["kind"], operation: string): (name: string) => boolean {
  const streams = loadStreams();
  const op = streams.operations[operation];
  return (name) => {
    if (op?.otherNames) return true;
    const spec = streams.events.get(streams.parseName(name).base);
    return spec !== undefined && spec.streams.includes(kind);
  };
}

/** The run id the stream's metadata event names, if any. */
function runIdOf(res: StreamResponse): string | undefined {
  const meta = res.sse?.events.find((e) => e.event === "metadata");
  if (!meta) return undefined;
  try {
    const id = JSON.parse(meta.data)?.run_id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
