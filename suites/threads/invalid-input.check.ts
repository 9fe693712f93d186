// Requests a real client could send by mistake. The contract's answer is 422
// (400 also for a body that is not JSON; 415, SHOULD, for one not sent as JSON;
// 404 or 422 for an id that is
// not a UUID) with its error body, never a 2xx or a 5xx, and nothing is created
// or changed.

import { check, scenario, type CheckContext } from "../../harness/check";
import { expectEqual, expectJsonObject, expectStatus } from "../../harness/expect";
import type { Citation, Level } from "../../harness/model";
import { MALFORMED_BODY, UNSUPPORTED_MEDIA_TYPE } from "../_support/citations";
import { expectNoneWith, THREAD } from "../_support/lifecycle";
import { expectNoThread, expectRefused, uuid } from "../_support/resources";
import { assistantFor, createThread, runToEnd, RUN_TIMEOUT_MS } from "../_support/runs";

const CREATE = ["POST /threads"];

/** The status the public documents give an invalid request of an operation. */
const validationError = (operation: string): Citation => ({ source: "openapi", section: `${operation}, responses`, quote: "Validation Error", note: "422; the same in openapi-prev" });

// ---------------------------------------------------------------- POST /threads

/**
 * Each case names a fresh thread_id where it can, so that "nothing created" is provable by id as well as by marker.
 * Columns: id, level, what the request breaks, the body, the rule, by id, where the documents state the rule.
 */
const createCases: Array<[string, Level, string, (m: Record<string, unknown>, id: string) => unknown, string, boolean, Citation[]]> = [
  [
    "THR-200",
    "MUST",
    "with a thread_id that is not a UUID",
    (m) => ({ thread_id: "not-a-uuid", metadata: m }),
    "thread_id has format uuid",
    false,
    [{ source: "api-ref", section: "ThreadCreate.thread_id", note: "Format:uuid" }],
  ],
  [
    "THR-201",
    "MUST",
    "with a thread_id that is not a string",
    (m) => ({ thread_id: 42, metadata: m }),
    "thread_id is a string",
    false,
    [{ source: "api-ref", section: "ThreadCreate.thread_id", note: "a string, Format:uuid" }],
  ],
  [
    "THR-202",
    "MUST",
    "with an if_exists outside raise and do_nothing",
    (m, id) => ({ thread_id: id, if_exists: "overwrite", metadata: m }),
    "if_exists is one of raise, do_nothing",
    true,
    [{ source: "api-ref", section: "ThreadCreate.if_exists", quote: "Must be either 'raise' (raise error if duplicate), or 'do_nothing' (return existing thread)." }],
  ],
  [
    "THR-203",
    "MUST",
    "with metadata that is not an object",
    (_m, id) => ({ thread_id: id, metadata: "label" }),
    "metadata is an object",
    true,
    [{ source: "api-ref", section: "ThreadCreate.metadata", quote: "Metadata to add to thread.", note: "an object" }],
  ],
  // Only the Python SDK's docstring makes ttl.ttl required; neither public document marks it required: SHOULD.
  [
    "THR-204",
    "SHOULD",
    "with a ttl that lacks its required ttl field",
    (m, id) => ({ thread_id: id, ttl: { strategy: "delete" }, metadata: m }),
    "ttl.ttl is required",
    true,
    [
      {
        source: "sdk-py",
        section: "ThreadsClient.create, ttl",
        quote: "You can pass an integer (minutes) or a mapping with keys ttl and optional strategy",
        note: "the only words that make ttl.ttl required",
      },
      {
        source: "openapi",
        section: "ThreadCreate.ttl",
        quote: "The time-to-live for the thread.",
        note: "an object of strategy and ttl with no required field, as in openapi-prev; api-ref names the TTL model only",
      },
      { source: "contract", section: "ThreadTTL x-decision", note: "the contract reads the SDK's words as ttl required; as only the SDK says so, the refusal is SHOULD" },
    ],
  ],
  [
    "THR-205",
    "MUST",
    "with supersteps that is not a list",
    (m, id) => ({ thread_id: id, supersteps: { updates: [] }, metadata: m }),
    "supersteps is an array",
    true,
    [{ source: "api-ref", section: "ThreadCreate.supersteps", note: "an array" }],
  ],
];

for (const [id, level, what, body, why, byId, rule] of createCases) {
  check(
    {
      id,
      level,
      profile: "threads",
      operations: CREATE,
      spec: [...rule, validationError("POST /threads (Create Thread)")],
      title: `POST /threads ${what} answers 422 and creates nothing`,
    },
    async (c) => {
      const marker = c.tag({ label: `refused-${uuid()}` });
      const threadId = uuid();
      const res = await c.api.post("/threads", body(marker, threadId));
      if (res.status === 200 && typeof res.json?.thread_id === "string") c.created.thread(res.json.thread_id);
      expectRefused(res, [422], why);
      if (byId) await expectNoThread(c, threadId);
      await expectNoneWith(c, THREAD, marker);
    },
  );
}

