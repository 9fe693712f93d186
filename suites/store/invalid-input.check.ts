// Requests a real client could send by mistake. The contract's answer is 422
// (400 also for a body that is not JSON; 415, SHOULD, for one not sent as JSON;
// SHOULD for the rules of the contract's own decisions) with its error body, never a
// 2xx or a 5xx, and nothing is stored, changed or deleted.

import { check, type CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectStatus } from "../../harness/expect";
import type { Citation } from "../../harness/model";
import { MALFORMED_BODY, UNSUPPORTED_MEDIA_TYPE } from "../_support/citations";
import { expectRefused, getItem, putItem, uuid } from "../_support/resources";

const PUT = ["PUT /store/items"];

/** Nothing is stored under `root` (the refused request named a namespace under it). */
async function expectNothingUnder(c: CheckContext, root: string[]): Promise<void> {
  const res = await c.api.post("/store/items/search", { namespace_prefix: root, limit: 10 });
  expectStatus(res, 200, "searching for what a refused request might have stored");
  const items: any[] = Array.isArray(res.json?.items) ? res.json.items : [];
  // Only what lies under the root is ours to delete: a server that ignores the prefix lists others' too.
  for (const it of items) {
    if (Array.isArray(it?.namespace) && typeof it?.key === "string" && root.every((label, i) => it.namespace[i] === label)) c.created.storeItem(it.namespace, it.key);
  }
  ensure(items.length === 0, `a refused request still stored ${items.length} item(s) under its namespace`, res);
}

// The documents give a namespace as "A list of strings representing the namespace
// path", with no bound on its length and no grammar for its labels. The rules on
// labels and on an empty namespace are the contract's own decisions
// (StoreNamespaceLabel, StorePutRequest.namespace): a server that takes such a
// namespace breaks no document's words, hence SHOULD; a wrong type or a missing
// field breaks the documents, hence MUST.
const DECIDED = "the documents give no such rule: the contract's decision, hence SHOULD";

/** Where api-ref states a rule of a store request, and the 422 the public documents declare. */
const rule = (model: string, field: string, note: string, quote?: string): Citation => ({ source: "api-ref", section: `${model}.${field}`, ...(quote ? { quote } : {}), note });
const decided = (schema: string): Citation => ({ source: "contract", section: schema, note: DECIDED });
const validationError = (op: string): Citation => ({ source: "openapi", section: `${op}, responses`, quote: "Validation Error", note: "422; the same in openapi-prev" });
const NAMESPACE = "A list of strings representing the namespace path.";

const putCases: Array<[string, "MUST" | "SHOULD", string, (root: string[]) => unknown, string, Citation[]]> = [
  [
    "STO-100",
    "SHOULD",
    "with an empty namespace",
    (r) => ({ namespace: [], key: `k-${r.at(-1)}`, value: { v: 1 } }),
    `namespace has at least one label (${DECIDED}, StorePutRequest.namespace)`,
    [rule("StorePutRequest", "namespace", "no bound on its length", NAMESPACE), decided("StorePutRequest.namespace")],
  ],
  [
    "STO-101",
    "SHOULD",
    "with a namespace label that contains a period",
    (r) => ({ namespace: [...r, "a.b"], key: "k", value: { v: 1 } }),
    `namespace labels contain no period (${DECIDED}, StoreNamespaceLabel)`,
    [rule("StorePutRequest", "namespace", "no grammar for its labels", NAMESPACE), decided("StoreNamespaceLabel")],
  ],
  [
    "STO-102",
    "SHOULD",
    "with an empty namespace label",
    (r) => ({ namespace: [...r, ""], key: "k", value: { v: 1 } }),
    `namespace labels are not empty (${DECIDED}, StoreNamespaceLabel)`,
    [rule("StorePutRequest", "namespace", "no grammar for its labels", NAMESPACE), decided("StoreNamespaceLabel")],
  ],
  [
    "STO-103",
    "MUST",
    "with a namespace that is a string, not a list",
    (r) => ({ namespace: r.join("."), key: "k", value: { v: 1 } }),
    "namespace is an array of strings",
    [rule("StorePutRequest", "namespace", "an array of strings, required", NAMESPACE)],
  ],
  [
    "STO-104",
    "MUST",
    "without a key",
    (r) => ({ namespace: r, value: { v: 1 } }),
    "key is required",
    [rule("StorePutRequest", "key", "required", "The unique identifier for the item within the namespace.")],
  ],
  [
    "STO-105",
    "MUST",
    "with a key that is not a string",
    (r) => ({ namespace: r, key: 42, value: { v: 1 } }),
    "key is a string",
    [rule("StorePutRequest", "key", "a string", "The unique identifier for the item within the namespace.")],
  ],
  ["STO-106", "MUST", "without a value", (r) => ({ namespace: r, key: "k" }), "value is required", [rule("StorePutRequest", "value", "required", "A dictionary containing the item's data.")]],
  [
    "STO-107",
    "MUST",
    "with a value that is not an object",
    (r) => ({ namespace: r, key: "k", value: ["not", "an", "object"] }),
    "value is an object",
    [rule("StorePutRequest", "value", "an object", "A dictionary containing the item's data.")],
  ],
];

