// The bookkeeping of assistants: the versions list (its order, pages, default
// page and metadata filter), what a PATCH after set-latest numbers, what
// deleting an assistant takes with it, the assistants the server makes for its
// graphs, the drawing of a graph, search without sort_by (its order and its
// pages), limits past the default page, metadata filters whose values are not
// strings, search and count held to the same filters, the stated defaults, and
// every optional field round-tripped through get, search and the versions list.
//
// Data tells implementations apart: twelve matches where the default page is
// ten (a limit capped at ten, or a default of five, is seen), created one after
// the other and the oldest updated last (newest-first by creation is not
// newest-first by update), a boolean `true` beside the string "true" and
// `false`, names that hold the searched text in the middle.

import { check, scenario, type CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectSameMembers, expectStatus, fail } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";
import type { Citation } from "../../harness/model";
import { createAssistant, uuid } from "../_support/resources";
import { assistantFor, createRun, createThread, pollRun, RUN_TIMEOUT_MS } from "../_support/runs";
import { at, holds, ROUND_TRIPS, type RoundTrip } from "../_support/roundtrip.checks";
import { listAnswer, oneAfterAnother, typedMetadata, TYPED_FILTERS } from "../_support/bookkeeping";

const SEARCH = "POST /assistants/search";
const COUNT = "POST /assistants/count";
const VERSIONS = "POST /assistants/{assistant_id}/versions";
const GET = "GET /assistants/{assistant_id}";
const DELETE = "DELETE /assistants/{assistant_id}";
const GRAPH = "GET /assistants/{assistant_id}/graph";

const ids = (l: any[]) => l.map((a) => a?.assistant_id);
const versionsOf = (l: any[]) => l.map((v) => v?.version);

const search = (c: CheckContext, body: Record<string, unknown>) => listAnswer(c, "/assistants/search", body);

async function count(c: CheckContext, body: Record<string, unknown>) {
  const res = await c.api.post("/assistants/count", body);
  expectStatus(res, 200);
  ensure(typeof res.json === "number", `POST /assistants/count answered ${res.text.slice(0, 100)}, not a number`, res);
  return { res, n: res.json as number };
}

async function versions(c: CheckContext, assistantId: string, body: Record<string, unknown>) {
  const res = await c.api.post(`/assistants/${assistantId}/versions`, body);
  expectStatus(res, 200);
  return { res, list: expectJsonArray(res) };
}

// ------------------------------------------------------------------ twelve assistants

/**
 * Twelve assistants under one marker, created one after the other (each later
 * than the one before), named `bk-NN-<word>`; three carry metadata whose
 * values are a boolean, the string "true" and a nested object; the oldest is
 * updated last.
 */
const twelve = scenario(
  "twelve assistants created one after the other",
  async (c) => {
    const marker = { family: `bk-${uuid()}` };
    const created = await oneAfterAnother(12, (i) => createAssistant(c, { name: `bk-${String(i).padStart(2, "0")}-${i % 2 ? "odd" : "even"}`, metadata: { ...marker, ...typedMetadata(i) } }));
    // The checks below judge search's paging and order: the twelve must be twelve assistants that a
    // search by their metadata finds (AST-001 and AST-050 judge creation and the filter).
    const distinct = new Set(created.map((a) => a.assistant_id));
    const probe = await c.api.post("/assistants/search", { metadata: { ...c.tag(), ...marker }, limit: 1 });
    if (distinct.size !== 12) c.skip(`POST /assistants made ${distinct.size} distinct assistants of 12 (AST-001 judges creation)`);
    if (probe.status !== 200 || !Array.isArray(probe.json) || probe.json.length === 0)
      c.skip(`POST /assistants/search by the twelve's metadata (limit=1) finds none of them (AST-050 judges the filter)`);
    // Best effort: a target that cannot PATCH keeps created and updated in one order (AST-030 judges PATCH).
    const touched = await c.api.patch(`/assistants/${created[0]!.assistant_id}`, { metadata: { touched: true } });
    if (touched.status !== 200) c.note(`the oldest assistant could not be updated last (PATCH answered ${touched.status}): the order of updated_at is the order of creation`);
    // Newest created first: the order the documents' default gives.
    const newestFirst = [...created].reverse().map((a) => a.assistant_id as string);
    return { filter: { ...c.tag(), ...marker }, created, newestFirst };
  },
  RUN_TIMEOUT_MS,
);