check(
  {
    id: "THR-206",
    level: "MUST",
    profile: "threads",
    operations: CREATE,
    spec: [{ source: "openapi", section: "POST /threads (Create Thread), requestBody", note: "required, application/json; the same in openapi-prev" }, ...MALFORMED_BODY],
    title: "POST /threads with a body that is not valid JSON answers 400 or 422 and creates nothing",
  },
  async (c) => {
    const threadId = uuid();
    const res = await c.api.request({ method: "POST", path: "/threads", body: `{"thread_id": "${threadId}", "metadata": {`, headers: { "content-type": "application/json" } });
    expectRefused(res, [400, 422], "the body is JSON");
    await expectNoThread(c, threadId);
  },
);

check(
  {
    id: "THR-207",
    level: "SHOULD",
    profile: "threads",
    operations: CREATE,
    spec: [{ source: "openapi", section: "POST /threads (Create Thread), requestBody", note: "application/json only; the same in openapi-prev" }, ...UNSUPPORTED_MEDIA_TYPE],
    title: "POST /threads with a JSON text sent as text/plain answers 415 or 422 and creates nothing",
  },
  async (c) => {
    const threadId = uuid();
    const res = await c.api.request({ method: "POST", path: "/threads", body: JSON.stringify({ thread_id: threadId, metadata: c.tag() }), headers: { "content-type": "text/plain" } });
    if (res.status === 200) c.created.thread(threadId);
    expectRefused(res, [415, 422], "the body is application/json");
    await expectNoThread(c, threadId);
  },
);

// ----------------------------------------------------- search, count, patch

const searchCases: Array<[string, string, Record<string, unknown>, string, Citation]> = [
  ["THR-210", "limit=0", { limit: 0 }, "limit minimum 1", { source: "api-ref", section: "ThreadSearchRequest.limit", note: "min 1" }],
  ["THR-211", "limit=1001", { limit: 1001 }, "limit maximum 1000", { source: "api-ref", section: "ThreadSearchRequest.limit", note: "max 1000" }],
  ["THR-212", "offset=-1", { offset: -1 }, "offset minimum 0", { source: "api-ref", section: "ThreadSearchRequest.offset", note: "min 0" }],
  [
    "THR-213",
    "sort_by=color",
    { sort_by: "color" },
    "sort_by is one of thread_id, status, created_at, updated_at",
    { source: "api-ref", section: "ThreadSearchRequest.sort_by", note: "an enum: thread_id, status, created_at, updated_at" },
  ],
  ["THR-214", "sort_order=up", { sort_order: "up" }, "sort_order is asc or desc", { source: "api-ref", section: "ThreadSearchRequest.sort_order", note: "an enum: asc, desc" }],
  [
    "THR-215",
    "status=sleeping",
    { status: "sleeping" },
    "status is one of idle, busy, interrupted, error",
    { source: "api-ref", section: "ThreadSearchRequest.status", note: "an enum: idle, busy, interrupted, error" },
  ],
  ["THR-216", 'limit="ten"', { limit: "ten" }, "limit is an integer", { source: "api-ref", section: "ThreadSearchRequest.limit", note: "an integer" }],
  [
    "THR-217",
    'select=["secret"]',
    { select: ["secret"] },
    "select items are field names of Thread",
    { source: "api-ref", section: "ThreadSearchRequest.select", note: "an array of an enum of the fields of Thread" },
  ],
  [
    "THR-218",
    "metadata that is not an object",
    { metadata: ["a", "list"] },
    "metadata is an object",
    { source: "api-ref", section: "ThreadSearchRequest.metadata", quote: "Thread metadata to filter on.", note: "an object" },
  ],
];

for (const [id, what, body, why, rule] of searchCases) {
  check(
    {
      id,
      level: "MUST",
      profile: "threads",
      operations: ["POST /threads/search"],
      spec: [rule, validationError("POST /threads/search (Search Threads)")],
      title: `POST /threads/search with ${what} answers 422`,
    },
    async (c) => {
      // A request with `select` chooses the shape of the items: an accepted one is judged as such, not as a full Thread.
      const res = await c.api.post("/threads/search", body, "select" in body ? { expectSchema: "/components/schemas/ThreadSelectedList" } : {});
      expectRefused(res, [422], why);
    },
  );
}