for (const [id, level, what, body, why, where] of putCases) {
  check(
    {
      id,
      level,
      profile: "store",
      operations: [...PUT, "POST /store/items/search"],
      spec: [...where, validationError("PUT /store/items")],
      title: `PUT /store/items ${what} answers 422 and stores nothing`,
    },
    async (c) => {
      const root = c.namespace("refused", uuid());
      const res = await c.api.put("/store/items", body(root));
      expectRefused(res, [422], why);
      await expectNothingUnder(c, root);
      if (id === "STO-100") {
        // Nothing under the run's root to search: read the key back without a namespace.
        const key = `k-${root.at(-1)}`;
        const got = await c.api.get("/store/items", { query: { key } });
        ensure(!(got.status === 200 && got.json?.key === key), "a refused PUT with an empty namespace still stored the item", got);
      }
    },
  );
}

check(
  {
    id: "STO-108",
    level: "MUST",
    profile: "store",
    operations: PUT,
    spec: [{ source: "openapi", section: "PUT /store/items (Store or update an item.), requestBody", note: "required, application/json; the same in openapi-prev" }, ...MALFORMED_BODY],
    title: "PUT /store/items with a body that is not valid JSON answers 400 or 422 and stores nothing",
  },
  async (c) => {
    const root = c.namespace("refused", uuid());
    const res = await c.api.request({ method: "PUT", path: "/store/items", body: `{"namespace": ${JSON.stringify(root)}, "key": "k", "value": {`, headers: { "content-type": "application/json" } });
    expectRefused(res, [400, 422], "the body is JSON");
    await expectNothingUnder(c, root);
  },
);

check(
  {
    id: "STO-109",
    level: "SHOULD",
    profile: "store",
    operations: PUT,
    spec: [{ source: "openapi", section: "PUT /store/items (Store or update an item.), requestBody", note: "application/json only; the same in openapi-prev" }, ...UNSUPPORTED_MEDIA_TYPE],
    title: "PUT /store/items with a JSON text sent as text/plain answers 415 or 422 and stores nothing",
  },
  async (c) => {
    const root = c.namespace("refused", uuid());
    c.created.storeItem(root, "k");
    const res = await c.api.request({ method: "PUT", path: "/store/items", body: JSON.stringify({ namespace: root, key: "k", value: { v: 1 } }), headers: { "content-type": "text/plain" } });
    expectRefused(res, [415, 422], "the body is application/json");
    await expectNothingUnder(c, root);
  },
);

check(
  {
    id: "STO-110",
    level: "MUST",
    profile: "store",
    operations: ["GET /store/items"],
    spec: [
      { source: "openapi", section: "GET /store/items, query key", note: "required; the same in openapi-prev; the operation declares 400 and 422" },
      { source: "sdk-py", section: "StoreClient.get_item, key", quote: "The unique identifier for the item." },
    ],
    title: "GET /store/items without a key answers 422 (400 is also declared for this operation)",
  },
  async (c) => {
    const res = await c.api.get("/store/items", { query: { namespace: c.namespace("refused").join(".") } });
    expectRefused(res, [400, 422], "key is required");
  },
);

check(
  {
    id: "STO-111",
    level: "MUST",
    profile: "store",
    operations: ["DELETE /store/items", "GET /store/items"],
    spec: [
      { source: "api-ref", section: "StoreDeleteRequest.key", quote: "The unique identifier for the item.", note: "required" },
      { source: "openapi", section: "DELETE /store/items, responses", quote: "Validation Error", note: "422; the same in openapi-prev" },
    ],
    title: "DELETE /store/items without a key answers 422 and deletes nothing",
  },
  async (c) => {
    const ns = c.namespace("refused", uuid());
    await putItem(c, ns, "k", { stays: true });
    const res = await c.api.request({ method: "DELETE", path: "/store/items", json: { namespace: ns } });
    expectRefused(res, [422], "key is required");
    const got = await getItem(c, ns, "k");
    expectStatus(got, 200, "a refused delete must not delete anything");
    expectEqual(got.json?.value, { stays: true }, "value of the item after a refused delete", got);
  },
);

