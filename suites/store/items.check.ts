// Items of the store, one by one: put, get, replace, delete. Every namespace is
// under the run's own root (["conformance", <run id>, ...]).

import { check } from "../../harness/check";
import { ensure, expectEqual, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import { getItem, putItem, uuid } from "../_support/resources";

const PUT = "PUT /store/items";
const GET = "GET /store/items";
const DELETE = "DELETE /store/items";

check(
  {
    id: "STO-001",
    level: "MUST",
    profile: "store",
    operations: [PUT, GET],
    spec: [
      { source: "api-ref", section: "StorePutRequest", quote: "Request to store or update an item." },
      { source: "api-ref", section: "Item", quote: "Represents a single document or data entry in the graph's Store." },
      { source: "openapi", section: "PUT /store/items, responses", note: "204; the same in openapi-prev" },
    ],
    title: "PUT /store/items answers 204, and GET /store/items then returns the item with its namespace, key and value",
  },
  async (c) => {
    const ns = c.namespace("items", uuid());
    const value = { title: "a document", n: 1, nested: { list: [1, "two", null], flag: true }, text: "ünïcödé ✓" };
    await putItem(c, ns, "doc", value);
    const res = await getItem(c, ns, "doc");
    expectStatus(res, 200);
    const item = expectJsonObject(res);
    expectEqual(item.namespace, ns, "namespace of the item", res);
    expectEqual(item.key, "doc", "key of the item", res);
    expectEqual(item.value, value, "value of the item (as stored)", res);
  },
);

check(
  {
    id: "STO-002",
    level: "MUST",
    profile: "store",
    operations: [PUT, GET],
    spec: [
      { source: "api-ref", section: "StorePutRequest", quote: "Request to store or update an item." },
      { source: "sdk-py", section: "StoreClient.put_item", quote: "Store or update an item." },
    ],
    title: "PUT /store/items on an existing key replaces the item's value",
  },
  async (c) => {
    const ns = c.namespace("items", uuid());
    await putItem(c, ns, "doc", { version: 1, only_in_first: true });
    await putItem(c, ns, "doc", { version: 2 });
    const res = await getItem(c, ns, "doc");
    expectStatus(res, 200);
    expectEqual(expectJsonObject(res).value, { version: 2 }, "value after the second PUT (replaced, not merged)", res);
  },
);

check(
  {
    id: "STO-003",
    level: "SHOULD",
    profile: "store",
    operations: [PUT, GET],
    spec: [
      { source: "api-ref", section: "Item.created_at", quote: "The timestamp when the item was created." },
      { source: "api-ref", section: "Item.updated_at", quote: "The timestamp when the item was last updated." },
    ],
    title: "Replacing an item moves its updated_at forward and keeps its created_at",
  },
  async (c) => {
    const ns = c.namespace("items", uuid());
    await putItem(c, ns, "doc", { version: 1 });
    const first = await getItem(c, ns, "doc");
    expectStatus(first, 200);
    const a = expectJsonObject(first);
    await new Promise((r) => setTimeout(r, 15)); // timestamps of millisecond precision must differ
    await putItem(c, ns, "doc", { version: 2 });
    const second = await getItem(c, ns, "doc");
    expectStatus(second, 200);
    const b = expectJsonObject(second);
    ensure(Date.parse(b.updated_at) > Date.parse(a.updated_at), `updated_at after the second PUT is ${b.updated_at}, not after ${a.updated_at}`, second);
    expectEqual(Date.parse(b.created_at), Date.parse(a.created_at), "created_at after the second PUT (as an instant)", second);
  },
);

check(
  {
    id: "STO-004",
    level: "SHOULD",
    profile: "store",
    operations: [GET],
    spec: [
      { source: "openapi", section: "GET /store/items, responses", note: "200 (an Item), 400 and 422, no 404; the same in openapi-prev" },
      {
        source: "contract",
        section: "GET /store/items, 404 x-decision",
        quote: "A missing item should answer 404, the answer of every other read of a resource that does not exist",
        note: "the contract's choice, hence SHOULD, as for every 404 the documents do not declare (THR-110, AST-082); both official servers answer 200 null, which the contract accepts on the wire",
      },
    ],
    title: "GET /store/items answers 404 for a key that is not stored",
  },
  async (c) => {
    const res = await getItem(c, c.namespace("items", uuid()), "never-stored");
    expectStatus(res, 404);
  },
);

check(
  {
    id: "STO-005",
    level: "MUST",
    profile: "store",
    operations: [DELETE, GET, "POST /store/items/search"],
    spec: [
      { source: "api-ref", section: "StoreDeleteRequest", quote: "Request to delete an item." },
      { source: "openapi", section: "DELETE /store/items, responses", note: "204; the same in openapi-prev" },
    ],
    title: "DELETE /store/items answers 204; the item is gone: GET no longer returns it and search no longer finds it",
  },
  async (c) => {
    const ns = c.namespace("items", uuid());
    await putItem(c, ns, "doc", { kept: false });
    const del = await c.api.request({ method: "DELETE", path: "/store/items", json: { namespace: ns, key: "doc" } });
    expectStatus(del, 204);
    const got = await getItem(c, ns, "doc");
    ensure(got.status !== 200 || got.json === null, `GET /store/items still returns the deleted item: ${got.text.slice(0, 200)}`, got);
    // Which refusal is STO-004's (SHOULD: the documents declare no 404 here); a 200 with null fails on the wire (not an Item).
    ensure(got.status === 200 || (got.status >= 400 && got.status < 500), `GET /store/items answered ${got.status} for the deleted item; expected a refusal (the contract's 404)`, got);
    const found = await c.api.post("/store/items/search", { namespace_prefix: ns, limit: 10 });
    expectStatus(found, 200);
    const items = Array.isArray(found.json?.items) ? found.json.items : fail(`POST /store/items/search answered no items list: ${found.text.slice(0, 200)}`, found);
    ensure(items.length === 0, `search still finds ${items.length} item(s) under the namespace of the deleted item`, found);
  },
);

check(
  {
    id: "STO-006",
    level: "MUST",
    profile: "store",
    operations: [DELETE],
    spec: [
      { source: "openapi", section: "DELETE /store/items (Delete an item.), responses", note: "204 and 422 only, no 404; the same in openapi-prev" },
      { source: "contract", section: "DELETE /store/items, 204 x-decision", quote: "deleting a key that is not stored is not an error" },
    ],
    title: "DELETE /store/items for a key that is not stored answers 204",
  },
  async (c) => {
    const res = await c.api.request({ method: "DELETE", path: "/store/items", json: { namespace: c.namespace("items", uuid()), key: "never-stored" } });
    expectStatus(res, 204);
  },
);

check(
  {
    id: "STO-007",
    level: "MUST",
    profile: "store",
    operations: [PUT, GET, DELETE],
    spec: [{ source: "api-ref", section: "Item.key", quote: "The unique identifier of the item within its namespace. In general, keys needn't be globally unique." }],
    title: "The same key in two namespaces names two items: each is read, replaced and deleted apart",
  },
  async (c) => {
    const base = uuid();
    const a = c.namespace("items", base, "a");
    const b = c.namespace("items", base, "b");
    await putItem(c, a, "same", { in: "a" });
    await putItem(c, b, "same", { in: "b" });
    const ga = await getItem(c, a, "same");
    expectStatus(ga, 200);
    expectEqual(ga.json?.value, { in: "a" }, "value under namespace a", ga);
    expectStatus(await c.api.request({ method: "DELETE", path: "/store/items", json: { namespace: a, key: "same" } }), 204);
    const gb = await getItem(c, b, "same");
    expectStatus(gb, 200, "deleting the key under namespace a must not delete it under namespace b");
    expectEqual(gb.json?.value, { in: "b" }, "value under namespace b", gb);
  },
);
