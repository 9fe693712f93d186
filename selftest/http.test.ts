import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContract, type Contract } from "../harness/contract";
import { registerSecret } from "../harness/evidence";
import { createApi, newRecorder, TransportError, type TargetConnection } from "../harness/http";
import { closedPort, json, listen, type Local } from "./support/servers";

const KEY = "lgc-test-secret-key-123";
let server: Local;
let contract: Contract;

beforeAll(async () => {
  contract = await loadContract();
  registerSecret(KEY);
  server = await listen((req, res, body) => {
    if (req.url === "/ok") return json(res, 200, { ok: true });
    if (req.url === "/hang") return; // never answers
    if (req.url?.startsWith("/assistants/search")) return json(res, 200, "this is not json{", "application/json");
    if (req.url === "/info") return json(res, 200, "<html>oops</html>", "text/html");
    if (req.url === "/echo") return json(res, 200, { got: body });
    if (req.url === "/threads/x/runs/stream") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('event: metadata\ndata: {"run_id":"r"}\n\n');
      res.end("event: values\ndata: {}\n\n");
      return;
    }
    json(res, 404, { detail: "not found" });
  });
});
afterAll(() => server.close());

const target = (o: Partial<TargetConnection> = {}): TargetConnection => ({
  url: server.url,
  headers: { "x-custom-token": "tok-abcdefgh" },
  apiKey: KEY,
  requestTimeoutMs: 2_000,
  streamTimeoutMs: 2_000,
  ...o,
});

describe("the HTTP path", () => {
  it("records the exchange with secrets redacted and a curl line that does not carry them", async () => {
    registerSecret("tok-abcdefgh");
    const rec = newRecorder();
    const api = createApi({ target: target(), contract, recorder: rec });
    const res = await api.post("/echo", { key: KEY, hello: "world" });
    expect(res.status).toBe(200);
    expect(server.seen.at(-1)!.headers["x-api-key"]).toBe(KEY); // sent for real
    const text = JSON.stringify(rec.exchanges);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain("tok-abcdefgh");
    expect(rec.exchanges[0]!.request.headers["x-api-key"]).toBe("[redacted]");
    expect(rec.exchanges[0]!.curl).toContain('"x-api-key: $LANGGRAPH_API_KEY"');
    expect(rec.exchanges[0]!.curl).toMatch(/^curl -sS -N -X POST 'http:\/\/127\.0\.0\.1:\d+\/echo'/);
  });

  it("validates responses against the contract for their operation and status", async () => {
    const rec = newRecorder();
    const api = createApi({ target: target(), contract, recorder: rec });
    await api.get("/ok");
    expect(rec.exchanges[0]!.operation).toBe("GET /ok");
    expect(rec.violations).toEqual([]);
    await api.post("/assistants/search", {});
    expect(rec.violations.map((v) => v.kind)).toEqual(["json"]);
    await api.get("/info");
    expect(rec.violations.map((v) => v.kind)).toEqual(["json", "content-type"]);
  });

  it("bounds a request that never gets an answer", async () => {
    const api = createApi({ target: target({ requestTimeoutMs: 300 }), contract, recorder: newRecorder() });
    const t0 = performance.now();
    const err = await api.get("/hang").catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toContain("no complete response within 300 ms");
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it("reports a refused connection as a transport failure", async () => {
    const api = createApi({ target: target({ url: await closedPort() }), contract, recorder: newRecorder() });
    const err = await api.get("/ok").catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.record.error).toMatch(/ECONNREFUSED/);
  });

  it("reads an event stream and keeps its transcript", async () => {
    const rec = newRecorder();
    const api = createApi({ target: target(), contract, recorder: rec });
    const res = await api.stream({ method: "POST", path: "/threads/x/runs/stream", json: {} });
    expect(res.sse?.events.map((e) => e.event)).toEqual(["metadata", "values"]);
    expect(rec.exchanges[0]!.stream?.transcript).toContain("event: metadata");
    expect(rec.exchanges[0]!.stream?.end).toBe("eof");
  });
});
