// POST /runs: a stateless run in the background, on a thread the server makes
// for it, which on_completion deletes (the default) or keeps when the run ends.

import { check, scenario } from "../../harness/check";
import type { CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonObject, expectStatus, expectSubset } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor, describeSeen, expectLocationNamesRun, expectLocationPresent, pollGone, pollRun } from "../_support/runs";

const CREATE = "POST /runs";
const ON_COMPLETION =
  "seed 002, RunCreateStateless.on_completion: \"Whether to delete or keep the thread created for a stateless run. Must be one of 'delete' or 'keep'\", default \"delete\"";

/** Creates a stateless run; the thread it reports is registered for deletion whatever happens. */
async function createStateless(c: CheckContext, body: Record<string, unknown>) {
  const res = await c.api.post("/runs", { ...body, metadata: { ...c.tag(), ...((body.metadata as object) ?? {}) } });
  if (typeof res.json?.thread_id === "string") c.created.thread(res.json.thread_id);
  return res;
}

const created = scenario("a stateless run of echo, kept", async (c) => {
  const assistantId = await assistantFor(c, "echo");
  const marker = { label: `stateless-${uuid()}` };
  const value = `stateless-${uuid()}`;
  const res = await createStateless(c, { assistant_id: assistantId, input: { value }, metadata: marker, on_completion: "keep" });
  return { assistantId, marker, value, res };
});

check(
  {
    id: "SRN-001",
    level: "MUST",
    profile: "stateless",
    operations: [CREATE],
    spec: "public documents, Create Background Run (POST /runs): \"Create a run and return the run ID immediately\"; Python SDK runs.create with thread_id None returns the Run (contract x-decision); Run.thread_id: the thread the server made for it",
    title: "POST /runs answers 200 with a Run of the given assistant, naming the thread made for it and carrying the metadata given",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await created(c);
    expectStatus(s.res, 200);
    const run = expectJsonObject(s.res);
    expectEqual(run.assistant_id, s.assistantId, "assistant_id of the stateless run", s.res);
    ensure(typeof run.thread_id === "string", "the stateless run names no thread_id", s.res);
    expectSubset(run.metadata, { label: s.marker.label }, "metadata of the stateless run", s.res);
  },
);

check(
  {
    id: "SRN-002",
    level: "SHOULD",
    profile: "stateless",
    operations: [CREATE],
    spec: "public documents, Create Background Run (POST /runs): header Content-Location \"The URL of the run that was created\", not marked required (contract RunLocation; presence is SHOULD)",
    title: "POST /runs answers with a Content-Location header",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await created(c);
    expectStatus(s.res, 200, "creating the stateless run");
    expectLocationPresent(s.res);
  },
);

check(
  {
    id: "SRN-003",
    level: "MUST",
    profile: "stateless",
    operations: [CREATE],
    spec: "public documents: Content-Location \"The URL of the run that was created\"; contract RunLocation: a path ending in /runs/{run_id}, with or without /threads/{thread_id}",
    title: "The Content-Location of POST /runs, when present, names the created run",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await created(c);
    expectStatus(s.res, 200, "creating the stateless run");
    const run = expectJsonObject(s.res);
    expectLocationNamesRun(c, s.res, { runId: run.run_id, threadId: run.thread_id, stateless: true });
  },
);

check(
  {
    id: "SRN-004",
    level: "MUST",
    profile: "stateless",
    operations: [CREATE, "GET /threads/{thread_id}/runs/{run_id}", "GET /threads/{thread_id}"],
    spec: `${ON_COMPLETION} ('keep')`,
    title: "A stateless run with on_completion=keep keeps its thread when it ends, holding the run's final values",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await created(c);
    expectStatus(s.res, 200, "creating the stateless run");
    const run = expectJsonObject(s.res);
    const { run: ended, seen } = await pollRun(c, run.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status" });
    c.note(`statuses seen: ${describeSeen(seen)}`);
    expectEqual(ended.status, "success", "end status of the stateless run");
    const thread = await c.api.get(`/threads/${run.thread_id}`);
    expectStatus(thread, 200, "on_completion=keep keeps the thread");
    expectSubset(expectJsonObject(thread).values, { value: s.value, echoed: s.value, trail: ["first", "second"] }, "values of the kept thread", thread);
  },
);

async function deletedWhenDone(c: CheckContext, onCompletion: "delete" | undefined) {
  const assistantId = await assistantFor(c, "echo");
  const res = await createStateless(c, { assistant_id: assistantId, input: { value: "gone" }, ...(onCompletion ? { on_completion: onCompletion } : {}) });
  expectStatus(res, 200, "creating the stateless run");
  const run = expectJsonObject(res);
  ensure(typeof run.thread_id === "string", "the stateless run names no thread_id", res);
  // The run of echo ends within a second; its thread goes with it (bounded wait).
  const { seen } = await pollGone(c, `/threads/${run.thread_id}`, { timeoutMs: 20_000, what: `a stateless run with ${onCompletion ? "on_completion=delete" : "no on_completion (default delete)"} deletes its thread when it ends` });
  c.note(`GET /threads/{thread_id} answered: ${seen.map((s) => `${s.status}@${s.atMs}ms`).join(" → ")}`);
}

check(
  {
    id: "SRN-005",
    level: "MUST",
    profile: "stateless",
    operations: [CREATE, "GET /threads/{thread_id}"],
    spec: `${ON_COMPLETION} ('delete'); the documents give no delay: the suite waits up to 20 s after creating a run of about a second`,
    title: "A stateless run with on_completion=delete deletes its thread when it ends",
    requires: ["graph:echo"],
  },
  (c) => deletedWhenDone(c, "delete"),
);

check(
  {
    id: "SRN-006",
    level: "MUST",
    profile: "stateless",
    operations: [CREATE, "GET /threads/{thread_id}"],
    spec: `${ON_COMPLETION}; seed 002 and both public documents agree on the default`,
    title: "A stateless run without on_completion deletes its thread when it ends (the default is delete)",
    requires: ["graph:echo"],
  },
  (c) => deletedWhenDone(c, undefined),
);

check(
  {
    id: "SRN-007",
    level: "MUST",
    profile: "stateless",
    operations: [CREATE],
    spec: "seed 002, Stateless Runs: \"A run is an invocation of a graph / assistant, with no state or memory persistence\"; contract: a stateless run runs on a thread of its own that the server creates",
    title: "Two stateless runs run on two different threads",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const [a, b] = await Promise.all([0, 1].map((i) => createStateless(c, { assistant_id: assistantId, input: { value: i }, on_completion: "keep" })));
    expectStatus(a!, 200);
    expectStatus(b!, 200);
    const ta = expectJsonObject(a!).thread_id;
    const tb = expectJsonObject(b!).thread_id;
    ensure(ta !== tb, `both stateless runs report the thread ${ta}`, b);
  },
);
