// The contract's threads, state and history, crons, store and MCP sections:
// realistic bodies are accepted and typical mistakes are refused, so that the
// checks and the generated inputs built on these schemas judge what they should.

import { beforeAll, describe, expect, it } from "vitest";
import { loadContract, type Contract } from "../harness/contract";

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});

function op(key: string) {
  const o = contract.operation(key);
  if (!o) throw new Error(`${key} is not an operation of the contract`);
  return o;
}
const request = (key: string) => contract.validator(contract.requestSchemaPointer(op(key))!);
const response = (key: string, status = "200", mediaType = "application/json") => contract.validator(contract.responseSchemaPointer(op(key), status, mediaType)!);
const schema = (name: string) => contract.validator(`/components/schemas/${name}`);

/** Asserts that a validator accepts each of `ok` and refuses each of `bad`. */
function judges(validate: (v: unknown) => boolean, ok: unknown[], bad: unknown[]) {
  for (const v of ok) expect(validate(v), `should accept ${JSON.stringify(v)}`).toBe(true);
  for (const v of bad) expect(validate(v), `should refuse ${JSON.stringify(v)}`).toBe(false);
}

const THREAD_ID = "01a1fdc5-aa81-71e4-8da2-c8985daf9af7";
const CHECKPOINT = { thread_id: THREAD_ID, checkpoint_ns: "", checkpoint_id: "1f1e59b0-ceb1-62e0-8001-12bce695f7f7", checkpoint_map: null };
const INTERRUPT = { id: "62dbbcc3cdf93bb844fce6249a26d487", value: { question: "May the run continue?" } };

const interruptedThread = {
  thread_id: THREAD_ID,
  created_at: "2025-11-21T11:02:32.321Z",
  updated_at: "2025-11-21T11:02:32.467+00:00",
  metadata: { graph_id: "interrupt" },
  status: "interrupted",
  config: { configurable: {} },
  values: { trail: ["prepare"] },
  interrupts: { "b3b554a7-c87d-5db7-b262-8d053a87581a": [INTERRUPT] },
};

const usedState = {
  values: { trail: ["prepare"] },
  next: ["ask"],
  tasks: [{ id: "b3b554a7-c87d-5db7-b262-8d053a87581a", name: "ask", error: null, interrupts: [INTERRUPT], checkpoint: null, state: null, result: null }],
  metadata: { step: 1, source: "loop" },
  created_at: "2025-11-21T11:02:32.462Z",
  checkpoint: CHECKPOINT,
  parent_checkpoint: { ...CHECKPOINT, checkpoint_id: "1f1e59b0-cea9-6db0-8000-0f59be50f4f4" },
  interrupts: [INTERRUPT],
};

describe("threads", () => {
  it("POST /threads takes a thread_id, metadata, if_exists and ttl; refuses an unknown if_exists, a non-UUID id, a ttl without minutes", () => {
    judges(
      request("POST /threads"),
      [
        {},
        { thread_id: THREAD_ID, metadata: { conformance_run: "r1" }, if_exists: "do_nothing", ttl: { ttl: 60, strategy: "keep_latest" } },
        { supersteps: [{ updates: [{ as_node: "prepare", values: { trail: [] } }] }] },
      ],
      [{ if_exists: "overwrite" }, { thread_id: "my-thread-id" }, { ttl: { strategy: "delete" } }, { metadata: [] }, { supersteps: [{ updates: [{ values: {} }] }] }],
    );
  });

  it("a thread has its id, timestamps, metadata and a status of the four", () => {
    judges(
      response("GET /threads/{thread_id}"),
      [interruptedThread, { ...interruptedThread, values: null, interrupts: {} }],
      [
        { ...interruptedThread, status: "running" },
        { ...interruptedThread, metadata: undefined },
        { ...interruptedThread, created_at: "yesterday" },
        { ...interruptedThread, interrupts: { task: INTERRUPT } },
      ],
    );
  });

  it("search takes the documented sort keys and selectable fields only", () => {
    judges(
      request("POST /threads/search"),
      [{}, { metadata: { a: 1 }, status: "idle", limit: 1000, offset: 0, sort_by: "updated_at", sort_order: "asc", select: ["thread_id", "status"] }],
      [{ limit: 0 }, { limit: 1001 }, { offset: -1 }, { status: "running" }, { sort_by: "name" }, { select: ["run_id"] }, { ids: ["x"] }],
    );
    judges(schema("ThreadSelectedList"), [[{ thread_id: THREAD_ID, status: "idle" }]], [[{ status: "sleeping" }]]);
  });

  it("DELETE /threads/{thread_id} answers the documents' 200 or the 204 every official server answers (the contract's decision), and nothing else", () => {
    const del = op("DELETE /threads/{thread_id}");
    expect(contract.checkResponse(del, { status: 204, contentType: "", text: "", truncated: false })).toEqual([]);
    expect(contract.checkResponse(del, { status: 200, contentType: "application/json", text: "null", truncated: false })).toEqual([]);
    expect(contract.checkResponse(del, { status: 202, contentType: "", text: "", truncated: false }).map((v) => v.kind)).toEqual(["status"]);
  });
});

