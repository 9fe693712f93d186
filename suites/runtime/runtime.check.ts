// What a running graph receives, seen through the `runtime` fixture graph
// (fixtures/graphs/runtime.ts): node `read` copies config.configurable's
// `probe_*` entries into `configurable`, the runtime context's `tone` and
// `persona` into `context` (never `secret`), the store item (store_ns, "given")
// into `stored`, and writes the store item (store_ns, "written"); node `lap`
// runs `laps` times, one superstep each.
//
// One scenario runs the graph a few times on one assistant (with a config and a
// context of its own) and reads what each run saw; a second asks for the
// graph's schemas (the first request of a graph's schemas is slow on servers
// that derive them from code).

import { check, scenario, type CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectSameMembers, expectStatus } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";
import type { Citation } from "../../harness/model";
import { getItem, uuid } from "../_support/resources";
import { assistantFor, createThread, pollThread, RUN_TIMEOUT_MS, runInBackground } from "../_support/runs";

const RUNTIME = ["graph:runtime"];
const CREATE = "POST /threads/{thread_id}/runs";
const GET_STATE = "GET /threads/{thread_id}/state";
const HISTORY = "POST /threads/{thread_id}/history";
const PATCH_ASSISTANT = "PATCH /assistants/{assistant_id}";
const SCHEMAS = "GET /assistants/{assistant_id}/schemas";

async function valuesOf(c: CheckContext, threadId: string): Promise<{ res: HttpResponse; values: Record<string, any> }> {
  const res = await c.api.get(`/threads/${threadId}/state`);
  expectStatus(res, 200, "reading what the run left in the thread's state");
  return { res, values: (expectJsonObject(res).values ?? {}) as Record<string, any> };
}

async function historyOf(c: CheckContext, threadId: string, filter?: Record<string, unknown>): Promise<{ res: HttpResponse; list: any[] }> {
  const res = await c.api.post(`/threads/${threadId}/history`, { limit: 100, ...(filter ? { metadata: filter } : {}) });
  expectStatus(res, 200, "reading the thread's history");
  return { res, list: expectJsonArray(res) };
}

const cpId = (s: any): unknown => s?.checkpoint?.checkpoint_id;

interface Seen {
  res: HttpResponse;
  values: Record<string, any>;
}

interface Runtime {
  /** The thread of runs 1 and 2 (and a state update after them). */
  threadId: string;
  ns: string[];
  given: Record<string, unknown>;
  putStatus: number;
  /** What the assistant was created with. */
  asst: { configurable: Record<string, string>; context: Record<string, string> };
  /** Run 1: no config, no context of its own (metadata r1). */
  first: Seen & { value: string; run: Record<string, any> };
  /** Run 2: a config and a context of its own (metadata r2). */
  second: Seen & { configurable: Record<string, string>; context: Record<string, string>; secret: string };
  /** The history after run 1, after run 2 and after a state update, newest first. */
  h1: any[];
  h2: any[];
  h3: { res: HttpResponse; list: any[] };
  marks: { r1: string; r2: string };
  /** Run 3, on a new thread, after PATCH of the assistant's context. */
  patched: Seen & { context: Record<string, string>; patchStatus: number };
  /** Run 4, on a new thread, over its recursion limit (or why it could not be run to its end). */
  limited: { run?: Record<string, any>; thread?: Record<string, any>; failure?: unknown; laps: number; limit: number };
  /** The status of the state update after run 2. */
  updateStatus: number;
}

