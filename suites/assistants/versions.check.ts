import { check } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus } from "../../harness/expect";
import type { CheckContext } from "../../harness/check";
import { createAssistant, expectRefused, uuid } from "../_support/resources";

/** An assistant with three versions, named v1, v2, v3. */
async function threeVersions(c: CheckContext) {
  const a = await createAssistant(c, { name: "v1", metadata: { stage: "one" } });
  for (const name of ["v2", "v3"]) expectStatus(await c.api.patch(`/assistants/${a.assistant_id}`, { name }), 200, "a PATCH that makes a new version");
  return a;
}

const VERSIONS = ["POST /assistants/{assistant_id}/versions"];
const LATEST = ["POST /assistants/{assistant_id}/latest"];

check(
  {
    id: "AST-080",
    level: "MUST",
    profile: "assistants",
    operations: VERSIONS,
    spec: [{ source: "api-ref", section: "Get Assistant Versions", quote: "Get all versions of an assistant." }],
    title: "POST /assistants/{assistant_id}/versions lists every version of the assistant, each with its number",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await threeVersions(c);
    const res = await c.api.post(`/assistants/${a.assistant_id}/versions`, {});
    expectStatus(res, 200);
    const list = expectJsonArray(res);
    ensure(
      list.every((v) => v.assistant_id === a.assistant_id),
      "a listed version belongs to another assistant",
      res,
    );
    expectEqual(list.map((v) => v.version).sort(), [1, 2, 3], "version numbers listed", res);
    expectEqual(list.map((v) => v.name).sort(), ["v1", "v2", "v3"], "names of the listed versions", res);
  },
);

check(
  {
    id: "AST-081",
    level: "MUST",
    profile: "assistants",
    operations: VERSIONS,
    spec: [
      { source: "api-ref", section: "SearchRequest.limit", quote: "The maximum number of versions to return." },
      { source: "api-ref", section: "SearchRequest.offset", quote: "The number of versions to skip." },
    ],
    title: "POST /assistants/{assistant_id}/versions honours limit and offset",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await threeVersions(c);
    const page1 = await c.api.post(`/assistants/${a.assistant_id}/versions`, { limit: 2, offset: 0 });
    expectStatus(page1, 200);
    ensure(expectJsonArray(page1).length === 2, `limit=2 returned ${page1.json.length} of 3 versions`, page1);
    const page2 = await c.api.post(`/assistants/${a.assistant_id}/versions`, { limit: 2, offset: 2 });
    expectStatus(page2, 200);
    ensure(expectJsonArray(page2).length === 1, `offset=2 returned ${page2.json.length} versions, expected the 1 left`, page2);
    const seen = [...page1.json, ...page2.json].map((v: any) => v.version).sort();
    expectEqual(seen, [1, 2, 3], "versions seen across the two pages", page2);
  },
);

check(
  {
    id: "AST-082",
    level: "SHOULD",
    profile: "assistants",
    operations: VERSIONS,
    spec: [
      { source: "api-ref", section: "Get Assistant Versions, responses", note: "declares only 200 and 422, as do both public documents" },
      {
        source: "contract",
        section: "POST /assistants/{assistant_id}/versions, 404",
        note: "the contract's choice: every other id-scoped assistants operation answers 404 for an unknown id; not in the documents' words, hence SHOULD",
      },
    ],
    title: "POST /assistants/{assistant_id}/versions answers 404 for an assistant that does not exist",
  },
  async (c) => {
    const res = await c.api.post(`/assistants/${uuid()}/versions`, {});
    expectStatus(res, 404);
  },
);

check(
  {
    id: "AST-090",
    level: "MUST",
    profile: "assistants",
    operations: [...LATEST, "GET /assistants/{assistant_id}"],
    spec: [{ source: "api-ref", section: "Set Latest Assistant Version", quote: "Set the latest version for an assistant." }],
    title: "POST /assistants/{assistant_id}/latest makes an earlier version current: GET returns its fields",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await threeVersions(c);
    // The version is named both ways (query as documented, body as the SDKs send it); AST-091/092 judge each.
    const res = await c.api.request({ method: "POST", path: `/assistants/${a.assistant_id}/latest`, query: { version: 1 }, json: { version: 1 } });
    expectStatus(res, 200);
    const r = expectJsonObject(res);
    expectEqual(r.version, 1, "version in the answer", res);
    expectEqual(r.name, "v1", "name in the answer (version 1's)", res);
    const got = await c.api.get(`/assistants/${a.assistant_id}`);
    expectStatus(got, 200);
    const g = expectJsonObject(got);
    expectEqual(g.version, 1, "version returned by GET after set-latest", got);
    expectEqual(g.name, "v1", "name returned by GET after set-latest", got);
  },
);

