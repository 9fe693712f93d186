// Double texting: a second run arrives on a thread that is busy with a first,
// slow run. One function stages it for every run-creating operation of a thread
// and every multitask strategy, and returns what the server did (answers, every
// status seen, the thread's final state and history); the checks assert their
// part of it.
//
// The `slow` fixture makes the evidence server-side: its `start` node writes the
// run's marker to `started` (and appends "start" to `trail`) before `sleep`
// sleeps, and `sleep` appends "sleep" at its end. So the thread's history says
// which run began when (executionOrder), whether a run's work was kept or rolled
// back (historyMentions), and whether two runs overlapped (a trail that is not
// start, sleep, start, sleep: two runs read the same checkpoint).

import type { CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import type { HttpResponse, StreamResponse } from "../../harness/http";
import { uuid } from "../_support/resources";
import { assistantFor, createThread, DEFAULT_STRATEGY_CAUSE, eventData, expectInterrupted, settleThread } from "../_support/runs";
import {
  executionOrder,
  expectRolledBack,
  expectRolledBackHistory,
  explained,
  historyMentions,
  historyOldestFirst,
  Inconclusive,
  isInFlight,
  isTerminal,
  pollRunUntil,
  readRun,
  type Snapshot,
  Timeline,
  watched,
  watchRuns,
  withLongerRuns,
} from "./timeline";

export type CreateOp = "runs" | "stream" | "wait";
export type Strategy = "reject" | "interrupt" | "rollback" | "enqueue";

export const OPERATION: Record<CreateOp, string> = {
  runs: "POST /threads/{thread_id}/runs",
  stream: "POST /threads/{thread_id}/runs/stream",
  wait: "POST /threads/{thread_id}/runs/wait",
};
const PATH: Record<CreateOp, string> = { runs: "runs", stream: "runs/stream", wait: "runs/wait" };

/**
 * How long the busy run sleeps, by attempt. A strategy that lets the first run
 * finish (reject, enqueue) waits for it, so it starts short and is lengthened
 * only when an attempt could not establish the overlap; a strategy that stops
 * the first run (interrupt, rollback) never waits for its natural end, so it is
 * long from the start.
 */
export function busyLengths(strategy: Strategy | undefined): number[] {
  return strategy === "interrupt" || strategy === "rollback" ? [15_000, 40_000] : [3_000, 12_000];
}
/** The second run is short: nothing depends on its length. */
const SECOND_MS = 300;
/** A check that stages a double text may need two attempts with the longest runs. */
export const DOUBLE_TEXT_TIMEOUT_MS = 150_000;

export interface SecondAnswer {
  status: number;
  res: HttpResponse | StreamResponse;
  /** The id of the second run, from the answer (Run body, `metadata` event, Content-Location) or the thread's runs. */
  runId?: string;
  /** wait: the body; stream: the data of the last `values` event. */
  output?: any;
  answeredAt: number;
}

export interface DoubleText {
  tl: Timeline;
  threadId: string;
  firstId: string;
  first: string;
  second: string;
  secondId?: string;
  answer: SecondAnswer;
  /** When the server had certainly processed the second request. */
  processedAt: number;
  snapshots: Snapshot[];
  /** The final read of the first run: undefined when it answered 404. */
  firstRun?: Record<string, any>;
  secondRun?: Record<string, any>;
  values: Record<string, any>;
  history: Array<Record<string, any>>;
}

/** Run ids in a Content-Location such as /threads/{t}/runs/{r}. */
function runIdFromLocation(headers: Record<string, string>): string | undefined {
  return /\/runs\/([^/?#]+)\/?$/.exec(headers["content-location"] ?? "")?.[1];
}

/**
 * Starts a slow run and waits until it is `running` with its first checkpoint
 * (`started` = marker) in the thread's state: the thread is then busy, as the
 * contract defines it, and the run has work to keep or to roll back.
 */
export async function startBusyRun(c: CheckContext, tl: Timeline, threadId: string, assistantId: string, marker: string, sleepMs: number, label = `A (first, ${sleepMs} ms)`): Promise<string> {
  const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: marker, sleep_ms: sleepMs } });
  expectStatus(res, 200, "creating the run that keeps the thread busy");
  const run = expectJsonObject(res);
  ensure(typeof run.run_id === "string", "the created run has no run_id", res);
  tl.label(run.run_id, label);
  tl.observe(run);
  tl.event(`run ${label} created`);
  const started = performance.now();
  let lastReads = "";
  for (;;) {
    const { run: now } = await readRun(c, tl, threadId, run.run_id);
    if (!now || isTerminal(now.status)) {
      throw new Inconclusive(`the busy run ended (${now ? now.status : "gone"}) before it was seen running with its first checkpoint${lastReads ? ` (last reads: ${lastReads})` : ""}`);
    }
    if (now.status === "running") {
      const seen = await checkpointSeen(c, threadId, marker);
      lastReads = seen.reads;
      if (seen.ok) {
        tl.event(`run ${label} seen running, its first checkpoint in the thread's ${seen.where}`);
        return run.run_id;
      }
    }
    if (performance.now() - started > 60_000) {
      fail(`the run meant to keep the thread busy was not seen running with its first checkpoint within 60000 ms (statuses seen: ${tl.statusesOf(run.run_id).join(" → ")})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Whether the thread shows the busy run's first checkpoint (`started` = marker):
 * in its state (GET state answers the latest checkpoint), else in its history
 * (a server may have no state to show before a thread's first checkpoint). Either
 * read is only a witness of the gate: an answer that is not 200 is not a verdict
 * here (the threads profile judges those operations); it leaves the gate unmet.
 */
async function checkpointSeen(c: CheckContext, threadId: string, marker: string): Promise<{ ok: boolean; where?: string; reads: string }> {
  const state = await c.api.get(`/threads/${threadId}/state`);
  if (state.status === 200 && state.json?.values?.started === marker) return { ok: true, where: "state", reads: "state 200" };
  const h = await c.api.get(`/threads/${threadId}/history`, { query: { limit: 1 } });
  if (h.status === 200 && Array.isArray(h.json) && h.json[0]?.values?.started === marker) return { ok: true, where: "history", reads: `state ${state.status}, history 200` };
  return { ok: false, reads: `state ${state.status}, history ${h.status}` };
}

async function sendSecond(c: CheckContext, tl: Timeline, op: CreateOp, threadId: string, body: Record<string, unknown>, budgetMs: number): Promise<SecondAnswer> {
  const path = `/threads/${threadId}/${PATH[op]}`;
  if (op === "stream") {
    let metaRunId: string | undefined;
    const res = await c.api.stream(
      { method: "POST", path, json: { ...body, stream_mode: ["values"] } },
      {
        limits: { timeoutMs: budgetMs, idleMs: budgetMs },
        onEvent: (ev) => {
          if (ev.event === "metadata" && metaRunId === undefined) {
            try {
              const id = JSON.parse(ev.data)?.run_id;
              if (typeof id === "string") {
                metaRunId = id;
                tl.event(`the second request's stream sent its metadata event (run ${id})`);
              }
            } catch {
              /* judged by the stream contract */
            }
          }
        },
      },
    );
    const answeredAt = tl.event(`the second request's answer ended: ${res.status}${res.sse ? ` (a stream of ${res.sse.events.length} events, ended by ${res.sse.end})` : ""}`);
    const values = res.sse ? eventData(res as any).filter((e) => e.event === "values") : [];
    return { status: res.status, res, runId: metaRunId ?? runIdFromLocation(res.headers), output: values.at(-1)?.data, answeredAt };
  }
  const res = await c.api.post(path, body, op === "wait" ? { timeoutMs: budgetMs } : {});
  const answeredAt = tl.event(`the second request was answered: ${res.status}`);
  const runId = op === "runs" && res.status === 200 && typeof res.json?.run_id === "string" ? res.json.run_id : runIdFromLocation(res.headers);
  return { status: res.status, res, runId, output: op === "wait" ? res.json : undefined, answeredAt };
}