const runtime = scenario(
  "the runtime graph run with and without a config and a context of its own",
  async (c): Promise<Runtime> => {
    const tag = uuid().slice(0, 8);
    const asst = {
      configurable: { probe_a: `A-asst-${tag}`, probe_b: `B-asst-${tag}` },
      context: { tone: `T-asst-${tag}`, persona: `P-asst-${tag}` },
    };
    const assistantId = await assistantFor(c, "runtime", { config: { configurable: asst.configurable }, context: asst.context });

    // Over the recursion limit, on a thread of its own, while the rest goes on.
    const LAPS = 5;
    const LIMIT = 3;
    // Its failure is RTM-007's alone: kept, not thrown into the scenario.
    const limitedP: Promise<Runtime["limited"]> = (async () => {
      const t = await createThread(c);
      const run = await runInBackground(c, t.thread_id, { assistant_id: assistantId, input: { value: "limited", laps: LAPS }, config: { recursion_limit: LIMIT } });
      const { thread } = await pollThread(c, t.thread_id, () => true);
      return { run, thread, laps: LAPS, limit: LIMIT };
    })().catch((failure: unknown) => ({ failure, laps: LAPS, limit: LIMIT }));

    // The store item the graph reads; a server without a store still runs the graph (its checks skip or fail on their own).
    const ns = c.namespace("runtime", uuid());
    const given = { note: `given-${tag}` };
    c.created.storeItem(ns, "given");
    c.created.storeItem(ns, "written");
    const put = await c.api.put("/store/items", { namespace: ns, key: "given", value: given });

    const marks = { r1: `r1-${tag}`, r2: `r2-${tag}` };
    const t1 = (await createThread(c)).thread_id as string;
    const value = `v-${tag}`;
    const run1 = await runInBackground(c, t1, { assistant_id: assistantId, input: { value, store_ns: ns, laps: 3 }, metadata: { rtm_run: marks.r1 } });
    const first = { ...(await valuesOf(c, t1)), value, run: run1 };
    const h1 = (await historyOf(c, t1)).list;

    const second = {
      configurable: { probe_b: `B-run-${tag}`, probe_c: `C-run-${tag}` },
      context: { persona: `P-run-${tag}`, secret: `S-secret-${tag}` },
      secret: `S-secret-${tag}`,
    };
    await runInBackground(c, t1, {
      assistant_id: assistantId,
      input: { value: `v2-${tag}`, store_ns: null },
      config: { configurable: second.configurable },
      context: second.context,
      metadata: { rtm_run: marks.r2 },
    });
    const seen2 = await valuesOf(c, t1);
    const h2 = (await historyOf(c, t1)).list;
    const upd = await c.api.post(`/threads/${t1}/state`, { values: { value: `u-${tag}` } });
    const h3 = await historyOf(c, t1);

    const newContext = { tone: `T-new-${tag}`, persona: `P-new-${tag}` };
    const patch = await c.api.patch(`/assistants/${assistantId}`, { context: newContext });
    const t3 = (await createThread(c)).thread_id as string;
    await runInBackground(c, t3, { assistant_id: assistantId, input: { value: `v3-${tag}` } });
    const seen3 = await valuesOf(c, t3);

    return {
      threadId: t1,
      ns,
      given,
      putStatus: put.status,
      asst,
      first,
      second: { ...seen2, ...second },
      h1,
      h2,
      h3,
      marks,
      patched: { ...seen3, context: newContext, patchStatus: patch.status },
      limited: await limitedP,
      updateStatus: upd.status,
    };
  },
  RUN_TIMEOUT_MS,
);

const CONTEXT_RUN: Citation[] = [
  { source: "api-ref", section: "Create Run, RunCreateStateful.context", quote: "Static context added to the assistant." },
  { source: "sdk-py", section: "RunCreate.context", quote: "The static context of the run." },
];
const CONTEXT_ASSISTANT: Citation[] = [
  { source: "api-ref", section: "Create Assistant, context", quote: "Static context added to the assistant." },
  { source: "sdk-py", section: "Assistant.context", quote: "The static context of the assistant." },
];
const CONFIG_RUN: Citation[] = [
  { source: "api-ref", section: "Create Run, RunCreateStateful.config", quote: "The configuration for the assistant." },
  { source: "sdk-py", section: "Config.configurable", quote: "Runtime values for attributes previously made configurable on this Runnable," },
];

check(
  {
    id: "RTM-001",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET_STATE],
    spec: CONTEXT_RUN,
    title: "A run's context reaches the graph: its nodes read the values the run was created with",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    expectEqual(s.second.values.context?.persona, s.second.context.persona, "context.persona as node `read` saw it (the run's context gives it)", s.second.res);
  },
);

check(
  {
    id: "RTM-002",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET_STATE, "POST /assistants"],
    spec: CONTEXT_ASSISTANT,
    title: "An assistant's context is used by its runs: a run created without a context of its own gives the graph the assistant's",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    expectEqual(s.first.values.context, s.asst.context, "the context node `read` saw in a run without a context of its own (the assistant's)", s.first.res);
  },
);

