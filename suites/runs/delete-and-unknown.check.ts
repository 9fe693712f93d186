// Deleting a run, and what the id-scoped run operations answer for a run that
// does not exist (or exists on another thread).

import { check } from "../../harness/check";
import { ensure, expectJsonArray, expectStatus } from "../../harness/expect";
import { expectRefused, uuid } from "../_support/resources";
import { assistantFor, createRun, createThread, describeSeen, pollRun } from "../_support/runs";

const DELETE = "DELETE /threads/{thread_id}/runs/{run_id}";
const GET = "GET /threads/{thread_id}/runs/{run_id}";
const LIST = "GET /threads/{thread_id}/runs";

check(
  {
    id: "RUN-050",
    level: "MUST",
    profile: "runs",
    operations: [DELETE, GET, LIST],
    spec: [
      { source: "api-ref-2024", section: "DELETE /threads/{thread_id}/runs/{run_id} (Delete Run)", quote: "Delete a run by ID.", note: "200" },
      { source: "contract", section: "DELETE /threads/{thread_id}/runs/{run_id}, 204 x-decision", note: "the official JS server answers 204 and no SDK reads either body: both accepted" },
      { source: "openapi", section: "GET /threads/{thread_id}/runs/{run_id} (Get Run), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
    ],
    title: "DELETE /threads/{thread_id}/runs/{run_id} of an ended run answers 200 (or 204); GET then answers 404 and the thread no longer lists it",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const thread = await createThread(c);
    const run = await createRun(c, thread.thread_id, { assistant_id: assistantId, input: { value: "to delete" } });
    const { seen } = await pollRun(c, thread.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status" });
    c.note(`statuses seen before the delete: ${describeSeen(seen)}`);
    const del = await c.api.delete(`/threads/${thread.thread_id}/runs/${run.run_id}`);
    expectStatus(del, [200, 204]);
    expectStatus(await c.api.get(`/threads/${thread.thread_id}/runs/${run.run_id}`), 404, "the run was deleted");
    const list = await c.api.get(`/threads/${thread.thread_id}/runs`);
    expectStatus(list, 200);
    ensure(!expectJsonArray(list).some((r) => r?.run_id === run.run_id), "the deleted run is still listed for its thread", list);
  },
);

check(
  {
    id: "RUN-051",
    level: "MUST",
    profile: "runs",
    operations: [DELETE],
    spec: [{ source: "openapi", section: "DELETE /threads/{thread_id}/runs/{run_id} (Delete Run), responses", quote: "Not Found", note: "404; the same in openapi-prev" }],
    title: "DELETE /threads/{thread_id}/runs/{run_id} answers 404 for a run that does not exist",
  },
  async (c) => {
    const thread = await createThread(c);
    expectStatus(await c.api.delete(`/threads/${thread.thread_id}/runs/${uuid()}`), 404, "no run has this id");
  },
);

check(
  {
    id: "RUN-052",
    level: "MUST",
    profile: "runs",
    operations: [GET],
    spec: [
      { source: "openapi", section: "GET /threads/{thread_id}/runs/{run_id} (Get Run), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
      { source: "api-ref-2024", section: "GET /threads/{thread_id}/runs/{run_id}, responses", note: "200 and 422 only: the newer documents add the 404" },
    ],
    title: "GET /threads/{thread_id}/runs/{run_id} answers 404 for a run that does not exist",
  },
  async (c) => {
    const thread = await createThread(c);
    expectStatus(await c.api.get(`/threads/${thread.thread_id}/runs/${uuid()}`), 404, "no run has this id");
  },
);

check(
  {
    id: "RUN-053",
    level: "MUST",
    profile: "runs",
    operations: [GET, DELETE],
    spec: [
      { source: "api-ref", section: "Thread Runs", quote: "A run is an invocation of a graph / assistant on a thread." },
      { source: "openapi", section: "GET and DELETE /threads/{thread_id}/runs/{run_id}", note: "a run is named by thread_id and run_id; both declare 404" },
    ],
    title: "A run is found only under its own thread: GET and DELETE under another thread answer 404, and the run survives",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const [home, other] = await Promise.all([createThread(c), createThread(c)]);
    const run = await createRun(c, home.thread_id, { assistant_id: assistantId, input: { value: "scoped" } });
    await pollRun(c, home.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status" });
    expectStatus(await c.api.get(`/threads/${other.thread_id}/runs/${run.run_id}`), 404, "the run belongs to another thread");
    expectStatus(await c.api.delete(`/threads/${other.thread_id}/runs/${run.run_id}`), 404, "the run belongs to another thread");
    expectStatus(await c.api.get(`/threads/${home.thread_id}/runs/${run.run_id}`), 200, "a delete under another thread must leave the run alone");
  },
);

check(
  {
    id: "RUN-054",
    level: "MUST",
    profile: "runs",
    operations: ["POST /threads/{thread_id}/runs/{run_id}/cancel"],
    spec: [{ source: "openapi", section: "POST /threads/{thread_id}/runs/{run_id}/cancel (Cancel Run), responses", quote: "Not Found", note: "404; the same in openapi-prev" }],
    title: "POST /threads/{thread_id}/runs/{run_id}/cancel answers 404 for a run that does not exist",
  },
  async (c) => {
    const thread = await createThread(c);
    expectStatus(await c.api.post(`/threads/${thread.thread_id}/runs/${uuid()}/cancel`), 404, "no run has this id");
  },
);

check(
  {
    id: "RUN-055",
    level: "MUST",
    profile: "runs",
    operations: [GET, "GET /threads/{thread_id}/runs"],
    spec: [
      { source: "openapi", section: "GET /threads/{thread_id}/runs/{run_id}, path thread_id and run_id", note: "format uuid; the operation declares 404 and 422" },
      { source: "contract", section: "GET /threads/{thread_id}/runs/{run_id}", note: "the documents do not say which of 404 and 422 a malformed id gets: either is taken" },
    ],
    title: "GET of a run or of a thread's runs with an id that is not a UUID answers 404 or 422",
  },
  async (c) => {
    const thread = await createThread(c);
    expectRefused(await c.api.get(`/threads/${thread.thread_id}/runs/not-a-uuid`), [404, 422], "run_id is a UUID");
    expectRefused(await c.api.get("/threads/not-a-uuid/runs"), [404, 422], "thread_id is a UUID");
  },
);