/**
 * Stages a double text: a thread busy with a slow run A, then run B created on
 * it through `op` with `strategy` (none: the server's default). Watches the
 * thread's runs until the answer has come and nothing is in flight, then reads
 * both runs, the state and the history.
 */
export async function doubleText(c: CheckContext, op: CreateOp, strategy: Strategy | undefined): Promise<DoubleText> {
  const assistantId = await assistantFor(c, "slow");
  return withLongerRuns(
    c,
    busyLengths(strategy),
    async (sleepMs, tl, c) => {
      const thread = await createThread(c);
      const threadId: string = thread.thread_id;
      try {
        const tag = uuid().slice(0, 8);
        const first = `A-${tag}`;
        const second = `B-${tag}`;
        const firstId = await startBusyRun(c, tl, threadId, assistantId, first, sleepMs);
        const budgetMs = sleepMs + 45_000;
        const body = { assistant_id: assistantId, input: { value: second, sleep_ms: SECOND_MS }, ...(strategy ? { multitask_strategy: strategy } : {}) };
        tl.event(`second request sent: ${OPERATION[op]} ${strategy ? `with multitask_strategy=${strategy}` : "without multitask_strategy"}`);
        let settled = false;
        let broken = false;
        // A strategy that stops run A gains nothing from watching A to its natural end
        // once the second request was refused: the check fails on the refusal.
        let refusedStopper = false;
        const pending = sendSecond(c, tl, op, threadId, body, budgetMs).then(
          (a) => {
            settled = true;
            refusedStopper = (strategy === "interrupt" || strategy === "rollback") && (a.status < 200 || a.status >= 300);
            return a;
          },
          (e) => {
            settled = true;
            broken = true;
            throw e;
          },
        );
        pending.catch(() => undefined);
        const snapshots = await watchRuns(c, tl, threadId, (s) => settled && (broken || refusedStopper || !Object.values(s.statuses).some(isInFlight)), {
          timeoutMs: budgetMs,
          what: "the answer to the second request, and the end of every run of the thread,",
        });
        const answer = await pending;

        // The second run: named by the answer, or the one other run of the thread.
        const others = [...new Set(snapshots.flatMap((s) => Object.keys(s.statuses)))].filter((id) => id !== firstId);
        const secondId = answer.runId ?? (others.length === 1 ? others[0] : undefined);
        if (secondId) tl.label(secondId, `B (second, ${strategy ?? "no strategy"})`);
        const seenAt = secondId ? snapshots.find((s) => secondId in s.statuses)?.atMs : undefined;
        const processedAt = Math.min(answer.answeredAt, seenAt ?? Infinity);

        // Was the first run in flight when the server processed the second request?
        const { run: firstRun } = await readRun(c, tl, threadId, firstId);
        const stoppedByOther = firstRun === undefined || firstRun.status !== "success";
        if (!tl.inFlightAtOrAfter(firstId, processedAt) && !stoppedByOther) {
          throw new Inconclusive(`run A ended (success) before the second request was seen processed (at +${processedAt} ms)`);
        }
        const secondRun = secondId ? (await readRun(c, tl, threadId, secondId)).run : undefined;
        const st = await c.api.get(`/threads/${threadId}/state`);
        expectStatus(st, 200, "reading the thread's state after both runs");
        const history = await historyOldestFirst(c, threadId);
        return {
          tl,
          threadId,
          firstId,
          first,
          second,
          secondId,
          answer,
          processedAt,
          snapshots,
          firstRun,
          secondRun,
          values: expectJsonObject(st).values ?? {},
          history,
        };
      } finally {
        await settleThread(c, threadId);
      }
    },
    { assertedLater: true },
  );
}

