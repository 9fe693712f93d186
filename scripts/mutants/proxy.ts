// A proxy that sits between the suite and a real server and applies one fault:
// the self-tests and the mutation score (scripts/mutants/campaign.ts) use it to show
// that checks which pass against the server fail once the server is made to
// break the contract in one small way. Faults compose (compose()): the repairs
// of the reference server's own findings, an emulation of what it lacks, and
// one mutant.
//
// Event streams keep their timing: the headers go to the client as soon as the
// upstream sends them, and a stream transform works event by event as the bytes
// arrive (it may hold an event back only where its bug is about what comes
// later: the last event, an event moved to the end). A client that leaves
// mid-run leaves the upstream too.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { constants as zlibConstants, createGzip, gzipSync } from "node:zlib";

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

/**
 * How the proxy puts an answer on the wire, where a legal variation of HTTP is
 * wanted (the equivalence mutants). By default: the upstream's headers in their
 * order, chunked bodies, keep-alive as Node serves it, no compression.
 */
export interface WireOptions {
  /** The response headers in the reverse order. */
  reverseHeaders?: boolean;
  /** `Connection: close`, and the connection closed after each answer. */
  connectionClose?: boolean;
  /** A `Keep-Alive: timeout=N` the server keeps to (in seconds; the connection is closed when idle that long). */
  keepAliveSeconds?: number;
  /** Bodies that are not event streams sent with Content-Length rather than chunked. */
  contentLength?: boolean;
  /** Bodies (event streams too) written in pieces of at most this many bytes, each its own chunk. */
  chunkBytes?: number;
  /** Bodies compressed with gzip where the request's Accept-Encoding allows it. */
  gzip?: boolean;
}

export interface Fault {
  name: string;
  request?(req: ProxiedRequest): ProxiedRequest;
  /** Rewrites a response that is not an event stream (read whole first). */
  response?(req: ProxiedRequest, res: ProxiedResponse): ProxiedResponse;
  /**
   * Rewrites the bytes of an event-stream response as they pass (build one
   * with editEvents() and the helpers below: they work event by event).
   * `head` holds the upstream status and headers: change them before the
   * transform's first `await` (the proxy starts the transform, then sends the
   * headers at once, before any event). `signal` fires when the client goes
   * away (a transform that holds the stream open must end then). Event streams
   * never go through `response`: they pass as they come, so that streams that
   * stay open stay open.
   */
  stream?(req: ProxiedRequest, head: { status: number; headers: Record<string, string> }, body: AsyncIterable<Uint8Array>, signal: AbortSignal): AsyncIterable<Uint8Array>;
  /** Sees every exchange that is not an event stream, unchanged (to learn which ids belong to what). */
  observe?(req: ProxiedRequest, res: ProxiedResponse): void;
  /** Told the upstream's URL once the proxy starts (an emulation that acts on its own, a cron firing, calls it). */
  attach?(upstream: string): void;
  /** Told when the proxy closes (timers of an emulation end then). */
  detach?(): void;
  /** How answers go on the wire (legal variations of HTTP). */
  wire?: WireOptions;
}

const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"]);

/** Does an Accept-Encoding header allow gzip (a q-value of 0 refuses it)? */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    if (name.trim() !== "gzip" && name.trim() !== "*") continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return q === undefined || Number(q) > 0;
  }
  return false;
}

function orderHeaders(headers: Record<string, string>, wire: WireOptions): Record<string, string> {
  const out = { ...headers };
  if (wire.connectionClose) out["connection"] = "close";
  else if (wire.keepAliveSeconds !== undefined) {
    out["connection"] = "keep-alive";
    out["keep-alive"] = `timeout=${wire.keepAliveSeconds}`;
  }
  return wire.reverseHeaders ? Object.fromEntries(Object.entries(out).reverse()) : out;
}

