// Time as evidence, for the checks of concurrent and scheduled runs: what the
// check did when, every status each run was seen in (and when), and the run's
// own created_at/updated_at. A check that fails notes its timeline, so that a
// reader sees the race (or that there was none) instead of guessing.
//
// The rules these checks keep (issue 6, "timing without flakes"):
// - never wait a fixed time for something to have happened: poll, bounded;
// - gate only on what the contract guarantees (a run seen `running` with its
//   first checkpoint in the thread's state), never on "it should be running by now";
// - judge order from what the server recorded (the thread's history, snapshots
//   of the thread's runs taken in one read), never from when responses arrived;
// - when a precondition could not be established (the busy run ended before the
//   second request was processed), say so and try again with longer runs; never
//   turn an unestablished precondition into a pass or a fail.

import type { CheckContext } from "../../harness/check";
import { CheckFailure, ensure, expectJsonArray, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import type { Api, HttpResponse } from "../../harness/http";
import type { ExchangeRecord } from "../../harness/model";
import { ROLLBACK_KEEPS, TERMINAL_RUN_STATUSES } from "../_support/runs";

export const IN_FLIGHT = ["pending", "running"];
export const isInFlight = (status: unknown): boolean => typeof status === "string" && IN_FLIGHT.includes(status);
export const isTerminal = (status: unknown): boolean => typeof status === "string" && TERMINAL_RUN_STATUSES.includes(status);

interface Observation {
  atMs: number;
  /** A status, or `(gone)` when the run answered 404. */
  status: string;
}

interface RunTrace {
  label: string;
  observations: Observation[];
  createdAt?: string;
  updatedAt?: string;
}

const GONE = "(gone)";
const MAX_OBSERVATIONS = 2_000;

export class Timeline {
  private readonly t0 = performance.now();
  private violated = false;
  private readonly events: Array<{ atMs: number; text: string }> = [];
  private readonly traces = new Map<string, RunTrace>();

  /** Milliseconds since the timeline began. */
  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  event(text: string): number {
    const atMs = this.now();
    this.events.push({ atMs, text });
    return atMs;
  }

  label(runId: string, label: string): void {
    this.trace(runId).label = label;
  }

  labelOf(runId: string): string {
    return this.traces.get(runId)?.label ?? runId;
  }

  /** What one read of a run showed, at the time the read was answered. */
  observe(run: Record<string, any>, atMs = this.now()): void {
    if (typeof run?.run_id !== "string") return;
    const t = this.trace(run.run_id);
    if (t.observations.length < MAX_OBSERVATIONS) t.observations.push({ atMs, status: String(run.status) });
    if (typeof run.created_at === "string") t.createdAt = run.created_at;
    if (typeof run.updated_at === "string") t.updatedAt = run.updated_at;
  }

  /** The run answered 404. */
  gone(runId: string, atMs = this.now()): void {
    const t = this.trace(runId);
    if (t.observations.length < MAX_OBSERVATIONS) t.observations.push({ atMs, status: GONE });
  }

  /** Takes note of an answer; one that broke the contract fails the check whatever it asserts. */
  saw(answer: { record: ExchangeRecord }): void {
    if (answer.record.violations.length > 0) this.violated = true;
  }

  /** Did an answer seen through watched() break the contract (so that the check fails)? */
  get brokeContract(): boolean {
    return this.violated;
  }

  /** When the run was first seen in one of `statuses`. */
  firstSeen(runId: string, statuses: string[]): number | undefined {
    return this.traces.get(runId)?.observations.find((o) => statuses.includes(o.status))?.atMs;
  }

  /** Was the run seen pending or running at or after `atMs`? */
  inFlightAtOrAfter(runId: string, atMs: number): boolean {
    return (this.traces.get(runId)?.observations ?? []).some((o) => o.atMs >= atMs && IN_FLIGHT.includes(o.status));
  }

  /** The distinct statuses the run was seen in, in order. */
  statusesOf(runId: string): string[] {
    const out: string[] = [];
    for (const o of this.traces.get(runId)?.observations ?? []) if (out.at(-1) !== o.status) out.push(o.status);
    return out;
  }

  /** The timeline as lines of evidence. */
  lines(): string[] {
    const out = ["timeline (ms since the check began):"];
    for (const e of this.events) out.push(`  +${e.atMs} ${e.text}`);
    for (const [runId, t] of this.traces) {
      const changes: string[] = [];
      let last: Observation | undefined;
      for (const o of t.observations) {
        if (o.status !== last?.status) changes.push(`${o.status}@${o.atMs}`);
        last = o;
      }
      const lastSeen = t.observations.at(-1);
      out.push(
        `  run ${t.label}${t.label === runId ? "" : ` (${runId})`}: ${changes.join(" → ") || "never read"}` +
          `${lastSeen ? ` (last read @${lastSeen.atMs})` : ""}; created_at ${t.createdAt ?? "?"}, updated_at ${t.updatedAt ?? "?"}`,
      );
    }
    return out;
  }

  private trace(runId: string): RunTrace {
    let t = this.traces.get(runId);
    if (!t) {
      t = { label: runId, observations: [] };
      this.traces.set(runId, t);
    }
    return t;
  }
}

/**
 * The check's context, its answers seen by the timeline: one that breaks the
 * contract fails the check (harness wire validation) even when every assertion
 * holds, and such a failure is explained with the timeline too.
 */
export function watched(c: CheckContext, tl: Timeline): CheckContext {
  const see = <T extends { record: ExchangeRecord }>(p: Promise<T>): Promise<T> =>
    p.then((answer) => {
      tl.saw(answer);
      return answer;
    });
  const api: Api = {
    request: (req) => see(c.api.request(req)),
    get: (path, o) => see(c.api.get(path, o)),
    delete: (path, o) => see(c.api.delete(path, o)),
    post: (path, json, o) => see(c.api.post(path, json, o)),
    put: (path, json, o) => see(c.api.put(path, json, o)),
    patch: (path, json, o) => see(c.api.patch(path, json, o)),
    stream: (req, o) => see(c.api.stream(req, o)),
  };
  return { ...c, api };
}

/** Notes the timeline in the evidence. */
export function noteTimeline(c: CheckContext, tl: Timeline): void {
  for (const line of tl.lines()) c.note(line);
}

/**
 * Runs `fn`; when it throws (a failure, a skip, an error), or an answer broke the
 * contract (the check fails on it), the timeline goes into the evidence.
 */
export async function explained<T>(c: CheckContext, tl: Timeline, fn: () => Promise<T>, opts: { onlyWhenThrown?: boolean } = {}): Promise<T> {
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    noteTimeline(c, tl);
    throw e;
  }
  if (tl.brokeContract && !opts.onlyWhenThrown) noteTimeline(c, tl);
  return result;
}