// ---------------------------------------------------------------- assertions
// Each states one requirement about a staged double text and fails with what
// the server did; the timeline goes into the evidence (explainedBy).

/** Asserts within the double text's timeline: a failure (an assertion's, or the wire's) notes it. */
export async function explainedBy(c: CheckContext, d: DoubleText, fn: () => void | Promise<void>): Promise<void> {
  await explained(c, d.tl, async () => fn());
}

const describeStrategy = (s: Strategy | undefined) => (s ? `multitask_strategy=${s}` : "no multitask_strategy");

export function expectRefusedWith409(d: DoubleText, op: CreateOp): void {
  const a = d.answer;
  if (a.status === 409) return;
  fail(
    `${OPERATION[op]} with multitask_strategy=reject on a thread busy with run A answered ${a.status}${a.status >= 200 && a.status < 300 ? " (accepted the run)" : ""}; ` +
      `the contract wants 409 Conflict (x-decision of create_run: "reject on a thread that is already running a run answers 409 Conflict; 422 (\"Validation Error\") is for an invalid request only")`,
    a.res,
    { status: { wanted: [409], got: a.status } },
  );
}

export function expectAccepted(d: DoubleText, op: CreateOp, strategy: Strategy | undefined): void {
  const a = d.answer;
  if (a.status !== 200) {
    // Without a strategy the default decides: a refusal says the default is not enqueue.
    fail(
      `${OPERATION[op]} with ${describeStrategy(strategy)} on a thread busy with run A answered ${a.status}; the run should have been accepted (200)`,
      a.res,
      strategy ? { status: { wanted: [200], got: a.status } } : { cause: DEFAULT_STRATEGY_CAUSE },
    );
  }
  if (op === "stream" && !(a.res as StreamResponse).sse) fail(`${OPERATION[op]} answered 200 but not with an event stream`, a.res);
  if (!d.secondId)
    fail(`the second run could not be identified: the answer named no run and the thread lists ${d.snapshots.at(-1) ? Object.keys(d.snapshots.at(-1)!.statuses).length : 0} runs`, a.res);
}

