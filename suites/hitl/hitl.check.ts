// Human-in-the-loop on the root graph: a thread paused at a breakpoint
// (interrupt_before) or at interrupt(), what its state and the thread show
// while it waits, editing the state and going on, the commands that steer it
// (update, goto, with and without input), runs/wait stopping at a breakpoint,
// and a thread kept busy by a pending run.
//
// The breakpoint and interrupt() checks of suites/multitask/interrupts.checks.ts
// (MTK-080…089) judge that runs stop and resume; these judge what a client
// edits and reads in between. Each scenario is one thread of a fixture graph:
// echo (node `first` copies `value` into `echoed`, then node `second`; both
// append their name to `trail`) or interrupt (`prepare`, then `ask` calls
// interrupt(), then `finish`).

import { check, scenario, type CheckContext } from "../../harness/check";
import { deepEqual, ensure, expectEqual, expectJsonObject, expectStatus, expectSubset, fail } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";
import type { Citation } from "../../harness/model";
import { uuid } from "../_support/resources";
import { assistantFor, createRun, createThread, isTerminalRunStatus, pollRun, RUN_TIMEOUT_MS, runInBackground, settleThread, untilNotBusy } from "../_support/runs";

const ECHO = ["graph:echo"];
const INTERRUPT = ["graph:interrupt"];
const CREATE = "POST /threads/{thread_id}/runs";
const WAIT = "POST /threads/{thread_id}/runs/wait";
const GET_STATE = "GET /threads/{thread_id}/state";
const POST_STATE = "POST /threads/{thread_id}/state";
const GET_THREAD = "GET /threads/{thread_id}";
const CANCEL = "POST /threads/{thread_id}/runs/{run_id}/cancel";

interface Read {
  res: HttpResponse;
  body: Record<string, any>;
}

async function read(c: CheckContext, path: string, what: string): Promise<Read> {
  const res = await c.api.get(path);
  expectStatus(res, 200, what);
  return { res, body: expectJsonObject(res) };
}

const stateOf = (c: CheckContext, threadId: string) => read(c, `/threads/${threadId}/state`, "reading the thread's state");
const threadOf = (c: CheckContext, threadId: string) => read(c, `/threads/${threadId}`, "reading the thread");

/**
 * The thread is paused where the scenario put it: the nodes before the pause
 * have run, no other, and the thread reads interrupted. A prerequisite that
 * MTK-080…085 and MTK-051 judge: a target that does not pause skips these
 * checks, saying why. (Where it pauses but its state shows no next nodes or
 * tasks, the checks of those run and say so.)
 */
async function expectPausedAt(c: CheckContext, threadId: string, state: Read, ran: string[], why: string): Promise<Read> {
  const thread = await threadOf(c, threadId);
  const trail = state.body.values?.trail;
  if (JSON.stringify(trail) !== JSON.stringify(ran) || thread.body.status !== "interrupted") {
    c.skip(
      `the thread did not pause where the check needs it (${why}): the nodes that ran are ${JSON.stringify(trail)}, not ${JSON.stringify(ran)}, and the thread reads '${thread.body.status}' (MTK-051 and MTK-080…085 judge breakpoints and interrupts)`,
    );
  }
  return thread;
}

// ---------------------------------------------------------------- a breakpoint, an edit, going on

const edited = scenario(
  "an echo thread paused before `first`, its state edited, then continued",
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = (await createThread(c)).thread_id as string;
    const tag = uuid().slice(0, 8);
    const original = `orig-${tag}`;
    const edit = `edited-${tag}`;
    await runInBackground(c, threadId, { assistant_id: assistantId, input: { value: original }, interrupt_before: ["first"] });
    const before = await stateOf(c, threadId);
    await expectPausedAt(c, threadId, before, [], 'interrupt_before=["first"]');
    const update = await c.api.post(`/threads/${threadId}/state`, { values: { value: edit } });
    const thread = await threadOf(c, threadId);
    const after = await stateOf(c, threadId);
    const run = await runInBackground(c, threadId, { assistant_id: assistantId, input: null });
    const end = await stateOf(c, threadId);
    return { threadId, original, edit, before, update, thread, after, run, end };
  },
  RUN_TIMEOUT_MS,
);

