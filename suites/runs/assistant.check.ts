// Which assistant a run uses: an assistant id, or a graph id standing for the
// assistant the server made for that graph; anything else is not found.

import { check } from "../../harness/check";
import type { CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus, expectSubset } from "../../harness/expect";
import { expectRefused, uuid } from "../_support/resources";
import { createRun, createThread, GRAPH } from "../_support/runs";

const CREATE = "POST /threads/{thread_id}/runs";
const JOIN = "GET /threads/{thread_id}/runs/{run_id}/join";
const LIST = "GET /threads/{thread_id}/runs";

check(
  {
    id: "RUN-060",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, JOIN, "GET /assistants/{assistant_id}"],
    spec: [
      { source: "api-ref", section: "RunCreateStateful.assistant_id", quote: "The assistant ID or graph name to run. If using graph name, will default to first assistant created from that graph." },
    ],
    title: "POST /threads/{thread_id}/runs with a graph id as assistant_id runs that graph, with an assistant of that graph",
    requires: ["graph:echo"],
  },
  async (c) => {
    const thread = await createThread(c);
    const value = `by-graph-${uuid()}`;
    const run = await createRun(c, thread.thread_id, { assistant_id: GRAPH.echo, input: { value } });
    const joined = await c.api.get(`/threads/${thread.thread_id}/runs/${run.run_id}/join`, { timeoutMs: 30_000 });
    expectStatus(joined, 200);
    expectSubset(expectJsonObject(joined, "final output"), { value, echoed: value, trail: ["first", "second"] }, "final values of a run of the echo graph", joined);
    ensure(typeof run.assistant_id === "string", "the run names no assistant_id");
    const assistant = await c.api.get(`/assistants/${run.assistant_id}`);
    expectStatus(assistant, 200, "the run's assistant_id names an assistant");
    expectEqual(expectJsonObject(assistant).graph_id, GRAPH.echo, "graph_id of the assistant the run used", assistant);
  },
);

async function refusedUnknown(c: CheckContext, assistantId: string, why: string) {
  const thread = await createThread(c);
  const res = await c.api.post(`/threads/${thread.thread_id}/runs`, { assistant_id: assistantId, input: { value: 1 }, metadata: c.tag() });
  expectRefused(res, [404], why);
  const list = await c.api.get(`/threads/${thread.thread_id}/runs`);
  expectStatus(list, 200);
  const runs = expectJsonArray(list);
  ensure(runs.length === 0, `a refused run was still created on the thread (${runs.length} run(s) listed)`, list);
}

check(
  {
    id: "RUN-061",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, LIST],
    spec: [
      { source: "openapi", section: "POST /threads/{thread_id}/runs (Create Background Run), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
      { source: "contract", section: "POST /threads/{thread_id}/runs, 404 x-decision", note: "no assistant or graph has the id given as assistant_id" },
    ],
    title: "POST /threads/{thread_id}/runs with an assistant_id no assistant has answers 404 and creates no run",
  },
  (c) => refusedUnknown(c, uuid(), "assistant_id names an assistant or a graph"),
);

check(
  {
    id: "RUN-062",
    level: "MUST",
    profile: "runs",
    operations: [CREATE, LIST],
    spec: [
      { source: "openapi", section: "POST /threads/{thread_id}/runs (Create Background Run), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
      { source: "contract", section: "POST /threads/{thread_id}/runs, 404 x-decision", note: "no assistant or graph has the id given as assistant_id" },
    ],
    title: "POST /threads/{thread_id}/runs with a graph name the server does not have answers 404 and creates no run",
  },
  (c) => refusedUnknown(c, `no-such-graph-${uuid().slice(0, 8)}`, "assistant_id names an assistant or a graph"),
);
