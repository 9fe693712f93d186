// POST /store/items/search: items under a namespace prefix, filtered, paged.

import { check, scenario, type CheckContext } from "../../harness/check";
import { deepEqual, ensure, expectEqual, expectSameMembers, expectStatus, fail } from "../../harness/expect";
import { firstOutOfOrder, putItem, uuid } from "../_support/resources";

const SEARCH = ["POST /store/items/search"];

/** Six items in three namespaces under one root of their own. */
const tree = scenario("six items in three namespaces", async (c) => {
  const root = c.namespace("search", uuid());
  const items: Array<{ namespace: string[]; key: string; value: Record<string, unknown> }> = [
    { namespace: [...root, "a"], key: "a1", value: { kind: "fruit", n: 1 } },
    { namespace: [...root, "a"], key: "a2", value: { kind: "veg", n: 2 } },
    { namespace: [...root, "a"], key: "a3", value: { kind: "fruit", n: 3 } },
    { namespace: [...root, "b"], key: "b1", value: { kind: "fruit", n: 4 } },
    { namespace: [...root, "b"], key: "b2", value: { kind: "veg", n: 5 } },
    { namespace: [...root, "b", "deep"], key: "d1", value: { kind: "fruit", n: 6 } },
  ];
  for (const it of items) await putItem(c, it.namespace, it.key, it.value);
  return { root, items };
});

/** An item by where it is: namespace labels and key. */
const where = (it: { namespace?: unknown; key?: unknown }) => `${Array.isArray(it?.namespace) ? it.namespace.join("/") : String(it?.namespace)}#${String(it?.key)}`;

async function search(c: CheckContext, body: Record<string, unknown>) {
  const res = await c.api.post("/store/items/search", body);
  expectStatus(res, 200);
  const items = res.json?.items;
  if (!Array.isArray(items)) fail(`POST /store/items/search answered no items list: ${res.text.slice(0, 200)}`, res);
  return { res, items: items as any[] };
}

check(
  {
    id: "STO-020",
    level: "MUST",
    profile: "store",
    operations: SEARCH,
    spec: [
      { source: "api-ref", section: "StoreSearchRequest", quote: "Request to search for items within a namespace prefix." },
      { source: "api-ref", section: "StoreSearchRequest.namespace_prefix", quote: "List of strings representing the namespace prefix." },
    ],
    title: "POST /store/items/search returns exactly the items under namespace_prefix, as they were stored",
  },
  async (c) => {
    const t = await tree(c);
    for (const prefix of [t.root, [...t.root, "b"], [...t.root, "a"]]) {
      const { res, items } = await search(c, { namespace_prefix: prefix, limit: 100 });
      const expected = t.items.filter((it) => prefix.every((label, i) => it.namespace[i] === label));
      expectSameMembers(items.map(where), expected.map(where), `items under ${prefix.slice(2).join("/")}`, res);
      for (const it of items) {
        const stored = t.items.find((x) => where(x) === where(it));
        expectEqual(it.value, stored?.value, `value of ${where(it)}`, res);
      }
    }
  },
);

check(
  {
    id: "STO-021",
    level: "MUST",
    profile: "store",
    operations: SEARCH,
    spec: [
      { source: "api-ref", section: "StoreSearchRequest.filter", quote: "Optional dictionary of key-value pairs to filter results." },
      { source: "contract", section: "POST /store/items/search", quote: "`filter` keeps the items whose value matches each key/value pair." },
    ],
    title: "POST /store/items/search with a filter returns exactly the items whose value matches each pair",
  },
  async (c) => {
    const t = await tree(c);
    const fruit = await search(c, { namespace_prefix: t.root, filter: { kind: "fruit" }, limit: 100 });
    expectSameMembers(fruit.items.map(where), t.items.filter((it) => it.value.kind === "fruit").map(where), "items with kind=fruit", fruit.res);
    const one = await search(c, { namespace_prefix: t.root, filter: { kind: "fruit", n: 3 }, limit: 100 });
    expectSameMembers(one.items.map(where), t.items.filter((it) => it.key === "a3").map(where), "items with kind=fruit and n=3", one.res);
  },
);