check(
  {
    id: "RTM-003",
    level: "MUST",
    profile: "runs",
    operations: [PATCH_ASSISTANT, CREATE, GET_STATE],
    spec: [
      { source: "api-ref", section: "Patch Assistant, context", quote: "Static context added to the assistant." },
      { source: "sdk-py", section: "Assistant.context", quote: "The static context of the assistant." },
    ],
    title: "After PATCH /assistants/{assistant_id} with a new context, the assistant's next runs use the new context",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    if (s.patched.patchStatus !== 200) c.skip(`PATCH /assistants/{assistant_id} with a new context answered ${s.patched.patchStatus} (the assistants profile judges PATCH)`);
    expectEqual(s.patched.values.context, s.patched.context, "the context node `read` saw in a run after the PATCH (the new context)", s.patched.res);
  },
);

check(
  {
    id: "RTM-004",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET_STATE],
    spec: [
      ...CONTEXT_RUN,
      { source: "contract", section: "RunCreateStateful.context", note: "the run's context is added to the assistant's: keys the run gives win, the assistant's other keys stay" },
    ],
    title: "A run's context is added to its assistant's: the run's keys win, the assistant's other keys still reach the graph",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    expectEqual(
      s.second.values.context,
      { tone: s.asst.context.tone, persona: s.second.context.persona },
      "the context node `read` saw (tone from the assistant, persona from the run, which also gives it)",
      s.second.res,
    );
  },
);

check(
  {
    id: "RTM-005",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET_STATE],
    spec: CONFIG_RUN,
    title: "A run's config.configurable reaches the graph: its nodes read the values the run was created with",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    expectEqual(s.second.values.configurable?.probe_c, s.second.configurable.probe_c, "configurable.probe_c as node `read` saw it (only the run's config gives it)", s.second.res);
  },
);

check(
  {
    id: "RTM-006",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET_STATE, "POST /assistants"],
    spec: [
      ...CONFIG_RUN,
      { source: "api-ref", section: "Create Assistant, config", quote: "Configuration to use for the graph." },
      { source: "contract", section: "RunCreateStateful.config", note: "both configurations are used: the run's keys win, the assistant's other keys stay" },
    ],
    title: "A run's config.configurable is merged with its assistant's: the run's keys win, the assistant's other keys still reach the graph",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    expectEqual(
      s.second.values.configurable,
      { probe_a: s.asst.configurable.probe_a, probe_b: s.second.configurable.probe_b, probe_c: s.second.configurable.probe_c },
      "the probe_* entries of config.configurable node `read` saw (probe_a from the assistant, probe_b and probe_c from the run)",
      s.second.res,
    );
  },
);

check(
  {
    id: "RTM-007",
    level: "SHOULD",
    profile: "runs",
    operations: [CREATE, "GET /threads/{thread_id}/runs/{run_id}", "GET /threads/{thread_id}"],
    spec: [
      { source: "sdk-py", section: "Config.recursion_limit", quote: "Maximum number of times a call can recurse. If not provided, defaults to 25." },
      { source: "contract", section: "ThreadStatus", note: "what a run over its limit ends with is not stated in words: SHOULD" },
    ],
    title: "A run over its config.recursion_limit fails: the run and its thread read error",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    const l = s.limited;
    if (l.failure !== undefined || !l.run || !l.thread) throw l.failure ?? new Error("the run over its recursion limit was not read");
    c.note(
      `the run needs ${l.laps + 1} supersteps (node read, then ${l.laps} laps) and was given recursion_limit=${l.limit}; a run of the same graph with 3 laps and no limit of its own ended '${s.first.run.status}'`,
    );
    expectEqual(l.run.status, "error", `the status of a run whose graph needs ${l.laps + 1} supersteps, created with recursion_limit=${l.limit}`);
    expectEqual(l.thread.status, "error", "the status of its thread");
  },
);

/** The store takes an item over HTTP (STO-001 judges PUT /store/items): else there is no store to compare with the graph's. */
function skipWithoutStore(c: CheckContext, s: Runtime): void {
  if (s.putStatus !== 204) c.skip(`PUT /store/items of the item the graph reads answered ${s.putStatus}, not 204 (STO-001 judges PUT /store/items)`);
}

/** The thread's history lists the runs' checkpoints (the history checks, THR-15x, judge it): else there is nothing to look into. */
function skipWithoutHistory(c: CheckContext, list: unknown[]): void {
  if (list.length === 0) c.skip("the thread's history is empty after two runs (THR-150… judge the history): no checkpoint to look into");
}

