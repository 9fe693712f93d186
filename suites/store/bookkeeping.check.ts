// The bookkeeping of the store: namespaces are matched label by label (a
// prefix or suffix label "a" is not the string prefix of a sibling label
// "ab"), filters with values that are not strings, an item read by search as
// GET reads it, the namespaces listed for a prefix as the items found under
// it, and limits and offsets past the default pages (10 items, 100
// namespaces), with more matches than the default.

import { check, scenario, type CheckContext } from "../../harness/check";
import { deepEqual, ensure, expectSameMembers, expectStatus, fail } from "../../harness/expect";
import type { Citation } from "../../harness/model";
import { getItem, uuid } from "../_support/resources";
import { RUN_TIMEOUT_MS } from "../_support/runs";

const SEARCH = "POST /store/items/search";
const NAMESPACES = "POST /store/namespaces";

const where = (it: { namespace?: unknown; key?: unknown }) => `${Array.isArray(it?.namespace) ? it.namespace.join("/") : String(it?.namespace)}#${String(it?.key)}`;
const show = (ns: unknown) => (Array.isArray(ns) ? ns.join("/") : JSON.stringify(ns));

async function search(c: CheckContext, body: Record<string, unknown>) {
  const res = await c.api.post("/store/items/search", body);
  expectStatus(res, 200);
  const items = res.json?.items;
  if (!Array.isArray(items)) fail(`POST /store/items/search answered no items list: ${res.text.slice(0, 200)}`, res);
  return { res, items: items as any[] };
}

async function namespaces(c: CheckContext, body: Record<string, unknown>) {
  const res = await c.api.post("/store/namespaces", body);
  expectStatus(res, 200);
  const found = Array.isArray(res.json) ? res.json : res.json?.namespaces;
  if (!Array.isArray(found)) fail(`POST /store/namespaces answered no list of namespaces: ${res.text.slice(0, 200)}`, res);
  return { res, found: found as unknown[] };
}

/** Runs `fn` over `items`, `width` at a time. */
async function inBatches<T>(items: T[], width: number, fn: (x: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(fn));
}

/** Stores an item the check needs; answers why not where the target does not store it (STO-001 judges PUT). */
async function put(c: CheckContext, namespace: string[], key: string, value: Record<string, unknown>): Promise<string | undefined> {
  c.created.storeItem(namespace, key);
  const res = await c.api.put("/store/items", { namespace, key, value });
  return res.status >= 200 && res.status < 300 ? undefined : `PUT /store/items answered ${res.status}: the target does not store the items the check needs (STO-001 judges PUT)`;
}

/** The scenario's data, or a skip with the reason it could not be made. */
async function made<T extends { unavailable?: string }>(c: CheckContext, s: Promise<T>): Promise<T> {
  const got = await s;
  if (got.unavailable) c.skip(got.unavailable);
  return got;
}

// ------------------------------------------------------------------ labels that are string prefixes of their siblings

/**
 * Items under sibling labels "a" and "ab" (one the string prefix of the other),
 * under "a"/"x" (a namespace label by label under "a"), and under "b" and "ab"
 * again for suffixes; their values hold a boolean, the string "true" and a
 * nested object.
 */
const siblings = scenario("items under the sibling labels a and ab", async (c) => {
  const root = c.namespace("labels", uuid());
  const items: Array<{ namespace: string[]; key: string; value: Record<string, unknown> }> = [
    { namespace: [...root, "a"], key: "k1", value: { flag: true, n: 1 } },
    { namespace: [...root, "a"], key: "k2", value: { flag: "true", n: 2 } },
    { namespace: [...root, "a", "x"], key: "k1", value: { owner: { team: "a" }, n: 3 } },
    { namespace: [...root, "ab"], key: "k1", value: { flag: false, n: 4 } },
    { namespace: [...root, "b"], key: "k1", value: { owner: { team: "b" }, n: 5 } },
  ];
  const failed = (await Promise.all(items.map((it) => put(c, it.namespace, it.key, it.value)))).find((x) => x);
  if (failed) return { root, items, unavailable: failed };
  // One item is replaced after the others were stored: its search answer must be the new value.
  const replaced = { ...items[1]!, value: { flag: "true", n: 2, replaced: true } };
  await new Promise((r) => setTimeout(r, 5));
  const again = await put(c, replaced.namespace, replaced.key, replaced.value);
  items[1] = replaced;
  return { root, items, unavailable: again };
});

