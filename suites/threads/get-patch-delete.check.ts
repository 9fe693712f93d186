import { check } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus } from "../../harness/expect";
import { expectDeletedNotSearched, expectDeleteThenNotFound, expectMetadataMerged, expectUpdatedAtMoves, THREAD } from "../_support/lifecycle";
import { uuid } from "../_support/resources";
import { createThread } from "../_support/runs";

check(
  {
    id: "THR-020",
    level: "MUST",
    profile: "threads",
    operations: ["GET /threads/{thread_id}"],
    spec: [{ source: "api-ref-2024", section: "GET /threads/{thread_id} (Get Thread)", quote: "Get a thread by ID.", note: "200 Thread" }],
    title: "GET /threads/{thread_id} returns the thread that was created",
  },
  async (c) => {
    const t = await createThread(c, { metadata: { probe: "get" } });
    const res = await c.api.get(`/threads/${t.thread_id}`);
    expectStatus(res, 200);
    const got = expectJsonObject(res);
    expectEqual(got.thread_id, t.thread_id, "thread_id", res);
    expectEqual(got.metadata?.probe, "get", "metadata.probe", res);
  },
);

check(
  {
    id: "THR-021",
    level: "MUST",
    profile: "threads",
    operations: ["GET /threads/{thread_id}"],
    spec: [
      { source: "openapi", section: "GET /threads/{thread_id} (Get Thread), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
      { source: "api-ref-2024", section: "GET /threads/{thread_id} (Get Thread), responses", note: "200 and 422 only: the newer documents add the 404" },
    ],
    title: "GET /threads/{thread_id} answers 404 for a thread that does not exist",
  },
  async (c) => {
    const res = await c.api.get(`/threads/${uuid()}`);
    expectStatus(res, 404);
  },
);

check(
  {
    id: "THR-030",
    level: "MUST",
    profile: "threads",
    operations: ["PATCH /threads/{thread_id}", "GET /threads/{thread_id}"],
    spec: [{ source: "api-ref", section: "ThreadPatch.metadata", quote: "Metadata to merge with existing thread metadata." }],
    title: "PATCH /threads/{thread_id} merges metadata into the existing metadata",
  },
  (c) => expectMetadataMerged(c, THREAD),
);

check(
  {
    id: "THR-031",
    level: "MUST",
    profile: "threads",
    operations: ["PATCH /threads/{thread_id}"],
    spec: [
      { source: "api-ref-2024", section: "PATCH /threads/{thread_id} (Patch Thread)", quote: "Update a thread.", note: "200 Thread" },
      { source: "contract", section: "PATCH /threads/{thread_id}, 200", quote: "The updated thread." },
    ],
    title: "PATCH /threads/{thread_id} answers the updated thread, with the merged metadata",
  },
  async (c) => {
    const t = await createThread(c, { metadata: { keep: "old" } });
    const res = await c.api.patch(`/threads/${t.thread_id}`, { metadata: { added: "new" } });
    expectStatus(res, 200);
    const p = expectJsonObject(res);
    expectEqual(p.thread_id, t.thread_id, "thread_id in the PATCH answer", res);
    expectEqual(p.metadata?.keep, "old", "metadata.keep in the PATCH answer", res);
    expectEqual(p.metadata?.added, "new", "metadata.added in the PATCH answer", res);
  },
);

check(
  {
    id: "THR-032",
    level: "MUST",
    profile: "threads",
    operations: ["PATCH /threads/{thread_id}"],
    spec: [{ source: "openapi", section: "PATCH /threads/{thread_id} (Patch Thread), responses", quote: "Not Found", note: "404; the same in openapi-prev" }],
    title: "PATCH /threads/{thread_id} answers 404 for a thread that does not exist",
  },
  async (c) => {
    const res = await c.api.patch(`/threads/${uuid()}`, { metadata: { nobody: true } });
    expectStatus(res, 404);
  },
);

check(
  {
    id: "THR-033",
    level: "SHOULD",
    profile: "threads",
    operations: ["PATCH /threads/{thread_id}"],
    spec: [{ source: "api-ref", section: "Thread.updated_at", quote: "The last time the thread was updated." }],
    title: "PATCH /threads/{thread_id} moves updated_at forward and keeps created_at",
  },
  (c) => expectUpdatedAtMoves(c, THREAD, { metadata: { touched: true } }),
);

check(
  {
    id: "THR-040",
    level: "MUST",
    profile: "threads",
    operations: ["DELETE /threads/{thread_id}", "GET /threads/{thread_id}"],
    spec: [
      { source: "api-ref-2024", section: "DELETE /threads/{thread_id} (Delete Thread)", quote: "Delete a thread by ID.", note: "200 application/json" },
      { source: "contract", section: "DELETE /threads/{thread_id}, 204 x-decision", note: "the official JS server answers 204 and no SDK reads either body: both accepted" },
      { source: "openapi", section: "GET /threads/{thread_id} (Get Thread), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
    ],
    title: "DELETE /threads/{thread_id} answers 200 (or 204), and GET then answers 404",
  },
  (c) => expectDeleteThenNotFound(c, THREAD),
);

check(
  {
    id: "THR-041",
    level: "MUST",
    profile: "threads",
    operations: ["DELETE /threads/{thread_id}", "POST /threads/search"],
    spec: [
      { source: "api-ref-2024", section: "DELETE /threads/{thread_id} (Delete Thread)", quote: "Delete a thread by ID." },
      { source: "api-ref", section: "ThreadSearchRequest", quote: "Payload for listing threads." },
    ],
    title: "A deleted thread is no longer found by POST /threads/search",
  },
  (c) => expectDeletedNotSearched(c, THREAD, { label: `deleted-${uuid()}` }),
);

check(
  {
    id: "THR-042",
    level: "MUST",
    profile: "threads",
    operations: ["DELETE /threads/{thread_id}"],
    spec: [{ source: "openapi", section: "DELETE /threads/{thread_id} (Delete Thread), responses", quote: "Not Found", note: "404; the same in openapi-prev" }],
    title: "DELETE /threads/{thread_id} answers 404 for a thread that does not exist, or was deleted already",
  },
  async (c) => {
    const unknown = await c.api.delete(`/threads/${uuid()}`);
    expectStatus(unknown, 404, "no thread has this id");
    const t = await createThread(c);
    const first = await c.api.delete(`/threads/${t.thread_id}`);
    ensure(first.status >= 200 && first.status < 300, `DELETE /threads/{thread_id} answered ${first.status}`, first);
    const again = await c.api.delete(`/threads/${t.thread_id}`);
    expectStatus(again, 404, "the thread was deleted already");
  },
);

check(
  {
    id: "THR-043",
    level: "SHOULD",
    profile: "threads",
    operations: ["DELETE /threads/{thread_id}", "GET /threads/{thread_id}/state"],
    spec: [
      { source: "api-ref-2024", section: "DELETE /threads/{thread_id} (Delete Thread)", quote: "Delete a thread by ID." },
      { source: "contract", section: "GET /threads/{thread_id}/state, 404 x-decision", note: "the documents declare no 404 for the state operations: the contract's, hence SHOULD" },
    ],
    title: "Once a thread is deleted, GET /threads/{thread_id}/state answers 404",
  },
  async (c) => {
    const t = await createThread(c);
    const del = await c.api.delete(`/threads/${t.thread_id}`);
    ensure(del.status >= 200 && del.status < 300, `DELETE /threads/{thread_id} answered ${del.status}`, del);
    const state = await c.api.get(`/threads/${t.thread_id}/state`);
    expectStatus(state, 404, "the thread was deleted");
  },
);
