// Sequences of operations held against a model of what the contract promises
// (fast-check model-based testing): create, get, patch, delete, search and count
// on threads and assistants, put, get, delete and search on store items. After
// every step the target agrees with the model: a deleted thing is gone, a patch
// merges metadata, search filters and pagination return what the model holds,
// counts match. Each sequence works on resources of its own only: created under
// client-chosen ids, tagged with the check and a sequence marker, and every
// search and count is filtered by both.

import { createHash } from "node:crypto";
import fc from "fast-check";
import { statusCause } from "../../harness/causes";
import { check, type CheckContext } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { deepEqual, ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";
import { runContext } from "../../harness/run-context";
import { DEFAULT_RUNS, propertyCheckTimeoutMs, runProperty, type CaseApi, type PropertyCase } from "./engine";

const runs = runContext().propertyRuns ?? DEFAULT_RUNS;
/** Steps per sequence: enough to create, change, find and delete a few things. */
const MAX_COMMANDS = 12;

interface Real {
  api: CaseApi;
  c: CheckContext;
  /** The sequence's marker: its resources carry it, its searches filter by it. */
  seq: string;
  /** A deviation the property does not claim: observed, and the sequence goes on (see PropertyCase.soft). */
  soft: PropertyCase<unknown>["soft"];
}

type Cmd<M extends object> = fc.AsyncCommand<M, Real>;

const small = fc.constantFrom("a", "b");
const show = (v: unknown) => JSON.stringify(v);
let sequence = 0;

// ------------------------------------------------------------------ resources with metadata

interface Entity {
  id: string;
  metadata: Record<string, unknown>;
  name?: string;
  version?: number;
  deleted: boolean;
}

interface ResourceModel {
  /** Every id the sequence created, deleted ones too (gets of those must answer 404). */
  all: Entity[];
}

interface Kind {
  /** `threads` or `assistants`. */
  plural: "threads" | "assistants";
  idKey: "thread_id" | "assistant_id";
  create: (id: string, meta: Record<string, unknown>, name: string) => Record<string, unknown>;
  patch: (meta: Record<string, unknown>, name: string) => Record<string, unknown>;
  /** Whether PATCH takes a name and makes a new version (assistants). */
  versioned: boolean;
}

const THREADS: Kind = {
  plural: "threads",
  idKey: "thread_id",
  create: (id, metadata) => ({ thread_id: id, metadata }),
  patch: (metadata) => ({ metadata }),
  versioned: false,
};
const ASSISTANTS: Kind = {
  plural: "assistants",
  idKey: "assistant_id",
  create: (id, metadata, name) => ({ assistant_id: id, graph_id: "echo", metadata, name }),
  patch: (metadata, name) => ({ metadata, name }),
  versioned: true,
};

/**
 * The id a generated id stands for in this sequence: a UUID of the run, the check
 * and the sequence, so that sequences (and runs) never meet, while one generated
 * id is one resource within a sequence (a second create of it is a conflict).
 */
function realId(r: Real, generated: string): string {
  const h = createHash("sha256").update(`${r.c.run.runId}/${r.c.meta.id}/${r.seq}/${generated}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const live = (m: ResourceModel) => m.all.filter((e) => !e.deleted);
const own = (r: Real) => ({ ...r.c.tag(), pbt_sequence: r.seq });
const matches = (e: Entity, filter: Record<string, unknown>) => Object.entries(filter).every(([k, v]) => deepEqual(e.metadata[k], v));

function resourceCommands(kind: Kind): fc.Arbitrary<Cmd<ResourceModel>>[] {
  const base = `/${kind.plural}`;
  const pick = (m: ResourceModel, i: number) => m.all[i % m.all.length]!;
  const label = kind.plural === "threads" ? "thread" : "assistant";

  // Few distinct ids: a sequence meets its own ids again (conflicts, re-creation after delete).
  const create = fc.record({ id: fc.constantFrom("id0", "id1", "id2", "id3", "id4"), k: small, name: fc.stringMatching(/^[a-z]{1,6}$/) }).map(({ id: generated, k, name }): Cmd<ResourceModel> => ({
    check: () => true,
    run: async (m, r) => {
      const id = realId(r, generated);
      const metadata = { ...own(r), k };
      if (kind === THREADS) r.c.created.thread(id);
      else r.c.created.assistant(id);
      const res = await r.api.post(base, kind.create(id, metadata, name));
      const existing = m.all.find((e) => e.id === id && !e.deleted);
      if (existing) {
        // if_exists defaults to raise: an existing id answers 409 and changes nothing.
        expectStatus(res, 409, `a ${label} with this ${kind.idKey} exists (if_exists defaults to raise)`);
        return;
      }
      expectStatus(res, 200, `creating a ${label} with a new ${kind.idKey}`);
      const got = expectJsonObject(res);
      expectEqual(got[kind.idKey], id, `the created ${label}'s ${kind.idKey}`, res);
      const gone = m.all.find((e) => e.id === id);
      if (gone) Object.assign(gone, { metadata, name, version: 1, deleted: false });
      else m.all.push({ id, metadata, name, version: 1, deleted: false });
    },
    toString: () => `create(${generated}, k=${k}${kind.versioned ? `, name=${name}` : ""})`,
  }));

  const get = fc.nat({ max: 9 }).map((i): Cmd<ResourceModel> => ({
    check: (m) => m.all.length > 0,
    run: async (m, r) => {
      const e = pick(m, i);
      const res = await r.api.get(`${base}/${e.id}`);
      if (e.deleted) {
        expectStatus(res, 404, `the ${label} was deleted`);
        return;
      }
      expectStatus(res, 200, `the ${label} exists`);
      const got = expectJsonObject(res);
      for (const [k, v] of Object.entries(e.metadata)) expectEqual(got.metadata?.[k], v, `metadata '${k}' of ${label} ${e.id}`, res);
      if (kind.versioned) {
        expectEqual(got.name, e.name, `name of ${label} ${e.id}`, res);
        expectEqual(got.version, e.version, `version of ${label} ${e.id} after ${e.version! - 1} patch(es)`, res);
      }
    },
    toString: () => `get(#${i})`,
  }));

  const patch = fc.record({ i: fc.nat({ max: 9 }), k: small, extra: fc.constantFrom("x", "y"), name: fc.stringMatching(/^[a-z]{1,6}$/) }).map(({ i, k, extra, name }): Cmd<ResourceModel> => ({
    check: (m) => m.all.length > 0,
    run: async (m, r) => {
      const e = pick(m, i);
      const delta = { k, extra };
      const res = await r.api.patch(`${base}/${e.id}`, kind.patch(delta, name));
      if (e.deleted) {
        expectStatus(res, 404, `the ${label} was deleted`);
        return;
      }
      expectStatus(res, 200, `patching an existing ${label}`);
      // Metadata is merged into the existing metadata (the contract's PATCH descriptions).
      e.metadata = { ...e.metadata, ...delta };
      if (kind.versioned) {
        e.name = name;
        e.version = e.version! + 1;
      }
      const got = expectJsonObject(res);
      for (const [key, v] of Object.entries(e.metadata)) expectEqual(got.metadata?.[key], v, `metadata '${key}' in the PATCH answer (merged)`, res);
    },
    toString: () => `patch(#${i}, k=${k}, extra=${extra}${kind.versioned ? `, name=${name}` : ""})`,
  }));

  const del = fc.nat({ max: 9 }).map((i): Cmd<ResourceModel> => ({
    check: (m) => m.all.length > 0,
    run: async (m, r) => {
      const e = pick(m, i);
      const res = await r.api.delete(`${base}/${e.id}`);
      if (e.deleted) {
        expectStatus(res, 404, `the ${label} was deleted already`);
        return;
      }
      ensure(res.status >= 200 && res.status < 300, `DELETE ${base}/${e.id} of an existing ${label} answered ${res.status}`, res);
      e.deleted = true;
    },
    toString: () => `delete(#${i})`,
  }));

  const search = fc
    .record({ k: fc.option(small, { nil: undefined }), limit: fc.integer({ min: 1, max: 5 }), offset: fc.integer({ min: 0, max: 4 }), order: fc.constantFrom("asc", "desc") })
    .map(({ k, limit, offset, order }): Cmd<ResourceModel> => ({
      check: () => true,
      run: async (m, r) => {
        const filter = { ...own(r), ...(k ? { k } : {}) };
        const res = await r.api.post(`${base}/search`, { metadata: filter, limit, offset, sort_by: kind.idKey, sort_order: order });
        expectStatus(res, 200, "searching the sequence's own resources");
        const got = expectJsonArray(res).map((x) => x?.[kind.idKey]);
        const ids = live(m)
          .filter((e) => matches(e, filter))
          .map((e) => e.id)
          .sort();
        if (order === "desc") ids.reverse();
        const want = ids.slice(offset, offset + limit);
        expectEqual(got, want, `${base}/search ${show({ k, limit, offset, sort_by: kind.idKey, sort_order: order })}: the ${label}s the model holds, in order, after offset, at most limit`, res);
      },
      toString: () => `search(${k ? `k=${k}, ` : ""}limit=${limit}, offset=${offset}, ${order})`,
    }));

  const count = fc.option(small, { nil: undefined }).map((k): Cmd<ResourceModel> => ({
    check: () => true,
    run: async (m, r) => {
      const filter = { ...own(r), ...(k ? { k } : {}) };
      const res = await r.api.post(`${base}/count`, { metadata: filter });
      expectStatus(res, 200, "counting the sequence's own resources");
      expectEqual(res.json, live(m).filter((e) => matches(e, filter)).length, `${base}/count${k ? ` with k=${k}` : ""}: the number of live ${label}s the model holds`, res);
    },
    toString: () => `count(${k ? `k=${k}` : ""})`,
  }));

  return [create, get, patch, del, search, count];
}