check(
  {
    id: "RTM-008",
    level: "MUST",
    profile: "store",
    operations: [CREATE, "GET /store/items"],
    spec: [
      { source: "api-ref", section: "Store", quote: "Store is an API for managing persistent key-value store (long-term memory) that is available from any thread." },
      { source: "api-ref", section: "Item", quote: "Represents a single document or data entry in the graph's Store. Items are used to store cross-thread memories." },
    ],
    title: "The store is the graph's store: an item a node writes is read by GET /store/items",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    skipWithoutStore(c, s);
    const res = await getItem(c, s.ns, "written");
    expectStatus(res, 200, 'node `read` wrote the item (store_ns, "written") during the run');
    expectEqual(expectJsonObject(res).value, { value: s.first.value, by: "runtime" }, "the value of the item node `read` wrote", res);
  },
);

check(
  {
    id: "RTM-009",
    level: "MUST",
    profile: "store",
    operations: ["PUT /store/items", CREATE, GET_STATE],
    spec: [
      { source: "api-ref", section: "Store", quote: "Store is an API for managing persistent key-value store (long-term memory) that is available from any thread." },
      { source: "api-ref", section: "Item", quote: "Represents a single document or data entry in the graph's Store. Items are used to store cross-thread memories." },
    ],
    title: "The store is the graph's store: an item PUT /store/items stores before a run is read by the run's node",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    skipWithoutStore(c, s);
    expectEqual(s.first.values.stored, s.given, 'the value node `read` found at (store_ns, "given")', s.first.res);
  },
);

check(
  {
    id: "RTM-010",
    level: "SHOULD",
    profile: "runs",
    operations: [CREATE, HISTORY],
    spec: [
      { source: "api-ref", section: "Create Run, RunCreateStateful.metadata", quote: "Metadata to assign to the run." },
      { source: "sdk-py", section: "threads.get_history, metadata", quote: "Filter states by metadata key-value pairs." },
      { source: "contract", section: "ThreadStateSearch.metadata", note: "that a run's metadata reaches the metadata of the checkpoints it makes is not stated in words: SHOULD" },
    ],
    title: "A run's metadata reaches the checkpoints it makes: history filtered by it answers exactly that run's states",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    skipWithoutHistory(c, s.h3.list);
    const ids1 = s.h1.map(cpId);
    const ids2 = s.h2.map(cpId).filter((id) => !ids1.includes(id));
    ensure(ids1.length > 0 && ids2.length > 0, `the runs made no states to filter (${ids1.length} after the first run, ${ids2.length} more after the second)`);
    for (const [mark, expected, which] of [
      [s.marks.r1, ids1, "the first run"],
      [s.marks.r2, ids2, "the second run"],
    ] as Array<[string, unknown[], string]>) {
      const { res, list } = await historyOf(c, s.threadId, { rtm_run: mark });
      expectSameMembers(list.map(cpId), expected, `the checkpoints of history filtered by the metadata of ${which} (rtm_run=${mark})`, res);
    }
  },
);

check(
  {
    id: "RTM-011",
    level: "SHOULD",
    profile: "threads",
    operations: [HISTORY],
    spec: [
      {
        source: "sdk-py",
        section: "ThreadState.metadata",
        quote: "Metadata for this state",
        note: "the keys source (input, loop, update) and step are what the official servers record; no document states them: SHOULD",
      },
    ],
    title: "Checkpoint metadata records source (input, loop, update) and step: each run starts with an input checkpoint, the steps count up by one",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    const { res, list } = s.h3;
    skipWithoutHistory(c, list);
    if (s.updateStatus !== 200) c.skip(`the state update after the runs answered ${s.updateStatus} (THR-102 judges state updates): no checkpoint of source 'update' to look for`);
    const oldestFirst = [...list].reverse();
    const shown = oldestFirst.map((x) => `${x?.metadata?.source}@${x?.metadata?.step}`).join(", ");
    c.note(`source@step, oldest first: ${shown}`);
    expectEqual(oldestFirst.filter((x) => x?.metadata?.source === "input").length, 2, "checkpoints with source 'input' (one per run: two runs)", res);
    expectEqual(oldestFirst[0]?.metadata?.source, "input", "the source of the thread's oldest checkpoint (its first run's input)", res);
    expectEqual(oldestFirst.at(-1)?.metadata?.source, "update", "the source of the newest checkpoint (a state update)", res);
    const bad = oldestFirst.findIndex((x) => !["input", "loop", "update"].includes(x?.metadata?.source));
    ensure(bad < 0, `checkpoint ${bad} (oldest first) has source ${JSON.stringify(oldestFirst[bad]?.metadata?.source)}, not input, loop or update`, res);
    expectEqual(oldestFirst[0]?.metadata?.step, -1, "the step of the thread's first checkpoint (the input, before step 0)", res);
    for (let i = 1; i < oldestFirst.length; i++) {
      const [a, b] = [oldestFirst[i - 1]?.metadata?.step, oldestFirst[i]?.metadata?.step];
      ensure(typeof b === "number" && b === a + 1, `the steps do not count up by one: checkpoint ${i} (oldest first) has step ${JSON.stringify(b)} after ${JSON.stringify(a)} (${shown})`, res);
    }
  },
);

