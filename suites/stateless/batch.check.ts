// POST /runs/batch: several stateless runs at once, one Run per item.

import { check, scenario } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus, expectSubset } from "../../harness/expect";
import type { Citation } from "../../harness/model";
import { expectRefused, uuid } from "../_support/resources";
import { assistantFor, describeSeen, GRAPH, pollRun } from "../_support/runs";
import { expectNothingRan, statelessThreadsWith } from "./support";

const BATCH = "POST /runs/batch";
const BATCH_SPEC: Citation[] = [
  { source: "openapi", section: "POST /runs/batch (Create Run Batch)", quote: "Create a batch of runs and return immediately.", note: "its 200 has the empty schema" },
  { source: "sdk-js", section: "Client.runs.createBatch", quote: "An array of created runs.", note: "the Python SDK's create_batch returns list[Run]" },
  { source: "contract", section: "POST /runs/batch, 200 x-decision", quote: "No document says in which order; the contract does not require one." },
];

const batch = scenario("a batch of two stateless runs of echo, kept", async (c) => {
  const assistantId = await assistantFor(c, "echo");
  const items = [0, 1].map((i) => ({ label: `batch-${i}-${uuid()}`, value: `batch-value-${i}-${uuid()}` }));
  const res = await c.api.post(
    "/runs/batch",
    items.map((it) => ({ assistant_id: assistantId, input: { value: it.value }, metadata: c.tag({ label: it.label }), on_completion: "keep" })),
  );
  if (Array.isArray(res.json)) for (const r of res.json) if (typeof r?.thread_id === "string") c.created.thread(r.thread_id);
  return { assistantId, items, res };
});

check(
  {
    id: "SRN-020",
    level: "SHOULD",
    profile: "stateless",
    operations: [BATCH],
    spec: [...BATCH_SPEC, { source: "contract", section: "POST /runs/batch, 200", note: "that the answer is one Run per item rests on the SDKs' types and docstrings only, hence SHOULD" }],
    title: "POST /runs/batch answers 200 with one Run per item, each with its item's assistant and metadata",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await batch(c);
    expectStatus(s.res, 200);
    const runs = expectJsonArray(s.res);
    ensure(runs.length === s.items.length, `POST /runs/batch of ${s.items.length} items answered ${runs.length} runs`, s.res);
    for (const it of s.items) {
      const run = runs.find((r) => r?.metadata?.label === it.label);
      ensure(run, `no run of the answer carries the metadata of item '${it.label}'`, s.res);
      expectEqual(run.assistant_id, s.assistantId, `assistant_id of the run of item '${it.label}'`, s.res);
    }
    ensure(new Set(runs.map((r) => r?.run_id)).size === runs.length, "two runs of the batch have the same run_id", s.res);
  },
);

check(
  {
    id: "SRN-021",
    level: "MUST",
    profile: "stateless",
    operations: [BATCH, "GET /threads/{thread_id}/runs/{run_id}", "GET /threads/{thread_id}"],
    spec: [
      { source: "openapi", section: "POST /runs/batch (Create Run Batch)", quote: "Create a batch of runs and return immediately." },
      {
        source: "api-ref",
        section: "RunCreateStateless.on_completion",
        quote: "Whether to delete or keep the thread created for a stateless run.",
        note: "each run of the batch is a stateless run on a thread of its own; 'keep' keeps it",
      },
    ],
    title: "Each run of POST /runs/batch runs its own item on a thread of its own and ends with success",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await batch(c);
    expectStatus(s.res, 200, "creating the batch");
    const runs = expectJsonArray(s.res);
    ensure(new Set(runs.map((r) => r?.thread_id)).size === runs.length, `the runs of the batch share threads: ${runs.map((r) => r?.thread_id).join(", ")}`, s.res);
    for (const it of s.items) {
      const run = runs.find((r) => r?.metadata?.label === it.label);
      ensure(run, `no run of the answer carries the metadata of item '${it.label}'`, s.res);
      const { run: ended, seen } = await pollRun(c, run.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status" });
      c.note(`item '${it.label}': ${describeSeen(seen)}`);
      expectEqual(ended.status, "success", `end status of the run of item '${it.label}'`);
      const thread = await c.api.get(`/threads/${run.thread_id}`);
      expectStatus(thread, 200, "on_completion=keep keeps the thread");
      expectSubset(expectJsonObject(thread).values, { value: it.value, echoed: it.value }, `values of the thread of item '${it.label}'`, thread);
    }
  },
);

check(
  {
    id: "SRN-022",
    level: "MUST",
    profile: "stateless",
    operations: [BATCH],
    spec: [
      {
        source: "api-ref",
        section: "RunBatchCreate",
        quote: "Payload for creating a batch of runs.",
        note: "an array of RunCreateStateless with at least one item (1…); minItems 1 in both public documents",
      },
      { source: "openapi", section: "POST /runs/batch, responses", quote: "Validation Error", note: "422" },
    ],
    title: "POST /runs/batch with an empty list answers 422",
  },
  async (c) => {
    const res = await c.api.post("/runs/batch", []);
    expectRefused(res, [422], "the batch has at least one item");
  },
);

check(
  {
    id: "SRN-023",
    level: "MUST",
    profile: "stateless",
    operations: [BATCH],
    spec: [
      { source: "api-ref", section: "RunBatchCreate", quote: "Payload for creating a batch of runs.", note: "an array of RunCreateStateless" },
      { source: "openapi", section: "POST /runs/batch, responses", quote: "Validation Error", note: "422" },
    ],
    title: "POST /runs/batch with an object instead of a list answers 422",
  },
  async (c) => {
    const res = await c.api.post("/runs/batch", { assistant_id: GRAPH.echo, input: { value: 1 } });
    expectRefused(res, [422], "the body is a list of RunCreateStateless");
  },
);

check(
  {
    id: "SRN-024",
    level: "MUST",
    profile: "stateless",
    operations: [BATCH],
    spec: [
      { source: "api-ref", section: "RunCreateStateless.assistant_id", note: "required" },
      {
        source: "openapi",
        section: "POST /runs/batch, responses",
        quote: "Validation Error",
        note: "422. A refused request creates nothing; the only trace a stateless run leaves is its thread, found here by the run's metadata where the server copies it (the documents do not say it must)",
      },
    ],
    title: "POST /runs/batch with one valid item and one without assistant_id answers 422 and runs neither",
    requires: ["graph:echo"],
  },
  async (c) => {
    const marker = c.tag({ label: `batch-refused-${uuid()}` });
    const res = await c.api.post("/runs/batch", [
      { assistant_id: GRAPH.echo, input: { value: 1 }, metadata: marker, on_completion: "keep" },
      { input: { value: 2 }, metadata: marker, on_completion: "keep" },
    ]);
    if (Array.isArray(res.json)) for (const r of res.json) if (typeof r?.thread_id === "string") c.created.thread(r.thread_id);
    const traces = await statelessThreadsWith(c, marker);
    expectRefused(res, [422], "assistant_id is required in every item");
    expectNothingRan(traces);
  },
);
