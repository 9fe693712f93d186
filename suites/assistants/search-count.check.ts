import { check, scenario } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectSameMembers, expectStatus } from "../../harness/expect";
import { createAssistant, expectSortedBy, uuid } from "../_support/resources";

const NAMES = ["delta-conf", "alpha-conf", "echo-conf", "charlie-conf", "bravo-conf"];
const OTHER_GRAPH = "interrupt";

/** Five assistants of the echo graph and one of another graph, all under one marker. */
const family = scenario("five tagged assistants", async (c) => {
  const marker = { family: `search-${uuid()}` };
  const members = [];
  for (const name of NAMES) members.push(await createAssistant(c, { name, metadata: { ...marker, parity: members.length % 2 ? "odd" : "even" } }));
  const other = await createAssistant(c, { graph_id: OTHER_GRAPH, name: "other-graph-conf", metadata: marker });
  // The oldest member is updated last, so that the order of updated_at is not the
  // order of creation: a search that ignores sort_by=updated_at cannot pass by luck.
  const touched = await c.api.patch(`/assistants/${members[0]!.assistant_id}`, { metadata: { ...members[0]!.metadata, touched: true } });
  expectStatus(touched, 200, "updating the oldest assistant of the family last");
  return { filter: { ...c.tag(), ...marker }, members, other, all: [...members, other] };
});

const SEARCH = ["POST /assistants/search"];

async function search(c: Parameters<typeof family>[0], body: Record<string, unknown>) {
  const res = await c.api.post("/assistants/search", body);
  expectStatus(res, 200);
  return { res, list: expectJsonArray(res) };
}

check(
  {
    id: "AST-050",
    level: "MUST",
    profile: "assistants",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "Search Assistants, body metadata", quote: "Metadata to filter by. Exact match filter for each KV pair." }],
    title: "POST /assistants/search with a metadata filter returns exactly the assistants whose metadata matches",
    requires: ["graph:echo", `graph:${OTHER_GRAPH}`],
  },
  async (c) => {
    const f = await family(c);
    const { res, list } = await search(c, { metadata: f.filter, limit: 100 });
    expectSameMembers(
      list.map((a) => a.assistant_id),
      f.all.map((a) => a.assistant_id),
      "assistants found by the metadata filter",
      res,
    );
    const even = await search(c, { metadata: { ...f.filter, parity: "even" }, limit: 100 });
    const wanted = f.members.filter((_, i) => i % 2 === 0).map((a) => a.assistant_id);
    expectSameMembers(
      even.list.map((a) => a.assistant_id),
      wanted,
      "assistants found with one more metadata pair",
      even.res,
    );
  },
);

check(
  {
    id: "AST-051",
    level: "MUST",
    profile: "assistants",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "Search Assistants, body graph_id", quote: "The ID of the graph to filter by." }],
    title: "POST /assistants/search with graph_id returns only assistants of that graph",
    requires: ["graph:echo", `graph:${OTHER_GRAPH}`],
  },
  async (c) => {
    const f = await family(c);
    const { res, list } = await search(c, { metadata: f.filter, graph_id: OTHER_GRAPH, limit: 100 });
    expectEqual(
      list.map((a) => a.assistant_id),
      [f.other.assistant_id],
      "assistants of graph 'interrupt' under the marker",
      res,
    );
  },
);

check(
  {
    id: "AST-052",
    level: "MUST",
    profile: "assistants",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "Search Assistants, body limit", quote: "The maximum number of results to return." }],
    title: "POST /assistants/search returns at most `limit` assistants",
    requires: ["graph:echo", `graph:${OTHER_GRAPH}`],
  },
  async (c) => {
    const f = await family(c);
    const { res, list } = await search(c, { metadata: f.filter, limit: 2 });
    ensure(list.length === 2, `limit=2 returned ${list.length} assistants (6 match)`, res);
  },
);

check(
  {
    id: "AST-053",
    level: "MUST",
    profile: "assistants",
    operations: SEARCH,
    spec: [
      { source: "api-ref", section: "Search Assistants, body offset", quote: "The number of results to skip." },
      { source: "api-ref", section: "Search Assistants, body limit", quote: "The maximum number of results to return.", note: "pages of one sorted search" },
    ],
    title: "POST /assistants/search pages with offset: consecutive pages are disjoint and together are the whole list",
    requires: ["graph:echo", `graph:${OTHER_GRAPH}`],
  },
  async (c) => {
    const f = await family(c);
    const order = { sort_by: "assistant_id", sort_order: "asc" };
    const whole = await search(c, { metadata: f.filter, limit: 6, offset: 0, ...order });
    const p1 = await search(c, { metadata: f.filter, limit: 3, offset: 0, ...order });
    const p2 = await search(c, { metadata: f.filter, limit: 3, offset: 3, ...order });
    const p3 = await search(c, { metadata: f.filter, limit: 3, offset: 6, ...order });
    const ids = (l: any[]) => l.map((a) => a.assistant_id);
    expectEqual([...ids(p1.list), ...ids(p2.list)], ids(whole.list), "pages at offset 0 and 3 (limit 3) joined, against one page of 6", p2.res);
    ensure(p3.list.length === 0, `offset=6 past the 6 matches returned ${p3.list.length} assistants`, p3.res);
  },
);

