import { check } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus } from "../../harness/expect";
import { ASSISTANT, expectDeletedNotSearched, expectDeleteThenNotFound, expectMetadataMerged, expectUpdatedAtMoves } from "../_support/lifecycle";
import { createAssistant, ECHO, expectRefused, uuid } from "../_support/resources";

check(
  {
    id: "AST-020",
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}"],
    spec: [{ source: "api-ref", section: "Get Assistant", quote: "Get an assistant by ID.", note: "200 Assistant" }],
    title: "GET /assistants/{assistant_id} returns the assistant that was created",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await createAssistant(c, { name: "fetched", metadata: { probe: "get" } });
    const res = await c.api.get(`/assistants/${a.assistant_id}`);
    expectStatus(res, 200);
    const got = expectJsonObject(res);
    expectEqual(got.assistant_id, a.assistant_id, "assistant_id", res);
    expectEqual(got.graph_id, ECHO, "graph_id", res);
    expectEqual(got.name, "fetched", "name", res);
    expectEqual(got.metadata?.probe, "get", "metadata.probe", res);
  },
);

check(
  {
    id: "AST-021",
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}"],
    spec: [{ source: "api-ref", section: "Get Assistant, responses", quote: "Not Found", note: "404" }],
    title: "GET /assistants/{assistant_id} answers 404 for an assistant that does not exist",
  },
  async (c) => {
    const res = await c.api.get(`/assistants/${uuid()}`);
    expectStatus(res, 404);
  },
);

check(
  {
    id: "AST-022",
    level: "MUST",
    profile: "assistants",
    operations: ["GET /assistants/{assistant_id}"],
    spec: [
      { source: "api-ref", section: "Get Assistant, path assistant_id", quote: "The ID of the assistant.", note: "Format:uuid; responses 404 Not Found" },
      { source: "contract", section: "GET /assistants/{assistant_id}", note: "the documents do not say whether a malformed id gets 404 or 422: either is taken" },
    ],
    title: "GET /assistants/{assistant_id} with an id that is not a UUID answers 404 or 422",
  },
  async (c) => {
    const res = await c.api.get("/assistants/not-a-uuid");
    expectRefused(res, [404, 422], "assistant_id is a UUID");
  },
);

check(
  {
    id: "AST-030",
    level: "MUST",
    profile: "assistants",
    operations: ["PATCH /assistants/{assistant_id}"],
    spec: [{ source: "api-ref", section: "Patch Assistant, body metadata", quote: "Metadata to merge with existing assistant metadata." }],
    title: "PATCH /assistants/{assistant_id} merges metadata into the existing metadata",
    requires: ["graph:echo"],
  },
  (c) => expectMetadataMerged(c, ASSISTANT),
);

check(
  {
    id: "AST-031",
    level: "MUST",
    profile: "assistants",
    operations: ["PATCH /assistants/{assistant_id}"],
    spec: [
      { source: "api-ref", section: "Patch Assistant, body name", quote: "The new name for the assistant. If not provided, assistant will keep its current name." },
      { source: "api-ref", section: "Patch Assistant, body graph_id", quote: "If not provided, assistant will keep pointing to same graph." },
    ],
    title: "PATCH /assistants/{assistant_id} changes the fields given and keeps the others",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await createAssistant(c, { name: "before", config: { configurable: { k: 1 } } });
    const res = await c.api.patch(`/assistants/${a.assistant_id}`, { name: "after", description: "patched" });
    expectStatus(res, 200);
    const p = expectJsonObject(res);
    expectEqual(p.name, "after", "name in the PATCH answer", res);
    const got = await c.api.get(`/assistants/${a.assistant_id}`);
    expectStatus(got, 200);
    const g = expectJsonObject(got);
    expectEqual(g.name, "after", "name after PATCH", got);
    expectEqual(g.description, "patched", "description after PATCH", got);
    expectEqual(g.graph_id, ECHO, "graph_id after a PATCH that did not give one", got);
  },
);

check(
  {
    id: "AST-032",
    level: "MUST",
    profile: "assistants",
    operations: ["PATCH /assistants/{assistant_id}", "POST /assistants/{assistant_id}/versions"],
    spec: [
      {
        source: "guide-assistants",
        section: "Create a new version for your assistant",
        quote: "To edit the assistant, use the update method. This will create a new version of the assistant with the provided edits.",
      },
      { source: "api-ref", section: "Get Assistant Versions", quote: "Get all versions of an assistant." },
      { source: "sdk-py", section: "AssistantsClient", quote: "which are versioned configurations of your graph." },
    ],
    title: "PATCH /assistants/{assistant_id} creates a new version that becomes the latest",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await createAssistant(c, { name: "v1" });
    const res = await c.api.patch(`/assistants/${a.assistant_id}`, { name: "v2" });
    expectStatus(res, 200);
    const p = expectJsonObject(res);
    ensure(
      typeof p.version === "number" && typeof a.version === "number" && p.version > a.version,
      `version after PATCH is ${JSON.stringify(p.version)}, expected more than ${JSON.stringify(a.version)}`,
      res,
    );
    const versions = await c.api.post(`/assistants/${a.assistant_id}/versions`, {});
    expectStatus(versions, 200);
    const list = expectJsonArray(versions);
    ensure(list.length === 2, `POST /assistants/{assistant_id}/versions lists ${list.length} version(s) after one PATCH, expected 2`, versions);
  },
);

