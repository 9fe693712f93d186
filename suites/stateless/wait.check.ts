// POST /runs/wait: a stateless run that answers, once it has ended, with its
// final output (or the error it ended with).

import { check, scenario } from "../../harness/check";
import { ensure, expectJsonMediaType, expectJsonObject, expectStatus, expectSubset } from "../../harness/expect";
import type { Citation } from "../../harness/model";
import { uuid } from "../_support/resources";
import { assistantFor, expectLocationPresent, expectReadableError, GRAPH, locationPath } from "../_support/runs";

const WAIT = "POST /runs/wait";
const WAIT_SPEC: Citation[] = [
  {
    source: "openapi",
    section: "POST /runs/wait (Create Run, Wait for Output)",
    quote: "Create a run, wait for the final output and then return it.",
    note: "the same in openapi-prev; api-ref-2024 has the operation too",
  },
  { source: "sdk-py", section: "RunsClient.wait, returns", quote: "The output of the run.", note: "with thread_id None; the contract's RunOutput, application/json" },
];

const waited = scenario("a stateless run of echo created with wait", async (c) => {
  const assistantId = await assistantFor(c, "echo");
  const value = `stateless-wait-${uuid()}`;
  const res = await c.api.post("/runs/wait", { assistant_id: assistantId, input: { value }, metadata: c.tag() }, { timeoutMs: 30_000 });
  return { value, res };
});

check(
  {
    id: "SRN-010",
    level: "MUST",
    profile: "stateless",
    operations: [WAIT],
    spec: WAIT_SPEC,
    title: "POST /runs/wait answers 200 with the run's final values as JSON",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await waited(c);
    expectStatus(s.res, 200);
    expectJsonMediaType(s.res);
    expectSubset(expectJsonObject(s.res, "final output"), { value: s.value, echoed: s.value, trail: ["first", "second"] }, "final values of the stateless echo run", s.res);
  },
);

check(
  {
    id: "SRN-011",
    level: "SHOULD",
    profile: "stateless",
    operations: [WAIT],
    spec: [
      { source: "openapi", section: "POST /runs/wait, 200 headers Content-Location", quote: "The URL of the run that was created.", note: "declared, not marked required; the same in openapi-prev" },
      { source: "contract", section: "RunLocation", note: "presence is SHOULD" },
    ],
    title: "POST /runs/wait answers with a Content-Location header",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await waited(c);
    expectStatus(s.res, 200, "the wait");
    expectLocationPresent(s.res);
  },
);

check(
  {
    id: "SRN-014",
    level: "MUST",
    profile: "stateless",
    operations: [WAIT],
    spec: [
      { source: "openapi", section: "POST /runs/wait, 200 headers Content-Location", quote: "The URL of the run that was created.", note: "the same in openapi-prev" },
      {
        source: "contract",
        section: "RunLocation",
        note: "a path ending in /runs/{run_id} (a uuid), with or without /threads/{thread_id}; the run's id is known only from this header, so its form is what can be judged",
      },
    ],
    title: "The Content-Location of POST /runs/wait, when present, is a URL ending in /runs/{run_id}",
    requires: ["graph:echo"],
  },
  async (c) => {
    const s = await waited(c);
    expectStatus(s.res, 200, "the wait");
    const value = s.res.headers["content-location"];
    if (value === undefined) return c.skip("the answer has no Content-Location (its presence is SRN-011, at SHOULD)");
    const path = locationPath(value, c.run.target.url);
    ensure(path !== undefined && /\/runs\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/?$/i.test(path), `Content-Location '${value}' does not end in /runs/{run_id}`, s.res);
  },
);

check(
  {
    id: "SRN-012",
    level: "MUST",
    profile: "stateless",
    operations: [WAIT],
    spec: [
      ...WAIT_SPEC,
      { source: "api-ref", section: "RunCreateStateless.assistant_id", quote: "The assistant ID or graph name to run. If using graph name, will default to first assistant created from that graph." },
    ],
    title: "POST /runs/wait with a graph id as assistant_id runs that graph and answers its final values",
    requires: ["graph:echo"],
  },
  async (c) => {
    const value = `stateless-graph-${uuid()}`;
    const res = await c.api.post("/runs/wait", { assistant_id: GRAPH.echo, input: { value }, metadata: c.tag() }, { timeoutMs: 30_000 });
    expectStatus(res, 200);
    expectSubset(expectJsonObject(res, "final output"), { value, echoed: value, trail: ["first", "second"] }, "final values of a run of the echo graph", res);
  },
);

check(
  {
    id: "SRN-013",
    level: "SHOULD",
    profile: "stateless",
    operations: [WAIT],
    spec: [
      { source: "contract", section: "RunOutput", quote: "A run that ended in an error gives an object whose `__error__` holds the error.", note: "with error and message" },
      {
        source: "sdk-js",
        section: "Client.runs.wait",
        quote: "Create a run and wait for it to complete.",
        note: "its code reads __error__.error and __error__.message and throws; no document says so in words, hence SHOULD",
      },
    ],
    title: "POST /runs/wait of a graph that raises answers 200 with __error__ holding the error's message",
    requires: ["graph:error"],
  },
  async (c) => {
    const res = await c.api.post("/runs/wait", { assistant_id: GRAPH.error, input: { value: 1 }, metadata: c.tag() }, { timeoutMs: 30_000 });
    expectStatus(res, 200, "wait answers with the error the run ended with");
    expectReadableError(expectJsonObject(res, "output of a failed run"), res);
  },
);
