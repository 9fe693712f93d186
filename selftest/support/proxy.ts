// A proxy that sits between the suite and a real server and applies one fault:
// the self-tests use it to show that checks which pass against the server fail
// once the server is made to break the contract in one small way.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Fault {
  name: string;
  request?(req: ProxiedRequest): ProxiedRequest;
  response?(req: ProxiedRequest, res: ProxiedResponse): ProxiedResponse;
}

const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"]);

export async function startProxy(upstream: string, fault: Fault): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && typeof v === "string") headers[k] = v;
    let preq: ProxiedRequest = { method: req.method ?? "GET", path: req.url ?? "/", headers, body: Buffer.concat(chunks).toString("utf8") };
    if (fault.request) preq = fault.request(preq);
    try {
      const up = await fetch(upstream + preq.path, {
        method: preq.method,
        headers: preq.headers,
        body: preq.method === "GET" || preq.method === "HEAD" ? undefined : preq.body,
        redirect: "manual",
      });
      const upHeaders: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (!HOP.has(k)) upHeaders[k] = v;
      });
      if ((upHeaders["content-type"] ?? "").startsWith("text/event-stream") && !fault.response) {
        res.writeHead(up.status, upHeaders);
        for await (const c of up.body as unknown as AsyncIterable<Uint8Array>) res.write(c);
        res.end();
        return;
      }
      let pres: ProxiedResponse = { status: up.status, headers: upHeaders, body: await up.text() };
      if (fault.response) pres = fault.response(preq, pres);
      res.writeHead(pres.status, pres.headers);
      res.end(pres.body);
    } catch (e) {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: ${(e as Error).message}`);
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Rewrites the JSON body of matching requests. */
export function rewriteRequestJson(match: (r: ProxiedRequest) => boolean, edit: (body: any) => any): Fault["request"] {
  return (r) => {
    if (!match(r)) return r;
    try {
      return { ...r, body: JSON.stringify(edit(JSON.parse(r.body))) };
    } catch {
      return r;
    }
  };
}

/** Rewrites the JSON body of matching responses. */
export function rewriteResponseJson(match: (req: ProxiedRequest, res: ProxiedResponse) => boolean, edit: (body: any, req: ProxiedRequest) => any): Fault["response"] {
  return (req, res) => {
    if (!match(req, res)) return res;
    try {
      return { ...res, body: JSON.stringify(edit(JSON.parse(res.body), req)) };
    } catch {
      return res;
    }
  };
}
