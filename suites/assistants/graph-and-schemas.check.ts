import { check, scenario } from "../../harness/check";
import { ensure, expectEqual, expectJsonObject, expectStatus } from "../../harness/expect";
import { createAssistant, expectRefused, uuid } from "../_support/resources";

const echo = scenario("an assistant of the echo graph", (c) => createAssistant(c));
const nested = scenario("an assistant of the subgraph graph", (c) => createAssistant(c, { graph_id: "subgraph" }));

// Schemas are derived from the graph's code; the first call can take many seconds
// on a loaded machine (the contract sets no latency), so these requests and checks
// get long limits.
const SLOW = { timeoutMs: 180_000 };

const nodeIds = (g: any): string[] => (Array.isArray(g?.nodes) ? g.nodes.map((n: any) => String(n?.id)) : []);

check(
  {
    id: "AST-100",
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph"],
    spec: [{ source: "api-ref", section: "Get Assistant Graph", note: "200: the graph of the assistant; fixtures/graphs/echo.ts has the nodes 'first' and 'second'" }],
    title: "GET /assistants/{assistant_id}/graph returns the graph's nodes and edges, with the nodes the graph defines",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await echo(c);
    const res = await c.api.get(`/assistants/${a.assistant_id}/graph`);
    expectStatus(res, 200);
    const ids = nodeIds(expectJsonObject(res));
    for (const n of ["first", "second"]) ensure(ids.includes(n), `the graph has no node '${n}' (nodes: ${ids.join(", ")})`, res);
    const edges: any[] = res.json.edges ?? [];
    ensure(
      edges.some((e) => String(e.source) === "first" && String(e.target) === "second"),
      "the graph has no edge first → second",
      res,
    );
  },
);

check(
  {
    id: "AST-101",
    level: "SHOULD",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph"],
    spec: [
      {
        source: "openapi",
        section: "GET /assistants/{assistant_id}/graph, path assistant_id",
        quote: "The ID of the graph.",
        note: "anyOf an assistant id or a graph id in the newest document; api-ref shows the assistant id only, hence SHOULD",
      },
    ],
    title: "GET /assistants/{graph_id}/graph accepts a graph id in place of an assistant id",
    requires: ["graph:echo"],
  },
  async (c) => {
    const res = await c.api.get("/assistants/echo/graph");
    expectStatus(res, 200);
    const ids = nodeIds(expectJsonObject(res));
    ensure(ids.includes("first"), `the graph of 'echo' has no node 'first' (nodes: ${ids.join(", ")})`, res);
  },
);

check(
  {
    id: "AST-102",
    timeoutMs: 240_000,
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph", "GET /assistants/{assistant_id}/schemas", "GET /assistants/{assistant_id}/subgraphs"],
    spec: [{ source: "api-ref", section: "Get Assistant Graph, Get Assistant Schemas, Get Assistant Subgraphs: responses", quote: "Not Found", note: "each declares 404" }],
    title: "GET /assistants/{assistant_id}/graph, /schemas and /subgraphs answer 404 for an assistant that does not exist",
  },
  async (c) => {
    const id = uuid();
    for (const part of ["graph", "schemas", "subgraphs"]) {
      const res = await c.api.get(`/assistants/${id}/${part}`, SLOW);
      expectStatus(res, 404, "no assistant has this id");
    }
  },
);

check(
  {
    id: "AST-103",
    level: "SHOULD",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph"],
    spec: [{ source: "api-ref", section: "Get Assistant Graph, query xray", quote: "Include graph representation of subgraphs." }],
    title: "GET /assistants/{assistant_id}/graph?xray=true includes the nodes of subgraphs",
    requires: ["graph:subgraph"],
  },
  async (c) => {
    const a = await nested(c);
    const plain = await c.api.get(`/assistants/${a.assistant_id}/graph`);
    expectStatus(plain, 200);
    const xray = await c.api.get(`/assistants/${a.assistant_id}/graph`, { query: { xray: "true" } });
    expectStatus(xray, 200);
    const inner = nodeIds(expectJsonObject(xray)).filter((id) => id.includes("inner"));
    ensure(inner.length > 0, `with xray=true no node of the subgraph (its node 'inner') appears (nodes: ${nodeIds(xray.json).join(", ")})`, xray);
  },
);

check(
  {
    id: "AST-104",
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph"],
    spec: [
      { source: "api-ref", section: "Get Assistant Graph, query xray", note: "one of a boolean or an integer" },
      { source: "api-ref", section: "Get Assistant Graph, responses", quote: "Validation Error", note: "422" },
    ],
    title: "GET /assistants/{assistant_id}/graph?xray=maybe answers 422",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await echo(c);
    const res = await c.api.get(`/assistants/${a.assistant_id}/graph`, { query: { xray: "maybe" } });
    expectRefused(res, [422], "xray is a boolean or an integer");
  },
);

