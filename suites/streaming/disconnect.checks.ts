// What happens to a run when the client of its stream goes away: on_disconnect
// (on a run created by streaming) and cancel_on_disconnect (on a join). The
// check reads the first events of a run of 'slow' (3 s), leaves while it sleeps, and follows
// the run to its end: a cancelled run never reaches `success`, however slow the
// machine, and a run left to continue always does.

import { check, type CheckContext } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { ensure } from "../../harness/expect";
import { assistantFor, createThread, openStream, pollRun, runIdFromLocation, streamCheckTimeout, streamTimeoutMs, type OpenedStream } from "../_support/runs";
import { startBackgroundRun } from "./support";

const STREAM = "POST /threads/{thread_id}/runs/stream";
const JOIN = "GET /threads/{thread_id}/runs/{run_id}/stream";
const SLEEP_MS = 3000;
const TIMEOUT = streamCheckTimeout(2) + 10_000;
const ON_DISCONNECT: Citation[] = [
  { source: "api-ref", section: "RunCreateStateful.on_disconnect", quote: "The disconnect mode to use. Must be one of 'cancel' or 'continue'." },
  { source: "sdk-py", section: "DisconnectMode", quote: '"cancel": Cancel the operation on disconnection. - "continue": Continue the operation even if disconnected.' },
  { source: "contract", section: "OnDisconnect", quote: "What happens to the run when the client of its stream (or wait) disconnects." },
];
const CANCEL_ON_DISCONNECT: Citation[] = [
  { source: "sdk-py", section: "RunsClient.join_stream, cancel_on_disconnect", quote: "Whether to cancel the run when the stream is disconnected.", note: "default False" },
  {
    source: "openapi",
    section: "GET /threads/{thread_id}/runs/{run_id}/stream, query cancel_on_disconnect",
    quote: "If true, the run will be cancelled if the client disconnects.",
    note: "default false",
  },
];

/**
 * Leaves a stream once the run is seen running in `sleep`: at its first custom
 * event (a tick), or at the `values` event that shows `start` done (`started`
 * set). Either will do: what these checks judge is on_disconnect, not the custom
 * stream mode (STR-014 judges that), so a server without custom events is still
 * judged on what it does when the client leaves.
 */
const GATE_MODES = ["custom", "values"];
function leaveAtFirstTick(ev: { event: string; data: string }): "stop" | undefined {
  if (ev.event === "custom") return "stop";
  if (ev.event !== "values") return undefined;
  try {
    return JSON.parse(ev.data)?.started !== undefined ? "stop" : undefined;
  } catch {
    return undefined; // the stream contract reports data that is not JSON
  }
}

function runIdOf(res: OpenedStream): string | undefined {
  const meta = res.sse.events.find((e) => e.event === "metadata");
  try {
    const id = meta ? JSON.parse(meta.data)?.run_id : undefined;
    if (typeof id === "string") return id;
  } catch {
    /* the metadata check reports it */
  }
  return runIdFromLocation(res.headers["content-location"]);
}