check(
  {
    id: "STO-121",
    level: "MUST",
    profile: "store",
    operations: [SEARCH],
    spec: [
      { source: "api-ref", section: "StoreSearchRequest.namespace_prefix", quote: "List of strings representing the namespace prefix." },
      {
        source: "api-ref",
        section: "Item.namespace",
        quote: "A namespace is analogous to a document's directory.",
        note: 'a prefix of labels, as a directory is a prefix of paths: label "a" is not a prefix of label "ab"',
      },
    ],
    title: 'POST /store/items/search matches namespace_prefix label by label: [..., "a"] finds the items under "a" and "a"/"x", none under its sibling "ab"',
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await made(c, siblings(c));
    const prefix = [...t.root, "a"];
    const { res, items } = await search(c, { namespace_prefix: prefix, limit: 100 });
    const expected = t.items.filter((it) => prefix.every((l, i) => it.namespace[i] === l));
    expectSameMembers(items.map(where), expected.map(where), 'items under the prefix ending in label "a"', res);
  },
);

check(
  {
    id: "STO-122",
    level: "MUST",
    profile: "store",
    operations: [NAMESPACES],
    spec: [
      { source: "api-ref", section: "StoreListNamespacesRequest.prefix", quote: "Optional list of strings representing the prefix to filter namespaces." },
      { source: "api-ref", section: "Item.namespace", quote: "A namespace is analogous to a document's directory." },
    ],
    title: 'POST /store/namespaces matches prefix label by label: [..., "a"] lists "a" and "a"/"x", not its sibling "ab"',
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await made(c, siblings(c));
    const { res, found } = await namespaces(c, { prefix: [...t.root, "a"], limit: 100 });
    expectSameMembers(found.map(show), [show([...t.root, "a"]), show([...t.root, "a", "x"])], 'namespaces under the prefix ending in label "a"', res);
  },
);

check(
  {
    id: "STO-123",
    level: "MUST",
    profile: "store",
    operations: [NAMESPACES],
    spec: [
      { source: "api-ref", section: "StoreListNamespacesRequest.suffix", quote: "Optional list of strings representing the suffix to filter namespaces." },
      { source: "api-ref", section: "Item.namespace", quote: "A namespace is analogous to a document's directory." },
    ],
    title: 'POST /store/namespaces matches suffix label by label: ["b"] lists the namespace ending in label "b", not the one ending in "ab"',
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await made(c, siblings(c));
    const { res, found } = await namespaces(c, { prefix: t.root, suffix: ["b"], limit: 100 });
    expectSameMembers(found.map(show), [show([...t.root, "b"])], 'namespaces under the root ending in label "b"', res);
  },
);

check(
  {
    id: "STO-124",
    level: "MUST",
    profile: "store",
    operations: [SEARCH],
    spec: [
      { source: "api-ref", section: "StoreSearchRequest.filter", quote: "Optional dictionary of key-value pairs to filter results." },
      { source: "contract", section: "POST /store/items/search", quote: "`filter` keeps the items whose value matches each key/value pair." },
    ],
    title: 'POST /store/items/search with a filter whose values are booleans matches them as such: true is not "true", nor false',
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await made(c, siblings(c));
    // Objects as filter values are left out: a store reads them as comparison
    // operators ({"$eq": ...}), which the API's documents do not describe.
    const cases: Array<[Record<string, unknown>, (v: Record<string, any>) => boolean, string]> = [
      [{ flag: true }, (v) => v.flag === true, "flag=true (the boolean)"],
      [{ flag: "true" }, (v) => v.flag === "true", 'flag="true" (the string)'],
      [{ flag: false }, (v) => v.flag === false, "flag=false"],
    ];
    for (const [filter, keep, what] of cases) {
      const { res, items } = await search(c, { namespace_prefix: t.root, filter, limit: 100 });
      expectSameMembers(items.map(where), t.items.filter((it) => keep(it.value)).map(where), `items found with ${what}`, res);
    }
  },
);

