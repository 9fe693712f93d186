// Interrupts and resuming: breakpoints set per run (interrupt_before and
// interrupt_after, by node name and `*`), a graph that calls interrupt(), what
// the thread's state shows while it waits (`next`, `tasks` and their
// interrupts), and the commands that continue it (resume, update, goto).
//
// Runs are created in the background and polled to their end: the status a run
// paused at a breakpoint ends with is not what these checks judge (the contract
// does not say), the thread's state is.

import { check, type CheckContext } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { ensure, expectEqual, expectJsonObject, expectStatus } from "../../harness/expect";
import { assistantFor, createThread, settleThread, type FixtureGraph } from "../_support/runs";
import { explained, isInFlight, pollRunUntil, Timeline, watched } from "./timeline";

const OPS = ["POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs/{run_id}", "GET /threads/{thread_id}/state"];

interface Paused {
  threadId: string;
  assistantId: string;
  tl: Timeline;
  run?: Record<string, any>;
  state: Record<string, any>;
  thread: Record<string, any>;
}

/** Runs a request to its end on a thread (new unless given) and reads the state and the thread after it. */
async function runAndRead(c: CheckContext, graph: FixtureGraph, body: Record<string, unknown>, on?: { threadId: string; assistantId: string; tl: Timeline }): Promise<Paused> {
  const tl = on?.tl ?? new Timeline();
  c = watched(c, tl);
  const assistantId = on?.assistantId ?? (await assistantFor(c, graph));
  const threadId = on?.threadId ?? (await createThread(c)).thread_id;
  try {
    const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, ...body });
    expectStatus(res, 200, `creating a run of the fixture graph '${graph}'`);
    const runId: string = expectJsonObject(res).run_id;
    tl.label(runId, `${graph} ${JSON.stringify(body).slice(0, 80)}`);
    tl.observe(res.json);
    const run = await pollRunUntil(c, tl, threadId, runId, (r) => r === undefined || !isInFlight(r.status), { timeoutMs: 30_000, what: "end" });
    // The thread's status may trail the run's by a moment: bounded wait while busy.
    let thread: Record<string, any> = {};
    const started = performance.now();
    for (;;) {
      const got = await c.api.get(`/threads/${threadId}`);
      expectStatus(got, 200, "reading the thread");
      thread = expectJsonObject(got);
      if (thread.status !== "busy" || performance.now() - started > 10_000) break;
      await new Promise((r) => setTimeout(r, 150));
    }
    tl.event(`thread read '${thread.status}'`);
    const st = await c.api.get(`/threads/${threadId}/state`);
    expectStatus(st, 200, "reading the thread's state");
    return { threadId, assistantId, tl, ...(run ? { run } : {}), state: expectJsonObject(st), thread };
  } catch (e) {
    await settleThread(c, threadId);
    throw e;
  }
}

function expectPaused(p: Paused, next: string[], trail: string[], why: string): void {
  ensure(p.run?.status !== "error", `the run ended in error (statuses seen: ${p.run ? p.tl.statusesOf(p.run.run_id).join(" → ") : "none"})`);
  expectEqual(p.state.next, next, `the state's next (${why})`);
  expectEqual(p.state.values?.trail, trail, `the nodes that ran (${why})`);
  expectEqual(p.thread.status, "interrupted", `the thread's status (${why})`);
}

const BREAKPOINT_SPEC: Citation[] = [
  { source: "api-ref", section: "RunCreateStateful.interrupt_before", quote: "Nodes to interrupt immediately before they get executed." },
  { source: "api-ref", section: "RunCreateStateful.interrupt_after", quote: "Nodes to interrupt immediately after they get executed.", note: 'each the const "*" or a list of node names' },
  { source: "contract", section: "ThreadStatus", quote: "interrupted: the last run stopped at an interrupt" },
];