// ------------------------------------------------------------------ store items

interface StoreModel {
  items: Map<string, Record<string, unknown>>;
  /** Keys ever used, deleted ones too. */
  keys: string[];
}

const storeKey = fc.constantFrom("k0", "k1", "k2", "k3");

function storeCommands(): fc.Arbitrary<Cmd<StoreModel>>[] {
  const ns = (r: Real) => r.c.namespace(r.c.meta.id.toLowerCase(), r.seq);
  const put = fc.record({ key: storeKey, n: fc.integer({ min: 0, max: 99 }) }).map(({ key, n }): Cmd<StoreModel> => ({
    check: () => true,
    run: async (m, r) => {
      r.c.created.storeItem(ns(r), key);
      const value = { n, key };
      const res = await r.api.put("/store/items", { namespace: ns(r), key, value });
      ensure(res.status >= 200 && res.status < 300, `PUT /store/items answered ${res.status}`, res);
      m.items.set(key, value);
      if (!m.keys.includes(key)) m.keys.push(key);
    },
    toString: () => `put(${key}, n=${n})`,
  }));
  const get = storeKey.map((key): Cmd<StoreModel> => ({
    check: () => true,
    run: async (m, r) => {
      const res = await r.api.get("/store/items", { query: { namespace: ns(r).join("."), key } });
      const want = m.items.get(key);
      if (!want) {
        // `null` with 200 still says "not there" (as both official servers answer): observed, STO-004's
        // claim at SHOULD, and the sequence goes on.
        if (res.status === 200 && res.json === null) {
          r.soft(`GET /store/items answered 200 with null for item '${key}', which is not in the namespace; the contract wants 404 (NotFound)`, res, {
            cause: statusCause("GET /store/items", [404], 200),
            level: "SHOULD",
          });
        }
        // The documents declare no status for a missing item: any refusal is taken here, the 404 itself is STO-004's (SHOULD).
        else
          ensure(
            res.status >= 400 && res.status < 500,
            `GET /store/items answered ${res.status} for item '${key}', which is not in the namespace (never put, or deleted); expected a refusal (the contract's 404)`,
            res,
          );
        return;
      }
      expectStatus(res, 200, `item '${key}' was put`);
      expectEqual(expectJsonObject(res).value, want, `the value of item '${key}'`, res);
    },
    toString: () => `get(${key})`,
  }));
  const del = storeKey.map((key): Cmd<StoreModel> => ({
    check: () => true,
    run: async (m, r) => {
      const res = await r.api.request({ method: "DELETE", path: "/store/items", json: { namespace: ns(r), key } });
      ensure(res.status >= 200 && res.status < 300, `DELETE /store/items of '${key}' answered ${res.status}`, res);
      m.items.delete(key);
    },
    toString: () => `delete(${key})`,
  }));
  const search = fc.record({ limit: fc.integer({ min: 1, max: 5 }), offset: fc.integer({ min: 0, max: 4 }) }).map(({ limit, offset }): Cmd<StoreModel> => ({
    check: () => true,
    run: async (m, r) => {
      const res = await r.api.post("/store/items/search", { namespace_prefix: ns(r), limit, offset });
      expectStatus(res, 200, "searching the sequence's namespace");
      const items: any[] = Array.isArray(res.json?.items) ? res.json.items : fail(`POST /store/items/search answered without an items list`, res);
      const expected = Math.max(0, Math.min(limit, m.items.size - offset));
      ensure(
        items.length === expected,
        `POST /store/items/search limit=${limit} offset=${offset} returned ${items.length} item(s); the namespace holds ${m.items.size}, so the page has ${expected}`,
        res,
      );
      for (const it of items) {
        const want = m.items.get(it?.key);
        ensure(want !== undefined, `POST /store/items/search returned item '${it?.key}', which the model does not hold (deleted, or never put)`, res);
        expectEqual(it.value, want, `the value of item '${it.key}' in the search`, res);
      }
      if (offset === 0 && limit >= m.items.size) {
        expectEqual(items.map((it) => it.key).sort(), [...m.items.keys()].sort(), "the keys of the namespace's items", res);
      }
    },
    toString: () => `search(limit=${limit}, offset=${offset})`,
  }));
  return [put, get, del, search];
}