const LIMIT_WORDS: Citation = { source: "api-ref", section: "Search Assistants, body limit", quote: "The maximum number of results to return.", note: "min 1, max 1000, default 10" };
const OFFSET_WORDS: Citation = { source: "api-ref", section: "Search Assistants, body offset", quote: "The number of results to skip.", note: "default 0" };

check(
  {
    id: "AST-147",
    level: "MUST",
    profile: "assistants",
    operations: [SEARCH],
    spec: [LIMIT_WORDS],
    title: "POST /assistants/search with limit=11, above the default page of 10, returns 11 of 12 matching assistants",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    const { res, list } = await search(c, { metadata: f.filter, limit: 11 });
    ensure(list.length === 11, `limit=11 returned ${list.length} of the 12 matching assistants`, res);
  },
);

check(
  {
    id: "AST-148",
    level: "MUST",
    profile: "assistants",
    operations: [SEARCH],
    spec: [OFFSET_WORDS, LIMIT_WORDS],
    title: "POST /assistants/search with offset=10 and no limit returns the 2 of 12 matches past the first page, none of the first page's",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    const order = { sort_by: "created_at", sort_order: "desc" };
    const first = await search(c, { metadata: f.filter, ...order });
    const rest = await search(c, { metadata: f.filter, offset: 10, ...order });
    ensure(rest.list.length === 2, `offset=10 returned ${rest.list.length} assistants; 12 match, so 2 are left past the first 10`, rest.res);
    const both = ids(rest.list).filter((id) => ids(first.list).includes(id));
    ensure(both.length === 0, `offset=10 returned assistants the first page already had: ${both.join(", ")}`, rest.res);
    expectSameMembers([...ids(first.list), ...ids(rest.list)], f.newestFirst, "the first page and the page at offset 10 together", rest.res);
  },
);

check(
  {
    id: "AST-149",
    level: "SHOULD",
    profile: "assistants",
    operations: [SEARCH],
    spec: [
      { source: "api-ref", section: "Search Assistants, body sort_by", quote: "The field to sort by.", note: "no default is given" },
      { source: "contract", section: "AssistantSearchRequest.sort_by x-decision", quote: "Without sort_by, the newest assistant comes first" },
    ],
    title: "POST /assistants/search without sort_by lists the newest assistant (by created_at) first",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    const { res, list } = await search(c, { metadata: f.filter, limit: 100 });
    expectEqual(ids(list), f.newestFirst, "assistants without sort_by (newest created first; the oldest was updated last)", res);
  },
);

check(
  {
    id: "AST-150",
    level: "MUST",
    profile: "assistants",
    operations: [SEARCH],
    spec: [
      OFFSET_WORDS,
      {
        source: "api-ref",
        section: "Search Assistants",
        quote: "This endpoint also functions as the endpoint to list all assistants.",
        note: "a list read page by page: an offset means the same order each time, whatever the order is",
      },
    ],
    title: "POST /assistants/search without sort_by pages stably: pages at offsets 0, 5 and 10 are disjoint and together are every match",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    const pages = [];
    for (const offset of [0, 5, 10]) pages.push(await search(c, { metadata: f.filter, limit: 5, offset }));
    const seen = pages.flatMap((p) => ids(p.list));
    const twice = seen.filter((id, i) => seen.indexOf(id) !== i);
    ensure(twice.length === 0, `pages of 5 without sort_by repeat assistants: ${[...new Set(twice)].join(", ")}`, pages[2]!.res);
    expectSameMembers(seen, f.newestFirst, "the pages at offsets 0, 5 and 10 (limit 5) together", pages[2]!.res);
  },
);

const METADATA_WORDS: Citation = { source: "api-ref", section: "Search Assistants, body metadata", quote: "Metadata to filter by. Exact match filter for each KV pair." };