check(
  {
    id: "THR-219",
    level: "MUST",
    profile: "threads",
    operations: ["POST /threads/count"],
    spec: [
      { source: "api-ref", section: "ThreadCountRequest.status, ThreadCountRequest.metadata", note: "status one of idle, busy, interrupted, error; metadata an object" },
      { source: "openapi", section: "POST /threads/count (Count Threads), responses", quote: "Validation Error", note: "422; the same in openapi-prev" },
    ],
    title: "POST /threads/count with an unknown status, or metadata that is not an object, answers 422",
  },
  async (c) => {
    expectRefused(await c.api.post("/threads/count", { status: "sleeping" }), [422], "status is one of idle, busy, interrupted, error");
    expectRefused(await c.api.post("/threads/count", { metadata: "label" }), [422], "metadata is an object");
  },
);

check(
  {
    id: "THR-220",
    level: "MUST",
    profile: "threads",
    operations: ["PATCH /threads/{thread_id}", "GET /threads/{thread_id}"],
    spec: [
      { source: "api-ref", section: "ThreadPatch.metadata", quote: "Metadata to merge with existing thread metadata.", note: "an object" },
      { source: "openapi", section: "PATCH /threads/{thread_id} (Patch Thread), responses", quote: "Validation Error", note: "422; the same in openapi-prev" },
    ],
    title: "PATCH /threads/{thread_id} with metadata that is not an object answers 422 and changes nothing",
  },
  async (c) => {
    const t = await createThread(c, { metadata: { state: "original" } });
    const res = await c.api.patch(`/threads/${t.thread_id}`, { metadata: "replaced" });
    expectRefused(res, [422], "metadata is an object");
    const got = await c.api.get(`/threads/${t.thread_id}`);
    expectStatus(got, 200);
    const g = expectJsonObject(got);
    expectEqual(g.metadata?.state, "original", "metadata after a refused PATCH", got);
    expectEqual(Date.parse(g.updated_at), Date.parse(t.updated_at), "updated_at after a refused PATCH", got);
  },
);

// ------------------------------------------------------ ids that are not UUIDs

const pathCases: Array<[string, string, string, (c: CheckContext) => Promise<import("../../harness/http").HttpResponse>]> = [
  ["THR-230", "GET /threads/{thread_id}", "GET /threads/not-a-uuid", (c) => c.api.get("/threads/not-a-uuid")],
  ["THR-231", "PATCH /threads/{thread_id}", "PATCH /threads/not-a-uuid", (c) => c.api.patch("/threads/not-a-uuid", { metadata: { x: 1 } })],
  ["THR-232", "DELETE /threads/{thread_id}", "DELETE /threads/not-a-uuid", (c) => c.api.delete("/threads/not-a-uuid")],
  ["THR-233", "GET /threads/{thread_id}/state", "GET /threads/not-a-uuid/state", (c) => c.api.get("/threads/not-a-uuid/state")],
  ["THR-234", "GET /threads/{thread_id}/history", "GET /threads/not-a-uuid/history", (c) => c.api.get("/threads/not-a-uuid/history")],
  ["THR-235", "POST /threads/{thread_id}/copy", "POST /threads/not-a-uuid/copy", (c) => c.api.post("/threads/not-a-uuid/copy")],
];

for (const [id, op, what, send] of pathCases) {
  check(
    {
      id,
      level: "MUST",
      profile: "threads",
      operations: [op],
      spec: [
        { source: "openapi", section: `${op}, path thread_id`, quote: "The ID of the thread.", note: "format uuid, as in api-ref and openapi-prev; the operation declares 404 or 422" },
        { source: "contract", section: `${op}`, note: "the documents do not say which of 404 and 422 a malformed id gets: either is taken" },
      ],
      title: `${what} (a thread_id that is not a UUID) answers 404 or 422`,
    },
    async (c) => {
      const res = await send(c);
      // Of these, only a copy can create a thread (then it is the suite's).
      if (op.endsWith("/copy") && res.status === 200 && typeof res.json?.thread_id === "string") c.created.thread(res.json.thread_id);
      expectRefused(res, [404, 422], "thread_id is a UUID");
    },
  );
}

// ------------------------------------------------------ state and history

/** A thread run once on the echo graph: state updates need a graph to apply them. */
const used = scenario(
  "a thread run once on the echo graph, for refused state updates",
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const t = await createThread(c);
    await runToEnd(c, t.thread_id, assistant, { value: "kept" });
    return { threadId: t.thread_id as string };
  },
  RUN_TIMEOUT_MS,
);

async function latestCheckpoint(c: CheckContext, threadId: string): Promise<string | undefined> {
  const res = await c.api.get(`/threads/${threadId}/state`);
  expectStatus(res, 200);
  return res.json?.checkpoint?.checkpoint_id;
}

