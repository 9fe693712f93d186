// The MCP endpoint (Streamable HTTP transport, stateless): the initialize
// handshake on POST, notifications acknowledged with 202, and the documented
// answers to GET and DELETE. A server may answer a request with JSON or with an
// event stream carrying the response (the contract declares both).

import { check, type CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectStatus, fail } from "../../harness/expect";
import type { StreamResponse } from "../../harness/http";

const POST = "POST /mcp/";
const BOTH = "application/json, text/event-stream";
/** The MCP protocol revision the suite speaks; a server answers with the one it chose. */
const PROTOCOL = "2025-03-26";

const initialize = (id: number | string) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: "langgraph-conformance", version: "0.1.0" } },
});

/** A server that answers 404 here most likely does not offer MCP at all: say so. */
function hintIfAbsent(res: StreamResponse): void {
  if (res.status === 404) {
    fail(
      `${res.record.request.method} /mcp/ answered 404: the target does not offer the MCP endpoint. MCP is part of the API (the API reference lists it) and nothing in GET /info can declare its absence; a server that does not offer it is run with --disclaim mcp`,
      res,
    );
  }
}

/** Sends one JSON-RPC message; answers the status and the JSON-RPC message that came back (from JSON or from the stream). */
async function send(c: CheckContext, message: unknown, headers: Record<string, string> = { accept: BOTH }) {
  // A stream ends with the response: reading stops at the first message that carries an id.
  const isResponse = (data: string) => {
    try {
      const m = JSON.parse(data);
      return m !== null && typeof m === "object" && "id" in m && !("method" in m);
    } catch {
      return false;
    }
  };
  const res = await c.api.stream(
    { method: "POST", path: "/mcp/", json: message, headers },
    { limits: { maxEvents: 50, timeoutMs: 15_000, idleMs: 10_000 }, onEvent: (e) => (isResponse(e.data) ? "stop" : undefined) },
  );
  let reply: any = res.json;
  if (res.sse) {
    // The response is the stream's last message with an id (earlier ones may be notifications).
    for (const e of res.sse.events) {
      try {
        const data = JSON.parse(e.data);
        if (data && typeof data === "object" && "id" in data) reply = data;
      } catch {
        /* not JSON: judged below as a missing response */
      }
    }
  }
  return { res, reply };
}

check(
  {
    id: "MCP-001",
    level: "MUST",
    profile: "mcp",
    operations: [POST],
    spec: [
      {
        source: "openapi",
        section: "POST /mcp/ (MCP Post)",
        quote: "Implemented according to the Streamable HTTP Transport specification.",
        note: "an initialize request as its example; the same in openapi-prev",
      },
      { source: "openapi", section: "POST /mcp/, responses", quote: "Successful JSON-RPC response." },
      { source: "mcp", section: "Basic, Lifecycle, Initialization", note: "the InitializeResult: protocolVersion, capabilities, serverInfo" },
    ],
    title: "POST /mcp/ answers an initialize request with a JSON-RPC result: protocol version, capabilities and server info",
  },
  async (c) => {
    const { res, reply } = await send(c, initialize(1));
    hintIfAbsent(res);
    expectStatus(res, 200);
    ensure(reply && typeof reply === "object", `POST /mcp/ answered no JSON-RPC message: ${res.text.slice(0, 200)}`, res);
    expectEqual(reply.jsonrpc, "2.0", "jsonrpc of the response", res);
    expectEqual(reply.id, 1, "id of the response (the request's)", res);
    ensure(reply.error === undefined, `initialize answered a JSON-RPC error: ${JSON.stringify(reply.error)}`, res);
    const r = reply.result;
    ensure(r && typeof r === "object", `the initialize response has no result object: ${JSON.stringify(reply)}`, res);
    ensure(typeof r.protocolVersion === "string" && r.protocolVersion.length > 0, `result.protocolVersion is ${JSON.stringify(r.protocolVersion)}, not a version`, res);
    ensure(r.capabilities && typeof r.capabilities === "object", `result.capabilities is ${JSON.stringify(r.capabilities)}, not an object`, res);
    ensure(typeof r.serverInfo?.name === "string" && typeof r.serverInfo?.version === "string", `result.serverInfo is ${JSON.stringify(r.serverInfo)}, not {name, version}`, res);
  },
);