describe("state and history", () => {
  it("a state names its values, next nodes, tasks and checkpoints; a thread with no checkpoint yet has null ones", () => {
    judges(
      response("GET /threads/{thread_id}/state"),
      [usedState, { values: {}, next: [], tasks: [], metadata: null, created_at: null, checkpoint: null, parent_checkpoint: null }],
      [
        { ...usedState, next: "ask" },
        { ...usedState, next: undefined },
        { ...usedState, tasks: [{ id: "t" }] },
        { ...usedState, checkpoint: "1f1e59b0" },
        { ...usedState, created_at: "not a time" },
        // The reference server's state of a new thread lacks `metadata`, which every document requires.
        { values: {}, next: [], tasks: [], created_at: null, checkpoint: null, parent_checkpoint: null },
      ],
    );
  });

  it("an interrupt carries any JSON value; the value is required", () => {
    judges(schema("Interrupt"), [INTERRUPT, { value: "Proceed?", id: null }, { value: null }], [{ id: "x" }, "Proceed?"]);
  });

  it("POST state/checkpoint needs a checkpoint; POST history takes before as an id or a checkpoint, limit 1 to 1000", () => {
    judges(request("POST /threads/{thread_id}/state/checkpoint"), [{ checkpoint: CHECKPOINT, subgraphs: true }], [{}, { checkpoint: "1f1e59b0" }]);
    judges(
      request("POST /threads/{thread_id}/history"),
      [{}, { limit: 5, before: CHECKPOINT.checkpoint_id }, { before: CHECKPOINT, metadata: { source: "loop" }, checkpoint: { checkpoint_ns: "" } }],
      [{ limit: 0 }, { limit: 1001 }, { limit: "5" }, { before: 5 }],
    );
  });

  it("an update of the state is answered with the new checkpoint", () => {
    judges(
      request("POST /threads/{thread_id}/state"),
      [
        { values: { trail: ["x"] }, as_node: "prepare" },
        { values: null, checkpoint: CHECKPOINT },
      ],
      [{ values: "x" }, { as_node: 1 }],
    );
    judges(response("POST /threads/{thread_id}/state"), [{ checkpoint: CHECKPOINT }], [{}, { checkpoint: "1f1e59b0" }]);
  });
});

