// A proxy that sits between the suite and a real server and applies one fault:
// the self-tests and the mutation score (scripts/mutants.ts) use it to show
// that checks which pass against the server fail once the server is made to
// break the contract in one small way. Faults compose (compose()): the repairs
// of the reference server's own findings, an emulation of what it lacks, and
// one mutant.

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
  /** Rewrites a response that is not an event stream (read whole first). */
  response?(req: ProxiedRequest, res: ProxiedResponse): ProxiedResponse;
  /**
   * Rewrites the bytes of an event-stream response as they pass: `head` holds
   * the upstream status and headers (change them in place before the first
   * chunk), `signal` fires when the client goes away (a transform that holds
   * the stream open must end then). Event streams never go through `response`:
   * they pass as they come, so that streams that stay open stay open.
   */
  stream?(req: ProxiedRequest, head: { status: number; headers: Record<string, string> }, body: AsyncIterable<Uint8Array>, signal: AbortSignal): AsyncIterable<Uint8Array>;
  /** Sees every exchange that is not an event stream, unchanged (to learn which ids belong to what). */
  observe?(req: ProxiedRequest, res: ProxiedResponse): void;
  /** Told the upstream's URL once the proxy starts (an emulation that acts on its own, a cron firing, calls it). */
  attach?(upstream: string): void;
  /** Told when the proxy closes (timers of an emulation end then). */
  detach?(): void;
}

const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"]);