/** The first run was not stopped by the refused request and ended `success` with its own output in the state. */
export function expectFirstUntouched(d: DoubleText): void {
  const statuses = d.tl.statusesOf(d.firstId);
  ensure(d.firstRun !== undefined, `run A is gone (GET answered 404) after a refused second request; statuses seen: ${statuses.join(" → ")}`);
  ensure(d.firstRun!.status === "success", `run A ended '${d.firstRun!.status}' after a refused second request, not 'success'; statuses seen: ${statuses.join(" → ")}`);
  ensure(!statuses.includes("interrupted"), `run A was seen 'interrupted' although the second request was refused; statuses seen: ${statuses.join(" → ")}`);
  expectEqual(d.values.echoed, d.first, "the thread's `echoed` after run A (its output)");
  expectEqual(d.values.trail, ["start", "sleep"], "the thread's `trail` after run A alone");
}

/** Nothing of the refused run reached the thread: no run of it listed, no trace of its input in state or history. */
export function expectNothingOfSecond(d: DoubleText): void {
  const listed = [...new Set(d.snapshots.flatMap((s) => Object.keys(s.statuses)))].filter((id) => id !== d.firstId);
  ensure(listed.length === 0, `the thread lists a run besides A after the second request was refused: ${listed.map((id) => `${id} (${d.tl.statusesOf(id).join(" → ")})`).join(", ")}`);
  ensure(!historyMentions(d.history, d.second), `the thread's history carries the refused run's input (${d.second})`);
  ensure(![d.values.value, d.values.started, d.values.echoed].includes(d.second), `the thread's state carries the refused run's input (${d.second}): ${JSON.stringify(d.values)}`);
}

export function expectFirstInterrupted(d: DoubleText): void {
  const statuses = d.tl.statusesOf(d.firstId);
  ensure(d.firstRun !== undefined, `run A is gone (GET answered 404); with multitask_strategy=interrupt it is kept with status 'interrupted' (statuses seen: ${statuses.join(" → ")})`);
  expectInterrupted(d.firstRun!.status, `run A, stopped by multitask_strategy=interrupt (statuses seen: ${statuses.join(" → ")})`);
}