describe("crons", () => {
  const cron = {
    cron_id: "0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b",
    assistant_id: "046b5dc7-2108-582c-9c6c-31d556d138f0",
    thread_id: null,
    end_time: null,
    schedule: "27 15 * * *",
    created_at: "2024-07-08T06:02:23.073257+00:00",
    updated_at: "2024-07-08T06:02:23.073257+00:00",
    user_id: null,
    payload: { input: {} },
    next_run_date: "2024-07-25T17:04:00+00:00",
    metadata: {},
  };

  it("a cron may have no thread and no end time; its id is a UUID and its schedule required", () => {
    judges(
      response("POST /runs/crons"),
      [cron, { ...cron, thread_id: THREAD_ID, end_time: "2030-01-01T00:00:00Z", on_run_completed: "keep" }],
      [
        { ...cron, schedule: undefined },
        { ...cron, cron_id: "cron-1" },
        { ...cron, on_run_completed: "archive" },
      ],
    );
  });

  it("creating a cron needs an assistant and a five-field schedule; the thread form takes a multitask strategy, the stateless form on_run_completed", () => {
    judges(
      request("POST /threads/{thread_id}/runs/crons"),
      [{ assistant_id: "echo", schedule: "*/5 * * * *", input: { messages: [] }, multitask_strategy: "reject", interrupt_before: "*", webhook: "https://example.com/hook" }],
      [
        { schedule: "0 9 * * 1" },
        { assistant_id: "echo" },
        { assistant_id: "echo", schedule: "every day" },
        { assistant_id: "echo", schedule: "60 * * * *" },
        { assistant_id: "echo", schedule: "* * * * *", multitask_strategy: "queue" },
        { assistant_id: "echo", schedule: "* * * * *", webhook: "" },
      ],
    );
    judges(
      request("POST /runs/crons"),
      [{ assistant_id: "echo", schedule: "0 0 1 1 0", on_run_completed: "keep" }],
      [
        { assistant_id: "echo", schedule: "0 0 1 1 0", on_run_completed: "archive" },
        { assistant_id: "echo", schedule: "0 0 31 1 0" },
      ],
    );
  });

  it("search and count filter by assistant (an ID or a graph ID) and thread", () => {
    judges(
      request("POST /runs/crons/search"),
      [{}, { assistant_id: "echo", thread_id: THREAD_ID, sort_by: "next_run_date", select: ["cron_id", "schedule"] }],
      [{ thread_id: "t1" }, { sort_by: "schedule" }, { select: ["now"] }, { limit: 0 }],
    );
    judges(request("POST /runs/crons/count"), [{}, { assistant_id: "echo" }], [{ thread_id: 1 }]);
  });
});

describe("store", () => {
  const item = { namespace: ["conformance", "r1"], key: "k1", value: { a: 1 }, created_at: "2025-11-21T11:02:32.987Z", updated_at: "2025-11-21T11:02:32.987Z" };

  it("a put needs a namespace of non-empty labels without '.', a key and an object value", () => {
    judges(
      request("PUT /store/items"),
      [
        { namespace: ["conformance", "r1"], key: "k1", value: { a: 1 } },
        { namespace: ["c"], key: "k", value: {}, index: false, ttl: null },
        { namespace: ["c"], key: "k", value: {}, index: ["a.b"], ttl: 5 },
      ],
      [
        { namespace: [], key: "k", value: {} },
        { namespace: ["a.b"], key: "k", value: {} },
        { namespace: [""], key: "k", value: {} },
        { namespace: ["c"], key: "k", value: [1] },
        { namespace: ["c"], value: {} },
        { namespace: ["c"], key: "k", value: {}, index: true },
      ],
    );
  });

  it("GET /store/items answers an item, or null for a key not stored (as both official servers do); PUT and DELETE answer 204 with no body", () => {
    judges(
      response("GET /store/items"),
      [item, { ...item, value: {} }, null],
      [
        { ...item, value: "x" },
        { ...item, created_at: undefined },
      ],
    );
    const get = op("GET /store/items");
    expect(contract.checkResponse(get, { status: 200, contentType: "application/json", text: "null", truncated: false })).toEqual([]);
    for (const key of ["PUT /store/items", "DELETE /store/items"]) {
      expect(contract.checkResponse(op(key), { status: 204, contentType: "", text: "", truncated: false }), key).toEqual([]);
      expect(
        contract.checkResponse(op(key), { status: 404, contentType: "application/json", text: '{"detail":"x"}', truncated: false }).map((v) => v.kind),
        key,
      ).toEqual(["status"]);
    }
  });

  it("search answers {items}; list namespaces answers a list of namespaces, bare or under `namespaces`", () => {
    judges(response("POST /store/items/search"), [{ items: [] }, { items: [{ ...item, score: 0.7 }] }], [[item], { items: [{ ...item, key: 1 }] }]);
    judges(request("POST /store/items/search"), [{ namespace_prefix: ["conformance"], filter: { a: 1 }, limit: 5, offset: 0, query: null }, {}], [{ limit: 0 }, { namespace_prefix: "conformance" }]);
    judges(response("POST /store/namespaces"), [[["conformance", "r1"]], { namespaces: [["conformance", "r1"]] }, []], [{ items: [] }, [["conformance", 1]], ["conformance"]]);
    judges(request("POST /store/namespaces"), [{}, { prefix: ["conformance"], max_depth: 2, limit: 10, offset: 0 }], [{ max_depth: 0 }, { prefix: ["a.b"] }]);
  });
});