check(
  {
    id: "AST-110",
    timeoutMs: 240_000,
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/schemas"],
    spec: [
      { source: "api-ref", section: "Get Assistant Schemas", note: "200 GraphSchema" },
      { source: "api-ref", section: "GraphSchema", note: "graph_id and state_schema required" },
    ],
    title: "GET /assistants/{assistant_id}/schemas returns the schemas of the assistant's graph",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await echo(c);
    const res = await c.api.get(`/assistants/${a.assistant_id}/schemas`, SLOW);
    expectStatus(res, 200);
    expectEqual(expectJsonObject(res).graph_id, "echo", "graph_id of the schemas", res);
  },
);

check(
  {
    id: "AST-111",
    timeoutMs: 240_000,
    level: "SHOULD",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/schemas"],
    spec: [{ source: "api-ref", section: "GraphSchema.state_schema", quote: "The schema for the graph state.", note: "fixtures/graphs/echo.ts declares the channels value, echoed and trail" }],
    title: "The state_schema of an assistant describes the channels of its graph's state",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await echo(c);
    const res = await c.api.get(`/assistants/${a.assistant_id}/schemas`, SLOW);
    expectStatus(res, 200);
    const props = Object.keys(expectJsonObject(res).state_schema?.properties ?? {});
    for (const ch of ["value", "echoed", "trail"]) ensure(props.includes(ch), `state_schema has no property '${ch}' (has: ${props.join(", ") || "none"})`, res);
  },
);

check(
  {
    id: "AST-120",
    timeoutMs: 240_000,
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/subgraphs"],
    spec: [{ source: "api-ref", section: "Subgraphs", quote: "Map of graph name to graph schema metadata", note: "fixtures/graphs/subgraph.ts has the subgraph node 'child'" }],
    title: "GET /assistants/{assistant_id}/subgraphs lists the graph's subgraphs by namespace",
    requires: ["graph:subgraph"],
  },
  async (c) => {
    const a = await nested(c);
    const res = await c.api.get(`/assistants/${a.assistant_id}/subgraphs`, SLOW);
    expectStatus(res, 200);
    const keys = Object.keys(expectJsonObject(res));
    expectEqual(keys, ["child"], "namespaces of the subgraphs", res);
  },
);

check(
  {
    id: "AST-121",
    timeoutMs: 240_000,
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/subgraphs"],
    spec: [{ source: "api-ref", section: "Get Assistant Subgraphs", quote: "Get an assistant's subgraphs.", note: "fixtures/graphs/echo.ts has no subgraph" }],
    title: "GET /assistants/{assistant_id}/subgraphs answers an empty map for a graph without subgraphs",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await echo(c);
    const res = await c.api.get(`/assistants/${a.assistant_id}/subgraphs`, SLOW);
    expectStatus(res, 200);
    expectEqual(expectJsonObject(res), {}, "subgraphs of a graph without any", res);
  },
);

check(
  {
    id: "AST-122",
    timeoutMs: 240_000,
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/subgraphs/{namespace}"],
    spec: [{ source: "api-ref", section: "Get Assistant Subgraphs by Namespace", quote: "Get an assistant's subgraphs filtered by namespace." }],
    title: "GET /assistants/{assistant_id}/subgraphs/{namespace} returns only the subgraphs under that namespace",
    requires: ["graph:subgraph"],
  },
  async (c) => {
    const a = await nested(c);
    const hit = await c.api.get(`/assistants/${a.assistant_id}/subgraphs/child`, SLOW);
    expectStatus(hit, 200);
    expectEqual(Object.keys(expectJsonObject(hit)), ["child"], "namespaces under 'child'", hit);
    const miss = await c.api.get(`/assistants/${a.assistant_id}/subgraphs/nowhere`, SLOW);
    expectStatus(miss, 200);
    expectEqual(expectJsonObject(miss), {}, "subgraphs under a namespace the graph does not have", miss);
  },
);

check(
  {
    id: "AST-123",
    level: "SHOULD",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/subgraphs/{namespace}"],
    spec: [
      { source: "api-ref", section: "Get Assistant Subgraphs by Namespace, responses", note: "declares 200 and 422, no 404; the same operation without {namespace} declares 404" },
      { source: "contract", section: "GET /assistants/{assistant_id}/subgraphs/{namespace}, 404", note: "the contract's choice, not the documents' words: SHOULD" },
    ],
    title: "GET /assistants/{assistant_id}/subgraphs/{namespace} answers 404 for an assistant that does not exist",
  },
  async (c) => {
    const res = await c.api.get(`/assistants/${uuid()}/subgraphs/child`);
    expectStatus(res, 404);
  },
);