check(
  {
    id: "HIL-001",
    level: "SHOULD",
    profile: "threads",
    operations: [POST_STATE, GET_STATE, GET_THREAD],
    spec: [
      { source: "sdk-py", section: "threads.update_state, values", quote: "The values to update the state with." },
      { source: "sdk-py", section: "ThreadState.next", quote: "The next nodes to execute." },
      { source: "contract", section: "ThreadStatus", note: "a state update writes values and runs no node: the thread stays where it was paused; not stated in words, so SHOULD" },
    ],
    title: "A state update on a thread paused at a breakpoint leaves it paused there: the thread reads interrupted and next is unchanged",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await edited(c);
    expectStatus(s.update, 200, "the state update");
    expectEqual(s.after.body.next, s.before.body.next, "the state's next after the update (unchanged from before it)", s.after.res);
    expectEqual(s.thread.body.status, "interrupted", "the thread's status after the update", s.thread.res);
  },
);

check(
  {
    id: "HIL-002",
    level: "MUST",
    profile: "runs",
    operations: [POST_STATE, CREATE, GET_STATE],
    spec: [
      { source: "sdk-py", section: "threads.update_state, values", quote: "The values to update the state with." },
      { source: "api-ref", section: "Create Run, RunCreateStateful.checkpoint", quote: "The checkpoint to resume from." },
      { source: "contract", section: "RunInput", note: "input null continues the thread from its latest checkpoint, which the update made" },
    ],
    title: "After a state update at a breakpoint, a run with input null runs the paused node on the edited values",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await edited(c);
    expectStatus(s.update, 200, "the state update");
    expectEqual(s.run.status, "success", "the status of the run that continued from the breakpoint");
    expectEqual(s.end.body.values?.echoed, s.edit, "values.echoed once `first` has run (it copies `value`: the edited one, not the original)", s.end.res);
    expectEqual(s.end.body.values?.trail, ["first", "second"], "the nodes that ran", s.end.res);
  },
);

check(
  {
    id: "HIL-003",
    level: "MUST",
    profile: "threads",
    operations: [GET_STATE],
    spec: [
      { source: "sdk-py", section: "ThreadState.tasks", quote: "Tasks to execute in this step. If already attempted, may contain an error." },
      { source: "sdk-py", section: "Thread.interrupts", quote: "Mapping of task ids to interrupts that were raised in that task." },
    ],
    title: "The state of a thread paused at a breakpoint has one task per next node, with its id and name, no error and no interrupts",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await edited(c);
    const { res, body } = s.before;
    const tasks = Array.isArray(body.tasks) ? body.tasks : [];
    expectEqual(
      tasks.map((t: any) => t?.name),
      ["first"],
      "the names of the state's tasks (one per node to run next: `first`, before which the run paused)",
      res,
    );
    const t = tasks[0];
    ensure(typeof t?.id === "string" && t.id.length > 0, `the task has no id: ${JSON.stringify(t)}`, res);
    ensure(t.error === undefined || t.error === null, `the task of a node that has not run carries an error: ${JSON.stringify(t.error)}`, res);
    ensure(
      t.interrupts === undefined || (Array.isArray(t.interrupts) && t.interrupts.length === 0),
      `the task of a node paused by a breakpoint carries interrupts: ${JSON.stringify(t.interrupts)}`,
      res,
    );
  },
);

// ---------------------------------------------------------------- runs/wait at a breakpoint, then goto __end__

const waitedAtBreakpoint = scenario(
  "an echo run waited for, paused before `second`, then sent to __end__",
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = (await createThread(c)).thread_id as string;
    const value = `w-${uuid().slice(0, 8)}`;
    const wait = await c.api.post(`/threads/${threadId}/runs/wait`, { assistant_id: assistantId, input: { value }, interrupt_before: ["second"], metadata: c.tag() }, { timeoutMs: 30_000 });
    await untilNotBusy(c, threadId);
    const before = await stateOf(c, threadId);
    const paused = await threadOf(c, threadId);
    const run = await runInBackground(c, threadId, { assistant_id: assistantId, command: { goto: "__end__" } });
    const thread = await threadOf(c, threadId);
    const end = await stateOf(c, threadId);
    return { threadId, value, wait, before, paused, run, thread, end };
  },
  RUN_TIMEOUT_MS,
);