check(
  {
    id: "RTM-012",
    level: "SHOULD",
    profile: "threads",
    operations: [CREATE, HISTORY],
    spec: [
      ...CONTEXT_RUN,
      {
        source: "contract",
        section: "RunCreateStateful.context",
        note: "a run's context is per-request data (credentials, a user's name); no document says it is kept with the thread's checkpoints, nor that it is not: SHOULD",
      },
    ],
    title: "A run's context is not persisted in the checkpoints it makes (values, metadata, config)",
    requires: RUNTIME,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await runtime(c);
    const { res, list } = s.h3;
    skipWithoutHistory(c, list);
    // The graph copies tone and persona into its state on purpose; `secret` it never copies.
    const leaks = list.filter((x) => JSON.stringify(x).includes(s.second.secret));
    ensure(
      leaks.length === 0,
      `${leaks.length} of the ${list.length} checkpoints carry the value of the run's context key 'secret' (which the graph never copies): ${JSON.stringify(leaks[0])?.slice(0, 300)}`,
      res,
    );
  },
);

// ---------------------------------------------------------------- schemas

// Schemas are derived from the graph's code; the first request of a graph's
// schemas can take many seconds on a loaded machine (the contract sets no latency).
const SLOW = { timeoutMs: 180_000 };

const schemas = scenario(
  "the schemas of the runtime graph",
  async (c) => {
    const assistantId = await assistantFor(c, "runtime");
    const res = await c.api.get(`/assistants/${assistantId}/schemas`, SLOW);
    expectStatus(res, 200, "reading the graph's schemas");
    return { res, body: expectJsonObject(res) };
  },
  200_000,
);

const props = (schema: any): string[] => Object.keys(schema?.properties ?? {});

check(
  {
    id: "RTM-013",
    level: "SHOULD",
    profile: "assistants",
    operations: [SCHEMAS],
    spec: [
      { source: "api-ref", section: "GraphSchema.context_schema", quote: "The schema for the graph context. Missing if unable to generate JSON schema from graph." },
      { note: "a graph that declares its context schema gives one to derive; the words allow it to be missing", source: "contract", section: "GraphSchema" },
    ],
    title: "GET /assistants/{assistant_id}/schemas gives the context_schema the graph declares",
    requires: RUNTIME,
    timeoutMs: 200_000,
  },
  async (c) => {
    const { res, body } = await schemas(c);
    const have = props(body.context_schema);
    for (const k of ["tone", "persona", "secret"])
      ensure(have.includes(k), `context_schema has no property '${k}' of the graph's context schema (has: ${have.join(", ") || "none"}): ${JSON.stringify(body.context_schema)?.slice(0, 200)}`, res);
  },
);

check(
  {
    id: "RTM-014",
    level: "SHOULD",
    profile: "assistants",
    operations: [SCHEMAS],
    spec: [
      { source: "api-ref", section: "GraphSchema.input_schema", quote: "The schema for the graph input. Missing if unable to generate JSON schema from graph." },
      { source: "api-ref", section: "GraphSchema.output_schema", quote: "The schema for the graph output. Missing if unable to generate JSON schema from graph." },
    ],
    title: "GET /assistants/{assistant_id}/schemas gives input_schema and output_schema derived from the graph, with its channels",
    requires: RUNTIME,
    timeoutMs: 200_000,
  },
  async (c) => {
    const { res, body } = await schemas(c);
    for (const [name, channels] of [
      ["input_schema", ["value", "store_ns", "laps"]],
      ["output_schema", ["configurable", "context", "stored", "trail"]],
    ] as Array<[string, string[]]>) {
      const have = props(body[name]);
      for (const k of channels) ensure(have.includes(k), `${name} has no property '${k}', a channel of the graph's state (has: ${have.join(", ") || "none"})`, res);
    }
  },
);
