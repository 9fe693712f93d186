import { check } from "../../harness/check";
import { ensure, expectEqual, expectJsonObject, expectStatus, expectSubset } from "../../harness/expect";
import { ASSISTANT, expectNoneWith } from "../_support/lifecycle";
import { createAssistant, ECHO, uuid } from "../_support/resources";

const OPS = ["POST /assistants"];

check(
  {
    id: "AST-001",
    level: "MUST",
    profile: "assistants",
    operations: OPS,
    spec: [{ source: "api-ref", section: "Create Assistant, body assistant_id", quote: "The ID of the assistant. If not provided, a random UUID will be generated." }],
    title: "POST /assistants without assistant_id creates an assistant with a new UUID, the given graph_id and metadata",
    requires: ["graph:echo"],
  },
  async (c) => {
    const marker = { label: `create-${uuid()}` };
    const res = await c.api.post("/assistants", { graph_id: ECHO, metadata: c.tag(marker) });
    const a = expectJsonObject(res);
    if (typeof a.assistant_id === "string") c.created.assistant(a.assistant_id);
    expectStatus(res, 200);
    ensure(
      typeof a.assistant_id === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(a.assistant_id),
      `assistant_id ${JSON.stringify(a.assistant_id)} is not a UUID`,
      res,
    );
    expectEqual(a.graph_id, ECHO, "graph_id of the created assistant", res);
    expectSubset(a.metadata, c.tag(marker), "metadata of the created assistant", res);
  },
);

check(
  {
    id: "AST-002",
    level: "MUST",
    profile: "assistants",
    operations: OPS,
    spec: [{ source: "api-ref", section: "Create Assistant, body assistant_id", quote: "The ID of the assistant." }],
    title: "POST /assistants with an assistant_id creates the assistant under that id",
    requires: ["graph:echo"],
  },
  async (c) => {
    const id = uuid();
    const a = await createAssistant(c, { assistant_id: id });
    expectEqual(a.assistant_id, id, "assistant_id of the created assistant");
    const got = await c.api.get(`/assistants/${id}`);
    expectStatus(got, 200, "the assistant was just created under this id");
  },
);

check(
  {
    id: "AST-003",
    level: "MUST",
    profile: "assistants",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "Create Assistant, body if_exists", quote: "Must be either 'raise' (raise error if duplicate), or 'do_nothing' (return existing assistant)." },
      { source: "api-ref", section: "Create Assistant, responses", quote: "Conflict", note: "409" },
    ],
    title: "POST /assistants with if_exists=raise answers 409 for an existing assistant_id",
    requires: ["graph:echo"],
  },
  async (c) => {
    const id = uuid();
    await createAssistant(c, { assistant_id: id });
    const res = await c.api.post("/assistants", { assistant_id: id, graph_id: ECHO, if_exists: "raise", metadata: c.tag() });
    expectStatus(res, 409, "the assistant_id exists and if_exists=raise");
  },
);

check(
  {
    id: "AST-004",
    level: "MUST",
    profile: "assistants",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "Create Assistant, body if_exists", quote: "How to handle duplicate creation.", note: 'default "raise"' },
      { source: "sdk-py", section: "AssistantsClient.create, if_exists", quote: "How to handle duplicate creation. Defaults to 'raise' under the hood." },
    ],
    title: "POST /assistants without if_exists answers 409 for an existing assistant_id (the default is raise)",
    requires: ["graph:echo"],
  },
  async (c) => {
    const id = uuid();
    await createAssistant(c, { assistant_id: id });
    const res = await c.api.post("/assistants", { assistant_id: id, graph_id: ECHO, metadata: c.tag() });
    expectStatus(res, 409, "the assistant_id exists and if_exists defaults to raise");
  },
);

check(
  {
    id: "AST-005",
    level: "MUST",
    profile: "assistants",
    operations: OPS,
    spec: [{ source: "api-ref", section: "Create Assistant, body if_exists", quote: "'do_nothing' (return existing assistant)" }],
    title: "POST /assistants with if_exists=do_nothing returns the existing assistant unchanged",
    requires: ["graph:echo"],
  },
  async (c) => {
    const id = uuid();
    const first = await createAssistant(c, { assistant_id: id, name: "original", metadata: { version_of: "first" } });
    const res = await c.api.post("/assistants", {
      assistant_id: id,
      graph_id: ECHO,
      if_exists: "do_nothing",
      name: "replacement",
      metadata: c.tag({ version_of: "second" }),
    });
    expectStatus(res, 200, "if_exists=do_nothing returns the existing assistant");
    const again = expectJsonObject(res);
    expectEqual(again.assistant_id, id, "assistant_id returned by do_nothing", res);
    expectEqual(again.name, first.name, "name returned by do_nothing (the existing one)", res);
    expectEqual(again.metadata?.version_of, "first", "metadata returned by do_nothing (the existing one)", res);
    const got = await c.api.get(`/assistants/${id}`);
    expectStatus(got, 200);
    expectEqual(expectJsonObject(got).name, first.name, "name stored after do_nothing", got);
  },
);

