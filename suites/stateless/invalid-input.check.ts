// Stateless run requests a client could send by mistake: 422 (400 also for a
// body that is not JSON; 415, SHOULD, for one not sent as JSON), or 404 for an assistant that does not exist; never a
// 2xx or a 5xx, and nothing is run.

import { check } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { MALFORMED_BODY, UNSUPPORTED_MEDIA_TYPE } from "../_support/citations";
import { expectRefused, uuid } from "../_support/resources";
import { GRAPH } from "../_support/runs";
import { expectNothingRan, statelessThreadsWith } from "./support";

const CREATE = "POST /runs";
const WAIT = "POST /runs/wait";
const pathOf = (op: string) => op.split(" ")[1]!;

type Case = [id: string, op: string, what: string, body: (marker: Record<string, unknown>) => Record<string, unknown>, why: string, rule: Citation];

/** Where api-ref states a rule of RunCreateStateless. */
const rule = (field: string, note: string, quote?: string): Citation => ({ source: "api-ref", section: `RunCreateStateless.${field}`, ...(quote ? { quote } : {}), note });
const VALIDATION_ERROR: Citation = { source: "openapi", section: "POST /runs and /runs/wait, responses", quote: "Validation Error", note: "422; the same in openapi-prev" };
const echo = (marker: Record<string, unknown>) => ({ assistant_id: GRAPH.echo, input: { value: 1 }, metadata: marker, on_completion: "keep" });

const cases: Case[] = [
  ["SRN-100", CREATE, "without assistant_id", (m) => ({ input: { value: 1 }, metadata: m, on_completion: "keep" }), "assistant_id is required", rule("assistant_id", "required")],
  [
    "SRN-101",
    CREATE,
    "with an on_completion outside delete and keep",
    (m) => ({ ...echo(m), on_completion: "archive" }),
    "on_completion is delete or keep",
    rule("on_completion", "an enum", "Must be one of 'delete' or 'keep'."),
  ],
  [
    "SRN-102",
    CREATE,
    "with an unknown stream_mode",
    (m) => ({ ...echo(m), stream_mode: "everything" }),
    "stream_mode is a StreamMode or a list of them",
    rule("stream_mode", "an enum, or an array of it", "The stream mode(s) to use."),
  ],
  [
    "SRN-103",
    CREATE,
    "with metadata that is not an object",
    (m) => ({ ...echo(m), metadata: "label", config: { configurable: m } }),
    "metadata is an object",
    rule("metadata", "an object", "Metadata to assign to the run."),
  ],
  ["SRN-104", WAIT, "without assistant_id", (m) => ({ input: { value: 1 }, metadata: m, on_completion: "keep" }), "assistant_id is required", rule("assistant_id", "required")],
  [
    "SRN-105",
    WAIT,
    "with an on_completion outside delete and keep",
    (m) => ({ ...echo(m), on_completion: "archive" }),
    "on_completion is delete or keep",
    rule("on_completion", "an enum", "Must be one of 'delete' or 'keep'."),
  ],
];

for (const [id, op, what, body, why, where] of cases) {
  check(
    {
      id,
      level: "MUST",
      profile: "stateless",
      operations: [op],
      spec: [where, VALIDATION_ERROR],
      title: `${op} ${what} answers 422 and runs nothing`,
      requires: ["graph:echo"],
    },
    async (c) => {
      const marker = c.tag({ label: `refused-${uuid()}` });
      const res = await c.api.post(pathOf(op), body(marker), { timeoutMs: 30_000 });
      if (typeof res.json?.thread_id === "string") c.created.thread(res.json.thread_id);
      // Searched first: whatever a wrongly accepted request left is found and deleted.
      const traces = await statelessThreadsWith(c, marker);
      expectRefused(res, [422], why);
      expectNothingRan(traces);
    },
  );
}

for (const [id, op] of [
  ["SRN-110", CREATE],
  ["SRN-111", WAIT],
] as const) {
  check(
    {
      id,
      level: "MUST",
      profile: "stateless",
      operations: [op],
      spec: [{ source: "openapi", section: `${op}, requestBody`, note: "required, application/json; the same in openapi-prev" }, ...MALFORMED_BODY],
      title: `${op} with a body that is not valid JSON answers 400 or 422`,
    },
    async (c) => {
      const res = await c.api.request({ method: "POST", path: pathOf(op), body: `{"assistant_id": "${GRAPH.echo}", "input": {`, headers: { "content-type": "application/json" } });
      expectRefused(res, [400, 422], "the body is JSON");
    },
  );
}

for (const [id, op] of [
  ["SRN-112", CREATE],
  ["SRN-113", WAIT],
] as const) {
  check(
    {
      id,
      level: "SHOULD",
      profile: "stateless",
      operations: [op],
      spec: [{ source: "openapi", section: `${op}, requestBody`, note: "application/json only; the same in openapi-prev" }, ...UNSUPPORTED_MEDIA_TYPE],
      title: `${op} with a JSON text sent as text/plain answers 415 or 422 and runs nothing`,
      requires: ["graph:echo"],
    },
    async (c) => {
      const marker = c.tag({ label: `text-plain-${uuid()}` });
      const res = await c.api.request({ method: "POST", path: pathOf(op), body: JSON.stringify(echo(marker)), headers: { "content-type": "text/plain" }, timeoutMs: 30_000 });
      if (typeof res.json?.thread_id === "string") c.created.thread(res.json.thread_id);
      // Searched first: whatever a wrongly accepted request left is found and deleted.
      const traces = await statelessThreadsWith(c, marker);
      expectRefused(res, [415, 422], "the body is application/json");
      expectNothingRan(traces);
    },
  );
}

const unknown: Array<[string, string, string, () => string]> = [
  ["SRN-120", CREATE, "an assistant_id no assistant has", () => uuid()],
  ["SRN-121", CREATE, "a graph name the server does not have", () => `no-such-graph-${uuid().slice(0, 8)}`],
  ["SRN-122", WAIT, "an assistant_id no assistant has", () => uuid()],
  ["SRN-123", "POST /runs/batch", "an item whose assistant_id no assistant has", () => uuid()],
];

for (const [id, op, what, assistantId] of unknown) {
  check(
    {
      id,
      level: "MUST",
      profile: "stateless",
      operations: [op],
      spec: [
        { source: "openapi", section: `${op}, responses`, quote: "Not Found", note: "404; the same in openapi-prev" },
        { source: "contract", section: `${op}, 404 x-decision`, note: "no assistant or graph has the id given as assistant_id" },
      ],
      title: `${op} with ${what} answers 404 and runs nothing`,
    },
    async (c) => {
      const marker = c.tag({ label: `unknown-assistant-${uuid()}` });
      const item = { assistant_id: assistantId(), input: { value: 1 }, metadata: marker, on_completion: "keep" };
      const res = await c.api.post(pathOf(op), op === "POST /runs/batch" ? [item] : item, { timeoutMs: 30_000 });
      if (typeof res.json?.thread_id === "string") c.created.thread(res.json.thread_id);
      // Searched first: whatever a wrongly accepted request left is found and deleted.
      const traces = await statelessThreadsWith(c, marker);
      expectRefused(res, [404], "assistant_id names an assistant or a graph");
      expectNothingRan(traces);
    },
  );
}