/** The pieces of `bytes` of at most `size` bytes (all of it at once without a size). */
function pieces(bytes: Uint8Array, size: number | undefined): Uint8Array[] {
  if (!size || bytes.byteLength <= size) return [bytes];
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.byteLength; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

export async function startProxy(upstream: string, fault: Fault): Promise<{ url: string; close(): Promise<void> }> {
  fault.attach?.(upstream);
  const wire = fault.wire ?? {};
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && typeof v === "string") headers[k] = v;
    const gzip = wire.gzip === true && acceptsGzip(req.headers["accept-encoding"]);
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
        await pipeStream(preq, up, upHeaders, res, gone.signal, gzip);
        return;
      }
      let pres: ProxiedResponse = { status: up.status, headers: upHeaders, body: await up.text() };
      fault.observe?.(preq, pres);
      if (fault.response) pres = fault.response(preq, pres);
      let body: Uint8Array = Buffer.from(pres.body, "utf8");
      const out = { ...pres.headers };
      const bodyless = pres.status === 204 || pres.status === 304 || preq.method === "HEAD";
      if (gzip && !bodyless && body.byteLength > 0) {
        body = gzipSync(body);
        out["content-encoding"] = "gzip";
        out["vary"] = "accept-encoding";
      }
      if (wire.contentLength && !bodyless) out["content-length"] = String(body.byteLength);
      res.writeHead(pres.status, orderHeaders(out, wire));
      if (bodyless) {
        res.end();
        return;
      }
      for (const p of pieces(body, wire.chunkBytes)) res.write(p);
      res.end();
    } catch (e) {
      if (res.headersSent || gone.signal.aborted) {
        res.destroy();
        return;
      }
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: ${(e as Error).message}`);
    }
  });

  /** An event stream: the headers at once, then each piece as the transform gives it. */
  async function pipeStream(preq: ProxiedRequest, up: Response, upHeaders: Record<string, string>, res: ServerResponse, signal: AbortSignal, gzip: boolean): Promise<void> {
    const head = { status: up.status, headers: upHeaders };
    const source = (up.body ?? emptyBody()) as unknown as AsyncIterable<Uint8Array>;
    const body = fault.stream ? fault.stream(preq, head, source, signal) : source;
    const it = body[Symbol.asyncIterator]();
    // Starting the transform runs it up to its first await: its edits of the head are made by then.
    const first = it.next();
    first.catch(() => undefined);
    const out = { ...head.headers };
    if (gzip) {
      out["content-encoding"] = "gzip";
      out["vary"] = "accept-encoding";
    }
    res.writeHead(head.status, orderHeaders(out, wire));
    res.flushHeaders();
    // A gzip stream is flushed after each piece, so that compression keeps the timing too.
    const z = gzip ? createGzip({ flush: zlibConstants.Z_SYNC_FLUSH }) : undefined;
    z?.on("data", (d: Buffer) => {
      if (!res.destroyed) res.write(d);
    });
    const write = (c: Uint8Array) =>
      new Promise<void>((resolve) => {
        if (z) z.write(c, () => resolve());
        else if (res.write(c)) resolve();
        else res.once("drain", () => resolve());
      });
    try {
      for (let r = await first; !r.done; r = await it.next()) {
        if (res.destroyed) break;
        for (const p of pieces(r.value, wire.chunkBytes)) await write(p);
      }
    } finally {
      // Stops the transform (and with it the upstream) where the client left first; a no-op once it is done.
      it.return?.(undefined)?.catch(() => undefined);
    }
    if (z) await new Promise<void>((resolve) => z.end(() => resolve()));
    if (z) await new Promise<void>((resolve) => (z.readableEnded ? resolve() : z.once("end", () => resolve())));
    res.end();
  }

  if (wire.keepAliveSeconds !== undefined) server.keepAliveTimeout = wire.keepAliveSeconds * 1000;
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

async function* emptyBody(): AsyncIterable<Uint8Array> {}

/**
 * Faults applied one after the other: request hooks in order, then response
 * hooks in order, stream transforms chained (the first one's output is the
 * second one's input), every observer sees the upstream answer, and the wire
 * options of all of them apply.
 */
export function compose(name: string, ...faults: Fault[]): Fault {
  const streams = faults.filter((f) => f.stream);
  const wire = Object.assign({}, ...faults.map((f) => f.wire ?? {})) as WireOptions;
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
    ...(streams.length > 0 ? { stream: (q, head, body, signal) => streams.reduce((acc, f) => f.stream!(q, head, acc, signal), body) } : {}),
    ...(Object.keys(wire).length > 0 ? { wire } : {}),
  };
}

/**
 * Mutants on top of a base whose first fault judges requests (the refusals):
 * the mutants are the last to touch a response, but they see a request as the
 * suite sent it (once the refusals let it through), before the base's other
 * faults rewrite it. A mutant that drops a parameter drops the one the suite
 * sent: were it to act after a repair that moved the parameter elsewhere (the
 * paging of a sorted assistant search), its bug would never reach the server.
 */
export function layered(name: string, judge: Fault, rest: Fault[], mutants: Fault[]): Fault {
  const all = compose(name, judge, ...rest, ...mutants);
  const requests = compose(name, judge, ...mutants.map((f) => ({ name: f.name, ...(f.request ? { request: f.request } : {}) })), ...rest);
  return { ...all, request: requests.request };
}

/** A text's JSON value, or undefined where it is not JSON. */
export function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
// Rewrites of event streams for Fault.stream, event by event as the bytes
// arrive, and a registry that tells which check and which fixture graph a
// stream request belongs to.

const enc = new TextEncoder();

export type StreamTransform = NonNullable<Fault["stream"]>;

/** What an event edit gives back: the event's text (or bytes) in its place, several, or nothing (null: dropped). */
export type EventOutput = string | Uint8Array | Array<string | Uint8Array> | null | undefined;

/** One piece of an event stream as the upstream sent it: a complete event block (with its blank line), or the unterminated rest at its end. */
export interface StreamPiece {
  text: string;
  /** false for what follows the last blank line when the stream ends (an unterminated event or line). */
  complete: boolean;
}

const BLANK = /\r\n\r\n|\n\n|\r\r|\n\r\n|\r\n\n/;

/**
 * The event blocks of a stream, each as soon as its blank line has arrived
 * (text decoded as UTF-8, a character split across chunks kept whole), then
 * the unterminated rest, if any, when the stream ends.
 */
export async function* eventBlocks(body: AsyncIterable<Uint8Array>): AsyncGenerator<StreamPiece> {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let buffer = "";
  const drain = function* (final: boolean): Generator<StreamPiece> {
    for (;;) {
      const m = BLANK.exec(buffer);
      if (!m) return;
      // A CR at the end of the buffer may be the first half of a CRLF: wait for the next chunk.
      const end = m.index + m[0].length;
      if (!final && buffer[end - 1] === "\r" && end === buffer.length) return;
      yield { text: buffer.slice(0, end), complete: true };
      buffer = buffer.slice(end);
    }
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    yield* drain(false);
  }
  buffer += decoder.decode();
  yield* drain(true);
  if (buffer !== "") yield { text: buffer, complete: false };
}

const bytesOf = (out: EventOutput): Uint8Array[] => {
  if (out === null || out === undefined) return [];
  const list = Array.isArray(out) ? out : [out];
  return list.filter((x) => (typeof x === "string" ? x !== "" : x.byteLength > 0)).map((x) => (typeof x === "string" ? enc.encode(x) : x));
};

/**
 * Edits a stream event by event: `edit` gets each complete event block (with
 * its terminating blank line) and its index, and answers what to send in its
 * place (undefined: the event unchanged; null: nothing). `end` may add what is
 * sent after the last event. The unterminated rest of a stream passes as it is,
 * or as `tail` rewrites it.
 */
export function editEvents(edit: (event: string, index: number) => EventOutput, end?: () => EventOutput, tail?: (rest: string) => EventOutput): StreamTransform {
  return async function* (_req, _head, body) {
    let i = 0;
    for await (const piece of eventBlocks(body)) {
      if (!piece.complete) {
        const out = tail ? tail(piece.text) : undefined;
        yield* bytesOf(out === undefined ? piece.text : out);
        continue;
      }
      const out = edit(piece.text, i++);
      yield* bytesOf(out === undefined ? piece.text : out);
    }
    if (end) yield* bytesOf(end());
  };
}

/**
 * Edits a stream whose bug is about its last event (which is last is known only
 * when the stream ends): each event is held until the next one arrives, so it
 * goes out late by one event, never later. `last` answers what to send in place
 * of the last event; `others` may edit the rest.
 */
export function editLastEvent(last: (event: string) => EventOutput, others: (event: string, index: number) => EventOutput = () => undefined): StreamTransform {
  return async function* (_req, _head, body) {
    let held: { text: string; index: number } | undefined;
    let i = 0;
    let tail = "";
    for await (const piece of eventBlocks(body)) {
      if (!piece.complete) {
        tail = piece.text;
        continue;
      }
      if (held) {
        const out = others(held.text, held.index);
        yield* bytesOf(out === undefined ? held.text : out);
      }
      held = { text: piece.text, index: i++ };
    }
    if (held) {
      const out = last(held.text);
      yield* bytesOf(out === undefined ? held.text : out);
    }
    if (tail) yield* bytesOf(tail);
  };
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((r) => (signal.aborted ? r() : signal.addEventListener("abort", () => r(), { once: true })));
}

/** Reads what is left of `it` without sending it (the upstream ends its run as if the client were still there), for at most `ms`. */
async function drainQuietly(it: AsyncIterator<unknown>, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  try {
    while (Date.now() < until) {
      const r = await it.next();
      if (r.done) return;
    }
    await it.return?.();
  } catch {
    /* the upstream went away: nothing to drain */
  }
}

/** Sends the upstream stream, then holds the connection open until the client leaves. */
export function neverEnding(): StreamTransform {
  return async function* (_req, _head, body, signal) {
    for await (const c of body) yield c;
    await untilAborted(signal);
  };
}

/** Sends the first `events` events, then goes silent with the connection open (a stall); the upstream is read on, unsent. */
export function stallAfter(events: number): StreamTransform {
  return async function* (_req, _head, body, signal) {
    const it = eventBlocks(body);
    for (let i = 0; i < events; i++) {
      const r = await it.next();
      if (r.done) break;
      yield enc.encode(r.value.text);
    }
    void drainQuietly(it);
    await untilAborted(signal);
  };
}

/** Sends the first `events` events and half of the next one, then ends the response (a stream cut midway); the upstream is read on, unsent. */
export function cutAfter(events: number): StreamTransform {
  return async function* (_req, _head, body) {
    const it = eventBlocks(body);
    for (let i = 0; i <= events; i++) {
      const r = await it.next();
      if (r.done) return;
      if (i < events) yield enc.encode(r.value.text);
      else yield enc.encode(r.value.text.slice(0, Math.floor(r.value.text.length / 2)));
    }
    void drainQuietly(it);
  };
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
  return {
    observe(req: ProxiedRequest, res: ProxiedResponse): void {
      const body = parseJson(req.body);
      const out = parseJson(res.body);
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
      const body = parseJson(req.body);
      const path = req.path.split("?")[0]!;
      const thread = /^\/threads\/([^/]+)/.exec(path)?.[1];
      const run = /\/runs\/([^/]+)\/stream$/.exec(path)?.[1];
      const check = body?.metadata?.conformance_check ?? (run && owners.get(run)) ?? (thread && owners.get(thread));
      const graph = assistants.get(body?.assistant_id) ?? (run ? runGraph.get(run) : undefined);
      return { ...(check ? { check } : {}), ...(graph ? { graph } : {}) };
    },
  };
}
