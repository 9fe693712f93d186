// The store under the fixture auth: each user's namespaces start with their
// identity. Another user cannot put, get, search, list or delete there (the
// owner's namespace names the other user too, so that a check by substring
// lets them in); a user's own namespace is theirs.

import { ensure, expectEqual, expectJsonObject, expectStatus } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { changeCheck, ownerWorldOf, readCheck } from "./cross";
import { FIXTURE_AUTH, STORE_NAMESPACE } from "./spec";
import { authCheck, leakOf, what, type AuthWorld } from "./support";

const world = ownerWorldOf("store-world");
const STORE_GET = { source: "sdk-py", section: "Auth, types.on.store.get", quote: "Type for store get parameters." };

readCheck(world, {
  id: "AUT-051",
  title: "GET /store/items of an item in another user's namespace is refused and answers nothing of it",
  families: ["store-get"],
  operations: ["GET /store/items"],
  spec: [STORE_NAMESPACE, STORE_GET, FIXTURE_AUTH],
  requires: [],
});

readCheck(world, {
  id: "AUT-052",
  title: "POST /store/items/search never answers items of another user's namespace (by its prefix, by a prefix of it, or across all)",
  families: ["store-search"],
  operations: ["POST /store/items/search"],
  spec: [STORE_NAMESPACE, { source: "sdk-py", section: "Auth, types.on.store.search", quote: "Type for store search parameters." }, FIXTURE_AUTH],
  requires: [],
});

readCheck(world, {
  id: "AUT-054",
  title: "POST /store/namespaces never lists another user's namespaces (by their prefix, or all)",
  families: ["store-namespaces"],
  operations: ["POST /store/namespaces"],
  spec: [STORE_NAMESPACE, { source: "sdk-py", section: "Auth, types.on.store.list_namespaces", quote: "Type for store list namespaces parameters." }, FIXTURE_AUTH],
  requires: [],
});

/** An item of the owner's, under a namespace that also names the other user. */
async function ownItem(w: AuthWorld) {
  const marker = `lgc-secret-${uuid()}`;
  const item = { namespace: w.owner.namespace(`with-${w.other.name}`), key: "doc" };
  w.owner.created.storeItem(item.namespace, item.key);
  const res = await w.owner.api.put("/store/items", { ...item, value: { secret: marker } });
  expectStatus(res, 204, "the owner stores an item under their own namespace");
  return { item, marker };
}

async function ownerGets(w: AuthWorld, item: { namespace: string[]; key: string }) {
  return w.owner.api.get("/store/items", { query: { namespace: item.namespace.join("."), key: item.key } });
}

changeCheck({
  id: "AUT-050",
  title: "PUT /store/items into another user's namespace is refused and the item there stays as it was",
  operations: ["PUT /store/items", "GET /store/items"],
  spec: [STORE_NAMESPACE, { source: "sdk-py", section: "Auth, types.on.store.put", quote: "Type for store put parameters." }, FIXTURE_AUTH],
  requires: [],
  setup: ownItem,
  async attempt(w, s) {
    const res = await w.other.api.put("/store/items", { ...s.item, value: { secret: `overwritten-by-${w.other.name}` } });
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
    const fresh = await w.other.api.put("/store/items", { namespace: s.item.namespace, key: "planted", value: { by: w.other.name } });
    if (fresh.status >= 200 && fresh.status < 300) w.owner.created.storeItem(s.item.namespace, "planted");
    w.tally.add(what(fresh), leakOf(fresh, [s.marker]), fresh);
  },
  async verify(w, s) {
    const res = await ownerGets(w, s.item);
    const value = res.status === 200 ? res.json?.value : undefined;
    if (value?.secret !== s.marker) w.tally.changed("PUT /store/items", `changed the owner's item: it now reads ${res.status} ${res.text.slice(0, 120)}`, res);
  },
});

changeCheck({
  id: "AUT-053",
  title: "DELETE /store/items in another user's namespace is refused and the item stays",
  operations: ["DELETE /store/items", "GET /store/items"],
  spec: [STORE_NAMESPACE, { source: "sdk-py", section: "Auth, types.on.store.delete", quote: "Type for store delete parameters." }, FIXTURE_AUTH],
  requires: [],
  setup: ownItem,
  async attempt(w, s) {
    const res = await w.other.api.request({ method: "DELETE", path: "/store/items", json: s.item });
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
  },
  async verify(w, s) {
    const res = await ownerGets(w, s.item);
    if (res.status !== 200 || res.json?.value?.secret !== s.marker) w.tally.changed("DELETE /store/items", `deleted the owner's item: it now reads ${res.status} ${res.text.slice(0, 120)}`, res);
  },
});

authCheck(
  {
    id: "AUT-055",
    level: "MUST",
    operations: ["PUT /store/items", "GET /store/items", "POST /store/items/search", "POST /store/namespaces"],
    spec: [STORE_NAMESPACE, FIXTURE_AUTH],
    title: "A user's own namespace (starting with their identity) is theirs: they put, get, search and list there",
  },
  async (w) => {
    const s = await ownItem(w);
    const got = await ownerGets(w, s.item);
    expectStatus(got, 200, "the owner gets their own item");
    expectEqual(expectJsonObject(got).value, { secret: s.marker }, "the owner's item's value", got);
    const found = await w.owner.api.post("/store/items/search", { namespace_prefix: s.item.namespace, limit: 10 });
    expectStatus(found, 200, "the owner searches their own namespace");
    ensure(Array.isArray(found.json?.items) && found.json.items.some((i: any) => i?.key === s.item.key), `the owner's search does not find their item: ${found.text.slice(0, 200)}`, found);
    const listed = await w.owner.api.post("/store/namespaces", { prefix: s.item.namespace.slice(0, 3), limit: 100 });
    expectStatus(listed, 200, "the owner lists their own namespaces");
    const ns: unknown[] = Array.isArray(listed.json?.namespaces) ? listed.json.namespaces : [];
    ensure(
      ns.some((n) => JSON.stringify(n) === JSON.stringify(s.item.namespace)),
      `the owner's listing does not show their namespace ${JSON.stringify(s.item.namespace)}: ${listed.text.slice(0, 200)}`,
      listed,
    );
  },
);