check(
  {
    id: "MCP-002",
    level: "MUST",
    profile: "mcp",
    operations: [POST],
    spec: [
      { source: "openapi", section: "POST /mcp/, responses", quote: "Notification or response accepted; no content body.", note: "202; the same in openapi-prev" },
      {
        source: "mcp",
        section: "Basic, Transports, Streamable HTTP, Sending Messages to the Server",
        quote: "If the server accepts the input, the server MUST return HTTP status code 202 Accepted with no body.",
      },
    ],
    title: "POST /mcp/ answers a notification (notifications/initialized) with 202 and no body",
  },
  async (c) => {
    const { res } = await send(c, { jsonrpc: "2.0", method: "notifications/initialized" });
    hintIfAbsent(res);
    expectStatus(res, 202);
    ensure(res.text.trim() === "", `a 202 to a notification carries a body: ${res.text.slice(0, 200)}`, res);
  },
);

check(
  {
    id: "MCP-003",
    level: "SHOULD",
    profile: "mcp",
    operations: [POST],
    spec: [
      { source: "jsonrpc", section: "5.1 Error object", quote: "-32601 Method not found The method does not exist / is not available." },
      { source: "openapi", section: "POST /mcp/ (MCP Post)", quote: "Returns a JSON-RPC response or acknowledgment." },
    ],
    title: "POST /mcp/ answers a request for a method it does not have with a JSON-RPC error -32601",
  },
  async (c) => {
    const { res, reply } = await send(c, { jsonrpc: "2.0", id: "conformance-unknown", method: "conformance/no-such-method", params: {} });
    hintIfAbsent(res);
    expectStatus(res, [200, 400]);
    ensure(reply && typeof reply === "object", `POST /mcp/ answered no JSON-RPC message: ${res.text.slice(0, 200)}`, res);
    ensure(reply.result === undefined, `an unknown method answered a result: ${JSON.stringify(reply.result)}`, res);
    expectEqual(reply.error?.code, -32601, "error.code for an unknown method", res);
  },
);

check(
  {
    id: "MCP-004",
    level: "MUST",
    profile: "mcp",
    operations: [POST],
    spec: [{ source: "openapi", section: "POST /mcp/, responses", quote: "Bad request: invalid JSON or message format, or unacceptable Accept header.", note: "400; the same in openapi-prev" }],
    title: "POST /mcp/ with a body that is not valid JSON answers 400",
  },
  async (c) => {
    const res = await c.api.request({ method: "POST", path: "/mcp/", body: '{"jsonrpc": "2.0", "id": 1, "method": ', headers: { "content-type": "application/json", accept: BOTH } });
    if (res.status === 404) hintIfAbsent(res as StreamResponse);
    ensure(res.status < 500, `POST /mcp/ answered ${res.status}, a server error, to a body that is not JSON`, res);
    expectStatus(res, 400);
  },
);

check(
  {
    id: "MCP-005",
    level: "MUST",
    profile: "mcp",
    operations: [POST],
    spec: [
      { source: "openapi", section: "POST /mcp/, header Accept", quote: "Accept header must include both 'application/json' and 'text/event-stream' media types." },
      { source: "openapi", section: "POST /mcp/, responses", quote: "Bad request: invalid JSON or message format, or unacceptable Accept header.", note: "400" },
      { source: "rfc9110", section: "15.5.7 406 Not Acceptable", quote: "does not have a current representation that would be acceptable to the user agent", note: "the contract also accepts 406" },
    ],
    title: "POST /mcp/ with an Accept header that lacks text/event-stream answers 400 or 406",
  },
  async (c) => {
    const res = await c.api.request({ method: "POST", path: "/mcp/", json: initialize(2), headers: { accept: "application/json" } });
    if (res.status === 404) hintIfAbsent(res as StreamResponse);
    ensure(res.status < 500, `POST /mcp/ answered ${res.status}, a server error, to an unacceptable Accept header`, res);
    expectStatus(res, [400, 406]);
  },
);

check(
  {
    id: "MCP-006",
    level: "MUST",
    profile: "mcp",
    operations: ["GET /mcp/"],
    spec: [
      { source: "openapi", section: "GET /mcp/ (MCP Get), responses", quote: "GET method not allowed; streaming not supported.", note: "405; the same in openapi-prev" },
      {
        source: "mcp",
        section: "Basic, Transports, Streamable HTTP, Listening for Messages from the Server",
        quote: "or else return HTTP 405 Method Not Allowed, indicating that the server does not offer an SSE stream at this endpoint",
      },
    ],
    title: "GET /mcp/ answers 405",
  },
  async (c) => {
    const res = await c.api.get("/mcp/", { headers: { accept: "text/event-stream" } });
    expectStatus(res, 405);
  },
);