const stateCases: Array<[string, string, unknown, string, Citation]> = [
  [
    "THR-240",
    "values that are neither an object nor a list of objects",
    { values: "text" },
    "values is an object, a list of objects or null",
    { source: "api-ref", section: "ThreadStateUpdate.values", quote: "The values to update the state with.", note: "any of an object, an array of objects, or null" },
  ],
  [
    "THR-241",
    "an as_node that is not a string",
    { values: { echoed: "x" }, as_node: 7 },
    "as_node is a string",
    { source: "api-ref", section: "ThreadStateUpdate.as_node", quote: "Update the state as if this node had just executed.", note: "a string" },
  ],
  [
    "THR-242",
    "a checkpoint that is not an object",
    { values: { echoed: "x" }, checkpoint: "latest" },
    "checkpoint is a CheckpointConfig object",
    { source: "api-ref", section: "ThreadStateUpdate.checkpoint", quote: "The checkpoint to update the state of.", note: "a Checkpoint object" },
  ],
];

for (const [id, what, body, why, rule] of stateCases) {
  check(
    {
      id,
      level: "MUST",
      profile: "threads",
      operations: ["POST /threads/{thread_id}/state", "GET /threads/{thread_id}/state"],
      spec: [rule, validationError("POST /threads/{thread_id}/state (Update Thread State)")],
      title: `POST /threads/{thread_id}/state with ${what} answers 422 and adds no checkpoint`,
      requires: ["graph:echo"],
      timeoutMs: RUN_TIMEOUT_MS,
    },
    async (c) => {
      const u = await used(c);
      const before = await latestCheckpoint(c, u.threadId);
      const res = await c.api.post(`/threads/${u.threadId}/state`, body);
      expectRefused(res, [422], why);
      expectEqual(await latestCheckpoint(c, u.threadId), before, "latest checkpoint after a refused update", res);
    },
  );
}

check(
  {
    id: "THR-243",
    level: "MUST",
    profile: "threads",
    operations: ["POST /threads/{thread_id}/state/checkpoint"],
    spec: [
      { source: "api-ref", section: "ThreadStateCheckpointRequest.checkpoint", quote: "The checkpoint to get the state for.", note: "required" },
      { source: "openapi", section: "POST /threads/{thread_id}/state/checkpoint, responses", quote: "Validation Error", note: "422; the same in openapi-prev" },
    ],
    title: "POST /threads/{thread_id}/state/checkpoint without a checkpoint answers 422",
  },
  async (c) => {
    const t = await createThread(c);
    const res = await c.api.post(`/threads/${t.thread_id}/state/checkpoint`, {});
    expectRefused(res, [422], "checkpoint is required");
  },
);

check(
  {
    id: "THR-244",
    level: "MUST",
    profile: "threads",
    operations: ["POST /threads/{thread_id}/history"],
    spec: [
      { source: "api-ref", section: "ThreadStateSearch.limit", note: "an integer, min 1, max 1000" },
      { source: "openapi", section: "POST /threads/{thread_id}/history, responses", quote: "Validation Error", note: "422; the same in openapi-prev" },
    ],
    title: "POST /threads/{thread_id}/history with limit=0 or a limit that is not an integer answers 422",
  },
  async (c) => {
    const t = await createThread(c);
    expectRefused(await c.api.post(`/threads/${t.thread_id}/history`, { limit: 0 }), [422], "limit minimum 1");
    expectRefused(await c.api.post(`/threads/${t.thread_id}/history`, { limit: "ten" }), [422], "limit is an integer");
  },
);

check(
  {
    id: "THR-245",
    level: "MUST",
    profile: "threads",
    operations: ["GET /threads/{thread_id}/history"],
    spec: [
      { source: "api-ref-2024", section: "GET /threads/{thread_id}/history, query limit", note: "an integer" },
      { source: "openapi", section: "GET /threads/{thread_id}/history, responses", quote: "Validation Error", note: "422; the same in openapi-prev" },
    ],
    title: "GET /threads/{thread_id}/history?limit=ten answers 422",
  },
  async (c) => {
    const t = await createThread(c);
    expectRefused(await c.api.get(`/threads/${t.thread_id}/history`, { query: { limit: "ten" } }), [422], "limit is an integer");
  },
);

check(
  {
    id: "THR-246",
    level: "SHOULD",
    profile: "threads",
    operations: ["GET /threads/{thread_id}/history"],
    spec: [
      { source: "openapi", section: "GET /threads/{thread_id}/history, query limit", note: "an integer with no bounds in every document" },
      { source: "contract", section: "GET /threads/{thread_id}/history, query limit", note: "the contract applies the body form's bounds (1 to 1000), its own decision: SHOULD" },
    ],
    title: "GET /threads/{thread_id}/history?limit=0 answers 422",
  },
  async (c) => {
    const t = await createThread(c);
    expectRefused(await c.api.get(`/threads/${t.thread_id}/history`, { query: { limit: 0 } }), [422], "limit minimum 1");
  },
);