check(
  {
    id: "HIL-004",
    level: "SHOULD",
    profile: "runs",
    operations: [WAIT],
    spec: [
      { source: "sdk-py", section: "runs.wait", quote: "Create a run, wait until it finishes and return the final state." },
      {
        source: "contract",
        section: "RunOutput x-decision",
        note: 'the JS SDK reads the answer as the last values chunk, which the reference server gives as {"__interrupt__": []} at a breakpoint: the documents disagree, so SHOULD',
      },
    ],
    title: "POST /threads/{thread_id}/runs/wait of a run that stops at a breakpoint answers the state's values at the breakpoint",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await waitedAtBreakpoint(c);
    expectStatus(s.wait, 200, "the wait");
    const out = expectJsonObject(s.wait, "output of a run stopped at a breakpoint");
    expectSubset(out, { value: s.value, echoed: s.value, trail: ["first"] }, "the answer of runs/wait (the values after `first`, before `second`)", s.wait);
  },
);

check(
  {
    id: "HIL-005",
    level: "SHOULD",
    profile: "runs",
    operations: [CREATE, GET_STATE, GET_THREAD],
    spec: [
      { source: "sdk-py", section: "Command.goto", quote: "Specifies where execution should continue." },
      { source: "api-ref", section: "Command.goto", note: "goto names the node(s) to go to next; the documents do not name __end__ among them" },
      { source: "contract", section: "Command.goto x-decision", note: "`__end__` on an interrupted thread ends the run without running the paused node; the reference server runs it: SHOULD" },
    ],
    title: 'A run with command.goto="__end__" on a thread paused at a breakpoint ends without running the paused node',
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await waitedAtBreakpoint(c);
    const trail = s.before.body.values?.trail;
    if (JSON.stringify(trail) !== JSON.stringify(["first"]) || s.paused.body.status !== "interrupted") {
      c.skip(`the thread did not pause before \`second\` (the nodes that ran are ${JSON.stringify(trail)}, the thread reads '${s.paused.body.status}'; MTK-080 judges breakpoints)`);
    }
    expectEqual(s.run.status, "success", 'the status of the run with command.goto="__end__"');
    expectEqual(s.end.body.values?.trail, ["first"], "the nodes that ran (`second`, the paused node, not)", s.end.res);
    expectEqual(s.end.body.next, [], "the state's next once the graph has ended", s.end.res);
  },
);

// ---------------------------------------------------------------- interrupt(): ids and where they show

const asked = scenario(
  "an interrupt thread paused in `ask`",
  async (c) => {
    const assistantId = await assistantFor(c, "interrupt");
    const threadId = (await createThread(c)).thread_id as string;
    const value = `q-${uuid().slice(0, 8)}`;
    await runInBackground(c, threadId, { assistant_id: assistantId, input: { value } });
    const state = await stateOf(c, threadId);
    const thread = await expectPausedAt(c, threadId, state, ["prepare"], "node `ask` calls interrupt()");
    const tasks: any[] = Array.isArray(state.body.tasks) ? state.body.tasks : [];
    const task: Record<string, any> | undefined = tasks.find((t) => t?.name === "ask");
    const interrupt: Record<string, any> | undefined = Array.isArray(task?.interrupts) ? task.interrupts[0] : undefined;
    return { expected: { question: "May the run continue?", value }, state, thread, tasks, task, interrupt };
  },
  RUN_TIMEOUT_MS,
);

const INTERRUPT_ID: Citation[] = [
  { source: "sdk-py", section: "Interrupt.id", quote: "The ID of the interrupt. Can be used to resume the interrupt." },
  { source: "openapi", section: "Interrupt", note: "types id as a string or null and requires only value: the documents disagree, so SHOULD" },
];

