// Requests a real client could send by mistake. The contract's answer is 422
// (400 also for a body that is not JSON; 415 preferred, SHOULD, for one not sent
// as JSON) with its error body, never a 2xx or a 5xx, and nothing is created or
// changed.

import { check } from "../../harness/check";
import type { CheckContext } from "../../harness/check";
import { expectEqual, expectJsonObject, expectStatus } from "../../harness/expect";
import { ASSISTANT, expectNoneWith } from "../_support/lifecycle";
import { createAssistant, ECHO, expectRefused, uuid } from "../_support/resources";

const CREATE = ["POST /assistants"];

async function refusedCreate(c: CheckContext, body: (metadata: Record<string, unknown>) => unknown, why: string) {
  const marker = c.tag({ label: `refused-${uuid()}` });
  const res = await c.api.post("/assistants", body(marker));
  if (res.status === 200 && typeof res.json?.assistant_id === "string") c.created.assistant(res.json.assistant_id);
  expectRefused(res, [422], why);
  await expectNoneWith(c, ASSISTANT, marker);
}

const createCases: Array<[string, string, (m: Record<string, unknown>) => unknown, string]> = [
  ["AST-130", "without graph_id", (m) => ({ metadata: m }), "graph_id is required"],
  ["AST-131", "with a graph_id that is not a string", (m) => ({ graph_id: 42, metadata: m }), "graph_id is a string"],
  ["AST-132", "with an if_exists outside raise and do_nothing", (m) => ({ graph_id: ECHO, if_exists: "overwrite", metadata: m }), "if_exists is one of raise, do_nothing"],
  ["AST-133", "with an assistant_id that is not a UUID", (m) => ({ graph_id: ECHO, assistant_id: "not-a-uuid", metadata: m }), "assistant_id has format uuid"],
  ["AST-134", "with metadata that is not an object", (m) => ({ graph_id: ECHO, metadata: "label", config: { configurable: m } }), "metadata is an object"],
  ["AST-135", "with config that is not an object", (m) => ({ graph_id: ECHO, config: ["not", "an", "object"], metadata: m }), "config is an object"],
];

for (const [id, what, body, why] of createCases) {
  check(
    {
      id,
      level: "MUST",
      profile: "assistants",
      operations: CREATE,
      spec: `seed 002, Create Assistant (AssistantCreate: ${why}); 422 Validation Error`,
      title: `POST /assistants ${what} answers 422 and creates nothing`,
    },
    (c) => refusedCreate(c, body, why),
  );
}

check(
  {
    id: "AST-136",
    level: "MUST",
    profile: "assistants",
    operations: CREATE,
    spec: "seed 002, Create Assistant: body required application/json; RFC 9110 15.5.1 gives 400 to malformed syntax and 15.5.21 reserves 422 for content whose syntax is correct; the documents say nothing of unparseable bodies: 400 or 422 (the contract's MalformedBody decision)",
    title: "POST /assistants with a body that is not valid JSON answers 400 or 422",
  },
  async (c) => {
    const res = await c.api.request({ method: "POST", path: "/assistants", body: `{"graph_id": "${ECHO}", "metadata": {`, headers: { "content-type": "application/json" } });
    expectRefused(res, [400, 422], "the body is JSON");
  },
);

check(
  {
    id: "AST-137",
    level: "SHOULD",
    profile: "assistants",
    operations: CREATE,
    spec: "seed 002, Create Assistant: request body application/json only, and no document says that a body in another media type is refused; RFC 9110 15.5.16 names 415 for such a refusal (contract UnsupportedMediaType: 415 or 422). SHOULD, as no document requires it; a server that reads text/plain as JSON also takes cross-origin requests that browsers send without a CORS preflight",
    title: "POST /assistants with a JSON text sent as text/plain answers 415 or 422 and creates nothing",
  },
  async (c) => {
    const marker = c.tag({ label: `text-plain-${uuid()}` });
    const res = await c.api.request({ method: "POST", path: "/assistants", body: JSON.stringify({ graph_id: ECHO, metadata: marker }), headers: { "content-type": "text/plain" } });
    if (res.status === 200 && typeof res.json?.assistant_id === "string") c.created.assistant(res.json.assistant_id);
    expectRefused(res, [415, 422], "the body is application/json");
    await expectNoneWith(c, ASSISTANT, marker);
  },
);

const searchCases: Array<[string, string, Record<string, unknown>, string]> = [
  ["AST-138", "limit=0", { limit: 0 }, "limit minimum 1"],
  ["AST-139", "limit=1001", { limit: 1001 }, "limit maximum 1000"],
  ["AST-140", "offset=-1", { offset: -1 }, "offset minimum 0"],
  ["AST-141", "sort_by=color", { sort_by: "color" }, "sort_by is one of assistant_id, created_at, updated_at, name, graph_id"],
  ["AST-142", "sort_order=up", { sort_order: "up" }, "sort_order is asc or desc"],
  ["AST-143", "select=[\"secret\"]", { select: ["secret"] }, "select items are field names of Assistant"],
  ["AST-144", "limit=\"ten\"", { limit: "ten" }, "limit is an integer"],
];

for (const [id, what, body, why] of searchCases) {
  check(
    {
      id,
      level: "MUST",
      profile: "assistants",
      operations: ["POST /assistants/search"],
      spec: `seed 002, Search Assistants (${why}); 422 Validation Error`,
      title: `POST /assistants/search with ${what} answers 422`,
    },
    async (c) => {
      // A request with `select` chooses the shape of the items: an accepted one is judged as such, not as a full Assistant.
      const res = await c.api.post("/assistants/search", body, "select" in body ? { expectSchema: "/components/schemas/AssistantSelectedList" } : {});
      expectRefused(res, [422], why);
    },
  );
}

check(
  {
    id: "AST-145",
    level: "MUST",
    profile: "assistants",
    operations: ["POST /assistants/count"],
    spec: "seed 002, Count Assistants (metadata is an object); 422 Validation Error",
    title: "POST /assistants/count with metadata that is not an object answers 422",
  },
  async (c) => {
    const res = await c.api.post("/assistants/count", { metadata: ["a", "list"] });
    expectRefused(res, [422], "metadata is an object");
  },
);

check(
  {
    id: "AST-146",
    level: "MUST",
    profile: "assistants",
    operations: ["PATCH /assistants/{assistant_id}", "GET /assistants/{assistant_id}"],
    spec: "seed 002, Patch Assistant (AssistantPatch: metadata is an object, name is a string); 422 Validation Error",
    title: "PATCH /assistants/{assistant_id} with fields of the wrong type answers 422 and changes nothing",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await createAssistant(c, { name: "unchanged", metadata: { state: "original" } });
    const res = await c.api.patch(`/assistants/${a.assistant_id}`, { name: 7, metadata: "replaced" });
    expectRefused(res, [422], "name is a string and metadata an object");
    const got = await c.api.get(`/assistants/${a.assistant_id}`);
    expectStatus(got, 200);
    const g = expectJsonObject(got);
    expectEqual(g.name, "unchanged", "name after a refused PATCH", got);
    expectEqual(g.metadata?.state, "original", "metadata after a refused PATCH", got);
    expectEqual(g.version, a.version, "version after a refused PATCH", got);
  },
);