check(
  {
    id: "AST-091",
    level: "SHOULD",
    profile: "assistants",
    operations: LATEST,
    spec: [
      { source: "api-ref", section: "Set Latest Assistant Version, query version", quote: "The version to change to.", note: "a required query parameter" },
      {
        source: "openapi",
        section: "POST /assistants/{assistant_id}/latest, query version",
        quote: "The version of the assistant to change to.",
        note: "required, in: query; the same in openapi-prev",
      },
      {
        source: "sdk-py",
        section: "AssistantsClient.set_latest, version",
        quote: "The version to change to.",
        note: 'the official SDKs send it as the body {"version": N}, and langgraph-api (1.5.1 and 2.0.0) reads it only there: the documents and every official implementation disagree, so the documented form alone is SHOULD and AST-095 holds the server to a request that carries both',
      },
    ],
    title: "POST /assistants/{assistant_id}/latest?version=N (query parameter, as documented, without a body) sets the version",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await threeVersions(c);
    const res = await c.api.request({ method: "POST", path: `/assistants/${a.assistant_id}/latest`, query: { version: 2 } });
    expectStatus(res, 200);
    expectEqual(expectJsonObject(res).version, 2, "version after set-latest with ?version=2", res);
  },
);

check(
  {
    id: "AST-092",
    level: "SHOULD",
    profile: "assistants",
    operations: LATEST,
    spec: [
      { source: "api-ref", section: "Set Latest Assistant Version, query version", quote: "The version to change to.", note: "the documents give the version as a query parameter" },
      {
        source: "api-ref",
        section: "AssistantVersionChange",
        quote: "Payload for changing the version of an assistant.",
        note: 'a body model with version that no operation of the document uses; the official SDKs (Python set_latest, JS setLatest) send {"version": N} as the body. The documents do not require the body form: SHOULD',
      },
    ],
    title: 'POST /assistants/{assistant_id}/latest with the body {"version": N} (as the official SDKs send it) sets the version',
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await threeVersions(c);
    const res = await c.api.post(`/assistants/${a.assistant_id}/latest`, { version: 2 });
    expectStatus(res, 200);
    expectEqual(expectJsonObject(res).version, 2, "version after set-latest with body {version: 2}", res);
  },
);

check(
  {
    id: "AST-095",
    level: "MUST",
    profile: "assistants",
    operations: LATEST,
    spec: [
      { source: "api-ref", section: "Set Latest Assistant Version", quote: "Set the latest version for an assistant." },
      { source: "api-ref", section: "Set Latest Assistant Version, query version", quote: "The version to change to.", note: "required, in: query" },
      {
        source: "sdk-py",
        section: "AssistantsClient.set_latest, version",
        quote: "The version to change to.",
        note: 'sent as the body {"version": N}: a request with the version in both places is one every reading of the documents and the SDKs accepts',
      },
    ],
    title: "POST /assistants/{assistant_id}/latest with the version in the query and in the body sets the version and answers the assistant at it",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await threeVersions(c);
    const res = await c.api.request({ method: "POST", path: `/assistants/${a.assistant_id}/latest`, query: { version: 2 }, json: { version: 2 } });
    expectStatus(res, 200);
    expectEqual(expectJsonObject(res).version, 2, "version after set-latest with ?version=2 and body {version: 2}", res);
    const read = await c.api.get(`/assistants/${a.assistant_id}`);
    expectStatus(read, 200, "reading the assistant after set-latest");
    expectEqual(expectJsonObject(read).version, 2, "the assistant's version read after set-latest", read);
  },
);

check(
  {
    id: "AST-093",
    level: "MUST",
    profile: "assistants",
    operations: LATEST,
    spec: [{ source: "api-ref", section: "Set Latest Assistant Version, responses", quote: "Not Found", note: "404" }],
    title: "POST /assistants/{assistant_id}/latest answers 404 for an unknown assistant or a version it does not have",
    requires: ["graph:echo"],
  },
  async (c) => {
    const unknown = await c.api.request({ method: "POST", path: `/assistants/${uuid()}/latest`, query: { version: 1 }, json: { version: 1 } });
    expectStatus(unknown, 404, "no assistant has this id");
    const a = await createAssistant(c);
    const noVersion = await c.api.request({ method: "POST", path: `/assistants/${a.assistant_id}/latest`, query: { version: 99 }, json: { version: 99 } });
    expectStatus(noVersion, 404, "the assistant has no version 99");
  },
);

check(
  {
    id: "AST-094",
    level: "MUST",
    profile: "assistants",
    operations: LATEST,
    spec: [
      { source: "api-ref", section: "Set Latest Assistant Version, query version", quote: "The version to change to.", note: "required, an integer" },
      { source: "api-ref", section: "Set Latest Assistant Version, responses", quote: "Validation Error", note: "422" },
    ],
    title: "POST /assistants/{assistant_id}/latest without a version, or with one that is not an integer, answers 422",
    requires: ["graph:echo"],
  },
  async (c) => {
    const a = await createAssistant(c);
    const none = await c.api.post(`/assistants/${a.assistant_id}/latest`, {});
    expectRefused(none, [422], "version is required");
    const text = await c.api.request({ method: "POST", path: `/assistants/${a.assistant_id}/latest`, query: { version: "first" }, json: { version: "first" } });
    expectRefused(text, [422], "version is an integer");
  },
);