check(
  {
    id: "AST-151",
    level: "MUST",
    profile: "assistants",
    operations: [SEARCH],
    spec: [METADATA_WORDS, { source: "contract", section: "Metadata", quote: "Search filters match each key/value pair exactly." }],
    title: 'POST /assistants/search with metadata values that are a boolean or an object matches them as such: true is not "true"',
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    for (const t of TYPED_FILTERS) {
      const { res, list } = await search(c, { metadata: { ...f.filter, ...t.filter }, limit: 100 });
      expectSameMembers(
        ids(list),
        t.matches.map((i) => f.created[i]!.assistant_id),
        `assistants found with ${t.what}`,
        res,
      );
    }
  },
);

check(
  {
    id: "AST-152",
    level: "MUST",
    profile: "assistants",
    operations: [COUNT, SEARCH],
    spec: [{ source: "api-ref", section: "Count Assistants", quote: "Get the count of assistants matching the specified criteria." }, METADATA_WORDS],
    title: "POST /assistants/count with metadata values that are a boolean or an object counts what search finds",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    for (const t of TYPED_FILTERS) {
      const { res, n } = await count(c, { metadata: { ...f.filter, ...t.filter } });
      expectEqual(n, t.matches.length, `count with ${t.what}`, res);
    }
  },
);

check(
  {
    id: "AST-153",
    level: "SHOULD",
    profile: "assistants",
    operations: [COUNT, SEARCH],
    spec: [
      {
        source: "openapi",
        section: "AssistantCountRequest.name",
        quote: "The filtering logic will match (case insensitive) assistants where 'name' is a substring of the assistant name.",
        note: "only the newest document gives count a name (and search too), hence SHOULD",
      },
    ],
    title: "POST /assistants/count with name counts what search finds: the assistants whose name contains it",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const f = await twelve(c);
    // "-ODD" is in the middle of the names of the six odd ones, never at their start.
    const found = await search(c, { metadata: f.filter, name: "-ODD", limit: 100 });
    const n = await count(c, { metadata: f.filter, name: "-ODD" });
    expectEqual(n.n, found.list.length, "count with name=-ODD against what search finds with it", n.res);
    expectEqual(n.n, 6, "count with name=-ODD (six of the twelve names hold it)", n.res);
  },
);

// ------------------------------------------------------------------ twelve versions

/** An assistant at version 12: created (v1), then eleven PATCHes; version N has metadata.stage "sN". */
const twelveVersionsOrNot = scenario(
  "an assistant with twelve versions",
  async (c) => {
    const a = await createAssistant(c, { name: "s1", metadata: { stage: "s1" } });
    for (let v = 2; v <= 12; v++) {
      const res = await c.api.patch(`/assistants/${a.assistant_id}`, { name: `s${v}`, metadata: { stage: `s${v}` } });
      if (res.status !== 200)
        return { assistantId: a.assistant_id as string, unavailable: `PATCH /assistants/{assistant_id} answered ${res.status}: the target makes no new versions (AST-032 judges it)` };
    }
    return { assistantId: a.assistant_id as string, unavailable: undefined };
  },
  RUN_TIMEOUT_MS,
);

/** The assistant with twelve versions, or a skip where the target cannot make them. */
async function twelveVersions(c: CheckContext): Promise<{ assistantId: string }> {
  const s = await twelveVersionsOrNot(c);
  if (s.unavailable) c.skip(s.unavailable);
  return s;
}

/** A PATCH the check needs to make a version; a target that cannot skips (AST-032 judges PATCH). */
async function patchOrSkip(c: CheckContext, assistantId: string, body: Record<string, unknown>): Promise<void> {
  const res = await c.api.patch(`/assistants/${assistantId}`, body);
  if (res.status !== 200) c.skip(`PATCH /assistants/{assistant_id} answered ${res.status}: the target makes no new versions (AST-031 and AST-032 judge PATCH)`);
}