/**
 * The precondition of a check could not be established with runs of this length
 * (the run meant to keep the thread busy ended before the server had processed
 * the request that was to meet it). Neither a pass nor a fail: try longer runs.
 */
export class Inconclusive extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Inconclusive";
  }
}

/**
 * Runs `attempt` with runs of the first length; when it is inconclusive, again
 * with the next, longer one. What an attempt asserts never changes; only how long
 * the busy run lasts. When no length establishes the precondition, the check is
 * skipped with the reason (and the timelines of every attempt in its evidence).
 */
export async function withLongerRuns<T>(
  c: CheckContext,
  lengthsMs: number[],
  attempt: (sleepMs: number, tl: Timeline, c: CheckContext) => Promise<T>,
  opts: { assertedLater?: boolean } = {},
): Promise<T> {
  const reasons: string[] = [];
  for (const ms of lengthsMs) {
    const tl = new Timeline();
    try {
      // assertedLater: the caller judges the result (and notes the timeline) itself.
      return await explained(c, tl, () => attempt(ms, tl, watched(c, tl)), { onlyWhenThrown: opts.assertedLater });
    } catch (e) {
      if (!(e instanceof Inconclusive)) throw e;
      reasons.push(`${ms} ms: ${e.message}`);
      c.note(`attempt with a busy run of ${ms} ms was inconclusive (${e.message}); the timeline above shows why`);
    }
  }
  return c.skip(`the target never kept a run in flight until the request meant to meet it was processed (${reasons.join("; ")})`);
}

/** One read of every run of a thread: the statuses in it are comparable with each other. */
export interface Snapshot {
  atMs: number;
  statuses: Record<string, string>;
}

export async function snapshotRuns(c: CheckContext, tl: Timeline, threadId: string): Promise<Snapshot> {
  const res = await c.api.get(`/threads/${threadId}/runs`, { query: { limit: 100 } });
  expectStatus(res, 200, "listing the thread's runs, which the check watches");
  const list = expectJsonArray(res);
  const atMs = tl.now();
  const statuses: Record<string, string> = {};
  for (const r of list) {
    if (typeof r?.run_id !== "string") fail(`an item of GET /threads/{thread_id}/runs has no run_id: ${JSON.stringify(r).slice(0, 200)}`, res);
    // A run of another thread in the list would be taken for one of this thread's,
    // and a run of this thread crowded out of it for one that ended: the watch
    // would conclude on runs it does not see. Say so instead.
    if (typeof r.thread_id === "string" && r.thread_id !== threadId) {
      fail(`GET /threads/{thread_id}/runs lists run ${r.run_id} of another thread (${r.thread_id}), so the check cannot watch this thread's runs`, res);
    }
    tl.observe(r, atMs);
    statuses[r.run_id] = String(r.status);
  }
  return { atMs, statuses };
}

