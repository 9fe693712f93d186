import { check } from "../../harness/check";
import { ensure, expectEqual, expectJsonObject, expectStatus, expectSubset } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { createThread } from "../_support/runs";

const OPS = ["POST /threads"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

check(
  {
    id: "THR-001",
    level: "MUST",
    profile: "threads",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "ThreadCreate.thread_id", quote: "The ID of the thread. If not provided, a random UUID will be generated." },
      { source: "api-ref", section: "ThreadCreate.metadata", quote: "Metadata to add to thread." },
    ],
    title: "POST /threads without thread_id creates a thread with a new UUID and the given metadata",
  },
  async (c) => {
    const marker = { label: `create-${uuid()}`, nested: { list: [1, "two"] } };
    const res = await c.api.post("/threads", { metadata: c.tag(marker) });
    const t = expectJsonObject(res);
    if (typeof t.thread_id === "string") c.created.thread(t.thread_id);
    expectStatus(res, 200);
    ensure(typeof t.thread_id === "string" && UUID.test(t.thread_id), `thread_id ${JSON.stringify(t.thread_id)} is not a UUID`, res);
    expectSubset(t.metadata, c.tag(marker), "metadata of the created thread", res);
  },
);

check(
  {
    id: "THR-002",
    level: "MUST",
    profile: "threads",
    operations: [...OPS, "GET /threads/{thread_id}"],
    spec: [{ source: "api-ref", section: "ThreadCreate.thread_id", quote: "The ID of the thread." }],
    title: "POST /threads with a thread_id creates the thread under that id",
  },
  async (c) => {
    const id = uuid();
    const t = await createThread(c, { thread_id: id });
    expectEqual(t.thread_id, id, "thread_id of the created thread");
    const got = await c.api.get(`/threads/${id}`);
    expectStatus(got, 200, "the thread was just created under this id");
  },
);

check(
  {
    id: "THR-003",
    level: "MUST",
    profile: "threads",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "ThreadCreate.if_exists", quote: "Must be either 'raise' (raise error if duplicate), or 'do_nothing' (return existing thread)." },
      { source: "openapi", section: "POST /threads (Create Thread), responses", quote: "Conflict", note: "409; the same in openapi-prev" },
    ],
    title: "POST /threads with if_exists=raise answers 409 for an existing thread_id",
  },
  async (c) => {
    const id = uuid();
    await createThread(c, { thread_id: id });
    const res = await c.api.post("/threads", { thread_id: id, if_exists: "raise", metadata: c.tag() });
    expectStatus(res, 409, "the thread_id exists and if_exists=raise");
  },
);

check(
  {
    id: "THR-004",
    level: "MUST",
    profile: "threads",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "ThreadCreate.if_exists", quote: "How to handle duplicate creation.", note: 'default "raise"' },
      { source: "sdk-py", section: "ThreadsClient.create, if_exists", quote: "How to handle duplicate creation. Defaults to 'raise' under the hood." },
    ],
    title: "POST /threads without if_exists answers 409 for an existing thread_id (the default is raise)",
  },
  async (c) => {
    const id = uuid();
    await createThread(c, { thread_id: id });
    const res = await c.api.post("/threads", { thread_id: id, metadata: c.tag() });
    expectStatus(res, 409, "the thread_id exists and if_exists defaults to raise");
  },
);

check(
  {
    id: "THR-005",
    level: "MUST",
    profile: "threads",
    operations: [...OPS, "GET /threads/{thread_id}"],
    spec: [{ source: "api-ref", section: "ThreadCreate.if_exists", quote: "'do_nothing' (return existing thread)" }],
    title: "POST /threads with if_exists=do_nothing returns the existing thread unchanged",
  },
  async (c) => {
    const id = uuid();
    await createThread(c, { thread_id: id, metadata: { version_of: "first" } });
    const res = await c.api.post("/threads", { thread_id: id, if_exists: "do_nothing", metadata: c.tag({ version_of: "second" }) });
    expectStatus(res, 200, "if_exists=do_nothing returns the existing thread");
    const again = expectJsonObject(res);
    expectEqual(again.thread_id, id, "thread_id returned by do_nothing", res);
    expectEqual(again.metadata?.version_of, "first", "metadata returned by do_nothing (the existing one)", res);
    const got = await c.api.get(`/threads/${id}`);
    expectStatus(got, 200);
    expectEqual(expectJsonObject(got).metadata?.version_of, "first", "metadata stored after do_nothing", got);
  },
);

check(
  {
    id: "THR-006",
    level: "MUST",
    profile: "threads",
    operations: [...OPS, "GET /threads/{thread_id}"],
    spec: [{ source: "api-ref", section: "ThreadCreate.if_exists", quote: "'raise' (raise error if duplicate)", note: "the duplicate is refused (409), so nothing of it is kept" }],
    title: "A refused duplicate POST /threads leaves the existing thread unchanged",
  },
  async (c) => {
    const id = uuid();
    await createThread(c, { thread_id: id, metadata: { which: "kept" } });
    const dup = await c.api.post("/threads", { thread_id: id, metadata: c.tag({ which: "intruder", extra: "intruder" }) });
    expectStatus(dup, 409);
    const got = await c.api.get(`/threads/${id}`);
    expectStatus(got, 200);
    const m = expectJsonObject(got).metadata ?? {};
    expectEqual(m.which, "kept", "metadata.which after a refused duplicate", got);
    expectEqual(m.extra, undefined, "metadata.extra (only the refused duplicate had it)", got);
  },
);

check(
  {
    id: "THR-007",
    level: "MUST",
    profile: "threads",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "Thread.status", quote: "The status of the thread.", note: "one of idle, busy, interrupted, error" },
      { source: "contract", section: "ThreadStatus", quote: "idle: no run in progress", note: "a new thread has had no run" },
    ],
    title: "A new thread's status is idle",
  },
  async (c) => {
    const t = await createThread(c);
    expectEqual(t.status, "idle", "status of a new thread");
  },
);

check(
  {
    id: "THR-008",
    level: "MUST",
    profile: "threads",
    operations: [...OPS, "GET /threads/{thread_id}"],
    spec: [
      { source: "api-ref", section: "Thread.created_at", quote: "The time the thread was created." },
      { source: "api-ref", section: "Thread.updated_at", quote: "The last time the thread was updated.", note: "both date-time and required" },
    ],
    title: "A new thread's updated_at is not before its created_at, and GET returns the same created_at",
  },
  async (c) => {
    const t = await createThread(c);
    ensure(Date.parse(t.updated_at) >= Date.parse(t.created_at), `updated_at ${t.updated_at} is before created_at ${t.created_at}`);
    const got = await c.api.get(`/threads/${t.thread_id}`);
    expectStatus(got, 200);
    expectEqual(Date.parse(expectJsonObject(got).created_at), Date.parse(t.created_at), "created_at returned by GET (as an instant)", got);
  },
);