for (const [id, field, nodes, next, trail, what] of [
  ["MTK-080", "interrupt_before", ["second"], ["second"], ["first"], "before node `second`: `first` has run, `second` is next"],
  ["MTK-081", "interrupt_after", ["first"], ["second"], ["first"], "after node `first`: `first` has run, `second` is next"],
  ["MTK-082", "interrupt_before", "*", ["first"], [], "before every node: nothing has run, `first` is next"],
  ["MTK-083", "interrupt_after", "*", ["second"], ["first"], "after every node: the run stops after `first`, `second` is next"],
] as Array<[string, string, string[] | "*", string[], string[], string]>) {
  check(
    {
      id,
      level: "MUST",
      profile: "runs",
      operations: [...OPS, "GET /threads/{thread_id}"],
      spec: BREAKPOINT_SPEC,
      title: `A run created with ${field}=${JSON.stringify(nodes)} stops ${what}; the thread reads interrupted`,
      requires: ["graph:echo"],
    },
    async (c) => {
      const p = await runAndRead(c, "echo", { input: { value: "b" }, [field]: nodes });
      await explained(c, p.tl, async () => expectPaused(p, next, trail, `${field}=${JSON.stringify(nodes)}`));
    },
  );
}

check(
  {
    id: "MTK-084",
    level: "MUST",
    profile: "runs",
    operations: [...OPS, "GET /threads/{thread_id}"],
    spec: [
      {
        source: "guide-human-in-the-loop",
        section: "Static interrupts (through the API: runs.wait with interrupt_before, then a run to resume)",
        quote: "The graph is resumed by passing in None for the input. This will run the graph until the next breakpoint is hit.",
      },
      { source: "contract", section: "RunInput", quote: "null for none" },
    ],
    title: "A run with input null on a thread paused at a breakpoint continues from it to the end; the thread reads idle",
    requires: ["graph:echo"],
  },
  async (c) => {
    const p = await runAndRead(c, "echo", { input: { value: "b" }, interrupt_before: ["second"] });
    await explained(c, p.tl, async () => {
      expectPaused(p, ["second"], ["first"], 'interrupt_before=["second"]');
      const r = await runAndRead(c, "echo", { input: null }, p);
      expectEqual(r.run?.status, "success", "the status of the run that continues from the breakpoint");
      expectEqual(r.state.values?.trail, ["first", "second"], "the nodes that ran (`second` ran once, after the breakpoint; `first` not again)");
      expectEqual(r.state.next, [], "the state's next once the graph has ended");
      expectEqual(r.thread.status, "idle", "the thread's status once the graph has ended");
    });
  },
);

// --------------------------------------------------------------- interrupt()

const QUESTION = "May the run continue?";
const INTERRUPT_SPEC: Citation[] = [
  { source: "guide-human-in-the-loop", section: "Dynamic interrupts", quote: "When the graph hits the interrupt, it returns an interrupt object with the payload and metadata." },
  {
    source: "contract",
    section: "Interrupt.value",
    quote: "The value given to interrupt()",
    note: "in ThreadState.tasks[].interrupts; ThreadState.next names the interrupted node; ThreadStatus interrupted",
  },
];

/** The interrupt fixture on a new thread, paused in `ask`. */
const pausedInAsk = (c: CheckContext) => runAndRead(c, "interrupt", { input: { value: "q" } });

function askInterrupts(p: Paused): any[] {
  const tasks = Array.isArray(p.state.tasks) ? p.state.tasks : [];
  const ask = tasks.find((t: any) => t?.name === "ask");
  ensure(ask !== undefined, `the state's tasks name no task 'ask' (the node that called interrupt()): ${JSON.stringify(p.state.tasks)?.slice(0, 300)}`);
  return Array.isArray(ask.interrupts) ? ask.interrupts : [];
}

check(
  {
    id: "MTK-085",
    level: "MUST",
    profile: "runs",
    operations: [...OPS, "GET /threads/{thread_id}"],
    spec: INTERRUPT_SPEC,
    title: "A run whose node calls interrupt() pauses there: the state's next names the node, its task carries the interrupt's value, the thread reads interrupted",
    requires: ["graph:interrupt"],
  },
  async (c) => {
    const p = await pausedInAsk(c);
    await explained(c, p.tl, async () => {
      expectPaused(p, ["ask"], ["prepare"], "the node `ask` called interrupt()");
      const interrupts = askInterrupts(p);
      ensure(interrupts.length === 1, `the task 'ask' carries ${interrupts.length} interrupts, expected the one it raised: ${JSON.stringify(interrupts).slice(0, 300)}`);
      expectEqual(interrupts[0]?.value, { question: QUESTION, value: "q" }, "the value of the task's interrupt (what the node gave interrupt())");
    });
  },
);