check(
  {
    id: "STO-022",
    level: "MUST",
    profile: "store",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "StoreSearchRequest.limit", quote: "Maximum number of items to return (default is 10)." }],
    title: "POST /store/items/search returns at most `limit` items",
  },
  async (c) => {
    const t = await tree(c);
    const { res, items } = await search(c, { namespace_prefix: t.root, limit: 2 });
    ensure(items.length === 2, `limit=2 returned ${items.length} items (6 match)`, res);
  },
);

check(
  {
    id: "STO-023",
    level: "MUST",
    profile: "store",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "StoreSearchRequest.offset", quote: "Number of items to skip before returning results (default is 0)." }],
    title: "POST /store/items/search pages with offset: consecutive pages are disjoint and together are all the items",
  },
  async (c) => {
    const t = await tree(c);
    const p1 = await search(c, { namespace_prefix: t.root, limit: 3, offset: 0 });
    const p2 = await search(c, { namespace_prefix: t.root, limit: 3, offset: 3 });
    const p3 = await search(c, { namespace_prefix: t.root, limit: 3, offset: 6 });
    const a = p1.items.map(where);
    const b = p2.items.map(where);
    const both = a.filter((x) => b.includes(x));
    ensure(both.length === 0, `the pages at offset 0 and 3 share ${both.join(", ")}`, p2.res);
    expectSameMembers([...a, ...b], t.items.map(where), "items of the pages at offset 0 and 3 (limit 3) together", p2.res);
    ensure(p3.items.length === 0, `offset=6 past the 6 items returned ${p3.items.length} items`, p3.res);
  },
);

check(
  {
    id: "STO-024",
    level: "MUST",
    profile: "store",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "StoreSearchRequest.limit", quote: "Maximum number of items to return (default is 10)." }],
    title: "POST /store/items/search without limit returns at most 10 items",
  },
  async (c) => {
    const root = c.namespace("default-limit", uuid());
    await Promise.all(Array.from({ length: 12 }, (_, i) => putItem(c, root, `k${i}`, { i })));
    const { res, items } = await search(c, { namespace_prefix: root });
    ensure(items.length === 10, `without limit, search returned ${items.length} of 12 items; the default limit is 10`, res);
  },
);

check(
  {
    id: "STO-025",
    level: "SHOULD",
    profile: "store",
    operations: SEARCH,
    spec: [
      {
        source: "openapi",
        section: "StoreSearchRequest.query",
        quote: "If not provided, items are returned ordered by last updated time (listing mode).",
        note: "the direction is not given: either is taken",
      },
      { source: "api-ref", section: "StoreSearchRequest", note: "silent on the order, hence SHOULD" },
    ],
    title: "POST /store/items/search without a query lists the items in the order of their last update",
  },
  async (c) => {
    const root = c.namespace("order", uuid());
    const pause = () => new Promise((r) => setTimeout(r, 15)); // timestamps of millisecond precision must differ
    for (const k of ["x1", "x2", "x3"]) {
      await putItem(c, root, k, { k });
      await pause();
    }
    await putItem(c, root, "x1", { k: "x1", touched: true });
    const { res, items } = await search(c, { namespace_prefix: root, limit: 10 });
    // The document says "ordered by last updated time" and no more: newest first or oldest first.
    const keys = items.map((it) => it?.key);
    const newestFirst = ["x1", "x3", "x2"];
    const oldestFirst = [...newestFirst].reverse();
    ensure(
      deepEqual(keys, newestFirst) || deepEqual(keys, oldestFirst),
      `keys in the order listed: expected ${JSON.stringify(newestFirst)} (newest update first) or ${JSON.stringify(oldestFirst)} (oldest first), got ${JSON.stringify(keys)} (x2 was put after x1, x3 after x2, then x1 was updated)`,
      res,
    );
    const order = deepEqual(keys, newestFirst) ? "desc" : "asc";
    const bad = firstOutOfOrder(items, (it) => Date.parse(it?.updated_at ?? ""), order);
    ensure(bad === -1, `items are listed ${order === "desc" ? "newest" : "oldest"} first by key, but their updated_at disagree: ${items[bad - 1]?.updated_at} before ${items[bad]?.updated_at}`, res);
  },
);
