// Creating a run in the background and reading it back: what the answer
// carries, that it comes before the run ends, and where Content-Location points.

import { check, scenario } from "../../harness/check";
import { ensure, expectEqual, expectJsonObject, expectStatus, expectSubset } from "../../harness/expect";
import { expectRefused, uuid } from "../_support/resources";
import { assistantFor, createThread, expectDefaultStrategy, expectLocationNamesRun, expectLocationPresent, SLOW_RUN_MS } from "../_support/runs";

const CREATE = "POST /threads/{thread_id}/runs";
const GET = "GET /threads/{thread_id}/runs/{run_id}";

/** One background run of echo, as created: used by the checks of the answer. */
const created = scenario("a background run of echo on a new thread", async (c) => {
  const assistantId = await assistantFor(c, "echo");
  const thread = await createThread(c);
  const marker = { label: `create-${uuid()}` };
  const value = `create-${uuid()}`;
  const res = await c.api.post(`/threads/${thread.thread_id}/runs`, { assistant_id: assistantId, input: { value }, metadata: c.tag(marker) });
  return { assistantId, threadId: thread.thread_id as string, marker, value, res };
});

check(
  {
    id: "RUN-001",
    level: "MUST",
    profile: "runs",
    operations: [CREATE],
    spec: [
      { source: "api-ref", section: "RunCreateStateful.metadata", quote: "Metadata to assign to the run." },
      { source: "api-ref", section: "Run.thread_id", quote: "The ID of the thread." },
      { source: "api-ref", section: "Run.assistant_id", quote: "The assistant that was used for this run." },
    ],
    title: "POST /threads/{thread_id}/runs answers 200 with a Run of that thread and assistant, carrying the metadata given",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await created(c);
    expectStatus(s.res, 200);
    const run = expectJsonObject(s.res);
    expectEqual(run.thread_id, s.threadId, "thread_id of the created run", s.res);
    expectEqual(run.assistant_id, s.assistantId, "assistant_id of the created run", s.res);
    expectSubset(run.metadata, { label: s.marker.label }, "metadata of the created run", s.res);
  },
);

check(
  {
    id: "RUN-002",
    level: "MUST",
    profile: "runs",
    operations: [CREATE],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/runs (Create Background Run)",
        quote: "return the run ID immediately. Don't wait for the final run output.",
        note: "the same in openapi-prev",
      },
      { source: "api-ref", section: "Run.status", quote: "One of 'pending', 'running', 'error', 'success', 'timeout', 'interrupted'." },
    ],
    title: `POST /threads/{thread_id}/runs answers before the run ends: a run of the slow graph (${SLOW_RUN_MS} ms) is pending or running in the answer`,
    requires: ["graph:slow"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "slow");
    const thread = await createThread(c);
    const res = await c.api.post(`/threads/${thread.thread_id}/runs`, { assistant_id: assistantId, input: { sleep_ms: SLOW_RUN_MS }, metadata: c.tag() });
    expectStatus(res, 200);
    const run = expectJsonObject(res);
    ensure(
      run.status === "pending" || run.status === "running",
      `the run is '${run.status}' in the answer to its creation, though its graph runs for ${SLOW_RUN_MS} ms: the server waited for it`,
      res,
    );
  },
);

check(
  {
    id: "RUN-003",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET],
    spec: [{ source: "openapi", section: "GET /threads/{thread_id}/runs/{run_id} (Get Run)", quote: "Get a run by ID.", note: "200 Run" }],
    title: "GET /threads/{thread_id}/runs/{run_id} returns the run that was created",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await created(c);
    expectStatus(s.res, 200, "creating the run");
    const run = expectJsonObject(s.res);
    const got = await c.api.get(`/threads/${s.threadId}/runs/${run.run_id}`);
    expectStatus(got, 200);
    const g = expectJsonObject(got);
    expectEqual(g.run_id, run.run_id, "run_id", got);
    expectEqual(g.thread_id, s.threadId, "thread_id", got);
    expectEqual(g.assistant_id, s.assistantId, "assistant_id", got);
    expectEqual(Date.parse(g.created_at), Date.parse(run.created_at), "created_at (as an instant)", got);
    expectSubset(g.metadata, { label: s.marker.label }, "metadata", got);
  },
);