/**
 * Reads the thread's runs every `intervalMs` until `until` holds for the latest
 * snapshot (bounded by `timeoutMs`). Returns every snapshot taken.
 */
export async function watchRuns(
  c: CheckContext,
  tl: Timeline,
  threadId: string,
  until: (latest: Snapshot) => boolean,
  opts: { timeoutMs: number; what: string; intervalMs?: number },
): Promise<Snapshot[]> {
  const started = performance.now();
  const snaps: Snapshot[] = [];
  for (;;) {
    const s = await snapshotRuns(c, tl, threadId);
    snaps.push(s);
    if (until(s)) return snaps;
    if (performance.now() - started > opts.timeoutMs) fail(`${opts.what} did not happen within ${opts.timeoutMs} ms`);
    await delay(opts.intervalMs ?? 150);
  }
}

/** Reads one run; records what it showed (or that it is gone). */
export async function readRun(c: CheckContext, tl: Timeline, threadId: string, runId: string): Promise<{ res: HttpResponse; run?: Record<string, any> }> {
  const res = await c.api.get(`/threads/${threadId}/runs/${runId}`);
  const atMs = tl.now();
  if (res.status === 404) {
    tl.gone(runId, atMs);
    return { res };
  }
  expectStatus(res, [200, 404], `reading run ${tl.labelOf(runId)}`);
  const run = expectJsonObject(res);
  tl.observe(run, atMs);
  return { res, run };
}

/**
 * Polls one run until `until` holds for what a read showed (the run, or
 * undefined once it is gone), bounded in time.
 */
export async function pollRunUntil(
  c: CheckContext,
  tl: Timeline,
  threadId: string,
  runId: string,
  until: (run: Record<string, any> | undefined) => boolean,
  opts: { timeoutMs: number; what: string; intervalMs?: number },
): Promise<Record<string, any> | undefined> {
  const started = performance.now();
  for (;;) {
    const { run } = await readRun(c, tl, threadId, runId);
    if (until(run)) return run;
    if (performance.now() - started > opts.timeoutMs) {
      fail(`run ${tl.labelOf(runId)} did not ${opts.what} within ${opts.timeoutMs} ms (statuses seen: ${tl.statusesOf(runId).join(" → ")})`);
    }
    await delay(opts.intervalMs ?? 150);
  }
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The thread's states, oldest first (GET /threads/{thread_id}/history answers newest first). */
export async function historyOldestFirst(c: CheckContext, threadId: string): Promise<Array<Record<string, any>>> {
  const res = await c.api.get(`/threads/${threadId}/history`, { query: { limit: 200 } });
  expectStatus(res, 200, "reading the thread's history");
  return [...expectJsonArray(res)].reverse();
}

/**
 * The order in which runs of the `slow` fixture executed, read from the
 * thread's history: each run's `start` node writes the run's marker to
 * `started`, so the distinct values of `started`, oldest first, are the order
 * in which the runs began.
 */
export function executionOrder(history: Array<Record<string, any>>): string[] {
  const order: string[] = [];
  for (const s of history) {
    const m = s?.values?.started;
    if (typeof m === "string" && order.at(-1) !== m) order.push(m);
  }
  return order;
}

/** Does any state of the history carry `marker` in one of the fixture's fields? */
export function historyMentions(history: Array<Record<string, any>>, marker: string): boolean {
  return history.some((s) => ["value", "started", "echoed"].some((k) => s?.values?.[k] === marker));
}

/** The run answers 404 within a bounded wait: rollback deleted it. */
export async function expectRolledBack(c: CheckContext, tl: Timeline, threadId: string, runId: string, what = "answer 404 (rollback deletes the run)"): Promise<void> {
  try {
    await pollRunUntil(c, tl, threadId, runId, (r) => r === undefined, { timeoutMs: 5_000, what });
  } catch (e) {
    if (e instanceof CheckFailure && !e.detail.cause && !e.detail.status) throw new CheckFailure(e.message, e.exchange, { cause: ROLLBACK_KEEPS });
    throw e;
  }
}

/** Nothing of the rolled-back run is left in the history (its input marker is gone). */
export function expectRolledBackHistory(history: Parameters<typeof historyMentions>[0], marker: string, what: string): void {
  ensure(!historyMentions(history, marker), what, undefined, { cause: ROLLBACK_KEEPS });
}
