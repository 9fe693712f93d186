// What the stream checks share: starting a run that streams, and reading a
// stream's events against the stream contract's table of modes.

import type { CheckContext } from "../../harness/check";
import { ensure, fail } from "../../harness/expect";
import type { StreamOptions } from "../../harness/http";
import type { SseEvent } from "../../harness/sse";
import { loadStreams } from "../../harness/streams";
import { assistantFor, createThread, expectStreamEnded, openStreamWith, parseEventData, type FixtureGraph, type OpenedStream } from "../_support/runs";

export const CHAT_INPUT = { messages: [{ type: "human", content: "Say hello." }] };

/** The events every run stream may carry, whatever its modes (streams.yaml x-stream-modes every-stream). */
export function everyStreamEvents(): string[] {
  return [...(loadStreams().modes["every-stream"] ?? [])];
}

/** The base names of the events a stream mode produces (streams.yaml x-stream-modes). */
export function eventsOfMode(mode: string): string[] {
  const names = loadStreams().modes[mode];
  if (!names) throw new Error(`streams.yaml names no events for stream mode '${mode}'`);
  return [...names];
}

export function baseName(event: string): string {
  return event.split("|")[0]!;
}

export function namespaceOf(event: string): string[] {
  return event.split("|").slice(1);
}

/** The events of a stream with their data read as JSON (undefined where it is not JSON). */
export function events(res: OpenedStream): Array<{ event: string; data: any; id?: string; index: number }> {
  return res.sse.events.map((e: SseEvent) => {
    const d = parseEventData(e.data);
    return { event: e.event, data: d.ok ? d.value : undefined, ...(e.id !== undefined ? { id: e.id } : {}), index: e.index };
  });
}

function counts(names: string[]): string {
  const m = new Map<string, number>();
  for (const n of names) m.set(n, (m.get(n) ?? 0) + 1);
  return [...m].map(([n, k]) => `${n}×${k}`).join(", ") || "none";
}

/** Only events of the requested modes (and of every stream) arrive. */
function expectOnlyModes(res: OpenedStream, modes: string[], what: string): void {
  const allowed = new Set([...modes.flatMap(eventsOfMode), ...everyStreamEvents()]);
  const extra = res.sse.events.filter((e) => !allowed.has(baseName(e.event)));
  if (extra.length > 0) {
    // The cause is the event that should not be there, whichever stream and modes met it.
    const first = baseName(extra[0]!.event);
    fail(
      `${what} carries events of modes that were not requested: ${counts(extra.map((e) => e.event.split("|")[0]!))} (first: #${extra[0]!.index} '${extra[0]!.event}'); requested ${modes.join(", ")}, which give ${[...allowed].join(", ")}`,
      res,
      { cause: { signature: `streams carry unrequested ${first} events`, title: `Streams carry '${first}' events although no requested stream mode produces them` } },
    );
  }
}

/** Each requested mode produced at least one of its events. */
function expectEachMode(res: OpenedStream, modes: string[], what: string): void {
  const seen = new Set(res.sse.events.map((e) => baseName(e.event)));
  const silent = modes.filter((m) => !eventsOfMode(m).some((n) => seen.has(n)));
  if (silent.length > 0) {
    fail(`${what} carries no event of ${silent.map((m) => `mode '${m}' (${eventsOfMode(m).join(" or ")})`).join(", ")}; it carried ${counts(res.sse.events.map((e) => e.event))}`, res, {
      cause: { signature: `streams lack events of mode ${silent[0]}`, title: `Streams of stream_mode '${silent[0]}' carry none of its events` },
    });
  }
}

/**
 * The stream carries exactly the requested modes: each produced at least one
 * of its events (judged first), and no other mode's events arrive.
 */
export function expectExactlyModes(res: OpenedStream, modes: string[], what: string): void {
  expectEachMode(res, modes, what);
  expectOnlyModes(res, modes, what);
}

export interface StartedStream {
  res: OpenedStream;
  threadId: string;
  assistantId: string;
}

/** Creates an assistant of `graph` and a thread, and streams a run (POST /threads/{thread_id}/runs/stream). */
export async function streamThreadRun(c: CheckContext, graph: FixtureGraph, body: Record<string, unknown>, opts: StreamOptions & { requireEnd?: boolean } = {}): Promise<StartedStream> {
  const [assistantId, thread] = await Promise.all([assistantFor(c, graph), createThread(c)]);
  const threadId = thread.thread_id as string;
  const { requireEnd = true, ...streamOpts } = opts;
  const res = await openStreamWith(c, { method: "POST", path: `/threads/${threadId}/runs/stream`, json: { assistant_id: assistantId, ...body, metadata: c.tag() } }, streamOpts);
  if (requireEnd) expectStreamEnded(res, `the stream of the run of '${graph}'`);
  return { res, threadId, assistantId };
}

/** Creates an assistant of `graph` and streams a stateless run (POST /runs/stream). */
export async function streamStatelessRun(c: CheckContext, graph: FixtureGraph, body: Record<string, unknown>): Promise<{ res: OpenedStream; assistantId: string }> {
  const assistantId = await assistantFor(c, graph);
  const res = await openStreamWith(c, { method: "POST", path: "/runs/stream", json: { assistant_id: assistantId, ...body, metadata: c.tag() } }, {});
  expectStreamEnded(res, `the stream of the stateless run of '${graph}'`);
  return { res, assistantId };
}

/** The run id of the stream's metadata event. */
export function metadataRunId(res: OpenedStream): string {
  const meta = events(res).find((e) => e.event === "metadata");
  ensure(meta !== undefined, "the stream carries no metadata event, so the run it streams is unknown", res);
  ensure(typeof meta.data?.run_id === "string", `the metadata event carries no run_id: ${JSON.stringify(meta.data)}`, res);
  return meta.data.run_id as string;
}

/** Creates a background run (POST /threads/{thread_id}/runs) and returns its id. */
export async function startBackgroundRun(c: CheckContext, threadId: string, assistantId: string, body: Record<string, unknown>): Promise<string> {
  const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, ...body, metadata: c.tag() });
  ensure(res.status === 200, `POST /threads/{thread_id}/runs answered ${res.status} creating the background run the check needs: ${res.text.slice(0, 200)}`, res);
  const runId = res.json?.run_id;
  ensure(typeof runId === "string", "the created run has no run_id", res);
  return runId;
}