check(
  {
    id: "HIL-006",
    level: "SHOULD",
    profile: "threads",
    operations: [GET_STATE],
    spec: INTERRUPT_ID,
    title: "An interrupt raised by interrupt() carries an id in the state's task",
    requires: INTERRUPT,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await asked(c);
    const interrupt = s.interrupt;
    if (!interrupt) return c.skip(`the state's tasks show no interrupt of a task 'ask' (MTK-085 judges them): ${JSON.stringify(s.state.body.tasks)?.slice(0, 300)}`);
    ensure(typeof interrupt.id === "string" && interrupt.id.length > 0, `the interrupt of task 'ask' has no id: ${JSON.stringify(interrupt)?.slice(0, 300)}`, s.state.res);
  },
);

check(
  {
    id: "HIL-007",
    level: "MUST",
    profile: "threads",
    operations: [GET_THREAD, GET_STATE],
    spec: [
      { source: "sdk-py", section: "Thread.interrupts", quote: "Mapping of task ids to interrupts that were raised in that task." },
      { source: "contract", section: "Thread.interrupts", note: "its presence is MTK-086 (SHOULD); this check judges its keys where it is given" },
    ],
    title: "GET /threads/{thread_id} of a thread paused at interrupt() keys its interrupts by the id of the task that raised them",
    requires: INTERRUPT,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await asked(c);
    const map = s.thread.body.interrupts;
    const entries = map && typeof map === "object" && !Array.isArray(map) ? Object.entries(map).filter(([, v]) => Array.isArray(v) && v.length > 0) : [];
    if (entries.length === 0) c.skip(`the thread lists no pending interrupt (MTK-086 judges that, at SHOULD): ${JSON.stringify(map)?.slice(0, 200)}`);
    const keys = entries.map(([k]) => k);
    if (!s.task)
      fail(
        `the thread's interrupts are keyed ${JSON.stringify(keys)}, and the thread's state names no task 'ask' whose id these could be (its tasks: ${JSON.stringify(s.tasks.map((t) => t?.id))})`,
        s.thread.res,
      );
    expectEqual(keys, [s.task.id], "the keys of the thread's interrupts (the id of the task 'ask', which raised the one pending interrupt)", s.thread.res);
    expectEqual(
      (entries[0]![1] as any[]).map((i) => i?.value),
      [s.expected],
      "the interrupts under the task's id (the value `ask` gave interrupt())",
      s.thread.res,
    );
  },
);

check(
  {
    id: "HIL-008",
    level: "SHOULD",
    profile: "threads",
    operations: [GET_STATE],
    spec: [
      { source: "sdk-py", section: "ThreadState.interrupts", quote: "Interrupts which were thrown in this thread." },
      { source: "openapi", section: "ThreadState.interrupts", note: "an array of Interrupt, not required: SHOULD" },
    ],
    title: "GET /threads/{thread_id}/state of a thread paused at interrupt() lists the pending interrupt under interrupts",
    requires: INTERRUPT,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await asked(c);
    const list = s.state.body.interrupts;
    ensure(Array.isArray(list), `the state has no interrupts list: ${JSON.stringify(list)}`, s.state.res);
    ensure(
      list.some((i: any) => deepEqual(i?.value, s.expected) && (!s.interrupt || (i?.id ?? null) === (s.interrupt.id ?? null))),
      `the state's interrupts do not list the pending interrupt (value ${JSON.stringify(s.expected)}${s.interrupt ? `, id ${JSON.stringify(s.interrupt.id)} as in task 'ask'` : ""}): ${JSON.stringify(list)?.slice(0, 300)}`,
      s.state.res,
    );
  },
);

// ---------------------------------------------------------------- commands on a thread that is not interrupted

const COMMAND_UPDATE: Citation[] = [
  { source: "api-ref", section: "Command.update", quote: "An update to the state." },
  { source: "sdk-py", section: "Command.update", quote: "Updates to apply to the graph's state." },
];

