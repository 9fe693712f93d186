// POST /store/namespaces: the namespaces that hold items, by prefix, suffix and
// depth, paged. The contract accepts the answer as a bare list of namespaces or
// as {"namespaces": [...]} (the documents disagree; see ListNamespaceResponse).

import { check, scenario, type CheckContext } from "../../harness/check";
import { ensure, expectSameMembers, expectStatus, fail } from "../../harness/expect";
import { putItem, uuid } from "../_support/resources";

const LIST = ["POST /store/namespaces"];

/** Five namespaces under one root of their own, one item each. */
const tree = scenario("five namespaces under one root", async (c) => {
  const root = c.namespace("namespaces", uuid());
  const namespaces = [
    [...root, "x"],
    [...root, "x", "y"],
    [...root, "z", "y"],
    [...root, "z"],
    [...root, "w", "v", "u"],
  ];
  for (const ns of namespaces) await putItem(c, ns, "k", { here: ns.slice(root.length).join("/") });
  return { root, namespaces };
});

const show = (ns: unknown) => (Array.isArray(ns) ? ns.join("/") : JSON.stringify(ns));

async function list(c: CheckContext, body: Record<string, unknown>) {
  const res = await c.api.post("/store/namespaces", body);
  expectStatus(res, 200);
  const found = Array.isArray(res.json) ? res.json : res.json?.namespaces;
  if (!Array.isArray(found)) fail(`POST /store/namespaces answered no list of namespaces: ${res.text.slice(0, 200)}`, res);
  return { res, found: found as unknown[] };
}

check(
  {
    id: "STO-040",
    level: "MUST",
    profile: "store",
    operations: LIST,
    spec: [{ source: "api-ref", section: "StoreListNamespacesRequest.prefix", quote: "Optional list of strings representing the prefix to filter namespaces." }],
    title: "POST /store/namespaces with a prefix lists exactly the namespaces under it",
  },
  async (c) => {
    const t = await tree(c);
    const { res, found } = await list(c, { prefix: t.root, limit: 100 });
    expectSameMembers(found.map(show), t.namespaces.map(show), "namespaces under the root", res);
  },
);

check(
  {
    id: "STO-041",
    level: "MUST",
    profile: "store",
    operations: LIST,
    spec: [{ source: "api-ref", section: "StoreListNamespacesRequest.suffix", quote: "Optional list of strings representing the suffix to filter namespaces." }],
    title: "POST /store/namespaces with a suffix lists only the namespaces that end with it",
  },
  async (c) => {
    const t = await tree(c);
    const { res, found } = await list(c, { prefix: t.root, suffix: ["y"], limit: 100 });
    expectSameMembers(found.map(show), t.namespaces.filter((ns) => ns.at(-1) === "y").map(show), "namespaces under the root ending with y", res);
  },
);

check(
  {
    id: "STO-042",
    level: "MUST",
    profile: "store",
    operations: LIST,
    spec: [
      { source: "api-ref", section: "StoreListNamespacesRequest.max_depth", quote: "Optional integer specifying the maximum depth of namespaces to return." },
      { source: "contract", section: "StoreListNamespacesRequest.max_depth", quote: "Namespaces longer than this are cut to this many labels." },
    ],
    title: "POST /store/namespaces with max_depth lists the namespaces cut to that many labels",
  },
  async (c) => {
    const t = await tree(c);
    const depth = t.root.length + 1;
    const { res, found } = await list(c, { prefix: t.root, max_depth: depth, limit: 100 });
    const tooLong = found.filter((ns) => !Array.isArray(ns) || ns.length > depth);
    ensure(tooLong.length === 0, `namespaces deeper than max_depth=${depth} listed: ${tooLong.map(show).join(", ")}`, res);
    const expected = [...new Set(t.namespaces.map((ns) => show(ns.slice(0, depth))))];
    expectSameMembers([...new Set(found.map(show))], expected, `namespaces cut to ${depth} labels`, res);
  },
);

check(
  {
    id: "STO-043",
    level: "MUST",
    profile: "store",
    operations: LIST,
    spec: [{ source: "api-ref", section: "StoreListNamespacesRequest.limit", quote: "Maximum number of namespaces to return (default is 100)." }],
    title: "POST /store/namespaces returns at most `limit` namespaces",
  },
  async (c) => {
    const t = await tree(c);
    const { res, found } = await list(c, { prefix: t.root, limit: 2 });
    ensure(found.length === 2, `limit=2 returned ${found.length} namespaces (5 match)`, res);
  },
);

check(
  {
    id: "STO-044",
    level: "MUST",
    profile: "store",
    operations: LIST,
    spec: [{ source: "api-ref", section: "StoreListNamespacesRequest.offset", quote: "Number of namespaces to skip before returning results (default is 0)." }],
    title: "POST /store/namespaces pages with offset: consecutive pages are disjoint and together are all the namespaces",
  },
  async (c) => {
    const t = await tree(c);
    const p1 = await list(c, { prefix: t.root, limit: 3, offset: 0 });
    const p2 = await list(c, { prefix: t.root, limit: 3, offset: 3 });
    const a = p1.found.map(show);
    const b = p2.found.map(show);
    const both = a.filter((x) => b.includes(x));
    ensure(both.length === 0, `the pages at offset 0 and 3 share ${both.join(", ")}`, p2.res);
    expectSameMembers([...a, ...b], t.namespaces.map(show), "namespaces of the pages at offset 0 and 3 (limit 3) together", p2.res);
  },
);

check(
  {
    id: "STO-045",
    level: "MAY",
    profile: "store",
    operations: [...LIST, "DELETE /store/items"],
    spec: [
      {
        source: "api-ref",
        section: "Item.namespace",
        quote: "A namespace is analogous to a document's directory.",
        note: "the documents do not say whether an emptied namespace is still listed (a directory may outlive its files), hence MAY",
      },
    ],
    title: "A namespace whose only item was deleted is no longer listed",
  },
  async (c) => {
    const root = c.namespace("emptied", uuid());
    await putItem(c, [...root, "gone"], "only", { soon: "deleted" });
    await putItem(c, [...root, "kept"], "only", { stays: true });
    expectStatus(await c.api.request({ method: "DELETE", path: "/store/items", json: { namespace: [...root, "gone"], key: "only" } }), 204);
    const { res, found } = await list(c, { prefix: root, limit: 100 });
    expectSameMembers(found.map(show), [show([...root, "kept"])], "namespaces under the root after the only item of one was deleted", res);
  },
);