describe("mcp", () => {
  const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "conformance", version: "0.1.0" } } };

  it("the body of POST /mcp/ is one JSON-RPC 2.0 request, notification or response", () => {
    judges(
      request("POST /mcp/"),
      [initialize, { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: "7", result: {} }, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }],
      [{ ...initialize, jsonrpc: "1.0" }, { ...initialize, id: null }, { jsonrpc: "2.0", id: 1, result: {}, error: { code: 1, message: "x" } }, [initialize], { jsonrpc: "2.0", id: 1 }],
    );
  });

  it("a request is answered with a JSON-RPC response; errors may carry any body, as the documents declare none", () => {
    judges(
      response("POST /mcp/"),
      [{ jsonrpc: "2.0", id: 1, result: { protocolVersion: "2025-03-26", capabilities: {}, serverInfo: { name: "s", version: "1" } } }],
      [
        { jsonrpc: "2.0", id: 1 },
        { jsonrpc: "2.0", id: 1, method: "ping" },
      ],
    );
    // What such a body usually is, for checks that read one.
    judges(schema("McpErrorBody"), [{ jsonrpc: "2.0", id: null, error: { code: -32000, message: "Method not allowed." } }, { detail: "Method Not Allowed" }], [{ error: "nope" }]);
    for (const [key, status] of [
      ["POST /mcp/", 400],
      ["GET /mcp/", 405],
      ["DELETE /mcp/", 404],
      ["DELETE /mcp/", 405],
    ] as const) {
      expect(contract.checkResponse(op(key), { status, contentType: "text/plain", text: "Not Found", truncated: false }), `${key} ${status}`).toEqual([]);
    }
  });
});

describe("conventions of these sections", () => {
  const PROFILES = ["threads", "crons", "store", "mcp"];
  // The thread stream is ours too (profile streaming, like the run streams of the runs sections).
  const ours = () => contract.operations.filter((o) => PROFILES.includes(o.profile ?? "") || o.key === "GET /threads/{thread_id}/stream");

  it("covers the 27 operations of the API reference (api-ref) for threads, crons, store and MCP, and no other", () => {
    expect(
      ours()
        .map((o) => o.key)
        .sort(),
    ).toEqual(
      [
        "POST /threads",
        "POST /threads/search",
        "POST /threads/count",
        "GET /threads/{thread_id}",
        "PATCH /threads/{thread_id}",
        "DELETE /threads/{thread_id}",
        "POST /threads/{thread_id}/copy",
        "GET /threads/{thread_id}/stream",
        "GET /threads/{thread_id}/state",
        "POST /threads/{thread_id}/state",
        "GET /threads/{thread_id}/state/{checkpoint_id}",
        "POST /threads/{thread_id}/state/checkpoint",
        "GET /threads/{thread_id}/history",
        "POST /threads/{thread_id}/history",
        "POST /threads/{thread_id}/runs/crons",
        "POST /runs/crons",
        "POST /runs/crons/search",
        "POST /runs/crons/count",
        "DELETE /runs/crons/{cron_id}",
        "PUT /store/items",
        "GET /store/items",
        "DELETE /store/items",
        "POST /store/items/search",
        "POST /store/namespaces",
        "POST /mcp/",
        "GET /mcp/",
        "DELETE /mcp/",
      ].sort(),
    );
    expect(op("GET /threads/{thread_id}/stream").profile).toBe("streaming");
  });

  it("every operation that takes a body declares 415, and every operation whose path names an id declares 404", () => {
    for (const o of ours()) {
      const raw = contract.document.paths[o.path][o.method.toLowerCase()];
      if (raw.requestBody) expect(o.statuses, `${o.key} takes a body`).toContain("415");
      if (/\{(thread_id|cron_id|checkpoint_id)\}/.test(o.path)) expect(o.statuses, `${o.key} names an id`).toContain("404");
    }
  });

  it("the thread stream is text/event-stream, resumable with Last-Event-ID, its modes lifecycle, run_modes, state_update", () => {
    const stream = op("GET /threads/{thread_id}/stream");
    expect(contract.responseMediaTypes(stream, 200)).toEqual(["text/event-stream"]);
    const params: any[] = contract.document.paths[stream.path].get.parameters;
    expect(params.find((p) => p.name === "Last-Event-ID")?.in).toBe("header");
    judges(schema("ThreadStreamMode"), ["lifecycle", "run_modes", "state_update"], ["values", "updates"]);
  });
});