const commanded = scenario(
  "an echo thread run to its end, then runs with command.update only",
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = (await createThread(c)).thread_id as string;
    const tag = uuid().slice(0, 8);
    const values = { first: `v0-${tag}`, dict: `u-dict-${tag}`, pairs: `u-pairs-${tag}` };
    await runInBackground(c, threadId, { assistant_id: assistantId, input: { value: values.first } });
    const dictRun = await runInBackground(c, threadId, { assistant_id: assistantId, command: { update: { value: values.dict } } });
    const dict = await stateOf(c, threadId);
    const pairsRun = await runInBackground(c, threadId, { assistant_id: assistantId, command: { update: [["value", values.pairs]] } });
    const pairs = await stateOf(c, threadId);
    return { values, dictRun, dict, pairsRun, pairs };
  },
  RUN_TIMEOUT_MS,
);

check(
  {
    id: "HIL-009",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET_STATE],
    spec: [...COMMAND_UPDATE, { source: "sdk-py", section: "Command.update", quote: "A dictionary of state updates to merge" }],
    title: "A run with only command.update, on a thread that is not interrupted, writes the update to the thread's state",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await commanded(c);
    expectEqual(s.dictRun.status, "success", "the status of the run with command.update");
    expectEqual(s.dict.body.values?.value, s.values.dict, "values.value after the run with command.update {value: …}", s.dict.res);
  },
);

check(
  {
    id: "HIL-010",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET_STATE],
    spec: [...COMMAND_UPDATE, { source: "sdk-py", section: "Command.update", quote: "A sequence of (key, value) tuples for ordered updates" }],
    title: "command.update as a list of [key, value] pairs writes the update as the object form does",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await commanded(c);
    expectEqual(s.pairsRun.status, "success", "the status of the run with command.update as pairs");
    expectEqual(s.pairs.body.values?.value, s.values.pairs, 'values.value after the run with command.update [["value", …]]', s.pairs.res);
  },
);

const both = scenario(
  "an echo run created with both input and command.goto",
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = (await createThread(c)).thread_id as string;
    const value = `in-${uuid().slice(0, 8)}`;
    const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value }, command: { goto: "second" }, metadata: c.tag() });
    if (res.status !== 200) return { value, res };
    const runId = expectJsonObject(res).run_id as string;
    const { run } = await pollRun(c, threadId, runId, (r) => isTerminalRunStatus(r.status), { timeoutMs: 30_000, what: "its end" });
    await untilNotBusy(c, threadId);
    return { value, res, run, state: await stateOf(c, threadId) };
  },
  RUN_TIMEOUT_MS,
);

check(
  {
    id: "HIL-011",
    level: "SHOULD",
    profile: "runs",
    operations: [CREATE, GET_STATE],
    spec: [
      { source: "sdk-py", section: "runs.create, command", quote: "A command to execute. Cannot be combined with input." },
      {
        source: "contract",
        section: "RunCreateStateful.command x-decision",
        note: "the API documents allow both fields: a server may refuse the body (4xx) or accept it and carry out the command without the input",
      },
    ],
    title: "A run created with both input and command is refused, or carries out the command and not the input",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await both(c);
    if (s.res.status >= 400 && s.res.status < 500) return c.note(`refused with ${s.res.status}: the SDK's reading ("cannot be combined with input")`);
    expectStatus(s.res, 200, "a body with both input and command, refused or accepted");
    const st = s.state!;
    expectEqual(s.run?.status, "success", "the status of the run");
    expectEqual(st.body.values?.trail, ["second"], 'the nodes that ran (command.goto="second": `second` only, not the graph from its start as the input would)', st.res);
    ensure(st.body.values?.value === undefined || st.body.values?.value === null, `the input was applied besides the command: values.value is ${JSON.stringify(st.body.values?.value)}`, st.res);
  },
);

// ---------------------------------------------------------------- a pending run keeps the thread busy