check(
  {
    id: "STO-125",
    level: "MUST",
    profile: "store",
    operations: [SEARCH, "GET /store/items"],
    spec: [
      { source: "api-ref", section: "SearchItemsResponse", note: "items: Item objects, as GET /store/items answers one" },
      { source: "api-ref", section: "Item", quote: "Represents a single document or data entry in the graph's Store." },
    ],
    title: "POST /store/items/search answers each item as GET /store/items does: the same value (also after a replace) and timestamps",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await made(c, siblings(c));
    const { res, items } = await search(c, { namespace_prefix: t.root, limit: 100 });
    ensure(items.length === t.items.length, `search under the root found ${items.length} of the ${t.items.length} items`, res);
    for (const it of items) {
      const got = await getItem(c, it.namespace, it.key);
      expectStatus(got, 200, `reading ${where(it)} found by search`);
      for (const field of ["value", "created_at", "updated_at"] as const) {
        const a = it[field];
        const b = got.json?.[field];
        const same = field === "value" ? deepEqual(a, b) : Date.parse(a) === Date.parse(b);
        if (!same) fail(`${where(it)}: search answers ${field} ${JSON.stringify(a)}, GET /store/items ${JSON.stringify(b)}`, res);
      }
    }
  },
);

check(
  {
    id: "STO-126",
    level: "MUST",
    profile: "store",
    operations: [NAMESPACES, SEARCH],
    spec: [
      { source: "api-ref", section: "StoreListNamespacesRequest.prefix", quote: "Optional list of strings representing the prefix to filter namespaces." },
      { source: "api-ref", section: "StoreSearchRequest", quote: "Request to search for items within a namespace prefix." },
    ],
    title: "POST /store/namespaces with a prefix lists exactly the namespaces of the items POST /store/items/search finds under it",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await made(c, siblings(c));
    for (const prefix of [t.root, [...t.root, "a"]]) {
      const s = await search(c, { namespace_prefix: prefix, limit: 100 });
      const n = await namespaces(c, { prefix, limit: 100 });
      expectSameMembers(n.found.map(show), [...new Set(s.items.map((it) => show(it.namespace)))], `namespaces listed under ${show(prefix.slice(2))} against those of the items found there`, n.res);
    }
  },
);

// ------------------------------------------------------------------ pages past the default

/** Twelve items in one namespace. */
const twelveItems = scenario("twelve items in one namespace", async (c) => {
  const root = c.namespace("pages", uuid());
  const keys = Array.from({ length: 12 }, (_, i) => `k${String(i).padStart(2, "0")}`);
  const failed = (await Promise.all(keys.map((k, i) => put(c, root, k, { i })))).find((x) => x);
  return { root, keys, unavailable: failed };
});

const SEARCH_LIMIT: Citation = { source: "api-ref", section: "StoreSearchRequest.limit", quote: "Maximum number of items to return (default is 10)." };

check(
  {
    id: "STO-127",
    level: "MUST",
    profile: "store",
    operations: [SEARCH],
    spec: [SEARCH_LIMIT],
    title: "POST /store/items/search with limit=11, above the default page of 10, returns 11 of 12 items",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await made(c, twelveItems(c));
    const { res, items } = await search(c, { namespace_prefix: t.root, limit: 11 });
    ensure(items.length === 11, `limit=11 returned ${items.length} of the 12 items`, res);
  },
);