check(
  {
    id: "AST-006",
    level: "MUST",
    profile: "assistants",
    operations: [...OPS, "GET /assistants/{assistant_id}"],
    spec: [
      { source: "api-ref", section: "Create Assistant, body if_exists", quote: "'raise' (raise error if duplicate)" },
      { source: "api-ref", section: "Create Assistant, responses", quote: "Conflict", note: "409: the duplicate is refused, so nothing of it is kept" },
    ],
    title: "A refused duplicate POST /assistants leaves the existing assistant unchanged",
    requires: ["graph:echo"],
  },
  async (c) => {
    const id = uuid();
    await createAssistant(c, { assistant_id: id, name: "kept", metadata: { which: "kept" } });
    const dup = await c.api.post("/assistants", { assistant_id: id, graph_id: ECHO, name: "intruder", metadata: c.tag({ which: "intruder" }) });
    expectStatus(dup, 409);
    const got = await c.api.get(`/assistants/${id}`);
    expectStatus(got, 200);
    const a = expectJsonObject(got);
    expectEqual(a.name, "kept", "name after a refused duplicate", got);
    expectEqual(a.metadata?.which, "kept", "metadata after a refused duplicate", got);
  },
);

check(
  {
    id: "AST-007",
    level: "MUST",
    profile: "assistants",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "Create Assistant, body name", quote: "The name of the assistant. Defaults to 'Untitled'." },
      { source: "sdk-py", section: "AssistantsClient.create, name", quote: "The name of the assistant. Defaults to 'Untitled' under the hood." },
    ],
    title: "POST /assistants without a name creates an assistant named 'Untitled'",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await createAssistant(c);
    expectEqual(a.name, "Untitled", "name of an assistant created without one");
  },
);

check(
  {
    id: "AST-008",
    level: "SHOULD",
    profile: "assistants",
    operations: OPS,
    spec: [
      {
        source: "api-ref",
        section: "Create Assistant",
        quote: "An initial version of the assistant will be created and the assistant is set to that version.",
        note: "the example shows version 1; the number itself is not stated, hence SHOULD",
      },
    ],
    title: "A new assistant is at version 1",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await createAssistant(c);
    expectEqual(a.version, 1, "version of a new assistant");
  },
);

check(
  {
    id: "AST-009",
    level: "MUST",
    profile: "assistants",
    operations: [...OPS, "GET /assistants/{assistant_id}"],
    spec: [
      { source: "api-ref", section: "Create Assistant, body config, context, name, description", quote: "Configuration to use for the graph." },
      { source: "api-ref", section: "Assistant", note: "the model returns config, context, name and description" },
    ],
    title: "POST /assistants stores config, context, name and description as given",
    requires: ["graph:echo"],
  },
  async (c) => {
    const body = {
      config: { configurable: { temperature_hint: 3, nested: { list: [1, "two"] } }, tags: ["conformance"] },
      context: { sleep_ms: 5 },
      name: "stored-fields",
      description: "an assistant of the conformance suite",
    };
    const created = await createAssistant(c, body);
    const got = await c.api.get(`/assistants/${created.assistant_id}`);
    expectStatus(got, 200);
    const a = expectJsonObject(got);
    expectEqual(a.config?.configurable?.temperature_hint, 3, "config.configurable.temperature_hint", got);
    expectEqual(a.config?.configurable?.nested, body.config.configurable.nested, "config.configurable.nested", got);
    expectEqual(a.config?.tags, ["conformance"], "config.tags", got);
    expectEqual(a.context, body.context, "context", got);
    expectEqual(a.name, body.name, "name", got);
    expectEqual(a.description, body.description, "description", got);
  },
);

check(
  {
    id: "AST-010",
    level: "MUST",
    profile: "assistants",
    operations: [...OPS, "GET /assistants/{assistant_id}"],
    spec: [
      { source: "api-ref", section: "Assistant.created_at", quote: "The time the assistant was created." },
      { source: "api-ref", section: "Assistant.updated_at", quote: "The last time the assistant was updated.", note: "both date-time and required" },
    ],
    title: "A new assistant's updated_at is not before its created_at, and GET returns the same timestamps",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await createAssistant(c);
    ensure(Date.parse(a.updated_at) >= Date.parse(a.created_at), `updated_at ${a.updated_at} is before created_at ${a.created_at}`);
    const got = await c.api.get(`/assistants/${a.assistant_id}`);
    expectStatus(got, 200);
    const g = expectJsonObject(got);
    expectEqual(Date.parse(g.created_at), Date.parse(a.created_at), "created_at returned by GET (as an instant)", got);
  },
);

check(
  {
    id: "AST-011",
    level: "SHOULD",
    profile: "assistants",
    operations: OPS,
    spec: [
      {
        source: "api-ref",
        section: "Create Assistant, responses",
        quote: "Not Found",
        note: "404 is declared; the only thing a create body refers to is graph_id, which the documents do not say in words, hence SHOULD",
      },
      { source: "contract", section: "components.responses.NotFound", quote: "(or a resource the body refers to)" },
    ],
    title: "POST /assistants for a graph_id the server does not have answers 404 and creates nothing",
  },
  async (c) => {
    const marker = { label: `unknown-graph-${uuid()}` };
    const res = await c.api.post("/assistants", { graph_id: `no-such-graph-${uuid()}`, metadata: c.tag(marker) });
    if (res.status === 200 && typeof res.json?.assistant_id === "string") c.created.assistant(res.json.assistant_id);
    expectStatus(res, 404, "no graph has this id");
    await expectNoneWith(c, ASSISTANT, c.tag(marker));
  },
);