check(
  {
    id: "STO-112",
    level: "SHOULD",
    profile: "store",
    operations: ["DELETE /store/items"],
    spec: [
      { source: "api-ref", section: "StoreDeleteRequest.namespace", quote: "A list of strings representing the namespace path." },
      { source: "contract", section: "StoreNamespaceLabel", note: "labels are non-empty and contain no period: the documents give no such rule, the contract's decision, hence SHOULD" },
      { source: "openapi", section: "DELETE /store/items, responses", quote: "Validation Error", note: "422; the same in openapi-prev" },
    ],
    title: "DELETE /store/items with a namespace label that contains a period answers 422",
  },
  async (c) => {
    const res = await c.api.request({ method: "DELETE", path: "/store/items", json: { namespace: [...c.namespace("refused"), "a.b"], key: "k" } });
    expectRefused(res, [422], "namespace labels contain no period");
  },
);

// The documents give the store's limits and offsets no bounds; the contract adds
// them (see its decisions, marked x-valid-subset so that the property checks,
// which are MUST, never break them). A server that takes limit=0 breaks only the
// contract's choice, hence SHOULD; a wrong type breaks the documents, hence MUST.
const BOUND = "the documents give no bounds; the contract's decision requires them";

const bound = (schema: string): Citation => ({ source: "contract", section: schema, note: `${BOUND}, hence SHOULD` });

const searchCases: Array<[string, "MUST" | "SHOULD", string, (root: string[]) => Record<string, unknown>, string, Citation[]]> = [
  [
    "STO-113",
    "SHOULD",
    "limit=0",
    (r) => ({ namespace_prefix: r, limit: 0 }),
    `limit minimum 1 (${BOUND})`,
    [rule("StoreSearchRequest", "limit", "an integer, no bounds", "Maximum number of items to return (default is 10)."), bound("StoreSearchRequest.limit")],
  ],
  [
    "STO-114",
    "SHOULD",
    "offset=-1",
    (r) => ({ namespace_prefix: r, offset: -1 }),
    `offset minimum 0 (${BOUND})`,
    [rule("StoreSearchRequest", "offset", "an integer, no bounds", "Number of items to skip before returning results (default is 0)."), bound("StoreSearchRequest.offset")],
  ],
  [
    "STO-115",
    "MUST",
    'limit="ten"',
    (r) => ({ namespace_prefix: r, limit: "ten" }),
    "limit is an integer",
    [rule("StoreSearchRequest", "limit", "an integer", "Maximum number of items to return (default is 10).")],
  ],
  [
    "STO-116",
    "SHOULD",
    "a namespace_prefix label that contains a period",
    (r) => ({ namespace_prefix: [...r, "a.b"] }),
    `namespace labels contain no period (${DECIDED}, StoreNamespaceLabel)`,
    [rule("StoreSearchRequest", "namespace_prefix", "no grammar for its labels", "List of strings representing the namespace prefix."), decided("StoreNamespaceLabel")],
  ],
  [
    "STO-117",
    "MUST",
    "a filter that is not an object",
    (r) => ({ namespace_prefix: r, filter: "kind=fruit" }),
    "filter is an object or null",
    [rule("StoreSearchRequest", "filter", "an object or null", "Optional dictionary of key-value pairs to filter results.")],
  ],
];

for (const [id, level, what, body, why, where] of searchCases) {
  check(
    {
      id,
      level,
      profile: "store",
      operations: ["POST /store/items/search"],
      spec: [...where, validationError("POST /store/items/search")],
      title: `POST /store/items/search with ${what} answers 422`,
    },
    async (c) => {
      const res = await c.api.post("/store/items/search", body(c.namespace("refused")));
      expectRefused(res, [422], why);
    },
  );
}

const namespaceCases: Array<[string, "MUST" | "SHOULD", string, Record<string, unknown>, string, Citation[]]> = [
  [
    "STO-118",
    "SHOULD",
    "max_depth=0",
    { max_depth: 0 },
    `max_depth minimum 1 (${BOUND})`,
    [rule("StoreListNamespacesRequest", "max_depth", "an integer, no bounds", "Optional integer specifying the maximum depth of namespaces to return."), bound("StoreListNamespacesRequest.max_depth")],
  ],
  [
    "STO-119",
    "SHOULD",
    "limit=0",
    { limit: 0 },
    `limit minimum 1 (${BOUND})`,
    [rule("StoreListNamespacesRequest", "limit", "an integer, no bounds", "Maximum number of namespaces to return (default is 100)."), bound("StoreListNamespacesRequest.limit")],
  ],
  [
    "STO-120",
    "MUST",
    "a prefix that is not a list",
    { prefix: "conformance" },
    "prefix is an array of strings",
    [rule("StoreListNamespacesRequest", "prefix", "an array of strings", "Optional list of strings representing the prefix to filter namespaces.")],
  ],
];

for (const [id, level, what, body, why, where] of namespaceCases) {
  check(
    {
      id,
      level,
      profile: "store",
      operations: ["POST /store/namespaces"],
      spec: [...where, validationError("POST /store/namespaces")],
      title: `POST /store/namespaces with ${what} answers 422`,
    },
    async (c) => {
      const res = await c.api.post("/store/namespaces", body);
      expectRefused(res, [422], why);
    },
  );
}
