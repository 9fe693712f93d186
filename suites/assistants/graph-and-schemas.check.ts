import { check, scenario } from "../../harness/check";
import { ensure, expectEqual, expectJsonObject, expectStatus } from "../../harness/expect";
import { createAssistant, expectRefused, uuid } from "../_support/resources";

const echo = scenario("an assistant of the echo graph", (c) => createAssistant(c));
const nested = scenario("an assistant of the subgraph graph", (c) => createAssistant(c, { graph_id: "subgraph" }));

// Schemas are derived from the graph's code; the first call can take many seconds
// (the contract sets no latency), so these requests and checks get long limits.
// The reference server type-checks the graph for it: ~7 s of CPU on an idle
// machine, past 60 s on a loaded 2-core one; the check's own deadline (120 s)
// is the real bound.
const SLOW = { timeoutMs: 120_000 };

const nodeIds = (g: any): string[] => (Array.isArray(g?.nodes) ? g.nodes.map((n: any) => String(n?.id)) : []);

check(
  {
    id: "AST-100",
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph"],
    spec: "seed 002, Get Assistant Graph; fixtures/graphs/echo.ts has nodes 'first' and 'second'",
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
    ensure(edges.some((e) => String(e.source) === "first" && String(e.target) === "second"), "the graph has no edge first → second", res);
  },
);

check(
  {
    id: "AST-101",
    level: "SHOULD",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph"],
    spec: "newest public document, Get Assistant Graph: assistant_id is \"anyOf\" an assistant id or a graph id (seed 002 shows only the assistant id)",
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
    timeoutMs: 120_000,
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/graph", "GET /assistants/{assistant_id}/schemas", "GET /assistants/{assistant_id}/subgraphs"],
    spec: "seed 002: Get Assistant Graph, Get Assistant Schemas and Get Assistant Subgraphs declare 404 Not Found",
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
    spec: "seed 002, Get Assistant Graph: xray \"Include graph representation of subgraphs\"",
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
    spec: "seed 002, Get Assistant Graph: xray is a boolean or an integer; 422 Validation Error",
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
    timeoutMs: 120_000,
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/schemas"],
    spec: "seed 002, Get Assistant Schemas; GraphSchema: graph_id and state_schema required",
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
    timeoutMs: 120_000,
    level: "SHOULD",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/schemas"],
    spec: "seed 002, GraphSchema.state_schema: \"The schema for the graph state\"; fixtures/graphs/echo.ts declares value, echoed and trail",
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
    timeoutMs: 120_000,
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/subgraphs"],
    spec: "seed 002, Get Assistant Subgraphs: Subgraphs \"Map of graph name to graph schema metadata\"; fixtures/graphs/subgraph.ts has the subgraph node 'child'",
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
    timeoutMs: 120_000,
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/subgraphs"],
    spec: "seed 002, Get Assistant Subgraphs; fixtures/graphs/echo.ts has no subgraph",
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
    timeoutMs: 120_000,
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}/subgraphs/{namespace}"],
    spec: "seed 002, Get Assistant Subgraphs by Namespace: \"filtered by namespace\"",
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
    spec: "the contract's choice: seed 002 declares no 404 for this operation, but does for the same operation without {namespace}",
    title: "GET /assistants/{assistant_id}/subgraphs/{namespace} answers 404 for an assistant that does not exist",
  },
  async (c) => {
    const res = await c.api.get(`/assistants/${uuid()}/subgraphs/child`);
    expectStatus(res, 404);
  },
);
