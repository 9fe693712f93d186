// Threads, runs and streams for the suites that need a graph to run: bounded
// waits that record what they saw (so that a failure shows the statuses and
// when they came), and a shared assistant per fixture graph.

import type { CheckContext } from "../../harness/check";
import { ensure, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import { createApi, newRecorder, type HttpRequest, type StreamResponse } from "../../harness/http";
import type { OnSseEvent, SseLimits } from "../../harness/sse";

/** The fixture graphs (fixtures/langgraph.json) by what the checks use them for. */
export const GRAPH = {
  echo: "echo",
  slow: "slow",
  chat: "chat",
  interrupt: "interrupt",
  subgraph: "subgraph",
  error: "error",
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

/** Opens a stream and requires it to be one (2xx, text/event-stream). */
export async function openStream(
  c: CheckContext,
  req: HttpRequest,
  limits?: Partial<SseLimits>,
  onEvent?: OnSseEvent,
): Promise<StreamResponse & { sse: NonNullable<StreamResponse["sse"]> }> {
  const res = await c.api.stream(req, { ...(limits ? { limits } : {}), ...(onEvent ? { onEvent } : {}) });
  expectStatus(res, 200, "opening the stream");
  if (!res.sse) fail(`${req.method} ${req.path} answered ${res.status} with Content-Type '${res.headers["content-type"] ?? "(none)"}', not an event stream`, res);
  return res as StreamResponse & { sse: NonNullable<StreamResponse["sse"]> };
}

/** The event names of a stream, in order. */
export const eventNames = (res: { sse: NonNullable<StreamResponse["sse"]> }): string[] => res.sse.events.map((e) => e.event);

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

/**
 * Ends what still runs on a thread and waits, bounded, until no run of it is
 * pending or running: each such run is cancelled (action interrupt). It goes
 * through a housekeeping client whose exchanges are not evidence and whose
 * answers are not judged, and it never throws. Call it before a thread the check
 * created is deleted: a server may not take kindly to a thread deleted under a
 * running run (the embedded reference server loses the worker that ran it).
 */
export async function settleThread(c: CheckContext, threadId: string, timeoutMs = 20_000): Promise<void> {
  const api = createApi({ target: c.run.target, recorder: newRecorder("check") });
  const started = performance.now();
  const cancelled = new Set<string>();
  try {
    while (performance.now() - started < timeoutMs) {
      const res = await api.get(`/threads/${threadId}/runs`, { query: { limit: 100 } });
      if (res.status !== 200 || !Array.isArray(res.json)) return;
      const live = res.json.filter((r: any) => r?.status === "pending" || r?.status === "running");
      if (live.length === 0) return;
      for (const r of live) {
        if (typeof r.run_id !== "string" || cancelled.has(r.run_id)) continue;
        cancelled.add(r.run_id);
        await api.post(`/threads/${threadId}/runs/${r.run_id}/cancel`, undefined, { query: { action: "interrupt" } });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch {
    // Housekeeping: the check's outcome is already decided.
  }
}