check(
  {
    id: "MCP-007",
    level: "MUST",
    profile: "mcp",
    operations: ["DELETE /mcp/"],
    spec: [
      {
        source: "openapi",
        section: "DELETE /mcp/ (Terminate Session)",
        quote: "Terminate an MCP session. The server implementation is stateless, so this is a no-op.",
        note: '404 "Session not found"; openapi-prev declares the 404 too',
      },
      {
        source: "mcp",
        section: "Basic, Transports, Streamable HTTP, Session Management",
        quote: "The server MAY respond to this request with HTTP 405 Method Not Allowed, indicating that the server does not allow clients to terminate sessions.",
        note: "the contract also accepts 405",
      },
    ],
    title: "DELETE /mcp/ answers 404 or 405 (there is no session to end)",
  },
  async (c) => {
    const res = await c.api.delete("/mcp/", { headers: { "mcp-session-id": "conformance-no-such-session" } });
    expectStatus(res, [404, 405]);
  },
);

// ------------------------------------------------------------------ the JSON-RPC envelope of errors

check(
  {
    id: "MCP-008",
    level: "MUST",
    profile: "mcp",
    operations: [POST],
    spec: [
      { source: "jsonrpc", section: "5 Response object, id", quote: "It MUST be the same as the value of the id member in the Request Object." },
      { source: "jsonrpc", section: "5 Response object, jsonrpc", quote: 'A String specifying the version of the JSON-RPC protocol. MUST be exactly "2.0".' },
      { source: "mcp", section: "Basic, Messages, Responses", quote: "Responses MUST include the same ID as the request they correspond to." },
    ],
    title: 'A JSON-RPC error POST /mcp/ answers carries jsonrpc "2.0" and the request\'s id, as sent: a string id and an integer id alike',
  },
  async (c) => {
    for (const id of [`conformance-error-${Date.now()}`, 4242]) {
      const { res, reply } = await send(c, { jsonrpc: "2.0", id, method: "conformance/no-such-method", params: {} });
      hintIfAbsent(res);
      ensure(reply && typeof reply === "object", `POST /mcp/ answered no JSON-RPC message to a request with id ${JSON.stringify(id)}: ${res.text.slice(0, 200)}`, res);
      if (reply.error === undefined) c.skip(`the request for an unknown method was answered without a JSON-RPC error (MCP-003 judges that): ${JSON.stringify(reply).slice(0, 200)}`);
      expectEqual(reply.jsonrpc, "2.0", "jsonrpc of the error response", res);
      expectEqual(reply.id, id, `id of the error response to a request with id ${JSON.stringify(id)} (the same value, of the same type)`, res);
    }
  },
);

check(
  {
    id: "MCP-009",
    level: "MUST",
    profile: "mcp",
    operations: [POST],
    spec: [
      { source: "jsonrpc", section: "5 Response object, id", quote: "If there was an error in detecting the id in the Request Object (e.g. Parse error/Invalid Request), it MUST be Null." },
      {
        source: "mcp",
        section: "Basic, Transports, Streamable HTTP, Sending Messages to the Server",
        note: "the body of such a 400 MAY be a JSON-RPC error response; when it is one, JSON-RPC's rules hold",
      },
    ],
    title: 'A JSON-RPC error answering a body that is not JSON carries jsonrpc "2.0" and id null',
  },
  async (c) => {
    const res = await c.api.request({ method: "POST", path: "/mcp/", body: '{"jsonrpc": "2.0", "id": 7, "method": ', headers: { "content-type": "application/json", accept: BOTH } });
    if (res.status === 404) hintIfAbsent(res as StreamResponse);
    let body: any;
    try {
      body = JSON.parse(res.text);
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== "object" || body.error === undefined) c.skip(`the answer (${res.status}) carries no JSON-RPC error, which no document requires (MCP-004 judges its status)`);
    expectEqual(body.jsonrpc, "2.0", "jsonrpc of the error response to a body that is not JSON", res);
    expectEqual(body.id, null, "id of the error response to a body whose id could not be read", res);
  },
);