check(
  {
    id: "AST-033",
    level: "MUST",
    profile: "assistants",
    operations: ["PATCH /assistants/{assistant_id}"],
    spec: [{ source: "api-ref", section: "Patch Assistant, responses", quote: "Not Found", note: "404" }],
    title: "PATCH /assistants/{assistant_id} answers 404 for an assistant that does not exist",
  },
  async (c) => {
    const res = await c.api.patch(`/assistants/${uuid()}`, { name: "nobody" });
    expectStatus(res, 404);
  },
);

check(
  {
    id: "AST-034",
    level: "SHOULD",
    profile: "assistants",
    operations: ["PATCH /assistants/{assistant_id}"],
    spec: [{ source: "api-ref", section: "Assistant.updated_at", quote: "The last time the assistant was updated." }],
    title: "PATCH /assistants/{assistant_id} moves updated_at forward and keeps created_at",
    requires: ["graph:echo"],
  },
  (c) => expectUpdatedAtMoves(c, ASSISTANT, { name: "touched" }),
);

check(
  {
    id: "AST-040",
    level: "MUST",
    profile: "assistants",
    operations: ["DELETE /assistants/{assistant_id}", "GET /assistants/{assistant_id}"],
    spec: [
      { source: "api-ref", section: "Delete Assistant", quote: "Delete an assistant by ID.", note: "200" },
      { source: "api-ref", section: "Get Assistant, responses", quote: "Not Found" },
    ],
    title: "DELETE /assistants/{assistant_id} answers 200, and GET then answers 404",
    requires: ["graph:echo"],
  },
  (c) => expectDeleteThenNotFound(c, ASSISTANT),
);

check(
  {
    id: "AST-041",
    level: "MUST",
    profile: "assistants",
    operations: ["DELETE /assistants/{assistant_id}", "POST /assistants/search"],
    spec: [
      { source: "api-ref", section: "Delete Assistant", quote: "Delete an assistant by ID." },
      { source: "api-ref", section: "Search Assistants", quote: "This endpoint also functions as the endpoint to list all assistants." },
    ],
    title: "A deleted assistant is no longer found by POST /assistants/search",
    requires: ["graph:echo"],
  },
  (c) => expectDeletedNotSearched(c, ASSISTANT, { label: `deleted-${uuid()}` }),
);

check(
  {
    id: "AST-042",
    level: "MUST",
    profile: "assistants",
    operations: ["DELETE /assistants/{assistant_id}"],
    spec: [{ source: "api-ref", section: "Delete Assistant, responses", quote: "Not Found", note: "404" }],
    title: "DELETE /assistants/{assistant_id} answers 404 for an assistant that does not exist, or was deleted already",
    requires: ["graph:echo"],
  },
  async (c) => {
    const unknown = await c.api.delete(`/assistants/${uuid()}`);
    expectStatus(unknown, 404, "no assistant has this id");
    const a = await createAssistant(c);
    expectStatus(await c.api.delete(`/assistants/${a.assistant_id}`), 200);
    const again = await c.api.delete(`/assistants/${a.assistant_id}`);
    expectStatus(again, 404, "the assistant was deleted already");
  },
);

check(
  {
    id: "AST-043",
    level: "MUST",
    profile: "assistants",
    operations: ["DELETE /assistants/{assistant_id}", "POST /assistants/{assistant_id}/versions"],
    spec: [
      { source: "api-ref", section: "Delete Assistant", quote: "All versions of the assistant will be deleted as well." },
      { source: "guide-assistants", section: "Deleting Assistants", quote: "Deleting as assistant will delete ALL of its versions." },
    ],
    title: "Deleting an assistant deletes all its versions",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await createAssistant(c, { name: "v1" });
    expectStatus(await c.api.patch(`/assistants/${a.assistant_id}`, { name: "v2" }), 200);
    expectStatus(await c.api.delete(`/assistants/${a.assistant_id}`), 200);
    const versions = await c.api.post(`/assistants/${a.assistant_id}/versions`, {});
    // Gone: either the assistant is unknown (404) or it has no versions left.
    if (versions.status === 200) {
      const list = expectJsonArray(versions);
      ensure(list.length === 0, `versions of a deleted assistant are still listed (${list.length})`, versions);
    } else {
      expectStatus(versions, 404, "the assistant and its versions were deleted");
    }
  },
);