/** The second run ended `success`, and what the answer carried is its output. */
export function expectSecondSucceeded(d: DoubleText, op: CreateOp): void {
  ensure(d.secondRun !== undefined, `run B could not be read after it ended (statuses seen: ${d.secondId ? d.tl.statusesOf(d.secondId).join(" → ") : "none"})`);
  ensure(d.secondRun!.status === "success", `run B ended '${d.secondRun!.status}', not 'success' (statuses seen: ${d.tl.statusesOf(d.secondId!).join(" → ")})`);
  expectEqual(d.values.echoed, d.second, "the thread's `echoed` after run B (its output)");
  if (op === "stream") {
    const meta = d.answer.runId;
    ensure(meta === undefined || meta === d.secondId, `the stream's metadata names run ${meta}, not run B ${d.secondId}`, d.answer.res);
    ensure(
      d.answer.output?.echoed === d.second,
      `the stream's last values event is not run B's output (echoed ${JSON.stringify(d.answer.output?.echoed)}, expected ${d.second}): the stream did not carry run B to its end`,
      d.answer.res,
    );
  }
  if (op === "wait") {
    ensure(d.answer.output?.echoed === d.second, `the body of the wait is not run B's final output (echoed ${JSON.stringify(d.answer.output?.echoed)}, expected ${d.second})`, d.answer.res);
  }
}

/** With interrupt, the thread keeps what run A had checkpointed, and run B ran on top of it. */
export function expectFirstWorkKept(d: DoubleText): void {
  ensure(historyMentions(d.history, d.first), `the thread's history no longer carries run A's checkpoint (started = ${d.first}); multitask_strategy=interrupt keeps the interrupted run's work`);
  expectEqual(d.values.trail, ["start", "start", "sleep"], "the thread's `trail`: run A's `start`, then run B's `start` and `sleep`");
}

export async function expectFirstDeleted(c: CheckContext, d: DoubleText): Promise<void> {
  // Deleting may trail the end of the run a little (run B has run since): bounded wait for the 404.
  await expectRolledBack(watched(c, d.tl), d.tl, d.threadId, d.firstId, "answer 404 (deleted: rollback deletes the run it stops)");
}

/** With rollback, nothing run A did is left in state or history. */
export function expectFirstWorkGone(d: DoubleText): void {
  expectRolledBackHistory(d.history, d.first, `the thread's history still carries run A's checkpoint (started = ${d.first}); rollback deletes the checkpoints of the run it stops`);
  expectEqual(d.values.trail, ["start", "sleep"], "the thread's `trail` after rollback: run B's `start` and `sleep` only");
}

/** The second run waited: pending while run A was in flight, never running beside it. */
export function expectQueued(d: DoubleText, op: CreateOp): void {
  const b = d.secondId!;
  if (op === "runs") ensure(d.answer.res.json?.status === "pending", `the created run B has status '${d.answer.res.json?.status}'; a run queued behind a running run is 'pending'`, d.answer.res);
  const clash = d.snapshots.find((s) => isInFlight(s.statuses[d.firstId]) && b in s.statuses && s.statuses[b] !== "pending");
  if (clash) fail(`at +${clash.atMs} ms the thread's runs read run A '${clash.statuses[d.firstId]}' and run B '${clash.statuses[b]}': run B did not wait for run A`);
  ensure(
    d.snapshots.some((s) => isInFlight(s.statuses[d.firstId]) && s.statuses[b] === "pending"),
    "run B was never seen 'pending' while run A was in flight",
  );
}

/** Both runs succeeded, one after the other, in the order they were created. */
export function expectRanInOrder(d: DoubleText): void {
  ensure(d.firstRun?.status === "success", `run A ended '${d.firstRun?.status ?? "(gone)"}', not 'success' (statuses seen: ${d.tl.statusesOf(d.firstId).join(" → ")})`);
  ensure(d.secondRun?.status === "success", `run B ended '${d.secondRun?.status ?? "(gone)"}', not 'success' (statuses seen: ${d.secondId ? d.tl.statusesOf(d.secondId).join(" → ") : "none"})`);
  expectEqual(executionOrder(d.history), [d.first, d.second], "the order in which the runs began, read from the thread's history");
  expectEqual(d.values.trail, ["start", "sleep", "start", "sleep"], "the thread's `trail` (one run after the other; interleaved entries would mean the runs overlapped)");
}