// ------------------------------------------------------------------ the checks

/**
 * One sequence of the commands at the given positions (each drawn once, from a
 * fixed seed): run before the drawn ones, it meets every command on every run.
 */
function covering<M extends object>(arbs: fc.Arbitrary<Cmd<M>>[], order: number[]): Cmd<M>[] {
  return order.map((i, n) => fc.sample(arbs[i]!, { seed: n + 1, numRuns: 1 })[0]!);
}

/** create, create, get, patch, get, search, count, delete, get, search, count (positions in resourceCommands' list). */
const RESOURCE_COVERING = [0, 0, 1, 2, 1, 4, 5, 3, 1, 4, 5];
/** put, put, get, search, delete, get, search (positions in storeCommands' list). */
const STORE_COVERING = [0, 0, 1, 3, 2, 1, 3];

function modelCheck<M extends object>(
  def: { id: string; operations: string[]; title: string; spec: Citation[]; profile: string; requires?: string[]; covering: number[] },
  commands: () => fc.Arbitrary<Cmd<M>>[],
  initial: () => M,
) {
  check(
    {
      id: def.id,
      level: "MUST",
      profile: "property",
      operations: def.operations,
      spec: def.spec,
      title: def.title,
      ...(def.requires ? { requires: def.requires } : {}),
      timeoutMs: propertyCheckTimeoutMs(runs),
    },
    async (c) => {
      const claim = c.run.claims[def.profile as keyof typeof c.run.claims];
      if (claim && !claim.claimed) c.skip(`the operations belong to profile '${def.profile}', which the target does not claim: ${claim.reason}`);
      let n = 0;
      await runProperty({
        c,
        operation: { key: def.operations.join(", "), profile: def.profile },
        arbitrary: fc.commands(commands(), { maxCommands: MAX_COMMANDS }),
        examples: [covering(commands(), def.covering)],
        mask: [c.run.runId],
        digestOf: (cmds) => [...cmds].map(String).join(";"),
        show: (cmds) => `sequence ${String(cmds)}`,
        run: async ({ api, value, soft }) => {
          // Each sequence (and each replay) starts from an empty model with a marker of its own.
          const seq = `s${++sequence}-${++n}`;
          await fc.asyncModelRun(() => ({ model: initial(), real: { api, c, seq, soft } }), value);
        },
      });
    },
  );
}