check(
  {
    id: "MTK-086",
    level: "SHOULD",
    profile: "runs",
    operations: ["GET /threads/{thread_id}"],
    spec: [
      { source: "api-ref", section: "Thread.interrupts", quote: "The current interrupts of the thread.", note: "not required, hence SHOULD" },
      { source: "contract", section: "Thread.interrupts", quote: "The pending interrupts, by the id of the task that raised them" },
    ],
    title: "GET /threads/{thread_id} of a thread paused at interrupt() lists the pending interrupt under interrupts",
    requires: ["graph:interrupt"],
  },
  async (c) => {
    const p = await pausedInAsk(c);
    await explained(c, p.tl, async () => {
      const all = Object.values(p.thread.interrupts ?? {}).flat() as any[];
      ensure(
        all.some((i) => i?.value?.question === QUESTION),
        `the thread's interrupts do not carry the pending interrupt (value ${JSON.stringify({ question: QUESTION, value: "q" })}): ${JSON.stringify(p.thread.interrupts)?.slice(0, 300)}`,
      );
    });
  },
);

const COMMAND_SPEC: Citation[] = [
  { source: "api-ref", section: "Command.resume", quote: "A value to pass to an interrupted node." },
  { source: "api-ref", section: "Command.update", quote: "An update to the state." },
  { source: "guide-human-in-the-loop", section: "Dynamic interrupts", quote: "The graph is resumed with a Command(resume=...), injecting the human's input and continuing execution." },
  { source: "contract", section: "Command", quote: "`goto` names the node(s) to run next" },
];

check(
  {
    id: "MTK-087",
    level: "MUST",
    profile: "runs",
    operations: [...OPS, "GET /threads/{thread_id}"],
    spec: COMMAND_SPEC,
    title: "A run with command.resume continues a thread paused at interrupt(): the node gets the value, the graph runs to its end, the thread reads idle",
    requires: ["graph:interrupt"],
  },
  async (c) => {
    const p = await pausedInAsk(c);
    await explained(c, p.tl, async () => {
      expectPaused(p, ["ask"], ["prepare"], "paused in `ask`");
      const r = await runAndRead(c, "interrupt", { command: { resume: "yes" } }, p);
      expectEqual(r.run?.status, "success", "the status of the resuming run");
      expectEqual(r.state.values?.answer, "yes", "what interrupt() returned in `ask` (the resume value)");
      expectEqual(r.state.values?.trail, ["prepare", "ask", "finish"], "the nodes that ran");
      expectEqual(r.state.next, [], "the state's next once the graph has ended");
      expectEqual(r.thread.status, "idle", "the thread's status once the graph has ended");
    });
  },
);

check(
  {
    id: "MTK-088",
    level: "MUST",
    profile: "runs",
    operations: OPS,
    spec: COMMAND_SPEC,
    title: "A run with command.update (and resume) writes the update to the thread's state before the paused graph goes on",
    requires: ["graph:interrupt"],
  },
  async (c) => {
    const p = await pausedInAsk(c);
    await explained(c, p.tl, async () => {
      const r = await runAndRead(c, "interrupt", { command: { resume: "ok", update: { value: "updated" } } }, p);
      expectEqual(r.run?.status, "success", "the status of the run with command.update");
      expectEqual(r.state.values?.value, "updated", "the state's `value` after command.update");
      expectEqual(r.state.values?.answer, "ok", "what interrupt() returned (the resume value that came with the update)");
    });
  },
);

check(
  {
    id: "MTK-089",
    level: "MUST",
    profile: "runs",
    operations: OPS,
    spec: COMMAND_SPEC,
    title: "A run with command.goto on a new thread runs the named node: goto=second runs `second` only",
    requires: ["graph:echo"],
  },
  async (c) => {
    const r = await runAndRead(c, "echo", { command: { goto: "second" } });
    await explained(c, r.tl, async () => {
      expectEqual(r.run?.status, "success", "the status of the run with command.goto");
      expectEqual(r.state.values?.trail, ["second"], "the nodes that ran");
    });
  },
);