const ALL_VERSIONS = [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
const VERSIONS_ORDER: Citation[] = [
  { source: "api-ref", section: "Get Assistant Versions", quote: "Get all versions of an assistant.", note: "no order is given" },
  { source: "contract", section: "POST /assistants/{assistant_id}/versions x-decision", quote: "The versions are listed newest first" },
];

check(
  {
    id: "AST-154",
    level: "SHOULD",
    profile: "assistants",
    operations: [VERSIONS],
    spec: VERSIONS_ORDER,
    title: "POST /assistants/{assistant_id}/versions lists the versions newest first",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelveVersions(c);
    const { res, list } = await versions(c, s.assistantId, { limit: 100 });
    expectEqual(versionsOf(list), ALL_VERSIONS, "versions listed (limit=100)", res);
  },
);

check(
  {
    id: "AST-155",
    level: "SHOULD",
    profile: "assistants",
    operations: [VERSIONS],
    spec: [...VERSIONS_ORDER, { source: "api-ref", section: "SearchRequest.offset", quote: "The number of versions to skip." }],
    title: "POST /assistants/{assistant_id}/versions pages from the newest: limit=3 gives versions 12, 11, 10 and offset=3 the three before",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelveVersions(c);
    const p1 = await versions(c, s.assistantId, { limit: 3 });
    expectEqual(versionsOf(p1.list), [12, 11, 10], "versions with limit=3", p1.res);
    const p2 = await versions(c, s.assistantId, { limit: 3, offset: 3 });
    expectEqual(versionsOf(p2.list), [9, 8, 7], "versions with limit=3 and offset=3", p2.res);
  },
);

const VERSIONS_LIMIT: Citation = { source: "api-ref", section: "SearchRequest.limit", quote: "The maximum number of versions to return.", note: "min 1, max 1000, default 10" };

check(
  {
    id: "AST-156",
    level: "MUST",
    profile: "assistants",
    operations: [VERSIONS],
    spec: [VERSIONS_LIMIT],
    title: "POST /assistants/{assistant_id}/versions without limit lists 10 of an assistant's 12 versions (the default page)",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelveVersions(c);
    const { res, list } = await versions(c, s.assistantId, {});
    ensure(list.length === 10, `without limit, ${list.length} of the assistant's 12 versions were listed; the default limit is 10`, res);
  },
);

check(
  {
    id: "AST-157",
    level: "MUST",
    profile: "assistants",
    operations: [VERSIONS],
    spec: [VERSIONS_LIMIT],
    title: "POST /assistants/{assistant_id}/versions with limit=11, above the default page, lists 11 of 12 versions",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelveVersions(c);
    const { res, list } = await versions(c, s.assistantId, { limit: 11 });
    ensure(list.length === 11, `limit=11 listed ${list.length} of the assistant's 12 versions`, res);
  },
);

check(
  {
    id: "AST-158",
    level: "MUST",
    profile: "assistants",
    operations: [VERSIONS],
    spec: [{ source: "api-ref", section: "SearchRequest.offset", quote: "The number of versions to skip.", note: "default 0" }, VERSIONS_LIMIT],
    title: "POST /assistants/{assistant_id}/versions with offset=10 and no limit lists the 2 versions past the first page, none of the first page's",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelveVersions(c);
    const first = await versions(c, s.assistantId, {});
    const rest = await versions(c, s.assistantId, { offset: 10 });
    ensure(rest.list.length === 2, `offset=10 listed ${rest.list.length} versions; of 12, 2 are left past the first 10`, rest.res);
    expectSameMembers([...versionsOf(first.list), ...versionsOf(rest.list)], ALL_VERSIONS, "versions of the first page and of the page at offset 10 together", rest.res);
  },
);

check(
  {
    id: "AST-159",
    level: "MUST",
    profile: "assistants",
    operations: [VERSIONS],
    spec: [{ source: "api-ref", section: "SearchRequest.metadata", quote: "Metadata to filter versions by. Exact match filter for each KV pair." }],
    title: "POST /assistants/{assistant_id}/versions with a metadata filter lists only the versions whose metadata matches",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelveVersions(c);
    const { res, list } = await versions(c, s.assistantId, { metadata: { stage: "s5" }, limit: 100 });
    expectEqual(versionsOf(list), [5], "versions whose metadata has stage=s5", res);
  },
);

check(
  {
    id: "AST-160",
    level: "SHOULD",
    profile: "assistants",
    operations: ["PATCH /assistants/{assistant_id}", "POST /assistants/{assistant_id}/latest"],
    spec: [
      {
        source: "api-ref",
        section: "Create Assistant",
        quote: "An initial version of the assistant will be created and the assistant is set to that version. To change versions, use the POST /assistants/{assistant_id}/latest endpoint.",
      },
      { source: "contract", section: "PATCH /assistants/{assistant_id} x-decision", quote: "A PATCH makes a new version numbered one more than the highest the assistant has" },
    ],
    title: "A PATCH after set-latest to an earlier version makes a new version numbered one more than the highest (4 after 1 of 3), and it becomes the latest",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const a = await createAssistant(c, { name: "n1" });
    for (const name of ["n2", "n3"]) await patchOrSkip(c, a.assistant_id, { name });
    const back = await c.api.request({ method: "POST", path: `/assistants/${a.assistant_id}/latest`, query: { version: 1 }, json: { version: 1 } });
    if (back.status !== 200 || back.json?.version !== 1) c.skip(`set-latest to version 1 answered ${back.status} (version ${JSON.stringify(back.json?.version)}); AST-090 judges set-latest`);
    const res = await c.api.patch(`/assistants/${a.assistant_id}`, { name: "n4" });
    expectStatus(res, 200);
    expectEqual(expectJsonObject(res).version, 4, "version made by the PATCH (the highest was 3)", res);
    const got = await c.api.get(`/assistants/${a.assistant_id}`);
    expectStatus(got, 200);
    expectEqual(got.json?.version, 4, "version GET returns after the PATCH", got);
  },
);

check(
  {
    id: "AST-161",
    level: "SHOULD",
    profile: "assistants",
    operations: [DELETE, VERSIONS],
    spec: [
      { source: "api-ref", section: "Delete Assistant", quote: "Delete an assistant by ID.", note: "All versions of the assistant will be deleted as well." },
      {
        source: "contract",
        section: "POST /assistants/{assistant_id}/versions, 404 x-decision",
        note: "an assistant that is no more answers 404, as every other id-scoped assistants operation; not in the documents' words, hence SHOULD",
      },
    ],
    title: "POST /assistants/{assistant_id}/versions of a deleted assistant answers 404",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const a = await createAssistant(c, { name: "soon deleted" });
    await patchOrSkip(c, a.assistant_id, { name: "v2" });
    const del = await c.api.delete(`/assistants/${a.assistant_id}`);
    if (del.status !== 200) c.skip(`DELETE of the assistant answered ${del.status} (AST-040 judges it)`);
    const res = await c.api.post(`/assistants/${a.assistant_id}/versions`, {});
    expectStatus(res, 404, "the assistant was deleted");
  },
);

// ------------------------------------------------------------------ what deleting an assistant takes with it

check(
  {
    id: "AST-162",
    level: "SHOULD",
    profile: "assistants",
    operations: [DELETE, "GET /threads/{thread_id}/runs/{run_id}"],
    spec: [
      { source: "api-ref", section: "Delete Assistant", quote: "Delete an assistant by ID." },
      { source: "contract", section: "DELETE /assistants/{assistant_id} x-decision", quote: "Deleting an assistant deletes its runs" },
    ],
    title: "Deleting an assistant deletes its runs: GET of a run it made then answers 404",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const t = await createThread(c);
    const run = await createRun(c, t.thread_id, { assistant_id: assistantId, input: { value: "to be deleted" } });
    await pollRun(c, t.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "its end" });
    const del = await c.api.delete(`/assistants/${assistantId}`);
    if (del.status !== 200) c.skip(`DELETE of the assistant answered ${del.status} (AST-040 judges it)`);
    const res = await c.api.get(`/threads/${t.thread_id}/runs/${run.run_id}`);
    expectStatus(res, 404, "the run's assistant was deleted");
  },
);