for (const [id, sortBy, order] of [
  ["AST-054", "created_at", "asc"],
  ["AST-055", "created_at", "desc"],
  ["AST-056", "name", "asc"],
  ["AST-057", "name", "desc"],
  ["AST-058", "assistant_id", "asc"],
  ["AST-059", "updated_at", "desc"],
] as const) {
  check(
    {
      id,
      level: "MUST",
      profile: "assistants",
      operations: SEARCH,
      spec: [
        { source: "api-ref", section: "Search Assistants, body sort_by", quote: "The field to sort by.", note: "one of assistant_id, created_at, updated_at, name, graph_id" },
        { source: "api-ref", section: "Search Assistants, body sort_order", quote: "The order to sort by.", note: "asc or desc" },
      ],
      title: `POST /assistants/search with sort_by=${sortBy} and sort_order=${order} returns the assistants in that order`,
      requires: ["graph:echo", `graph:${OTHER_GRAPH}`],
    },
    async (c) => {
      const f = await family(c);
      const { res, list } = await search(c, { metadata: f.filter, limit: 100, sort_by: sortBy, sort_order: order });
      ensure(list.length === f.all.length, `the sorted search returned ${list.length} of the ${f.all.length} matching assistants`, res);
      expectSortedBy(res, list, sortBy, order);
    },
  );
}

check(
  {
    id: "AST-060",
    level: "MUST",
    profile: "assistants",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "Search Assistants, body limit", quote: "The maximum number of results to return.", note: "default 10" }],
    title: "POST /assistants/search without limit returns at most 10 assistants",
    requires: ["graph:echo"],
  },
  async (c) => {
    // Twelve matches are needed for the default to show.
    const marker = { family: `default-limit-${uuid()}` };
    await Promise.all(Array.from({ length: 12 }, () => createAssistant(c, { metadata: marker })));
    const { res, list } = await search(c, { metadata: c.tag(marker) });
    ensure(list.length === 10, `without limit, search returned ${list.length} of 12 matching assistants; the default limit is 10`, res);
  },
);

check(
  {
    id: "AST-061",
    level: "MUST",
    profile: "assistants",
    operations: SEARCH,
    spec: [{ source: "api-ref", section: "Search Assistants, body select", quote: "Specify which fields to return. If not provided, all fields are returned." }],
    title: "POST /assistants/search with select returns only the selected fields",
    requires: ["graph:echo", `graph:${OTHER_GRAPH}`],
  },
  async (c) => {
    const f = await family(c);
    const res = await c.api.request({
      method: "POST",
      path: "/assistants/search",
      json: { metadata: f.filter, limit: 100, select: ["assistant_id", "name"] },
      expectSchema: "/components/schemas/AssistantSelectedList",
    });
    expectStatus(res, 200);
    const list = expectJsonArray(res);
    ensure(list.length === f.all.length, `search with select returned ${list.length} of ${f.all.length} assistants`, res);
    for (const a of list) {
      const extra = Object.keys(a).filter((k) => k !== "assistant_id" && k !== "name");
      ensure(extra.length === 0, `an item carries fields that were not selected: ${extra.join(", ")}`, res);
      ensure(typeof a.assistant_id === "string" && typeof a.name === "string", `an item lacks a selected field: ${JSON.stringify(a)}`, res);
    }
  },
);

check(
  {
    id: "AST-062",
    level: "SHOULD",
    profile: "assistants",
    operations: SEARCH,
    spec: [
      {
        source: "openapi",
        section: "AssistantSearchRequest.name",
        quote: "The filtering logic will match (case insensitive) assistants where 'name' is a substring of the assistant name.",
        note: "only the newest document has the field (api-ref does not), hence SHOULD",
      },
    ],
    title: "POST /assistants/search with name matches assistants whose name contains it, ignoring case",
    requires: ["graph:echo", `graph:${OTHER_GRAPH}`],
  },
  async (c) => {
    const f = await family(c);
    const { res, list } = await search(c, { metadata: f.filter, name: "ALPHA", limit: 100 });
    expectEqual(
      list.map((a) => a.name),
      ["alpha-conf"],
      "names matched by name=ALPHA",
      res,
    );
    // Anywhere in the name, not only at its start: "PHA-C" is in the middle of "alpha-conf".
    const middle = await search(c, { metadata: f.filter, name: "PHA-C", limit: 100 });
    expectEqual(
      middle.list.map((a) => a.name),
      ["alpha-conf"],
      "names matched by name=PHA-C (a substring in the middle)",
      middle.res,
    );
  },
);

check(
  {
    id: "AST-070",
    level: "MUST",
    profile: "assistants",
    operations: ["POST /assistants/count", "POST /assistants/search"],
    spec: [{ source: "api-ref", section: "Count Assistants", quote: "Get the count of assistants matching the specified criteria." }],
    title: "POST /assistants/count with a metadata filter counts what search finds",
    requires: ["graph:echo", `graph:${OTHER_GRAPH}`],
  },
  async (c) => {
    const f = await family(c);
    const res = await c.api.post("/assistants/count", { metadata: f.filter });
    expectStatus(res, 200);
    expectEqual(res.json, f.all.length, "count of assistants under the marker", res);
    const even = await c.api.post("/assistants/count", { metadata: { ...f.filter, parity: "even" } });
    expectStatus(even, 200);
    expectEqual(even.json, 3, "count with one more metadata pair", even);
  },
);

check(
  {
    id: "AST-071",
    level: "MUST",
    profile: "assistants",
    operations: ["POST /assistants/count"],
    spec: [
      { source: "api-ref", section: "Count Assistants", quote: "Get the count of assistants matching the specified criteria." },
      { source: "api-ref", section: "AssistantCountRequest.graph_id", quote: "The ID of the graph to filter by." },
    ],
    title: "POST /assistants/count with graph_id counts only that graph's assistants",
    requires: ["graph:echo", `graph:${OTHER_GRAPH}`],
  },
  async (c) => {
    const f = await family(c);
    const res = await c.api.post("/assistants/count", { metadata: f.filter, graph_id: OTHER_GRAPH });
    expectStatus(res, 200);
    expectEqual(res.json, 1, "count of the marker's assistants of graph 'interrupt'", res);
  },
);