/** Streams a run of 'slow', leaves once it is seen in `sleep`, and follows the run to its end. */
async function leaveRunStream(c: CheckContext, extra: Record<string, unknown>): Promise<{ status: string; res: OpenedStream; seen: string }> {
  const [assistantId, thread] = await Promise.all([assistantFor(c, "slow"), createThread(c)]);
  const threadId = thread.thread_id as string;
  const res = await openStream(
    c,
    {
      method: "POST",
      path: `/threads/${threadId}/runs/stream`,
      json: { assistant_id: assistantId, input: { value: "leave", sleep_ms: SLEEP_MS }, stream_mode: GATE_MODES, ...extra, metadata: c.tag() },
    },
    undefined,
    leaveAtFirstTick,
  );
  ensure(res.sse.end === "stopped", `the stream ended (${res.sse.end}) before the run was seen in 'sleep' (a custom event, or values with 'started'), so the check could not leave a running run`, res);
  const runId = runIdOf(res);
  ensure(runId !== undefined, "neither a metadata event nor Content-Location names the run, so the check cannot follow it", res);
  const { run, seen } = await pollRun(c, threadId, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
  return { status: run.status, res, seen: seen.map((s) => `${s.status}@${s.atMs}ms`).join(" → ") };
}

/** Starts a background run of 'slow', joins its stream, leaves once it is seen in `sleep`, and follows the run to its end. */
async function leaveJoinedStream(c: CheckContext, query: Record<string, string>): Promise<{ status: string; res: OpenedStream; seen: string }> {
  const [assistantId, thread] = await Promise.all([assistantFor(c, "slow"), createThread(c)]);
  const threadId = thread.thread_id as string;
  const runId = await startBackgroundRun(c, threadId, assistantId, { input: { value: "leave", sleep_ms: SLEEP_MS }, stream_mode: GATE_MODES });
  const res = await openStream(c, { method: "GET", path: `/threads/${threadId}/runs/${runId}/stream`, query }, undefined, leaveAtFirstTick);
  ensure(
    res.sse.end === "stopped",
    `the joined stream ended (${res.sse.end}) before the run was seen in 'sleep' (a custom event, or values with 'started'), so the check could not leave a running run`,
    res,
  );
  const { run, seen } = await pollRun(c, threadId, runId, undefined, { timeoutMs: streamTimeoutMs(), what: "its end" });
  return { status: run.status, res, seen: seen.map((s) => `${s.status}@${s.atMs}ms`).join(" → ") };
}

check(
  {
    id: "STR-050",
    level: "MUST",
    profile: "streaming",
    operations: [STREAM, "GET /threads/{thread_id}/runs/{run_id}"],
    spec: ON_DISCONNECT,
    title: "A run streamed with on_disconnect=cancel is cancelled when the client leaves its stream (it does not reach success)",
    requires: ["graph:slow"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { status, res, seen } = await leaveRunStream(c, { on_disconnect: "cancel" });
    c.note(`run statuses after the client left: ${seen}`);
    ensure(status !== "success", `the client left the stream while the run slept (${SLEEP_MS} ms), yet the run went on to '${status}' (statuses: ${seen})`, res);
  },
);

check(
  {
    id: "STR-051",
    level: "MUST",
    profile: "streaming",
    operations: [STREAM, "GET /threads/{thread_id}/runs/{run_id}"],
    spec: ON_DISCONNECT,
    title: "A run streamed with on_disconnect=continue runs to success after the client leaves its stream",
    requires: ["graph:slow"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { status, res, seen } = await leaveRunStream(c, { on_disconnect: "continue" });
    c.note(`run statuses after the client left: ${seen}`);
    ensure(status === "success", `with on_disconnect=continue the run ended '${status}' after the client left its stream (statuses: ${seen})`, res);
  },
);

check(
  {
    id: "STR-052",
    level: "MUST",
    profile: "streaming",
    operations: [JOIN, "POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs/{run_id}"],
    spec: CANCEL_ON_DISCONNECT,
    title: "A run joined with cancel_on_disconnect=true is cancelled when the client leaves the joined stream",
    requires: ["graph:slow"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { status, res, seen } = await leaveJoinedStream(c, { cancel_on_disconnect: "true" });
    c.note(`run statuses after the client left: ${seen}`);
    ensure(status !== "success", `the client left the joined stream (cancel_on_disconnect=true) while the run slept, yet the run went on to '${status}' (statuses: ${seen})`, res);
  },
);

check(
  {
    id: "STR-053",
    level: "MUST",
    profile: "streaming",
    operations: [JOIN, "POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs/{run_id}"],
    spec: [...CANCEL_ON_DISCONNECT, { source: "contract", section: "CancelOnDisconnect", note: "leaving a joined stream without it is no reason to stop a run the client did not start by streaming" }],
    title: "A run whose joined stream is left without cancel_on_disconnect runs to success",
    requires: ["graph:slow"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { status, res, seen } = await leaveJoinedStream(c, {});
    c.note(`run statuses after the client left: ${seen}`);
    ensure(status === "success", `the run ended '${status}' after the client left its joined stream without cancel_on_disconnect (statuses: ${seen})`, res);
  },
);

check(
  {
    id: "STR-054",
    level: "SHOULD",
    profile: "streaming",
    operations: [STREAM, "GET /threads/{thread_id}/runs/{run_id}"],
    spec: [
      { source: "api-ref", section: "RunCreateStateful.on_disconnect", quote: "The disconnect mode to use. Must be one of 'cancel' or 'continue'.", note: 'default "cancel", as in openapi-prev' },
      { source: "openapi", section: "RunCreateStreamingStateful.on_disconnect", note: 'default "continue"' },
      { source: "contract", section: "OnDisconnect x-decision", note: "the documents disagree on the default; the contract takes cancel, and checks of the default are no stronger than SHOULD" },
    ],
    title: "A run streamed without on_disconnect is cancelled when the client leaves (the default is cancel)",
    requires: ["graph:slow"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { status, res, seen } = await leaveRunStream(c, {});
    c.note(`run statuses after the client left: ${seen}`);
    ensure(status !== "success", `without on_disconnect, the run went on to '${status}' after the client left its stream (statuses: ${seen})`, res);
  },
);
