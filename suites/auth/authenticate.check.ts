// Authentication: without credentials, or with credentials no server issued,
// every operation family answers 401: never a 2xx (carried out, or answered),
// never a 5xx. One check per family, its requests in a table; the ids name the
// owner's real resources, so that a server cannot answer 404 before it
// authenticates.

import { fail } from "../../harness/expect";
import type { Api } from "../../harness/http";
import type { Profile } from "../../harness/model";
import { uuid } from "../_support/resources";
import { buildOwnerWorld, secretsOf, type OwnerWorld } from "./attempts";
import { AUTHENTICATE, DEFAULTS_TO_401, FIXTURE_AUTH } from "./spec";
import { authCheck, leakOf, sharedWorld, what, type Answer } from "./support";

const ownerWorld = sharedWorld("owner-world", buildOwnerWorld);

interface Request {
  op: string;
  send(api: Api, o: OwnerWorld): Promise<Answer>;
  /** Deletes what a request that should have been refused created (leave no trace). */
  undo?(api: Api, res: Answer): Promise<unknown>;
}

const ok = (res: Answer) => res.status >= 200 && res.status < 300;

const T = (o: OwnerWorld) => `/threads/${o.threadId}`;
/** The owner's store item, or where it would be (a target that did not store it still authenticates first). */
const itemOf = (o: OwnerWorld) => o.item ?? { namespace: [o.owner, "conformance"], key: "doc" };
const A = (o: OwnerWorld) => `/assistants/${o.assistantId}`;
const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "langgraph-conformance", version: "0.1.0" } } };

const FAMILIES: Array<{ id: string; family: string; requests: Request[]; claimedBy?: Profile }> = [
  {
    id: "AUT-001",
    family: "assistants",
    requests: [
      { op: "POST /assistants/search", send: (api) => api.post("/assistants/search", { limit: 10 }) },
      { op: "GET /assistants/{assistant_id}", send: (api, o) => api.get(A(o)) },
      {
        op: "POST /assistants",
        send: (api) => api.post("/assistants", { assistant_id: uuid(), graph_id: "echo" }),
        undo: async (api, res) => ok(res) && typeof res.json?.assistant_id === "string" && api.delete(`/assistants/${res.json.assistant_id}`),
      },
      { op: "PATCH /assistants/{assistant_id}", send: (api, o) => api.patch(A(o), { metadata: { touched: true } }) },
    ],
  },
  {
    id: "AUT-002",
    family: "threads",
    requests: [
      { op: "POST /threads/search", send: (api) => api.post("/threads/search", { limit: 10 }) },
      {
        op: "POST /threads",
        send: (api) => api.post("/threads", { thread_id: uuid() }),
        undo: async (api, res) => ok(res) && typeof res.json?.thread_id === "string" && api.delete(`/threads/${res.json.thread_id}`),
      },
      { op: "GET /threads/{thread_id}", send: (api, o) => api.get(T(o)) },
      { op: "GET /threads/{thread_id}/state", send: (api, o) => api.get(`${T(o)}/state`) },
      { op: "POST /threads/{thread_id}/history", send: (api, o) => api.post(`${T(o)}/history`, { limit: 10 }) },
    ],
  },
  {
    id: "AUT-003",
    family: "runs",
    requests: [
      { op: "GET /threads/{thread_id}/runs", send: (api, o) => api.get(`${T(o)}/runs`) },
      { op: "GET /threads/{thread_id}/runs/{run_id}", send: (api, o) => api.get(`${T(o)}/runs/${o.runId}`) },
      { op: "POST /threads/{thread_id}/runs", send: (api, o) => api.post(`${T(o)}/runs`, { assistant_id: o.assistantId, input: { value: "anonymous" } }) },
      { op: "GET /threads/{thread_id}/runs/{run_id}/join", send: (api, o) => api.get(`${T(o)}/runs/${o.runId}/join`) },
      { op: "GET /threads/{thread_id}/runs/{run_id}/stream", send: (api, o) => api.stream({ method: "GET", path: `${T(o)}/runs/${o.runId}/stream` }, { limits: { timeoutMs: 3_000 } }) },
      { op: "POST /runs/cancel", send: (api, o) => api.post("/runs/cancel", { thread_id: o.threadId, run_ids: [o.runId] }) },
    ],
  },
  {
    id: "AUT-004",
    family: "stateless runs",
    requests: [
      { op: "POST /runs", send: (api, o) => api.post("/runs", { assistant_id: o.assistantId, input: { value: "anonymous" } }) },
      { op: "POST /runs/wait", send: (api, o) => api.post("/runs/wait", { assistant_id: o.assistantId, input: { value: "anonymous" } }) },
      {
        op: "POST /runs/stream",
        send: (api, o) => api.stream({ method: "POST", path: "/runs/stream", json: { assistant_id: o.assistantId, input: { value: "anonymous" } } }, { limits: { timeoutMs: 5_000 } }),
      },
      { op: "POST /runs/batch", send: (api, o) => api.post("/runs/batch", [{ assistant_id: o.assistantId, input: { value: "anonymous" } }]) },
    ],
  },
  {
    id: "AUT-005",
    family: "store",
    requests: [
      { op: "GET /store/items", send: (api, o) => api.get("/store/items", { query: { namespace: itemOf(o).namespace.join("."), key: itemOf(o).key } }) },
      {
        op: "PUT /store/items",
        send: (api, o) => api.put("/store/items", { namespace: itemOf(o).namespace, key: `anonymous-${uuid()}`, value: { by: "nobody" } }),
        undo: async (api, res) => ok(res) && api.request({ method: "DELETE", path: "/store/items", json: JSON.parse(res.record.request.body ?? "{}") }),
      },
      { op: "DELETE /store/items", send: (api, o) => api.request({ method: "DELETE", path: "/store/items", json: itemOf(o) }) },
      { op: "POST /store/items/search", send: (api, o) => api.post("/store/items/search", { namespace_prefix: itemOf(o).namespace, limit: 10 }) },
      { op: "POST /store/namespaces", send: (api) => api.post("/store/namespaces", { limit: 10 }) },
    ],
  },
  {
    id: "AUT-006",
    family: "crons",
    claimedBy: "crons",
    requests: [
      { op: "POST /runs/crons/search", send: (api) => api.post("/runs/crons/search", { limit: 10 }) },
      { op: "POST /runs/crons/count", send: (api) => api.post("/runs/crons/count", {}) },
      {
        op: "POST /threads/{thread_id}/runs/crons",
        send: (api, o) => api.post(`${T(o)}/runs/crons`, { assistant_id: o.assistantId, schedule: "0 0 1 1 *" }),
        undo: async (api, res) => ok(res) && typeof res.json?.cron_id === "string" && api.delete(`/runs/crons/${res.json.cron_id}`),
      },
    ],
  },
  {
    id: "AUT-007",
    family: "MCP",
    claimedBy: "mcp",
    requests: [
      {
        op: "POST /mcp/",
        send: (api) => api.stream({ method: "POST", path: "/mcp/", json: INITIALIZE, headers: { accept: "application/json, text/event-stream" } }, { limits: { timeoutMs: 5_000 } }),
      },
    ],
  },
];