export async function startProxy(upstream: string, fault: Fault): Promise<{ url: string; close(): Promise<void> }> {
  fault.attach?.(upstream);
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && typeof v === "string") headers[k] = v;
    let preq: ProxiedRequest = { method: req.method ?? "GET", path: req.url ?? "/", headers, body: Buffer.concat(chunks).toString("utf8") };
    if (fault.request) preq = fault.request(preq);
    // The client going away goes upstream too, as it would without the proxy
    // (a server that cancels a run on disconnect must see the disconnect).
    const gone = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) gone.abort();
    });
    try {
      const up = await fetch(upstream + preq.path, {
        method: preq.method,
        headers: preq.headers,
        body: preq.method === "GET" || preq.method === "HEAD" ? undefined : preq.body,
        redirect: "manual",
        signal: gone.signal,
      });
      const upHeaders: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (!HOP.has(k)) upHeaders[k] = v;
      });
      if ((upHeaders["content-type"] ?? "").startsWith("text/event-stream")) {
        const head = { status: up.status, headers: upHeaders };
        const source = up.body as unknown as AsyncIterable<Uint8Array>;
        const body = fault.stream ? fault.stream(preq, head, source, gone.signal) : source;
        // Without a transform the headers go at once, as upstream sent them.
        let started = !fault.stream;
        if (started) res.writeHead(head.status, head.headers);
        for await (const c of body) {
          if (!started) {
            res.writeHead(head.status, head.headers);
            started = true;
          }
          res.write(c);
        }
        if (!started) res.writeHead(head.status, head.headers);
        res.end();
        return;
      }
      let pres: ProxiedResponse = { status: up.status, headers: upHeaders, body: await up.text() };
      fault.observe?.(preq, pres);
      if (fault.response) pres = fault.response(preq, pres);
      res.writeHead(pres.status, pres.headers);
      res.end(pres.body);
    } catch (e) {
      if (res.headersSent || gone.signal.aborted) {
        res.destroy();
        return;
      }
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
        fault.detach?.();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * Faults applied one after the other: request hooks in order, then response
 * hooks in order, stream transforms chained (the first one's output is the
 * second one's input), and every observer sees the upstream answer.
 */
export function compose(name: string, ...faults: Fault[]): Fault {
  const streams = faults.filter((f) => f.stream);
  return {
    name,
    request: (r) => faults.reduce((acc, f) => (f.request ? f.request(acc) : acc), r),
    response: (q, s) => faults.reduce((acc, f) => (f.response ? f.response(q, acc) : acc), s),
    observe: (q, s) => {
      for (const f of faults) f.observe?.(q, s);
    },
    attach: (upstream) => {
      for (const f of faults) f.attach?.(upstream);
    },
    detach: () => {
      for (const f of faults) f.detach?.();
    },
    ...(streams.length > 0
      ? { stream: (q, head, body, signal) => streams.reduce((acc, f) => f.stream!(q, head, acc, signal), body) }
      : {}),
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

// ---------------------------------------------------------------- stream faults
// Byte-level rewrites of event streams for Fault.stream, and a registry that
// tells which check and which fixture graph a stream request belongs to.

const enc = new TextEncoder();
const dec = new TextDecoder();

export type StreamTransform = NonNullable<Fault["stream"]>;

async function collect(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of body) parts.push(c);
  return new Uint8Array(Buffer.concat(parts));
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((r) => (signal.aborted ? r() : signal.addEventListener("abort", () => r(), { once: true })));
}

/** Reads the whole upstream stream, then sends `edit` of it (text, or bytes for encoding faults). */
export function editWhole(edit: (text: string, bytes: Uint8Array) => string | Uint8Array): StreamTransform {
  return async function* (_req, _head, body) {
    const bytes = await collect(body);
    const out = edit(dec.decode(bytes), bytes);
    yield typeof out === "string" ? enc.encode(out) : out;
  };
}

/** Edits the stream as a list of event blocks (each with its terminating blank line). */
export function editEvents(edit: (blocks: string[]) => string[]): StreamTransform {
  return editWhole((text) => edit(text.split(/(?<=\n\n)/)).join(""));
}

/** Sends the upstream stream, then holds the connection open until the client leaves. */
export function neverEnding(): StreamTransform {
  return async function* (_req, _head, body, signal) {
    for await (const c of body) yield c;
    await untilAborted(signal);
  };
}

/** Sends the first `events` events, then goes silent with the connection open (a stall). */
export function stallAfter(events: number): StreamTransform {
  return async function* (_req, _head, body, signal) {
    const text = dec.decode(await collect(body));
    yield enc.encode(text.split(/(?<=\n\n)/).slice(0, events).join(""));
    await untilAborted(signal);
  };
}

/** Sends the first `events` events and half of the next one, then ends the response (a stream cut midway). */
export function cutAfter(events: number): StreamTransform {
  return editEvents((blocks) => [...blocks.slice(0, events), blocks[events]?.slice(0, Math.floor((blocks[events]?.length ?? 0) / 2)) ?? ""]);
}

/** Which check (by the metadata the suite tags requests with) and which fixture graph a request belongs to. */
export interface StreamOwner {
  check?: string;
  graph?: string;
}

/**
 * Learns from the traffic which check created which assistant, thread and run,
 * and which graph each assistant and run is of, so that a fault can pick the
 * streams it breaks: stream requests of one check, or of one fixture graph.
 */
export function ownerRegistry() {
  const assistants = new Map<string, string>();
  const owners = new Map<string, string>();
  const runGraph = new Map<string, string>();
  const parse = (s: string): any => {
    try {
      return JSON.parse(s);
    } catch {
      return undefined;
    }
  };
  return {
    observe(req: ProxiedRequest, res: ProxiedResponse): void {
      const body = parse(req.body);
      const out = parse(res.body);
      if (!out || typeof out !== "object") return;
      const check = body?.metadata?.conformance_check;
      if (req.method === "POST" && req.path === "/assistants" && out.assistant_id && body?.graph_id) assistants.set(out.assistant_id, body.graph_id);
      if (req.method === "POST" && req.path === "/threads" && out.thread_id && check) owners.set(out.thread_id, check);
      if (req.method === "POST" && /\/runs$/.test(req.path) && out.run_id) {
        const graph = assistants.get(body?.assistant_id);
        if (graph) runGraph.set(out.run_id, graph);
        if (check) owners.set(out.run_id, check);
      }
    },
    /** The check and graph of a stream request. */
    ownerOf(req: ProxiedRequest): StreamOwner {
      const body = parse(req.body);
      const path = req.path.split("?")[0]!;
      const thread = /^\/threads\/([^/]+)/.exec(path)?.[1];
      const run = /\/runs\/([^/]+)\/stream$/.exec(path)?.[1];
      const check = body?.metadata?.conformance_check ?? (run && owners.get(run)) ?? (thread && owners.get(thread));
      const graph = assistants.get(body?.assistant_id) ?? (run ? runGraph.get(run) : undefined);
      return { ...(check ? { check } : {}), ...(graph ? { graph } : {}) };
    },
  };
}
