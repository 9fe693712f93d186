// Requests a real client could send by mistake. The contract's answer is 422
// (400 also for a body that is not JSON; 415 preferred, SHOULD, for one not sent
// as JSON) with its error body, never a 2xx or a 5xx, and nothing is created or
// changed.

import { check } from "../../harness/check";
import type { CheckContext } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { expectEqual, expectJsonObject, expectStatus } from "../../harness/expect";
import { MALFORMED_BODY, UNSUPPORTED_MEDIA_TYPE } from "../_support/citations";
import { ASSISTANT, expectNoneWith } from "../_support/lifecycle";
import { createAssistant, ECHO, expectRefused, uuid } from "../_support/resources";

const CREATE = ["POST /assistants"];

/** The status the documents give an invalid request of `operation` (a section of api-ref). */
const validationError = (operation: string): Citation => ({ source: "api-ref", section: `${operation}, responses`, quote: "Validation Error", note: "422" });

async function refusedCreate(c: CheckContext, body: (metadata: Record<string, unknown>) => unknown, why: string) {
  const marker = c.tag({ label: `refused-${uuid()}` });
  const res = await c.api.post("/assistants", body(marker));
  if (res.status === 200 && typeof res.json?.assistant_id === "string") c.created.assistant(res.json.assistant_id);
  expectRefused(res, [422], why);
  await expectNoneWith(c, ASSISTANT, marker);
}

// id, what the request breaks, the body, the rule, and where the documents state the rule.
const createCases: Array<[string, string, (m: Record<string, unknown>) => unknown, string, Citation]> = [
  ["AST-130", "without graph_id", (m) => ({ metadata: m }), "graph_id is required", { source: "api-ref", section: "AssistantCreate.graph_id", note: "required" }],
  [
    "AST-131",
    "with a graph_id that is not a string",
    (m) => ({ graph_id: 42, metadata: m }),
    "graph_id is a string",
    { source: "api-ref", section: "AssistantCreate.graph_id", note: "Type: Graph Id, a string" },
  ],
  [
    "AST-132",
    "with an if_exists outside raise and do_nothing",
    (m) => ({ graph_id: ECHO, if_exists: "overwrite", metadata: m }),
    "if_exists is one of raise, do_nothing",
    { source: "api-ref", section: "AssistantCreate.if_exists", quote: "Must be either 'raise' (raise error if duplicate), or 'do_nothing' (return existing assistant)." },
  ],
  [
    "AST-133",
    "with an assistant_id that is not a UUID",
    (m) => ({ graph_id: ECHO, assistant_id: "not-a-uuid", metadata: m }),
    "assistant_id has format uuid",
    { source: "api-ref", section: "AssistantCreate.assistant_id", note: "Format:uuid" },
  ],
  [
    "AST-134",
    "with metadata that is not an object",
    (m) => ({ graph_id: ECHO, metadata: "label", config: { configurable: m } }),
    "metadata is an object",
    { source: "api-ref", section: "AssistantCreate.metadata", quote: "Metadata to add to assistant.", note: "an object" },
  ],
  [
    "AST-135",
    "with config that is not an object",
    (m) => ({ graph_id: ECHO, config: ["not", "an", "object"], metadata: m }),
    "config is an object",
    { source: "api-ref", section: "AssistantCreate.config", note: "Type: Config, an object" },
  ],
];

for (const [id, what, body, why, rule] of createCases) {
  check(
    {
      id,
      level: "MUST",
      profile: "assistants",
      operations: CREATE,
      spec: [rule, validationError("Create Assistant")],
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
    spec: [{ source: "api-ref", section: "Create Assistant, body", note: "required, application/json" }, ...MALFORMED_BODY],
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
    spec: [{ source: "api-ref", section: "Create Assistant, body", note: "application/json only" }, ...UNSUPPORTED_MEDIA_TYPE],
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

const searchCases: Array<[string, string, Record<string, unknown>, string, Citation]> = [
  ["AST-138", "limit=0", { limit: 0 }, "limit minimum 1", { source: "api-ref", section: "Search Assistants, body limit", note: "min 1" }],
  ["AST-139", "limit=1001", { limit: 1001 }, "limit maximum 1000", { source: "api-ref", section: "Search Assistants, body limit", note: "max 1000" }],
  ["AST-140", "offset=-1", { offset: -1 }, "offset minimum 0", { source: "api-ref", section: "Search Assistants, body offset", note: "min 0" }],
  [
    "AST-141",
    "sort_by=color",
    { sort_by: "color" },
    "sort_by is one of assistant_id, created_at, updated_at, name, graph_id",
    { source: "api-ref", section: "Search Assistants, body sort_by", note: "an enum: assistant_id, created_at, updated_at, name, graph_id" },
  ],
  ["AST-142", "sort_order=up", { sort_order: "up" }, "sort_order is asc or desc", { source: "api-ref", section: "Search Assistants, body sort_order", note: "an enum: asc, desc" }],
  [
    "AST-143",
    'select=["secret"]',
    { select: ["secret"] },
    "select items are field names of Assistant",
    { source: "api-ref", section: "Search Assistants, body select", note: "an array of an enum of the fields of Assistant" },
  ],
  ["AST-144", 'limit="ten"', { limit: "ten" }, "limit is an integer", { source: "api-ref", section: "Search Assistants, body limit", note: "an integer" }],
];

for (const [id, what, body, why, rule] of searchCases) {
  check(
    {
      id,
      level: "MUST",
      profile: "assistants",
      operations: ["POST /assistants/search"],
      spec: [rule, validationError("Search Assistants")],
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
    spec: [
      { source: "api-ref", section: "AssistantCountRequest.metadata", quote: "Metadata to filter by. Exact match filter for each KV pair.", note: "an object" },
      validationError("Count Assistants"),
    ],
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
    spec: [{ source: "api-ref", section: "AssistantPatch.metadata, AssistantPatch.name", note: "metadata an object, name a string" }, validationError("Patch Assistant")],
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