check(
  {
    id: "STO-128",
    level: "MUST",
    profile: "store",
    operations: [SEARCH],
    spec: [{ source: "api-ref", section: "StoreSearchRequest.offset", quote: "Number of items to skip before returning results (default is 0)." }, SEARCH_LIMIT],
    title: "POST /store/items/search with offset=10 and no limit returns the 2 of 12 items past the first page, none of the first page's",
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const t = await made(c, twelveItems(c));
    const first = await search(c, { namespace_prefix: t.root });
    const rest = await search(c, { namespace_prefix: t.root, offset: 10 });
    ensure(rest.items.length === 2, `offset=10 returned ${rest.items.length} items; of 12, 2 are left past the first 10`, rest.res);
    expectSameMembers([...first.items.map((it) => it?.key), ...rest.items.map((it) => it?.key)], t.keys, "keys of the first page and of the page at offset 10 together", rest.res);
  },
);

/** A hundred and two namespaces (one item each) under one root: two more than the default page. */
const manyNamespaces = scenario(
  "102 namespaces under one root",
  async (c) => {
    const root = c.namespace("many", uuid());
    const all = Array.from({ length: 102 }, (_, i) => [...root, `n${String(i).padStart(3, "0")}`]);
    let failed: string | undefined;
    await inBatches(all, 17, async (ns) => {
      if (!failed) failed = await put(c, ns, "k", { here: ns.at(-1) });
    });
    return { root, all: all.map(show), unavailable: failed };
  },
  120_000,
);

const NS_LIMIT: Citation = { source: "api-ref", section: "StoreListNamespacesRequest.limit", quote: "Maximum number of namespaces to return (default is 100)." };

check(
  {
    id: "STO-129",
    level: "MUST",
    profile: "store",
    operations: [NAMESPACES],
    spec: [NS_LIMIT],
    title: "POST /store/namespaces without limit lists 100 of 102 namespaces (the default page)",
    timeoutMs: 120_000,
  },
  async (c) => {
    const t = await made(c, manyNamespaces(c));
    const { res, found } = await namespaces(c, { prefix: t.root });
    ensure(found.length === 100, `without limit, ${found.length} of the 102 namespaces were listed; the default limit is 100`, res);
  },
);

check(
  {
    id: "STO-130",
    level: "MUST",
    profile: "store",
    operations: [NAMESPACES],
    spec: [NS_LIMIT],
    title: "POST /store/namespaces with limit=101, above the default page of 100, lists 101 of 102 namespaces",
    timeoutMs: 120_000,
  },
  async (c) => {
    const t = await made(c, manyNamespaces(c));
    const { res, found } = await namespaces(c, { prefix: t.root, limit: 101 });
    ensure(found.length === 101, `limit=101 listed ${found.length} of the 102 namespaces`, res);
  },
);

check(
  {
    id: "STO-131",
    level: "MUST",
    profile: "store",
    operations: [NAMESPACES],
    spec: [{ source: "api-ref", section: "StoreListNamespacesRequest.offset", quote: "Number of namespaces to skip before returning results (default is 0)." }, NS_LIMIT],
    title: "POST /store/namespaces with offset=100 and no limit lists the 2 of 102 namespaces past the first page, none of the first page's",
    timeoutMs: 120_000,
  },
  async (c) => {
    const t = await made(c, manyNamespaces(c));
    const first = await namespaces(c, { prefix: t.root });
    const rest = await namespaces(c, { prefix: t.root, offset: 100 });
    ensure(rest.found.length === 2, `offset=100 listed ${rest.found.length} namespaces; of 102, 2 are left past the first 100`, rest.res);
    expectSameMembers([...first.found.map(show), ...rest.found.map(show)], t.all, "namespaces of the first page and of the page at offset 100 together", rest.res);
  },
);