for (const f of FAMILIES) {
  authCheck(
    {
      id: f.id,
      level: "MUST",
      operations: [...new Set(f.requests.map((r) => r.op))],
      spec: [AUTHENTICATE, DEFAULTS_TO_401, FIXTURE_AUTH],
      title: `Requests of the ${f.family} operations without credentials, or with credentials no user has, answer 401${f.claimedBy ? ` (where ${f.claimedBy} are claimed)` : ""}`,
      requires: ["graph:echo"],
      timeoutMs: 90_000,
    },
    async (w) => {
      const { c } = w;
      if (f.claimedBy) {
        const claim = c.run.claims[f.claimedBy];
        if (claim && !claim.claimed) c.skip(`the target does not claim ${f.claimedBy}: ${claim.reason}`);
      }
      const o = await ownerWorld(c);
      const wrong: Array<{ line: string; res: Answer }> = [];
      for (const [who, api] of [
        ["without credentials", w.anonymous],
        ["with credentials no user has", w.bad],
      ] as const) {
        for (const r of f.requests) {
          const res = await r.send(api, o);
          // Carried out or answered for nobody: the owner's data reached no one who proved who they are.
          w.tally.add(`${r.op} ${who}`, leakOf(res, secretsOf(res, o)), res);
          if (res.status !== 401) wrong.push({ line: `${what(res)} ${who} answered ${res.status}`, res });
          await r.undo?.(api, res).catch(() => undefined);
        }
      }
      if (wrong.length > 0) {
        // The worst first: a 2xx or a 5xx.
        const first = wrong.find((x) => x.res.status < 300 || x.res.status >= 500) ?? wrong[0]!;
        fail(`${wrong.length} of ${f.requests.length * 2} requests did not answer 401: ${wrong.map((x) => x.line).join("; ")}`, first.res);
      }
    },
  );
}