modelCheck<ResourceModel>(
  {
    id: "PBT-201",
    profile: "threads",
    operations: ["POST /threads", "GET /threads/{thread_id}", "PATCH /threads/{thread_id}", "DELETE /threads/{thread_id}", "POST /threads/search", "POST /threads/count"],
    spec: [
      { source: "api-ref", section: "ThreadCreate.thread_id", quote: "The ID of the thread. If not provided, a random UUID will be generated." },
      { source: "api-ref", section: "ThreadPatch.metadata", quote: "Metadata to merge with existing thread metadata." },
      { source: "api-ref", section: "ThreadSearchRequest, ThreadCountRequest", note: "the metadata filter, limit, offset, sort_by and sort_order" },
      { source: "openapi", section: "GET /threads/{thread_id} (Get Thread), responses", quote: "Not Found", note: "404 after DELETE" },
      { source: "contract", section: "the threads operations", note: "the model the commands are judged against" },
    ],
    title: "Threads agree with a model through generated sequences of create, get, patch, delete, search and count",
    covering: RESOURCE_COVERING,
  },
  () => resourceCommands(THREADS),
  () => ({ all: [] }),
);

modelCheck<ResourceModel>(
  {
    id: "PBT-202",
    profile: "assistants",
    operations: ["POST /assistants", "GET /assistants/{assistant_id}", "PATCH /assistants/{assistant_id}", "DELETE /assistants/{assistant_id}", "POST /assistants/search", "POST /assistants/count"],
    spec: [
      { source: "api-ref", section: "AssistantCreate.assistant_id", quote: "The ID of the assistant. If not provided, a random UUID will be generated." },
      { source: "api-ref", section: "Patch Assistant, body metadata", quote: "Metadata to merge with existing assistant metadata." },
      { source: "guide-assistants", section: "Create a new version for your assistant", quote: "This will create a new version of the assistant with the provided edits." },
      { source: "api-ref", section: "AssistantSearchRequest, AssistantCountRequest", note: "the metadata filter, limit, offset, sort_by and sort_order" },
      { source: "api-ref", section: "Get Assistant, responses", quote: "Not Found", note: "404 after DELETE" },
      { source: "contract", section: "the assistants operations", note: "the model the commands are judged against" },
    ],
    title: "Assistants agree with a model through generated sequences of create, get, patch, delete, search and count",
    covering: RESOURCE_COVERING,
    requires: ["graph:echo"],
  },
  () => resourceCommands(ASSISTANTS),
  () => ({ all: [] }),
);

modelCheck<StoreModel>(
  {
    id: "PBT-203",
    profile: "store",
    operations: ["PUT /store/items", "GET /store/items", "DELETE /store/items", "POST /store/items/search"],
    spec: [
      { source: "api-ref", section: "StorePutRequest", quote: "Request to store or update an item." },
      { source: "api-ref", section: "StoreDeleteRequest", quote: "Request to delete an item." },
      { source: "api-ref", section: "StoreSearchRequest", quote: "Request to search for items within a namespace prefix.", note: "namespace_prefix, limit, offset" },
      { source: "contract", section: "the store operations", note: "GET /store/items by namespace and key; no item (a 4xx; 404 is STO-004's, SHOULD) for an item that is not there" },
    ],
    title: "Store items agree with a model through generated sequences of put, get, delete and search",
    covering: STORE_COVERING,
  },
  () => storeCommands(),
  () => ({ items: new Map(), keys: [] }),
);
