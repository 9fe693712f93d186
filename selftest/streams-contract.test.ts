// The stream contract (schemas/streams.yaml) and its judge (harness/streams.ts):
// the document compiles in ajv's strict mode; for every event, a realistic
// sample (from the documents' examples) passes and a typical mistake fails; the
// judge flags unknown names, broken namespaces, non-JSON data and bad data, and
// it is on the HTTP path, where every stream read through api.stream() is judged.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAjv, loadContract, type Contract } from "../harness/contract";
import { createApi, newRecorder, type TargetConnection } from "../harness/http";
import { checkEvents, loadStreams, type StreamContract } from "../harness/streams";
import { listen, type Local } from "./support/servers";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { DEFAULT_STREAMS } from "../harness/streams";

const RUN_STREAM = "POST /threads/{thread_id}/runs/stream";
const THREAD_STREAM = "GET /threads/{thread_id}/stream";
const RUN = "1ef4a9b8-d7da-679a-a45a-872054341df2";
const TASK = "12ab1026-a551-5f96-9ad3-43424f094774";
const TS = "2024-06-21T22:11:09.256850+00:00";

let streams: StreamContract;
let contract: Contract;
beforeAll(async () => {
  streams = loadStreams();
  contract = await loadContract();
});

const j = (v: unknown) => JSON.stringify(v);

/**
 * For every event: realistic data (after the documents' examples) and typical
 * mistakes, as raw `data` text. `name` overrides the event name sent.
 */