const DELETE_THREADS: Citation = {
  source: "openapi",
  section: "DELETE /assistants/{assistant_id}, query delete_threads",
  quote: "If true, delete all threads with metadata.assistant_id matching this assistant, along with runs and checkpoints belonging to those threads.",
  note: "default false; only the newest public document has the parameter, hence SHOULD",
};

/** An assistant and two threads: one whose metadata names the assistant, one that names another. */
async function assistantWithThreads(c: CheckContext) {
  const assistant = await createAssistant(c, { name: "owner of threads" });
  const [own, other] = await Promise.all([createThread(c, { metadata: { assistant_id: assistant.assistant_id } }), createThread(c, { metadata: { assistant_id: uuid() } })]);
  return { assistantId: assistant.assistant_id as string, own: own.thread_id as string, other: other.thread_id as string };
}

check(
  {
    id: "AST-163",
    level: "SHOULD",
    profile: "assistants",
    operations: [DELETE, "GET /threads/{thread_id}"],
    spec: [DELETE_THREADS],
    title: "DELETE /assistants/{assistant_id} without delete_threads keeps the threads whose metadata names the assistant (the default is false)",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await assistantWithThreads(c);
    const del = await c.api.delete(`/assistants/${s.assistantId}`);
    if (del.status !== 200) c.skip(`DELETE of the assistant answered ${del.status} (AST-040 judges it)`);
    expectStatus(await c.api.get(`/threads/${s.own}`), 200, "the thread whose metadata.assistant_id names the deleted assistant, deleted without delete_threads");
  },
);

