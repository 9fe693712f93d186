// Threads, runs and streams for the suites that need a graph to run: bounded
// waits that record what they saw (so that a failure shows the statuses and
// when they came), and a shared assistant per fixture graph.

import type { CheckContext } from "../../harness/check";
import { settleRuns } from "../../harness/cleanup";
import { ensure, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import { createApi, newRecorder, type HttpRequest, type HttpResponse, type StreamOptions, type StreamResponse } from "../../harness/http";
import { runContext } from "../../harness/run-context";
import type { OnSseEvent, SseLimits } from "../../harness/sse";

/** The fixture graphs (fixtures/langgraph.json) by what the checks use them for. */
export const GRAPH = {
  echo: "echo",
  slow: "slow",
  chat: "chat",
  interrupt: "interrupt",
  subgraph: "subgraph",
  error: "error",
  runtime: "runtime",
  nested: "nested",
} as const;
export type FixtureGraph = keyof typeof GRAPH;

/** Run statuses after which a run does nothing more. */
export const TERMINAL_RUN_STATUSES = ["success", "error", "timeout", "interrupted"];

export async function createThread(c: CheckContext, body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  if (typeof body.thread_id === "string") c.created.thread(body.thread_id);
  const res = await c.api.post("/threads", { ...body, metadata: { ...c.tag(), ...((body.metadata as object) ?? {}) } });
  expectStatus(res, 200, "creating a thread the check needs");
  const t = expectJsonObject(res);
  if (typeof t.thread_id === "string") c.created.thread(t.thread_id);
  return t;
}

/**
 * An assistant of a fixture graph, created for the check (tagged, deleted after
 * it). Checks use an assistant_id rather than a graph id so that they do not
 * depend on graph ids being accepted where assistant ids are (a check of its own).
 */
export async function assistantFor(c: CheckContext, graph: FixtureGraph, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await c.api.post("/assistants", { graph_id: GRAPH[graph], ...extra, metadata: { ...c.tag(), ...((extra.metadata as object) ?? {}) } });
  expectStatus(res, 200, `creating an assistant of the fixture graph '${graph}'`);
  const id = expectJsonObject(res).assistant_id;
  ensure(typeof id === "string", "the created assistant has no assistant_id", res);
  c.created.assistant(id);
  return id;
}

export interface Observed {
  status: string | undefined;
  /** Milliseconds since the wait began. */
  atMs: number;
}

/**
 * Polls a run until `until` holds, bounded in time. Returns every status seen
 * (with when), which goes into the evidence when a check fails on it.
 */
export async function pollRun(
  c: CheckContext,
  threadId: string,
  runId: string,
  until: (run: Record<string, any>) => boolean = (r) => TERMINAL_RUN_STATUSES.includes(r.status),
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<{ run: Record<string, any>; seen: Observed[] }> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const interval = opts.intervalMs ?? 100;
  const t0 = performance.now();
  const seen: Observed[] = [];
  for (;;) {
    const res = await c.api.get(`/threads/${threadId}/runs/${runId}`);
    expectStatus(res, 200, "reading the run while waiting for it");
    const run = expectJsonObject(res);
    const atMs = Math.round(performance.now() - t0);
    if (seen.at(-1)?.status !== run.status) seen.push({ status: run.status, atMs });
    if (until(run)) return { run, seen };
    if (performance.now() - t0 > timeoutMs) {
      c.note(`statuses seen: ${seen.map((s) => `${s.status}@${s.atMs}ms`).join(" → ")}`);
      fail(`run ${runId} did not reach ${opts.what ?? "the awaited state"} within ${timeoutMs} ms (last status '${run.status}')`, res);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Polls a thread until `until` holds (its status, typically), bounded in time. */
export async function pollThread(
  c: CheckContext,
  threadId: string,
  until: (thread: Record<string, any>) => boolean,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<{ thread: Record<string, any>; seen: Observed[] }> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const t0 = performance.now();
  const seen: Observed[] = [];
  for (;;) {
    const res = await c.api.get(`/threads/${threadId}`);
    expectStatus(res, 200, "reading the thread while waiting for it");
    const thread = expectJsonObject(res);
    const atMs = Math.round(performance.now() - t0);
    if (seen.at(-1)?.status !== thread.status) seen.push({ status: thread.status, atMs });
    if (until(thread)) return { thread, seen };
    if (performance.now() - t0 > timeoutMs) {
      c.note(`thread statuses seen: ${seen.map((s) => `${s.status}@${s.atMs}ms`).join(" → ")}`);
      fail(`thread ${threadId} did not reach ${opts.what ?? "the awaited state"} within ${timeoutMs} ms (last status '${thread.status}')`, res);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

export type OpenedStream = StreamResponse & { sse: NonNullable<StreamResponse["sse"]> };

/** Opens a stream and requires it to be one (2xx, text/event-stream). */
export async function openStream(c: CheckContext, req: HttpRequest, limits?: Partial<SseLimits>, onEvent?: OnSseEvent): Promise<OpenedStream> {
  return openStreamWith(c, req, { ...(limits ? { limits } : {}), ...(onEvent ? { onEvent } : {}) });
}

/** openStream with every option of api.stream (onHeaders, stop, share, ...). */
export async function openStreamWith(c: CheckContext, req: HttpRequest, opts: StreamOptions): Promise<OpenedStream> {
  const res = await c.api.stream(req, opts);
  expectStatus(res, 200, "opening the stream");
  if (!res.sse) fail(`${req.method} ${req.path} answered ${res.status} with Content-Type '${res.headers["content-type"] ?? "(none)"}', not an event stream`, res);
  return res as OpenedStream;
}

/** The time limit of one stream read (--stream-timeout-ms): a stream that runs past it fails, never hangs. */
export function streamTimeoutMs(): number {
  return runContext().target.streamTimeoutMs;
}

/**
 * A check's own time limit when it reads `streams` streams one after another
 * (each bounded by the stream time limit) and makes a few requests besides, so
 * that a stream at its bound is reported as such, with its transcript, before
 * the check's deadline cuts it short.
 */
export function streamCheckTimeout(streams = 1): number {
  const ctx = runContext();
  return streams * ctx.target.streamTimeoutMs + 4 * ctx.target.requestTimeoutMs + 5_000;
}

const END_REASONS: Record<string, string> = {
  timeout: "it was still open when the stream time limit ran out",
  idle: "nothing arrived for too long (it stalled)",
  "max-events": "it sent more events than the reader takes",
  "max-bytes": "it sent more bytes than the reader takes",
  stopped: "the reader stopped it",
  error: "the connection failed",
};

/** Why a stream ended, in words: one of the reader's bounds, the reader's stop, a failed connection, or the end as it is named. */
export const streamEndReason = (end: string): string => END_REASONS[end] ?? end;

/** The server ended the stream (EOF), as a run stream ends when its run ends; not one of the reader's bounds. */
export function expectStreamEnded(res: OpenedStream, what = "the run stream"): void {
  const s = res.sse;
  if (s.end === "eof") return;
  const why = streamEndReason(s.end);
  fail(
    `${what} did not end: ${why} (${s.events.length} events, ${s.bytes} bytes in ${s.durationMs} ms${s.error ? `; ${s.error}` : ""}); the last event was ${s.events.at(-1) ? `'${s.events.at(-1)!.event}'` : "none"}`,
    res,
  );
}

/** The run id of a Content-Location (`.../runs/{run_id}`), or undefined. */
export function runIdFromLocation(location: string | undefined): string | undefined {
  if (!location) return undefined;
  let path = location;
  try {
    path = new URL(location, "http://x").pathname;
  } catch {
    /* keep it as given */
  }
  return /\/runs\/([^/?#]+)\/?$/.exec(path)?.[1];
}

/** An event's data read as the contract reads it: JSON, with empty or white-space data as null. */
export function parseEventData(data: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (/^[\t\n\r ]*$/.test(data)) return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(data) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** The JSON data of each event, or undefined where it is not JSON. */
export function eventData(res: { sse: NonNullable<StreamResponse["sse"]> }): Array<{ event: string; data: any }> {
  return res.sse.events.map((e) => {
    try {
      return { event: e.event, data: JSON.parse(e.data) };
    } catch {
      return { event: e.event, data: undefined };
    }
  });
}

// ---------------------------------------------------------------- run lifecycle

/** How long a run of the slow graph takes when a check needs to see it running. */
export const SLOW_RUN_MS = 2500;

export const isTerminalRunStatus = (status: unknown): boolean => typeof status === "string" && TERMINAL_RUN_STATUSES.includes(status);

/**
 * The moves a run's status may make, read from the contract's RunStatus:
 * pending (waiting to start) → running → an end (success, error, timeout,
 * interrupted); a pending run may also end without running (cancelled). An
 * ended run does not move again.
 */
export const RUN_STATUS_MOVES: Readonly<Record<string, readonly string[]>> = {
  pending: ["running", ...TERMINAL_RUN_STATUSES],
  running: [...TERMINAL_RUN_STATUSES],
  ...Object.fromEntries(TERMINAL_RUN_STATUSES.map((s) => [s, []])),
};

/** The first move in `seen` the contract does not allow, if any. */
export function firstIllegalMove(seen: ReadonlyArray<{ status: unknown }>): { from: unknown; to: unknown } | undefined {
  for (let i = 1; i < seen.length; i++) {
    const from = seen[i - 1]!.status;
    const to = seen[i]!.status;
    if (from === to) continue;
    const allowed = typeof from === "string" ? RUN_STATUS_MOVES[from] : undefined;
    if (!allowed || typeof to !== "string" || !allowed.includes(to)) return { from, to };
  }
  return undefined;
}

/** `pending@0ms → running@120ms → success@2700ms`, for messages and notes. */
export const describeSeen = (seen: ReadonlyArray<Observed>): string => seen.map((s) => `${s.status}@${s.atMs}ms`).join(" → ");

/**
 * Creates a background run on a thread (POST /threads/{thread_id}/runs) that
 * the check needs, tagged with the check's metadata; returns the run.
 */
export async function createRun(c: CheckContext, threadId: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await c.api.post(`/threads/${threadId}/runs`, { ...body, metadata: { ...c.tag(), ...((body.metadata as object) ?? {}) } });
  expectStatus(res, 200, "creating a run the check needs");
  const run = expectJsonObject(res);
  ensure(typeof run.run_id === "string", "the created run has no run_id", res);
  return run;
}

/**
 * Polls `path` until it answers 404 (a resource being deleted), bounded in
 * time. Returns the statuses seen; fails with them when it does not go.
 */
export async function pollGone(c: CheckContext, path: string, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<{ seen: Array<{ status: number; atMs: number }> }> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const t0 = performance.now();
  const seen: Array<{ status: number; atMs: number }> = [];
  for (;;) {
    const res = await c.api.get(path);
    const atMs = Math.round(performance.now() - t0);
    if (seen.at(-1)?.status !== res.status) seen.push({ status: res.status, atMs });
    if (res.status === 404) return { seen };
    if (performance.now() - t0 > timeoutMs) {
      c.note(`answers seen: ${seen.map((s) => `${s.status}@${s.atMs}ms`).join(" → ")}`);
      fail(`GET ${path} still answers ${res.status} ${timeoutMs} ms later; ${opts.what ?? "it was to be deleted"}`, res);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

/**
 * The path of a Content-Location value (absolute URL, or a reference relative
 * to the server's URL), or undefined when it is not a URL reference at all.
 */
export function locationPath(value: string, targetUrl: string): string | undefined {
  try {
    const base = targetUrl.endsWith("/") ? targetUrl : `${targetUrl}/`;
    // "/threads/..." is taken relative to the server's URL (which may have a base path).
    const ref = value.startsWith("/") && !value.startsWith("//") ? value.slice(1) : value;
    return new URL(ref, base).pathname;
  } catch {
    return undefined;
  }
}

/** A run-creating answer carries Content-Location (SHOULD: no document marks it required). */
export function expectLocationPresent(res: HttpResponse | StreamResponse): void {
  ensure(res.headers["content-location"] !== undefined, "the answer has no Content-Location header", res);
}

/**
 * The Content-Location of a run-creating answer names the run: its path ends in
 * /threads/{thread_id}/runs/{run_id} (thread runs) or /runs/{run_id}, with or
 * without the thread part (stateless runs). Skips, with the reason, when the
 * header is absent: its presence is a check of its own (SHOULD).
 */
export function expectLocationNamesRun(c: CheckContext, res: HttpResponse | StreamResponse, run: { threadId?: string; runId: string; stateless?: boolean }): void {
  const value = res.headers["content-location"];
  if (value === undefined) c.skip("the answer has no Content-Location (its presence is checked apart, at SHOULD)");
  const path = locationPath(value, c.run.target.url);
  ensure(path !== undefined, `Content-Location '${value}' is not a URL reference`, res);
  const m = /\/(?:threads\/([^/]+)\/)?runs\/([^/]+)\/?$/.exec(path);
  ensure(m, `Content-Location '${value}' does not end in ${run.stateless ? "/runs/{run_id}" : "/threads/{thread_id}/runs/{run_id}"}`, res);
  const [, threadPart, runPart] = m;
  ensure(decodeURIComponent(runPart!) === run.runId, `Content-Location '${value}' names run ${runPart}, not the created run ${run.runId}`, res);
  if (!run.stateless) ensure(threadPart !== undefined, `Content-Location '${value}' has no /threads/{thread_id} part`, res);
  if (threadPart !== undefined && run.threadId !== undefined) {
    ensure(decodeURIComponent(threadPart) === run.threadId, `Content-Location '${value}' names thread ${threadPart}, not the run's thread ${run.threadId}`, res);
  }
}

/** What the `error` fixture graph raises (fixtures/graphs/error.ts, ERROR_MESSAGE). */
export const FIXTURE_ERROR_TEXT = "fixture: deliberate failure in node explode";

/**
 * The output of a run that failed (wait, join) holds the error as the contract's
 * RunOutput says: `__error__` with `error` and `message` strings, the message
 * carrying what the graph raised, so that a client can show it.
 */
export function expectReadableError(out: Record<string, any>, res: HttpResponse | StreamResponse): void {
  const e = out.__error__;
  ensure(e !== null && typeof e === "object" && !Array.isArray(e), `the output of a failed run has no __error__ object: ${JSON.stringify(out).slice(0, 300)}`, res);
  ensure(typeof e.error === "string" && typeof e.message === "string", `__error__ lacks the strings error and message: ${JSON.stringify(e).slice(0, 300)}`, res);
  ensure(e.message.includes(FIXTURE_ERROR_TEXT), `__error__.message does not carry what the graph raised ('${FIXTURE_ERROR_TEXT}'): ${JSON.stringify(e.message).slice(0, 300)}`, res);
}

/**
 * Runs a graph on a thread to its end (POST /threads/{thread_id}/runs/wait), so
 * that the thread has state and history; answers the run's output.
 */
export async function runToEnd(c: CheckContext, threadId: string, assistantId: string, input: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await c.api.post(`/threads/${threadId}/runs/wait`, { assistant_id: assistantId, input, ...extra }, { timeoutMs: 60_000 });
  expectStatus(res, 200, "running a fixture graph on the thread to give it state and history");
  return res.json;
}

/**
 * Waits (bounded) until the thread no longer reads busy: a thread's status may
 * trail its run's by a moment.
 */
export async function untilNotBusy(c: CheckContext, threadId: string): Promise<Record<string, any>> {
  return (await pollThread(c, threadId, (t) => t.status !== "busy", { timeoutMs: 10_000, what: "a status other than busy" })).thread;
}

/** A background run on a thread, polled to its end, then the thread until it no longer reads busy; answers the run. */
export async function runInBackground(c: CheckContext, threadId: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const created = await createRun(c, threadId, body);
  const { run } = await pollRun(c, threadId, created.run_id, undefined, { timeoutMs: 30_000, what: "its end" });
  await untilNotBusy(c, threadId);
  return run;
}

/**
 * The time limit of a check (or shared setup) that runs graphs: generous, so
 * that a slow or busy machine does not fail a check (speed is never judged here).
 */
export const RUN_TIMEOUT_MS = 90_000;

/**
 * Ends what still runs on a thread, bounded (the cleanup registry does this too
 * before it deletes a thread). Through a housekeeping client whose exchanges are
 * not evidence and whose answers are not judged; it never throws.
 */
export async function settleThread(c: CheckContext, threadId: string, timeoutMs = 20_000): Promise<void> {
  await settleRuns(createApi({ target: c.run.target, recorder: newRecorder("check") }), threadId, timeoutMs);
}

/**
 * One deviation, whichever check meets it: a server whose default strategy is
 * not enqueue records another one on the run and refuses (or stops) a second
 * run on a busy thread instead of queuing it.
 */
export const DEFAULT_STRATEGY_CAUSE = {
  signature: "default multitask_strategy is not enqueue",
  title: "A run created without multitask_strategy is not enqueued (enqueue is the default the newest documents give)",
};

/** The run a create answered records multitask_strategy enqueue, the default it was not given. */
export function expectDefaultStrategy(res: HttpResponse): void {
  const got = expectJsonObject(res).multitask_strategy;
  ensure(got === "enqueue", `multitask_strategy of a run created without one: expected "enqueue", got ${JSON.stringify(got)}`, res, { cause: DEFAULT_STRATEGY_CAUSE });
}

/**
 * Rollback leaves the run it stops (or its work) in place: one deviation,
 * whichever check meets it (a cancel with action=rollback, a second run with
 * multitask_strategy=rollback, on a streamed run or not).
 */
export const ROLLBACK_KEEPS = { signature: "rollback keeps the run it stops", title: "Rollback (a cancel's action, or a multitask strategy) does not delete the run it stops, nor its checkpoints" };

/**
 * A run stopped by interrupt (a cancel's action, or a second run's multitask
 * strategy) that does not end `interrupted`: one deviation, whichever check
 * meets it.
 */
export const INTERRUPT_NOT_INTERRUPTED = {
  signature: "a run stopped by interrupt does not end interrupted",
  title: "A run stopped by interrupt (a cancel's action, or multitask_strategy=interrupt) does not end with status interrupted",
};

/** The run ended `interrupted`, as a run stopped by interrupt does. */
export function expectInterrupted(status: unknown, what: string, res?: HttpResponse): void {
  ensure(status === "interrupted", `${what}: expected "interrupted", got ${JSON.stringify(status)}`, res, { cause: INTERRUPT_NOT_INTERRUPTED });
}