const pending = scenario(
  "an echo thread with a run pending (after_seconds), cancelled",
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = (await createThread(c)).thread_id as string;
    const tag = uuid().slice(0, 8);
    try {
      await runInBackground(c, threadId, { assistant_id: assistantId, input: { value: `b0-${tag}` } });
      const created = await createRun(c, threadId, { assistant_id: assistantId, input: { value: `b1-${tag}` }, after_seconds: 120 });
      const busy = await threadOf(c, threadId);
      const refused = await c.api.post(`/threads/${threadId}/state`, { values: { value: `x-${tag}` } });
      const { run: stillPending } = await pollRun(c, threadId, created.run_id, () => true);
      if (stillPending.status !== "pending") c.skip(`no pending run: a run created with after_seconds=120 reads '${stillPending.status}' (MTK-060 judges after_seconds)`);
      const cancel = await c.api.post(`/threads/${threadId}/runs/${created.run_id}/cancel`);
      const { run: cancelled } = await pollRun(c, threadId, created.run_id, (r) => isTerminalRunStatus(r.status), { timeoutMs: 15_000, what: "its end, once cancelled" });
      const afterCancel = await untilNotBusy(c, threadId).catch(async () => (await threadOf(c, threadId)).body);
      const value = `y-${tag}`;
      const taken = await c.api.post(`/threads/${threadId}/state`, { values: { value } });
      const state = await stateOf(c, threadId);
      return { tag, value, busy, refused, stillPending, cancel, cancelled, afterCancel, taken, state };
    } finally {
      await settleThread(c, threadId);
    }
  },
  RUN_TIMEOUT_MS,
);

const BUSY_409: Citation[] = [
  { source: "contract", section: "update_thread_state 409 x-decision", note: "an update of a thread whose run is pending or running is refused with 409; the API documents are silent, so SHOULD" },
];

check(
  {
    id: "HIL-012",
    level: "SHOULD",
    profile: "threads",
    operations: [CREATE, GET_THREAD],
    spec: [...BUSY_409, { source: "sdk-py", section: "ThreadStatus", quote: '"busy": The thread is actively processing a task.' }],
    title: "A thread with a pending run (after_seconds) reads busy",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await pending(c);
    expectEqual(s.busy.body.status, "busy", "the status of a thread whose run is pending", s.busy.res);
  },
);

check(
  {
    id: "HIL-013",
    level: "SHOULD",
    profile: "threads",
    operations: [POST_STATE],
    spec: BUSY_409,
    title: "POST /threads/{thread_id}/state on a thread with a pending run answers 409",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await pending(c);
    expectStatus(s.refused, 409, "the thread's run is pending");
  },
);

check(
  {
    id: "HIL-014",
    level: "SHOULD",
    profile: "threads",
    operations: [CANCEL, GET_THREAD],
    spec: [
      { source: "sdk-py", section: "ThreadStatus", quote: '"idle": The thread is not currently processing any task.' },
      { source: "contract", section: "ThreadStatus", note: "idle: no run in progress; which status a thread reads once a run that never started is cancelled is not stated in words: SHOULD" },
    ],
    title: "Once its pending run is cancelled, a thread reads idle",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await pending(c);
    ensure(s.cancel.status >= 200 && s.cancel.status < 300, `the cancel of the pending run answered ${s.cancel.status}`, s.cancel);
    expectEqual(s.afterCancel.status, "idle", `the status of the thread once its pending run was cancelled (the run reads '${s.cancelled.status}')`);
  },
);

check(
  {
    id: "HIL-015",
    level: "MUST",
    profile: "threads",
    operations: [POST_STATE, GET_STATE],
    spec: [
      { source: "sdk-py", section: "threads.update_state", quote: "Update the state of a thread." },
      { source: "sdk-py", section: "threads.update_state, values", quote: "The values to update the state with." },
    ],
    title: "Once its pending run is cancelled, a thread takes a state update",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await pending(c);
    ensure(s.cancel.status >= 200 && s.cancel.status < 300, `the cancel of the pending run answered ${s.cancel.status}`, s.cancel);
    expectStatus(s.taken, 200, "the thread has no run in progress any more");
    expectEqual(s.state.body.values?.value, s.value, "values.value after the update", s.state.res);
  },
);