check(
  {
    id: "AST-164",
    level: "SHOULD",
    profile: "assistants",
    operations: [DELETE, "GET /threads/{thread_id}"],
    spec: [DELETE_THREADS],
    title: "DELETE /assistants/{assistant_id}?delete_threads=true deletes the threads whose metadata.assistant_id is the assistant, and no other",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await assistantWithThreads(c);
    const del = await c.api.delete(`/assistants/${s.assistantId}`, { query: { delete_threads: "true" } });
    if (del.status !== 200) c.skip(`DELETE of the assistant with delete_threads=true answered ${del.status} (AST-040 judges DELETE)`);
    expectStatus(await c.api.get(`/threads/${s.own}`), 404, "the thread whose metadata.assistant_id is the deleted assistant");
    expectStatus(await c.api.get(`/threads/${s.other}`), 200, "a thread whose metadata.assistant_id names another assistant");
  },
);

// ------------------------------------------------------------------ the server's own assistants

check(
  {
    id: "AST-165",
    level: "SHOULD",
    profile: "assistants",
    operations: [GET, SEARCH, COUNT],
    spec: [
      { source: "api-ref", section: "CronCreate.assistant_id", quote: "If using graph name, will default to the assistant automatically created from that graph by the server." },
      { source: "sdk-py", section: "AssistantsClient.get, assistant_id", quote: "The ID of the assistant to get OR the name of the graph (to use the default assistant)." },
      {
        source: "sdk-py",
        section: "AssistantsClient.get, example",
        note: "the assistant answered carries 'metadata': {'created_by': 'system'}; the documents do not say how the server's own assistants are marked, hence SHOULD",
      },
    ],
    title: "The server has one assistant of its own per graph (GET /assistants/{graph_id}), marked created_by=system: search finds exactly it and count counts it",
    requires: ["graph:echo", "graph:interrupt"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    for (const graph of ["echo", "interrupt"]) {
      const own = await c.api.get(`/assistants/${graph}`);
      if (own.status !== 200) c.skip(`GET /assistants/${graph} answered ${own.status}: the target gives no assistant by a graph's name (AST-101 and RUN-060 judge graph ids)`);
      const mine = expectJsonObject(own);
      expectEqual(mine.metadata?.created_by, "system", `metadata.created_by of the assistant the server made for graph '${graph}'`, own);
      const filter = { metadata: { created_by: "system" }, graph_id: graph };
      const found = await search(c, { ...filter, limit: 100 });
      expectEqual(ids(found.list), [mine.assistant_id], `assistants of graph '${graph}' with created_by=system (the server's own, one per graph)`, found.res);
      const n = await count(c, filter);
      expectEqual(n.n, 1, `count of the assistants of graph '${graph}' with created_by=system`, n.res);
    }
  },
);

// ------------------------------------------------------------------ drawing a graph

async function drawing(c: CheckContext, graph: string, query: Record<string, string> = {}) {
  const a = await createAssistant(c, { graph_id: graph });
  const res = await c.api.get(`/assistants/${a.assistant_id}/graph`, { query });
  expectStatus(res, 200);
  const g = expectJsonObject(res);
  const nodes: string[] = Array.isArray(g.nodes) ? g.nodes.map((n: any) => String(n?.id)) : [];
  const edges: any[] = Array.isArray(g.edges) ? g.edges : [];
  return { res, nodes, edges };
}

check(
  {
    id: "AST-166",
    level: "MUST",
    profile: "assistants",
    operations: [GRAPH],
    spec: [{ source: "api-ref", section: "Get Assistant Graph, query xray", quote: "Include graph representation of subgraphs.", note: "default false" }],
    title: "GET /assistants/{assistant_id}/graph without xray draws the graph's own nodes and none of its subgraphs' (the default is false)",
    requires: ["graph:nested"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const d = await drawing(c, "nested");
    for (const n of ["prepare", "outer", "finish"]) ensure(d.nodes.includes(n), `the drawing has no node '${n}' (nodes: ${d.nodes.join(", ")})`, d.res);
    const inner = d.nodes.filter((n) => /enter|inner|leave|ask/.test(n));
    ensure(inner.length === 0, `without xray, the drawing has nodes of the subgraphs: ${inner.join(", ")}`, d.res);
  },
);

const DRAWING: Citation[] = [
  { source: "api-ref", section: "Get Assistant Graph", note: "200: the graph; the documents give its shape only as lists of nodes and edges" },
  { source: "contract", section: "DrawableGraph x-decision", quote: "the graph's start and end are drawn as nodes named __start__ and __end__" },
];

check(
  {
    id: "AST-167",
    level: "SHOULD",
    profile: "assistants",
    operations: [GRAPH],
    spec: DRAWING,
    title: "GET /assistants/{assistant_id}/graph draws the start and the end: nodes __start__ and __end__, with edges __start__ → first and second → __end__",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const d = await drawing(c, "echo");
    for (const n of ["__start__", "__end__"]) ensure(d.nodes.includes(n), `the drawing has no node '${n}' (nodes: ${d.nodes.join(", ")})`, d.res);
    const has = (s: string, t: string) => d.edges.some((e) => String(e?.source) === s && String(e?.target) === t);
    ensure(has("__start__", "first"), "the drawing has no edge __start__ → first", d.res);
    ensure(has("second", "__end__"), "the drawing has no edge second → __end__", d.res);
  },
);

check(
  {
    id: "AST-168",
    level: "SHOULD",
    profile: "assistants",
    operations: [GRAPH],
    spec: [...DRAWING, { source: "contract", section: "DrawableGraph x-decision", quote: "an edge that a condition decides carries conditional: true" }],
    title: "GET /assistants/{assistant_id}/graph flags conditional edges: read → lap and read → __end__ of the runtime graph are conditional, __start__ → read is not",
    requires: ["graph:runtime"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const d = await drawing(c, "runtime");
    const edge = (s: string, t: string) => d.edges.find((e) => String(e?.source) === s && String(e?.target) === t);
    for (const [s, t] of [
      ["read", "lap"],
      ["read", "__end__"],
    ] as const) {
      const e = edge(s, t);
      ensure(e, `the drawing has no edge ${s} → ${t} (edges: ${d.edges.map((x) => `${x?.source}→${x?.target}`).join(", ")})`, d.res);
      expectEqual(e.conditional, true, `conditional of the edge ${s} → ${t} (a condition decides it)`, d.res);
    }
    const plain = edge("__start__", "read");
    ensure(plain, "the drawing has no edge __start__ → read", d.res);
    ensure(plain.conditional !== true, "the edge __start__ → read, which no condition decides, is flagged conditional", d.res);
  },
);

// ------------------------------------------------------------------ stated defaults

check(
  {
    id: "AST-178",
    level: "MUST",
    profile: "assistants",
    operations: ["POST /assistants", GET],
    spec: [{ source: "api-ref", section: "Create Assistant, body description", quote: "The description of the assistant. Defaults to null." }],
    title: "POST /assistants without a description creates an assistant whose description is null (the default)",
    requires: ["graph:echo"],
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const a = await createAssistant(c, { name: "no description" });
    const got = await c.api.get(`/assistants/${a.assistant_id}`);
    expectStatus(got, 200);
    expectEqual(expectJsonObject(got).description ?? null, null, "description of an assistant created without one (absent reads as null)", got);
  },
);

// ------------------------------------------------------------------ optional fields round-tripped

/** The assistant as each reader gives it back. */
async function readBack(c: CheckContext, row: RoundTrip, assistantId: string, marker: Record<string, unknown>): Promise<Array<{ where: string; value: unknown; res: HttpResponse }>> {
  const out: Array<{ where: string; value: unknown; res: HttpResponse }> = [];
  for (const reader of row.readers) {
    if (reader === "get") {
      const res = await c.api.get(`/assistants/${assistantId}`);
      expectStatus(res, 200);
      out.push({ where: "GET /assistants/{assistant_id}", value: at(res.json, row.at), res });
    } else if (reader === "search") {
      const { res, list } = await search(c, { metadata: marker, limit: 10 });
      const mine = list.find((a) => a?.assistant_id === assistantId);
      if (!mine) c.skip("POST /assistants/search by the assistant's metadata does not list it, so its fields cannot be read there (AST-050 judges the filter)");
      out.push({ where: "POST /assistants/search", value: at(mine, row.at), res });
    } else {
      const { res, list } = await versions(c, assistantId, { limit: 10 });
      const latest = list.reduce((m: any, v: any) => (m === undefined || v?.version > m.version ? v : m), undefined);
      ensure(latest, "POST /assistants/{assistant_id}/versions lists no version", res);
      out.push({ where: `POST /assistants/{assistant_id}/versions (version ${latest.version})`, value: at(latest, row.at), res });
    }
  }
  return out;
}

for (const row of ROUND_TRIPS.filter((r) => r.schema === "AssistantCreate" || r.schema === "AssistantPatch")) {
  const patch = row.schema === "AssistantPatch";
  check(
    {
      id: row.id,
      level: row.level,
      profile: "assistants",
      operations: [patch ? "PATCH /assistants/{assistant_id}" : "POST /assistants", GET, SEARCH, VERSIONS],
      spec: [
        { source: "api-ref", section: row.words.section, quote: row.words.quote },
        { source: "api-ref", section: "Assistant", note: "get, search and the versions list answer Assistant objects, which carry the field" },
      ],
      title: `${row.field} given ${patch ? "by PATCH /assistants/{assistant_id}" : "to POST /assistants"} comes back as given from GET, search and the versions list`,
      requires: ["graph:echo", ...(row.field === "graph_id" ? ["graph:interrupt"] : [])],
      timeoutMs: RUN_TIMEOUT_MS,
    },
    async (c) => {
      const marker = { round_trip: `${row.id}-${uuid()}` };
      const body = patch ? { metadata: marker } : row.field === "metadata" ? { metadata: { ...(row.value as object), ...marker } } : { [row.field]: row.value, metadata: marker };
      const a = await createAssistant(c, body);
      if (patch) {
        const res = await c.api.patch(`/assistants/${a.assistant_id}`, { [row.field]: row.value });
        if (res.status !== 200) c.skip(`PATCH /assistants/{assistant_id} with ${row.field} answered ${res.status} (AST-031 judges PATCH)`);
      }
      for (const got of await readBack(c, row, a.assistant_id, c.tag(marker))) {
        if (!holds(got.value, row.value)) fail(`${got.where} answers ${row.field} ${JSON.stringify(got.value)?.slice(0, 200)}, not the ${JSON.stringify(row.value)?.slice(0, 200)} given`, got.res);
      }
    },
  );
}