const SAMPLES: Record<string, { op?: string; name?: string; good: string[]; bad: string[] }> = {
  message: {
    op: "POST /mcp/",
    good: ['{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{}}}', '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}'],
    bad: ['{"id":1,"result":{}}', '{"jsonrpc":"1.0","id":1,"result":{}}', '{"jsonrpc":"2.0","id":1,"error":{"message":"no code"}}'],
  },
  metadata: {
    good: [j({ run_id: RUN }), j({ run_id: RUN, attempt: 1 }), j({ run_id: RUN, thread_id: "d0cbe9ad-f11c-443a-9f6f-dca0ae5a0dd3" })],
    bad: [j({}), j({ run_id: 42 }), j({ run_id: "run-1" }), j({ run_id: RUN, attempt: 0 })],
  },
  values: {
    good: [j({ topic: "ice cream and cats" }), j({ messages: [{ type: "human", content: "hi" }] }), j([{ a: 1 }])],
    bad: ['"ice cream"', "42", "null"],
  },
  updates: {
    good: [j({ refine_topic: { topic: "ice cream and cats" } }), j({ __interrupt__: [{ id: "6300da9f", value: { question: "May the run continue?" } }] })],
    bad: [j(["refine_topic", { topic: "x" }]), '"refine_topic"'],
  },
  messages: {
    good: [
      j([
        { type: "AIMessageChunk", content: "Hello", id: "run-1" },
        { graph_id: "agent", langgraph_node: "agent", tags: [] },
      ]),
      j([
        { type: "ai", content: [{ type: "text", text: " results provide", index: 0 }] },
        { langgraph_node: "agent", langgraph_step: 1 },
      ]),
    ],
    bad: [
      j({ type: "ai", content: "Hello" }), // the message alone, not a pair
      j([{ type: "ai", content: "Hello" }]),
      j([{ content: "Hello" }, { langgraph_node: "agent" }]), // no type
      j([{ type: "ai", content: "Hello" }, { tags: "agent" }]),
    ],
  },
  "messages/partial": {
    good: [j([{ type: "ai", content: "Hello from", id: "run-1", tool_calls: [], additional_kwargs: {}, response_metadata: {} }])],
    bad: [j({ type: "ai", content: "Hello from" }), j([{ type: "ai" }])],
  },
  "messages/complete": {
    good: [j([{ type: "human", content: "hi", id: "906529f7-fbf2-41c9-a28c-b1fe8f891e4e", name: null, example: false }])],
    bad: [j([{ type: "ai", content: 42 }]), j("Hello")],
  },
  "messages/metadata": {
    good: [j({ "run-1": { metadata: { langgraph_node: "respond", tags: [] } } })],
    bad: [j({ "run-1": { langgraph_node: "respond" } }), j([{ metadata: {} }])],
  },
  custom: {
    good: [j({ tick: 1, of: 3 }), '"halfway"', "7"],
    bad: ["tick 1 of 3", "{'tick': 1}"],
  },
  debug: {
    good: [
      j({ type: "checkpoint", timestamp: TS, step: -1, payload: { config: {}, values: { messages: [] }, metadata: { source: "input", step: -1, writes: null } } }),
      j({ type: "task", timestamp: TS, step: 1, payload: { id: TASK, name: "agent", input: {}, triggers: ["start:agent"] } }),
    ],
    bad: [j({ type: "task", step: 1, payload: {} }), j({ type: "task", timestamp: "yesterday" }), j({ type: "task", timestamp: TS, step: "1" })],
  },
  tasks: {
    good: [
      j({ id: TASK, name: "agent", input: { messages: [] }, triggers: ["start:agent"], interrupts: [] }),
      j({ id: TASK, name: "agent", result: [["messages", [{ type: "ai", content: "begin" }]]], error: null, interrupts: [] }),
      j({ id: TASK, name: "first", result: { echoed: "x" }, interrupts: [], error: null }), // result by channel (Python SDK)
      j({ id: TASK, name: "agent", error: "ValueError('boom')", interrupts: [] }),
    ],
    bad: [
      j({ id: TASK, name: "first", result: "echoed x" }),
      j({ id: TASK, name: "first", result: [["echoed"]] }), // a write is a [channel, value] pair
      j({ id: TASK, name: "explode", error: { message: "boom" }, interrupts: [] }),
      j({ id: TASK, input: {} }),
    ],
  },
  checkpoints: {
    good: [
      j({
        values: { topic: "ice cream" },
        next: ["generate_joke"],
        config: { configurable: { thread_id: "t", checkpoint_ns: "", checkpoint_id: "1ef" } },
        parent_config: null,
        metadata: { source: "loop", step: 1 },
        tasks: [{ id: TASK, name: "generate_joke", interrupts: [] }],
      }),
    ],
    bad: [
      j({ values: { topic: "x" }, metadata: { source: "loop", step: 1 }, next: ["generate_joke"] }), // no config, no tasks
      j({ id: "1f1e59ac-f8e4-6d90-8000-4e1d3eeabe07", step: 0, source: "loop" }),
    ],
  },
  events: {
    good: [j({ event: "on_chain_start", name: "agent", run_id: RUN, tags: ["graph:step:1"], metadata: { langgraph_node: "agent" }, data: { input: {} }, parent_ids: [] })],
    bad: [j({ event: "on_chain_start", data: { input: {} } }), j({ event: "on_chain_start", name: "agent", run_id: RUN, data: {}, tags: "x" })],
  },
  error: {
    good: [j({ error: "ValueError", message: "fixture: deliberate failure in node explode" })],
    bad: ['"Run not found"', j({ message: "boom" }), j({ error: "Error", message: { text: "boom" } })],
  },
  end: {
    good: ["null", "", " ", j({ run_id: RUN, status: "success" }), j({ run_id: RUN, status: "rollback" })],
    bad: [j({ status: "done" }), '"finished"', j({ run_id: RUN, status: "pending" })],
  },
  feedback: {
    good: [j({ helpfulness: "https://api.smith.langchain.com/feedback/tokens/0a1b2c" })],
    bad: [j({ helpfulness: { url: "https://example.test" } }), j(["helpfulness"])],
  },
  tools: {
    good: [j({ event: "on_tool_start", name: "search", toolCallId: "call_1", input: { q: "weather" } }), j({ event: "on_tool_end", name: "search", output: "sunny" })],
    bad: [j({ event: "tool_started", name: "search" }), j({ event: "on_tool_end" })],
  },
  lifecycle: {
    name: "lifecycle|child:1f0c6b2e",
    good: [j({ event: "started", namespace: ["child:1f0c6b2e"] }), j({ event: "failed", namespace: ["child:1"], error: { error: "ValueError", message: "boom" } })],
    bad: [j({ event: "begun", namespace: ["child:1"] }), j({ event: "started", namespace: "child:1" })],
  },
  run_done: {
    op: THREAD_STREAM,
    good: [j({ run_id: RUN, status: "success" }), "null"],
    bad: ["run done"],
  },
};