check(
  {
    id: "RUN-004",
    level: "SHOULD",
    profile: "runs",
    operations: [CREATE],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/runs, 200 headers Content-Location",
        quote: "The URL of the run that was created.",
        note: "declared, not marked required; the same in openapi-prev",
      },
      { source: "contract", section: "ThreadRunLocation x-decision", quote: "checks of its presence are SHOULD" },
    ],
    title: "POST /threads/{thread_id}/runs answers with a Content-Location header",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await created(c);
    expectStatus(s.res, 200, "creating the run");
    expectLocationPresent(s.res);
  },
);

check(
  {
    id: "RUN-005",
    level: "MUST",
    profile: "runs",
    operations: [CREATE],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/runs, 200 headers Content-Location",
        quote: "The URL of the run that was created.",
        note: "declared, not marked required; the same in openapi-prev",
      },
      { source: "contract", section: "ThreadRunLocation", quote: "whose path ends in /threads/{thread_id}/runs/{run_id}" },
    ],
    title: "The Content-Location of POST /threads/{thread_id}/runs, when present, names the created run and its thread",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await created(c);
    expectStatus(s.res, 200, "creating the run");
    const run = expectJsonObject(s.res);
    expectLocationNamesRun(c, s.res, { threadId: s.threadId, runId: run.run_id });
  },
);

check(
  {
    id: "RUN-006",
    level: "SHOULD",
    profile: "runs",
    operations: [CREATE],
    spec: [
      {
        source: "api-ref",
        section: "RunCreateStateful.multitask_strategy",
        quote: "Multitask strategy to use. Must be one of 'reject', 'interrupt', 'rollback', or 'enqueue'.",
        note: 'default "enqueue", as in both public documents',
      },
      { source: "api-ref-2024", section: "RunCreateStateful.multitask_strategy", note: 'default "reject"' },
      { source: "contract", section: "RunCreateStateful.multitask_strategy x-decision", note: "the default changed from reject to enqueue: checks of the default are no stronger than SHOULD" },
    ],
    title: "A run created without multitask_strategy carries the default, enqueue",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await created(c);
    expectStatus(s.res, 200, "creating the run");
    expectDefaultStrategy(s.res);
  },
);

check(
  {
    id: "RUN-007",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, GET],
    spec: [{ source: "api-ref", section: "RunCreateStateful.if_not_exists", quote: "'create' (create new thread)" }],
    title: "POST /threads/{thread_id}/runs with if_not_exists=create on an unknown thread_id creates the thread under that id and runs there",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = uuid();
    c.created.thread(threadId);
    const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: "new thread" }, if_not_exists: "create", metadata: c.tag() });
    expectStatus(res, 200, "if_not_exists=create makes the thread");
    const run = expectJsonObject(res);
    expectEqual(run.thread_id, threadId, "thread_id of the run (the id in the path)", res);
    const thread = await c.api.get(`/threads/${threadId}`);
    expectStatus(thread, 200, "the thread was created by the run");
    const got = await c.api.get(`/threads/${threadId}/runs/${run.run_id}`);
    expectStatus(got, 200, "the run is on the new thread");
  },
);

check(
  {
    id: "RUN-008",
    level: "MUST",
    profile: "runs",
    operations: [CREATE],
    spec: [
      {
        source: "api-ref",
        section: "RunCreateStateful.if_not_exists",
        quote: "How to handle missing thread. Must be either 'reject' (raise error if missing), or 'create' (create new thread).",
        note: 'default "reject"',
      },
      { source: "openapi", section: "POST /threads/{thread_id}/runs (Create Background Run), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
      { source: "contract", section: "POST /threads/{thread_id}/runs, 404 x-decision", note: "the thread does not exist" },
    ],
    title: "POST /threads/{thread_id}/runs on a thread that does not exist answers 404 and creates no thread",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = uuid();
    c.created.thread(threadId);
    const res = await c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: 1 }, metadata: c.tag() });
    expectRefused(res, [404], "the thread exists (if_not_exists defaults to reject)");
    const thread = await c.api.get(`/threads/${threadId}`);
    expectStatus(thread, 404, "a refused run must not create its thread");
  },
);
