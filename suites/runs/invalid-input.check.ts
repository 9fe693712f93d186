// Run-creating requests a client could send by mistake. The contract's answer
// is 422 (400 also for a body that is not JSON; 415, SHOULD, for one not sent as
// JSON) with its error body,
// never a 2xx or a 5xx, and no run is created on the thread.

import { check } from "../../harness/check";
import type { CheckContext } from "../../harness/check";
import { ensure, expectJsonArray, expectStatus } from "../../harness/expect";
import { expectRefused } from "../_support/resources";
import { createThread, GRAPH } from "../_support/runs";

const CREATE = "POST /threads/{thread_id}/runs";
const WAIT = "POST /threads/{thread_id}/runs/wait";
const LIST = "GET /threads/{thread_id}/runs";

async function expectNoRuns(c: CheckContext, threadId: string): Promise<void> {
  const list = await c.api.get(`/threads/${threadId}/runs`);
  expectStatus(list, 200, "listing the thread's runs after a refused request");
  const runs = expectJsonArray(list);
  ensure(runs.length === 0, `a refused request still created ${runs.length} run(s) on the thread`, list);
}

type Body = Record<string, unknown> | unknown[];
const echo = { assistant_id: GRAPH.echo, input: { value: 1 } };

const cases: Array<[string, string, string, Body, string]> = [
  // id, operation, what, body, rule broken
  ["RUN-100", CREATE, "without assistant_id", { input: { value: 1 } }, "assistant_id is required"],
  ["RUN-101", CREATE, "with an assistant_id that is not a string", { ...echo, assistant_id: 42 }, "assistant_id is a string"],
  ["RUN-102", CREATE, "with an unknown stream_mode", { ...echo, stream_mode: "everything" }, "stream_mode is a StreamMode or a list of them"],
  ["RUN-103", CREATE, "with a multitask_strategy outside reject, rollback, interrupt, enqueue", { ...echo, multitask_strategy: "queue" }, "multitask_strategy is one of reject, rollback, interrupt, enqueue"],
  ["RUN-104", CREATE, "with an if_not_exists outside create and reject", { ...echo, if_not_exists: "maybe" }, "if_not_exists is create or reject"],
  ["RUN-105", CREATE, "with metadata that is not an object", { ...echo, metadata: "label" }, "metadata is an object"],
  ["RUN-106", CREATE, "with config that is not an object", { ...echo, config: ["not", "an", "object"] }, "config is an object"],
  ["RUN-107", CREATE, "with interrupt_before that is neither \"*\" nor a list", { ...echo, interrupt_before: "first" }, "interrupt_before is \"*\" or a list of node names"],
  ["RUN-108", CREATE, "with an on_disconnect outside cancel and continue", { ...echo, on_disconnect: "ignore" }, "on_disconnect is cancel or continue"],
  ["RUN-109", CREATE, "whose body is a JSON array", [echo], "the body is a RunCreateStateful object"],
  ["RUN-110", WAIT, "without assistant_id", { input: { value: 1 } }, "assistant_id is required"],
  ["RUN-111", WAIT, "with a multitask_strategy outside reject, rollback, interrupt, enqueue", { ...echo, multitask_strategy: "queue" }, "multitask_strategy is one of reject, rollback, interrupt, enqueue"],
  ["RUN-112", WAIT, "with an unknown stream_mode", { ...echo, stream_mode: ["values", "everything"] }, "stream_mode is a StreamMode or a list of them"],
];

for (const [id, op, what, body, why] of cases) {
  check(
    {
      id,
      level: "MUST",
      profile: "runs",
      operations: [op, LIST],
      spec: `seed 002, RunCreateStateful (${why}); 422 Validation Error`,
      title: `${op} ${what} answers 422 and creates no run`,
      requires: ["graph:echo"],
    },
    async (c) => {
      const thread = await createThread(c);
      const path = op === WAIT ? `/threads/${thread.thread_id}/runs/wait` : `/threads/${thread.thread_id}/runs`;
      const res = await c.api.post(path, body);
      expectRefused(res, [422], why);
      await expectNoRuns(c, thread.thread_id);
    },
  );
}

for (const [id, op] of [["RUN-120", CREATE], ["RUN-121", WAIT]] as const) {
  check(
    {
      id,
      level: "MUST",
      profile: "runs",
      operations: [op, LIST],
      spec: "seed 002: request body required, application/json; RFC 9110 15.5.1 gives 400 to malformed syntax and 15.5.21 reserves 422 for content whose syntax is correct; the documents say nothing of unparseable bodies: 400 or 422 (the contract's MalformedBody decision)",
      title: `${op} with a body that is not valid JSON answers 400 or 422 and creates no run`,
      requires: ["graph:echo"],
    },
    async (c) => {
      const thread = await createThread(c);
      const path = op === WAIT ? `/threads/${thread.thread_id}/runs/wait` : `/threads/${thread.thread_id}/runs`;
      const res = await c.api.request({ method: "POST", path, body: `{"assistant_id": "${GRAPH.echo}", "input": {`, headers: { "content-type": "application/json" } });
      expectRefused(res, [400, 422], "the body is JSON");
      await expectNoRuns(c, thread.thread_id);
    },
  );
}

for (const [id, op] of [["RUN-122", CREATE], ["RUN-123", WAIT]] as const) {
  check(
    {
      id,
      level: "SHOULD",
      profile: "runs",
      operations: [op, LIST],
      spec: "seed 002: request body application/json only, and no document says that a body in another media type is refused; RFC 9110 15.5.16 names 415 for such a refusal (contract UnsupportedMediaType: 415 or 422). SHOULD, as no document requires it; a server that reads text/plain as JSON also takes cross-origin requests that browsers send without a CORS preflight",
      title: `${op} with a JSON text sent as text/plain answers 415 or 422 and creates no run`,
      requires: ["graph:echo"],
    },
    async (c) => {
      const thread = await createThread(c);
      const path = op === WAIT ? `/threads/${thread.thread_id}/runs/wait` : `/threads/${thread.thread_id}/runs`;
      const res = await c.api.request({ method: "POST", path, body: JSON.stringify({ ...echo, metadata: c.tag() }), headers: { "content-type": "text/plain" }, timeoutMs: 30_000 });
      expectRefused(res, [415, 422], "the body is application/json");
      await expectNoRuns(c, thread.thread_id);
    },
  );
}
