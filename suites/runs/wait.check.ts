// POST /threads/{thread_id}/runs/wait: creates a run and answers, once it has
// ended, with its final output as JSON (or the error it ended with).

import { check, scenario } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonMediaType, expectJsonObject, expectStatus, expectSubset } from "../../harness/expect";
import { expectRefused, uuid } from "../_support/resources";
import { assistantFor, createThread, expectLocationNamesRun, expectLocationPresent, expectReadableError, FIXTURE_ERROR_TEXT } from "../_support/runs";

const WAIT = "POST /threads/{thread_id}/runs/wait";
const LIST = "GET /threads/{thread_id}/runs";

const waited = scenario("a run of echo created with wait", async (c) => {
  const assistantId = await assistantFor(c, "echo");
  const thread = await createThread(c);
  const value = `wait-${uuid()}`;
  const res = await c.api.post(`/threads/${thread.thread_id}/runs/wait`, { assistant_id: assistantId, input: { value }, metadata: c.tag() }, { timeoutMs: 30_000 });
  return { threadId: thread.thread_id as string, value, res };
});

check(
  {
    id: "RUN-020",
    level: "MUST",
    profile: "runs",
    operations: [WAIT],
    spec: [
      { source: "api-ref-2024", section: "POST /threads/{thread_id}/runs/wait (Wait Run)", quote: "Create a run, wait for the output." },
      { source: "openapi", section: "POST /threads/{thread_id}/runs/wait (Create Run, Wait for Output)", quote: "Wait for the final output and then return it." },
      { source: "sdk-py", section: "RunsClient.wait, returns", quote: "The output of the run.", note: "the contract's RunOutput, application/json" },
    ],
    title: "POST /threads/{thread_id}/runs/wait answers 200 with the run's final values as JSON",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await waited(c);
    expectStatus(s.res, 200);
    expectJsonMediaType(s.res);
    const out = expectJsonObject(s.res, "final output");
    expectSubset(out, { value: s.value, echoed: s.value, trail: ["first", "second"] }, "final values of the echo run", s.res);
  },
);

check(
  {
    id: "RUN-021",
    level: "MUST",
    profile: "runs",
    operations: [WAIT, LIST],
    spec: [
      { source: "openapi", section: "POST /threads/{thread_id}/runs/wait (Create Run, Wait for Output)", quote: "Wait for the final output and then return it." },
      { source: "sdk-py", section: "RunsClient.wait", quote: "Create a run, wait until it finishes and return the final state." },
    ],
    title: "When POST /threads/{thread_id}/runs/wait answers, its run has ended with status success",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await waited(c);
    expectStatus(s.res, 200, "the wait");
    const list = await c.api.get(`/threads/${s.threadId}/runs`);
    expectStatus(list, 200);
    const runs = expectJsonArray(list);
    ensure(runs.length === 1, `the thread has ${runs.length} runs after one wait, expected 1`, list);
    expectEqual(runs[0]?.status, "success", "status of the waited-for run, right after the wait answered", list);
  },
);

check(
  {
    id: "RUN-022",
    level: "SHOULD",
    profile: "runs",
    operations: [WAIT],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/runs/wait, 200 headers Content-Location",
        quote: "The URL of the run that was created.",
        note: "declared, not marked required; the same in openapi-prev",
      },
      { source: "contract", section: "ThreadRunLocation x-decision", quote: "checks of its presence are SHOULD" },
    ],
    title: "POST /threads/{thread_id}/runs/wait answers with a Content-Location header",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await waited(c);
    expectStatus(s.res, 200, "the wait");
    expectLocationPresent(s.res);
  },
);

check(
  {
    id: "RUN-023",
    level: "MUST",
    profile: "runs",
    operations: [WAIT, LIST],
    spec: [
      {
        source: "openapi",
        section: "POST /threads/{thread_id}/runs/wait, 200 headers Content-Location",
        quote: "The URL of the run that was created.",
        note: "declared, not marked required; the same in openapi-prev",
      },
      { source: "contract", section: "ThreadRunLocation", quote: "whose path ends in /threads/{thread_id}/runs/{run_id}" },
    ],
    title: "The Content-Location of POST /threads/{thread_id}/runs/wait, when present, names the run it created",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await waited(c);
    expectStatus(s.res, 200, "the wait");
    if (s.res.headers["content-location"] === undefined) c.skip("the answer has no Content-Location (its presence is RUN-022, at SHOULD)");
    const list = await c.api.get(`/threads/${s.threadId}/runs`);
    expectStatus(list, 200);
    const runs = expectJsonArray(list);
    ensure(runs.length === 1 && typeof runs[0]?.run_id === "string", `the thread has ${runs.length} runs after one wait, expected 1`, list);
    expectLocationNamesRun(c, s.res, { threadId: s.threadId, runId: runs[0].run_id });
  },
);

check(
  {
    id: "RUN-024",
    level: "SHOULD",
    profile: "runs",
    operations: [WAIT, LIST],
    spec: [
      { source: "contract", section: "RunOutput", quote: "A run that ended in an error gives an object whose `__error__` holds the error.", note: "with error and message" },
      {
        source: "sdk-js",
        section: "Client.runs.wait",
        quote: "Create a run and wait for it to complete.",
        note: "its code reads __error__.error and __error__.message and throws; no document says so in words, hence SHOULD",
      },
      { source: "api-ref", section: "Run.status", quote: "One of 'pending', 'running', 'error', 'success', 'timeout', 'interrupted'." },
    ],
    title: "POST /threads/{thread_id}/runs/wait of a graph that raises answers 200 with __error__ holding the error's message, and the run's status is error",
    requires: ["graph:error"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "error");
    const thread = await createThread(c);
    const res = await c.api.post(`/threads/${thread.thread_id}/runs/wait`, { assistant_id: assistantId, input: { value: 1 }, metadata: c.tag() }, { timeoutMs: 30_000 });
    expectStatus(res, 200, "wait answers with the error the run ended with");
    expectReadableError(expectJsonObject(res, "output of a failed run"), res);
    const list = await c.api.get(`/threads/${thread.thread_id}/runs`);
    expectStatus(list, 200);
    const runs = expectJsonArray(list);
    ensure(runs.length === 1, `the thread has ${runs.length} runs after one wait, expected 1`, list);
    expectEqual(runs[0]?.status, "error", `status of a run whose graph raised '${FIXTURE_ERROR_TEXT}'`, list);
  },
);

check(
  {
    id: "RUN-025",
    level: "MUST",
    profile: "runs",
    operations: [WAIT],
    spec: [
      { source: "api-ref", section: "RunCreateStateful.if_not_exists", quote: "'reject' (raise error if missing)", note: 'default "reject"' },
      { source: "openapi", section: "POST /threads/{thread_id}/runs/wait (Create Run, Wait for Output), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
    ],
    title: "POST /threads/{thread_id}/runs/wait on a thread that does not exist answers 404 and creates no thread",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const threadId = uuid();
    c.created.thread(threadId);
    const res = await c.api.post(`/threads/${threadId}/runs/wait`, { assistant_id: assistantId, input: { value: 1 }, metadata: c.tag() }, { timeoutMs: 30_000 });
    expectRefused(res, [404], "the thread exists (if_not_exists defaults to reject)");
    expectStatus(await c.api.get(`/threads/${threadId}`), 404, "a refused run must not create its thread");
  },
);
