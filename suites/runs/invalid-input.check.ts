// Run-creating requests a client could send by mistake. The contract's answer
// is 422 (400 also for a body that is not JSON; 415, SHOULD, for one not sent as
// JSON) with its error body,
// never a 2xx or a 5xx, and no run is created on the thread.

import { check } from "../../harness/check";
import type { CheckContext } from "../../harness/check";
import { ensure, expectJsonArray, expectStatus } from "../../harness/expect";
import type { Citation, Level } from "../../harness/model";
import { MALFORMED_BODY, UNSUPPORTED_MEDIA_TYPE } from "../_support/citations";
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

/** Where api-ref states a rule of RunCreateStateful. */
const rule = (field: string, note: string, quote?: string): Citation => ({ source: "api-ref", section: `RunCreateStateful${field ? `.${field}` : ""}`, ...(quote ? { quote } : {}), note });
const VALIDATION_ERROR: Citation = { source: "openapi", section: "POST /threads/{thread_id}/runs and /runs/wait, responses", quote: "Validation Error", note: "422; the same in openapi-prev" };

const cases: Array<[string, Level, string, string, Body, string, Citation]> = [
  // id, level, operation, what, body, rule broken, where the documents state the rule
  ["RUN-100", "MUST", CREATE, "without assistant_id", { input: { value: 1 } }, "assistant_id is required", rule("assistant_id", "required")],
  [
    "RUN-101",
    "MUST",
    CREATE,
    "with an assistant_id that is not a string",
    { ...echo, assistant_id: 42 },
    "assistant_id is a string",
    rule("assistant_id", "a uuid or a graph name: a string", "The assistant ID or graph name to run."),
  ],
  [
    "RUN-102",
    "MUST",
    CREATE,
    "with an unknown stream_mode",
    { ...echo, stream_mode: "everything" },
    "stream_mode is a StreamMode or a list of them",
    rule("stream_mode", "an enum, or an array of it", "The stream mode(s) to use."),
  ],
  [
    "RUN-103",
    "MUST",
    CREATE,
    "with a multitask_strategy outside reject, rollback, interrupt, enqueue",
    { ...echo, multitask_strategy: "queue" },
    "multitask_strategy is one of reject, rollback, interrupt, enqueue",
    rule("multitask_strategy", "an enum", "Must be one of 'reject', 'interrupt', 'rollback', or 'enqueue'."),
  ],
  [
    "RUN-104",
    "MUST",
    CREATE,
    "with an if_not_exists outside create and reject",
    { ...echo, if_not_exists: "maybe" },
    "if_not_exists is create or reject",
    rule("if_not_exists", "an enum", "Must be either 'reject' (raise error if missing), or 'create' (create new thread)."),
  ],
  ["RUN-105", "MUST", CREATE, "with metadata that is not an object", { ...echo, metadata: "label" }, "metadata is an object", rule("metadata", "an object", "Metadata to assign to the run.")],
  [
    "RUN-106",
    "MUST",
    CREATE,
    "with config that is not an object",
    { ...echo, config: ["not", "an", "object"] },
    "config is an object",
    rule("config", "a Config object", "The configuration for the assistant."),
  ],
  [
    "RUN-107",
    "MUST",
    CREATE,
    'with interrupt_before that is neither "*" nor a list',
    { ...echo, interrupt_before: "first" },
    'interrupt_before is "*" or a list of node names',
    rule("interrupt_before", 'the const "*" or an array of node names', "Nodes to interrupt immediately before they get executed."),
  ],
  [
    "RUN-108",
    "SHOULD",
    CREATE,
    "with an on_disconnect outside cancel and continue",
    { ...echo, on_disconnect: "ignore" },
    "on_disconnect is cancel or continue",
    {
      ...rule("on_disconnect", "an enum", "The disconnect mode to use. Must be one of 'cancel' or 'continue'."),
      note: "an enum here and in openapi-prev; the newest document gives on_disconnect only to the streaming and wait payloads, so a server following it need not read the field on this operation: SHOULD",
    },
  ],
  ["RUN-109", "MUST", CREATE, "whose body is a JSON array", [echo], "the body is a RunCreateStateful object", rule("", "the body is this object", "Payload for creating a run.")],
  ["RUN-110", "MUST", WAIT, "without assistant_id", { input: { value: 1 } }, "assistant_id is required", rule("assistant_id", "required")],
  [
    "RUN-111",
    "MUST",
    WAIT,
    "with a multitask_strategy outside reject, rollback, interrupt, enqueue",
    { ...echo, multitask_strategy: "queue" },
    "multitask_strategy is one of reject, rollback, interrupt, enqueue",
    rule("multitask_strategy", "an enum", "Must be one of 'reject', 'interrupt', 'rollback', or 'enqueue'."),
  ],
  [
    "RUN-112",
    "MUST",
    WAIT,
    "with an unknown stream_mode",
    { ...echo, stream_mode: ["values", "everything"] },
    "stream_mode is a StreamMode or a list of them",
    rule("stream_mode", "an enum, or an array of it", "The stream mode(s) to use."),
  ],
];

for (const [id, level, op, what, body, why, where] of cases) {
  check(
    {
      id,
      level,
      profile: "runs",
      operations: [op, LIST],
      spec: [where, VALIDATION_ERROR],
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

for (const [id, op] of [
  ["RUN-120", CREATE],
  ["RUN-121", WAIT],
] as const) {
  check(
    {
      id,
      level: "MUST",
      profile: "runs",
      operations: [op, LIST],
      spec: [{ source: "openapi", section: `${op}, requestBody`, note: "required, application/json; the same in openapi-prev" }, ...MALFORMED_BODY],
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

for (const [id, op] of [
  ["RUN-122", CREATE],
  ["RUN-123", WAIT],
] as const) {
  check(
    {
      id,
      level: "SHOULD",
      profile: "runs",
      operations: [op, LIST],
      spec: [{ source: "openapi", section: `${op}, requestBody`, note: "application/json only; the same in openapi-prev" }, ...UNSUPPORTED_MEDIA_TYPE],
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
