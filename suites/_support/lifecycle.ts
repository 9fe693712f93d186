// What assistants and threads promise alike, once: PATCH merges metadata and
// moves updated_at, DELETE makes the resource gone for GET and for search, a
// refused request creates nothing. Each check states its own requirement and
// spec; these are the steps that show it.

import type { CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus } from "../../harness/expect";
import { createAssistant } from "./resources";
import { createThread } from "./runs";

/** A resource the suite creates, gets, patches, searches and deletes by id. */
export interface Kind {
  /** The noun of messages ("assistant", "thread"). */
  noun: string;
  /** The collection's path ("/assistants"); an item is `${path}/${id}`, search is `${path}/search`. */
  path: string;
  /** The id field of the resource ("assistant_id"). */
  idField: string;
  /** Creates one for the check (tagged, deleted after it). */
  create(c: CheckContext, body?: Record<string, unknown>): Promise<Record<string, any>>;
  /** Registers one found by id as the check's, to be deleted after it. */
  own(c: CheckContext, id: string): void;
  /** The statuses a DELETE of one may answer (the contract's; 200 when unset). */
  deleted?: number[];
}

export const ASSISTANT: Kind = { noun: "assistant", path: "/assistants", idField: "assistant_id", create: createAssistant, own: (c, id) => c.created.assistant(id) };
// A thread's DELETE: the documents' 200, or the 204 the official servers answer (the contract's decision).
export const THREAD: Kind = { noun: "thread", path: "/threads", idField: "thread_id", create: createThread, own: (c, id) => c.created.thread(id), deleted: [200, 204] };

const item = (k: Kind, r: Record<string, any>) => `${k.path}/${r[k.idField]}`;

/** PATCH with metadata, then GET: the pairs not in the patch are kept, the others replaced or added. */
export async function expectMetadataMerged(c: CheckContext, k: Kind): Promise<void> {
  const r = await k.create(c, { metadata: { keep: "old", change: "old" } });
  const res = await c.api.patch(item(k, r), { metadata: { change: "new", added: "new" } });
  expectStatus(res, 200);
  const got = await c.api.get(item(k, r));
  expectStatus(got, 200);
  const m = expectJsonObject(got).metadata ?? {};
  expectEqual(m.keep, "old", "metadata.keep (not in the patch: kept)", got);
  expectEqual(m.change, "new", "metadata.change (in the patch: replaced)", got);
  expectEqual(m.added, "new", "metadata.added (new in the patch: added)", got);
}

/** PATCH with `patch`: the answer's updated_at is later than at creation, its created_at the same instant. */
export async function expectUpdatedAtMoves(c: CheckContext, k: Kind, patch: Record<string, unknown>): Promise<void> {
  const r = await k.create(c);
  await new Promise((done) => setTimeout(done, 15)); // timestamps of millisecond precision must differ
  const res = await c.api.patch(item(k, r), patch);
  expectStatus(res, 200);
  const p = expectJsonObject(res);
  ensure(Date.parse(p.updated_at) > Date.parse(r.updated_at), `updated_at after PATCH is ${p.updated_at}, not after ${r.updated_at}`, res);
  expectEqual(Date.parse(p.created_at), Date.parse(r.created_at), "created_at after PATCH (as an instant)", res);
}

/** DELETE answers 200, and GET then answers 404. */
export async function expectDeleteThenNotFound(c: CheckContext, k: Kind): Promise<void> {
  const r = await k.create(c);
  const del = await c.api.delete(item(k, r));
  expectStatus(del, k.deleted ?? [200]);
  const got = await c.api.get(item(k, r));
  expectStatus(got, 404, `the ${k.noun} was deleted`);
}

/**
 * Once deleted (any 2xx: the DELETE's status is a check of its own), search by
 * the resource's metadata no longer lists it.
 */
export async function expectDeletedNotSearched(c: CheckContext, k: Kind, marker: Record<string, unknown>): Promise<void> {
  const r = await k.create(c, { metadata: marker });
  const del = await c.api.delete(item(k, r));
  ensure(del.status >= 200 && del.status < 300, `DELETE ${k.path}/{${k.idField}} answered ${del.status}`, del);
  const res = await c.api.post(`${k.path}/search`, { metadata: c.tag(marker), limit: 10 });
  expectStatus(res, 200);
  const ids = expectJsonArray(res).map((x) => x?.[k.idField]);
  ensure(!ids.includes(r[k.idField]), `the deleted ${k.noun} is still listed by search`, res);
}

/** Does `metadata` hold every pair of `marker`? */
function carries(metadata: unknown, marker: Record<string, unknown>): boolean {
  return metadata !== null && typeof metadata === "object" && Object.entries(marker).every(([key, v]) => (metadata as Record<string, unknown>)[key] === v);
}

/** Nothing of this kind carries `marker` in its metadata: a refused request created nothing. */
export async function expectNoneWith(c: CheckContext, k: Kind, marker: Record<string, unknown>): Promise<void> {
  const res = await c.api.post(`${k.path}/search`, { metadata: marker, limit: 10 });
  expectStatus(res, 200, "searching for what a refused request might have created");
  const found = expectJsonArray(res);
  // Only what carries the marker is ours to delete: a server that ignores the filter lists others' too.
  for (const r of found) if (typeof r?.[k.idField] === "string" && carries(r.metadata, marker)) k.own(c, r[k.idField]);
  ensure(found.length === 0, `a refused request still created ${found.length} ${k.noun}(s) (found by their metadata)`, res);
}
