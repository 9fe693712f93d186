// POST /runs: a stateless run in the background, on a thread the server makes
// for it, which on_completion deletes (the default) or keeps when the run ends.

import { check, scenario } from "../../harness/check";
import type { CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonObject, expectStatus, expectSubset } from "../../harness/expect";
import type { Citation } from "../../harness/model";
import { uuid } from "../_support/resources";
import { assistantFor, describeSeen, expectLocationNamesRun, expectLocationPresent, pollGone, pollRun } from "../_support/runs";

const CREATE = "POST /runs";
const ON_COMPLETION: Citation = {
  source: "api-ref",
  section: "RunCreateStateless.on_completion",
  quote: "Whether to delete or keep the thread created for a stateless run. Must be one of 'delete' or 'keep'.",
  note: 'default "delete"',
};

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
    level: "SHOULD",
    profile: "stateless",
    operations: [CREATE],
    spec: [
      { source: "openapi", section: "POST /runs (Create Background Run)", quote: "Create a run and return the run ID immediately.", note: "its 200 has the empty schema, as in openapi-prev" },
      { source: "sdk-py", section: "RunsClient.create", quote: "Create a background run.", note: "returns Run; with thread_id None, the Run of a stateless run" },
      {
        source: "contract",
        section: "POST /runs, 200 x-decision",
        quote: "the Python SDK's runs.create (with no thread) returns a Run",
        note: "that the answer is a Run (with the thread made for it and the metadata given) rests on the SDK's type only, hence SHOULD",
      },
    ],
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
    spec: [
      { source: "openapi", section: "POST /runs, 200 headers Content-Location", quote: "The URL of the run that was created.", note: "declared, not marked required; the same in openapi-prev" },
      { source: "contract", section: "RunLocation", note: "presence is SHOULD" },
    ],
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
    spec: [
      { source: "openapi", section: "POST /runs, 200 headers Content-Location", quote: "The URL of the run that was created.", note: "the same in openapi-prev" },
      { source: "contract", section: "RunLocation", note: "a path ending in /runs/{run_id}, with or without /threads/{thread_id}" },
    ],
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
    spec: [{ ...ON_COMPLETION, note: "'keep'" }],
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
  const { seen } = await pollGone(c, `/threads/${run.thread_id}`, {
    timeoutMs: 20_000,
    what: `a stateless run with ${onCompletion ? "on_completion=delete" : "no on_completion (default delete)"} deletes its thread when it ends`,
  });
  c.note(`GET /threads/{thread_id} answered: ${seen.map((s) => `${s.status}@${s.atMs}ms`).join(" → ")}`);
}

check(
  {
    id: "SRN-005",
    level: "MUST",
    profile: "stateless",
    operations: [CREATE, "GET /threads/{thread_id}"],
    spec: [{ ...ON_COMPLETION, note: "'delete'; the documents give no delay: the suite waits up to 20 s after creating a run of about a second" }],
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
    spec: [{ ...ON_COMPLETION, note: 'default "delete"; both public documents agree on the default' }],
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
    spec: [
      { source: "api-ref", section: "Stateless Runs", quote: "A run is an invocation of a graph / assistant, with no state or memory persistence." },
      { source: "api-ref", section: "RunCreateStateless.on_completion", quote: "the thread created for a stateless run", note: "each stateless run has a thread of its own" },
    ],
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
