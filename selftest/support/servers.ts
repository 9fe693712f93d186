// Small local servers that misbehave on purpose, for the self-tests.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Local {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Requests received, for assertions on what the harness sent. */
  seen: Array<{ method: string; url: string; headers: IncomingMessage["headers"]; body: string }>;
}

export async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<Local> {
  const seen: Local["seen"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<string> {
  const s = await listen(() => undefined);
  await s.close();
  return s.url;
}

export const json = (res: ServerResponse, status: number, body: unknown, type = "application/json") => {
  res.writeHead(status, { "content-type": type });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};

/** Answers every request with an HTML page, as a web server in front of nothing would. */
export const htmlServer = () => listen((_req, res) => json(res, 200, "<!doctype html><html><head><title>Welcome to nginx!</title></head><body>hi</body></html>", "text/html"));

/** Accepts connections and never answers. */
export const hangingServer = () => listen(() => undefined);
