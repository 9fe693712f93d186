import { check } from "../../harness/check";
import { ensure, expectJsonObject, expectRequired, expectStatus } from "../../harness/expect";

check(
  {
    id: "SYS-001",
    level: "MUST",
    profile: "system",
    operations: ["GET /ok"],
    spec: [
      { source: "api-ref", section: "Health Check", quote: "Check the health status of the server.", note: 'its 200 example is {"ok": true}' },
      { source: "openapi", section: "GET /ok, 200 HealthResponse.ok", quote: "Indicates the server is healthy", note: "a required boolean, const true" },
    ],
    title: 'GET /ok answers 200 with {"ok": true}',
  },
  async ({ api }) => {
    const res = await api.get("/ok");
    expectStatus(res, 200);
    ensure(expectJsonObject(res).ok === true, `GET /ok body has ok=${JSON.stringify(res.json?.ok)}, expected true`, res);
  },
);

check(
  {
    id: "SYS-002",
    level: "MUST",
    profile: "system",
    operations: ["GET /ok"],
    spec: [
      { source: "api-ref", section: "Health Check, query check_db", quote: "Whether to check database connectivity (0=false, 1=true)", note: "responses 200 Success and 500 Internal Server Error" },
      { source: "openapi", section: "GET /ok, responses", quote: "Internal Server Error", note: "200 HealthResponse or 500 ErrorResponse; no other status is declared" },
    ],
    title: 'GET /ok?check_db=1 answers 200 {"ok": true} or 500 with an error body, never anything else',
  },
  async ({ api }) => {
    const res = await api.get("/ok", { query: { check_db: 1 } });
    expectStatus(res, [200, 500]);
    if (res.status === 200) ensure(expectJsonObject(res).ok === true, "GET /ok?check_db=1 answered 200 without ok=true", res);
  },
);

check(
  {
    id: "SYS-003",
    level: "MUST",
    profile: "system",
    operations: ["GET /info"],
    spec: [
      {
        source: "openapi",
        section: "GET /info, 200 ServerInfo",
        quote: "Get server version information, feature flags, and metadata.",
        note: "ServerInfo requires version, langgraph_py_version, flags and metadata; the same in openapi-prev",
      },
      { source: "api-ref", section: "Server Information", note: "its 200 example shows the four fields" },
    ],
    title: "GET /info answers 200 with the server's version, flags and metadata",
  },
  async ({ api }) => {
    const res = await api.get("/info");
    expectStatus(res, 200);
    const info = expectJsonObject(res);
    // The three the title names; the rest of ServerInfo (langgraph_py_version) is judged on the wire.
    expectRequired(res, info, "ServerInfo", ["version", "flags", "metadata"]);
    ensure(typeof info.version === "string", `GET /info version is ${JSON.stringify(info.version)}, not a string`, res);
    ensure(info.flags !== null && typeof info.flags === "object" && !Array.isArray(info.flags), `GET /info flags is ${JSON.stringify(info.flags)}, not an object`, res);
    ensure(info.metadata !== null && typeof info.metadata === "object" && !Array.isArray(info.metadata), `GET /info metadata is ${JSON.stringify(info.metadata)}, not an object`, res);
  },
);

check(
  {
    id: "SYS-004",
    level: "SHOULD",
    profile: "system",
    operations: ["GET /info"],
    spec: [
      { source: "api-ref", section: "Server Information", quote: "Get server version information, feature flags, and metadata." },
      {
        source: "openapi",
        section: "ServerInfo.flags",
        quote: "Enabled features and capabilities",
        note: "typed only as an object: that each flag is a boolean is the contract's reading, hence SHOULD",
      },
      { source: "contract", section: "ServerInfo.flags", quote: "A `crons` flag set to false means crons are not offered." },
    ],
    title: "GET /info flags are booleans, so that a client can tell which features are offered",
  },
  async ({ api }) => {
    const res = await api.get("/info");
    expectStatus(res, 200);
    const flags = expectJsonObject(res).flags;
    ensure(flags && typeof flags === "object" && !Array.isArray(flags), "GET /info has no flags object", res);
    const bad = Object.entries(flags as Record<string, unknown>).filter(([, v]) => typeof v !== "boolean");
    ensure(bad.length === 0, `GET /info flags that are not booleans: ${bad.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}`, res);
  },
);

check(
  {
    id: "SYS-005",
    level: "MUST",
    profile: "system",
    operations: ["GET /ok"],
    spec: [
      { source: "api-ref", section: "Health Check, query check_db", quote: "Whether to check database connectivity (0=false, 1=true)", note: 'default 0; the 200 example is {"ok": true}' },
      { source: "openapi", section: "GET /ok, 200 HealthResponse.ok", quote: "Indicates the server is healthy" },
    ],
    title: 'GET /ok?check_db=0 (no database check) answers 200 with {"ok": true}',
  },
  async ({ api }) => {
    const res = await api.get("/ok", { query: { check_db: 0 } });
    expectStatus(res, 200);
    ensure(expectJsonObject(res).ok === true, `GET /ok?check_db=0 body has ok=${JSON.stringify(res.json?.ok)}, expected true`, res);
  },
);