describe("the stream contract (schemas/streams.yaml)", () => {
  it("compiles with ajv in strict mode, every event and every shared part", () => {
    const doc = parse(readFileSync(DEFAULT_STREAMS, "utf8"));
    const ajv = createAjv();
    const x = new Set<string>();
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === "object") for (const [k, v] of Object.entries(n)) (k.startsWith("x-") && x.add(k), walk(v));
    };
    walk(doc);
    for (const k of x) ajv.addKeyword(k);
    expect(() => ajv.addSchema(doc)).not.toThrow();
    const names = Object.keys(doc.$defs);
    for (const n of names) expect(() => ajv.compile({ $ref: `${doc.$id}#/$defs/${n.replace(/~/g, "~0").replace(/\//g, "~1")}` }), n).not.toThrow();
    expect(names.length).toBeGreaterThan(15);
  });

  it("defines the events of the documents, each with its namespace rule, its streams, a description and its sources", () => {
    expect([...streams.events.keys()].sort()).toEqual(
      [
        "checkpoints",
        "custom",
        "debug",
        "end",
        "error",
        "events",
        "feedback",
        "lifecycle",
        "message",
        "messages",
        "messages/complete",
        "messages/metadata",
        "messages/partial",
        "metadata",
        "run_done",
        "tasks",
        "tools",
        "updates",
        "values",
      ].sort(),
    );
    for (const [name] of streams.events) {
      const def = streams.document.$defs[name];
      expect(def.description, name).toBeTruthy();
      expect(def["x-sources"]?.length, name).toBeGreaterThan(0);
    }
  });

  it("says which events every stream_mode of the contract produces", () => {
    const modes = contract.document.components.schemas.StreamMode.enum as string[];
    for (const m of modes) expect(streams.modes[m]?.length, m).toBeGreaterThan(0);
    expect(streams.modes["messages-tuple"]).toEqual(["messages"]);
    expect([...streams.modes.messages!].sort()).toEqual(["messages/complete", "messages/metadata", "messages/partial"]);
    expect(streams.modes["every-stream"]).toContain("metadata");
  });

  it("judges every operation of the contract that answers with an event stream", () => {
    const sse = contract.operations.filter((op) => contract.responseMediaTypes(op, 200)?.includes("text/event-stream")).map((op) => op.key);
    expect(sse.length).toBeGreaterThanOrEqual(3);
    for (const key of sse) expect(streams.operations[key], key).toBeDefined();
    // The thread stream belongs to the threads section of the contract; it may not be there yet.
    for (const key of Object.keys(streams.operations)) expect(sse.includes(key) || key === THREAD_STREAM, key).toBe(true);
  });

  describe("for every event, a realistic sample conforms and a typical mistake does not", () => {
    it("has samples for every event it defines", () => {
      expect(Object.keys(SAMPLES).sort()).toEqual([...streams.events.keys()].sort());
    });
    for (const [name, s] of Object.entries(SAMPLES)) {
      it(name, () => {
        const op = s.op ?? RUN_STREAM;
        const event = s.name ?? name;
        for (const data of s.good) expect(streams.judge(op, { event, data })?.message, `${event} ${data}`).toBeUndefined();
        for (const data of s.bad) expect(streams.judge(op, { event, data }), `${event} ${data}`).toBeDefined();
      });
    }
  });

  describe("event names", () => {
    it("parses the namespace grammar: base, then node:task_id segments", () => {
      expect(streams.parseName("values")).toEqual({ base: "values", namespace: [] });
      expect(streams.parseName("values|child:1234")).toEqual({ base: "values", namespace: ["child:1234"] });
      expect(streams.parseName("updates|outer:1|inner:2")).toEqual({ base: "updates", namespace: ["outer:1", "inner:2"] });
      expect(streams.parseName("messages/partial|child:1f0c-7d1a").problem).toBeUndefined();
      for (const bad of ["values|child", "values|", "values|:1234", "values|child:", "values||child:1", "|child:1"]) {
        expect(streams.parseName(bad).problem, bad).toBeDefined();
      }
    });

    it("accepts a namespace where the event may carry one, and only there", () => {
      const judge = (event: string, data: unknown) => streams.judge(RUN_STREAM, { event, data: j(data) })?.message;
      expect(judge("values|child:1234", { a: 1 })).toBeUndefined();
      expect(judge("messages|child:22af5262-8bb3-538a-93a0-0eb71bb4763a", [{ type: "ai", content: "x" }, {}])).toBeUndefined();
      expect(judge("error|child:1", { error: "E", message: "m" })).toBeUndefined();
      expect(judge("metadata|child:1", { run_id: RUN })).toMatch(/never/);
      expect(judge("end|child:1", null)).toMatch(/never/);
      expect(judge("lifecycle", { event: "started", namespace: [] })).toMatch(/always/);
      expect(judge("values|child", { a: 1 })).toMatch(/node:task_id/);
    });
  });

  describe("checkEvents", () => {
    const ev = (event: string, data: string) => ({ event, data });

    it("flags an unknown event name, non-JSON data and a bad metadata, and accepts values|child:1234", () => {
      const v = checkEvents(RUN_STREAM, {
        events: [
          ev("metadata", j({ run_id: RUN, attempt: 1 })),
          ev("values|child:1234", j({ value: "x" })),
          ev("bogus", j({})),
          ev("values", "{not json"),
          ev("metadata", j({ attempt: 1 })),
          ev("message", j({})), // the SSE default name, when a server sends data without an event name
        ],
      });
      expect(v.every((x) => x.kind === "event" && x.operation === RUN_STREAM)).toBe(true);
      expect(v.map((x) => x.message)).toEqual([
        expect.stringMatching(/event #2 'bogus' is not an event of the contract/),
        expect.stringMatching(/event #3 'values' has data that is not JSON/),
        expect.stringMatching(/event #4 'metadata' has data that does not match the contract: \(body\) must have required property 'run_id'/),
        expect.stringMatching(/event #5 'message' is not an event of the contract/),
      ]);
      expect(v[2]!.errors?.length).toBeGreaterThan(0);
    });

    it("accepts a conforming stream", () => {
      const v = checkEvents("POST /runs/stream", {
        events: [ev("metadata", j({ run_id: RUN, attempt: 1 })), ev("values", j({ topic: "x" })), ev("updates", j({ a: { topic: "x" } })), ev("end", "")],
      });
      expect(v).toEqual([]);
    });

    it("says why when data is empty", () => {
      const [v] = checkEvents(RUN_STREAM, { events: [ev("values", "")] });
      expect(v!.message).toMatch(/its data is empty, read as null/);
    });

    it("judges only streams of operations that answer with one", () => {
      expect(checkEvents(undefined, { events: [ev("bogus", "x")] })).toEqual([]);
      expect(checkEvents("GET /assistants/{assistant_id}", { events: [ev("bogus", "x")] })).toEqual([]);
    });

    it("on the thread stream, accepts the names the documents leave unnamed but still requires JSON data", () => {
      const v = checkEvents(THREAD_STREAM, {
        events: [ev("run_done", j({})), ev("state_update", j({ values: {} })), ev("values", j({ a: 1 })), ev("lifecycle_event", "not json"), ev("values", '"x"')],
      });
      expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/#3 'lifecycle_event' has data that is not JSON/), expect.stringMatching(/#4 'values' has data that does not match/)]);
      // run_done is an event of the thread stream only.
      expect(checkEvents(RUN_STREAM, { events: [ev("run_done", j({}))] })[0]!.message).toMatch(/not an event of the contract/);
    });

    it("reports a problem once with how many events share it, and bounds the number of problems", () => {
      const same = Array.from({ length: 100 }, () => ev("checkpoints", j({ id: "1", step: 0, source: "loop" })));
      const v = checkEvents(RUN_STREAM, { events: same });
      expect(v).toHaveLength(1);
      expect(v[0]!.message).toMatch(/event #0 .*\(and 99 more events like it\)$/);
      const many = Array.from({ length: 30 }, (_, i) => ev(`bogus${i}`, "{}"));
      const w = checkEvents(RUN_STREAM, { events: many });
      // Ten problems listed; the rest counted in the last one's message, not a cause of their own.
      expect(w).toHaveLength(10);
      expect(w.at(-1)!.message).toMatch(/20 more events with other problems/);
      // Each problem names its cause: the same for every stream that has it.
      expect(w[0]).toMatchObject({ signature: "event bogus0 is not an event of run streams", level: "MUST" });
      expect(v[0]).toMatchObject({ level: "SHOULD" }); // checkpoints' shape rests on SDK types only (x-level)
    });
  });
});

describe("the HTTP path judges every stream it reads", () => {
  let server: Local;
  beforeAll(async () => {
    server = await listen((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      if (req.url === "/runs/stream") {
        res.write(`event: metadata\ndata: ${j({ run_id: RUN, attempt: 1 })}\n\n`);
        res.write(`event: values|child:1234\ndata: ${j({ value: "x" })}\n\n`);
        res.write(`event: bogus\ndata: {}\n\n`);
        res.write(`event: values\ndata: {"value":\ndata: "split over two lines"}\n\n`); // WHATWG-joined: valid JSON
        res.end(`event: error\ndata: "Run not found"\n\n`);
      } else res.end(`event: error\ndata: "Run not found"\n\n`); // not an operation of the contract
    });
  });
  afterAll(() => server.close());

  const target = (): TargetConnection => ({ url: server.url, headers: {}, requestTimeoutMs: 2_000, streamTimeoutMs: 2_000 });

  it("records each event that breaks the stream contract as a violation of the exchange", async () => {
    const rec = newRecorder();
    const api = createApi({ target: target(), contract, recorder: rec, checkEvents });
    const res = await api.stream({ method: "POST", path: "/runs/stream", json: { assistant_id: "echo" } });
    expect(res.sse?.events).toHaveLength(5);
    expect(res.record.violations.map((v) => [v.kind, v.message])).toEqual([
      ["event", expect.stringMatching(/^POST \/runs\/stream: event #2 'bogus' is not an event/)],
      ["event", expect.stringMatching(/event #4 'error' has data that does not match the contract: \(body\) must be object/)],
    ]);
    expect(rec.violations).toHaveLength(2);
  });

  it("leaves streams of paths outside the contract alone", async () => {
    const rec = newRecorder();
    const api = createApi({ target: target(), contract, recorder: rec, checkEvents });
    const res = await api.stream({ method: "GET", path: "/not/in/the/contract" });
    expect(res.sse?.events).toHaveLength(1);
    expect(rec.violations).toEqual([]);
  });
});
