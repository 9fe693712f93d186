// The one HTTP path of the suite. Every request is bounded in time, recorded as
// evidence (secrets redacted, with a curl line), and its response validated
// against the contract for its operation and status.

import type { Contract } from "./contract";
import { curlLine, excerpt, redactHeaders, redactText } from "./evidence";
import type { ExchangeRecord, WireViolation } from "./model";
import { DEFAULT_SSE_LIMITS, describeError, readSse, type OnSseEvent, type SseLimits, type SseReadResult } from "./sse";

export interface TargetConnection {
  url: string;
  /** Extra headers for every request (from --header). */
  headers: Record<string, string>;
  /** Sent as x-api-key. */
  apiKey?: string;
  requestTimeoutMs: number;
  streamTimeoutMs: number;
  /** Whose credentials the headers carry (an identity of the auth profile): curl lines read them from `$<HEADER>_<IDENTITY>`. */
  identity?: string;
}

export type QueryValue = string | number | boolean | undefined | null | Array<string | number>;

export interface HttpRequest {
  method: string;
  /** Path relative to the target URL; may carry its own query string. */
  path: string;
  query?: Record<string, QueryValue>;
  /** A value sent as JSON. */
  json?: unknown;
  /** A raw body sent as is (malformed JSON, other media types). */
  body?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /**
   * The contract schema (JSON pointer) a 2xx JSON body must match instead of the
   * operation's default, where the request chooses the shape (search with `select`).
   */
  expectSchema?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed body when it is JSON; undefined otherwise. */
  json: any;
  record: ExchangeRecord;
}

export interface StreamResponse extends Omit<HttpResponse, "json"> {
  /** Present when the response was an event stream (2xx, text/event-stream). */
  sse?: SseReadResult;
  json: any;
}

/** The peer did something no response can come of: refused, reset, silent. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly record: ExchangeRecord,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

/** Where the exchanges of a check (or of a shared setup) are kept. */
export interface Recorder {
  phase: ExchangeRecord["phase"];
  exchanges: ExchangeRecord[];
  violations: WireViolation[];
}

export function newRecorder(phase: ExchangeRecord["phase"] = "check"): Recorder {
  return { phase, exchanges: [], violations: [] };
}

export const MAX_BODY_BYTES = 8 * 1024 * 1024;
const STREAM_TRANSCRIPT_BYTES = 16 * 1024;

export interface Api {
  request(req: HttpRequest): Promise<HttpResponse>;
  get(path: string, opts?: Omit<HttpRequest, "method" | "path">): Promise<HttpResponse>;
  delete(path: string, opts?: Omit<HttpRequest, "method" | "path">): Promise<HttpResponse>;
  post(path: string, json?: unknown, opts?: Omit<HttpRequest, "method" | "path" | "json">): Promise<HttpResponse>;
  put(path: string, json?: unknown, opts?: Omit<HttpRequest, "method" | "path" | "json">): Promise<HttpResponse>;
  patch(path: string, json?: unknown, opts?: Omit<HttpRequest, "method" | "path" | "json">): Promise<HttpResponse>;
  /** Opens a request whose response is read as an event stream, bounded by `limits`. */
  stream(req: HttpRequest, opts?: StreamOptions): Promise<StreamResponse>;
}

export interface StreamOptions {
  limits?: Partial<SseLimits>;
  onEvent?: OnSseEvent;
  /** Stops reading (the stream ends as `stopped`), for streams that stay open by design. */
  stop?: AbortSignal;
  /** Called when the response's status and headers arrive, before its body is read. */
  onHeaders?: (status: number, headers: Record<string, string>) => void;
  /**
   * Hands a second reader the very bytes this one reads (the body is teed): a
   * client under comparison (the official SDK) gets a Response of its own while
   * the exchange is recorded and read here as usual.
   */
  share?: (res: Response) => void;
  /**
   * false: the caller judges this exchange itself (the SSE framing checks judge
   * content type and events rule by rule), so the contract's response and event
   * judgement is not applied here. Everything else is recorded as usual.
   */
  validate?: boolean;
}

export interface ClientOptions {
  target: TargetConnection;
  contract?: Contract;
  recorder: Recorder;
  /** Aborts every request of the client (the check's deadline). */
  signal?: AbortSignal;
  /** Judges the events of a stream against the contract; added by the streaming layer. */
  checkEvents?: (operation: string | undefined, sse: SseReadResult) => WireViolation[];
}

export function buildUrl(base: string, path: string, query?: Record<string, QueryValue>): string {
  const url = new URL(base.replace(/\/+$/, "") + (path.startsWith("/") ? path : `/${path}`));
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
    else url.searchParams.set(k, String(v));
  }
  return url.toString();
}

function headersToRecord(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

async function readBounded(body: ReadableStream<Uint8Array> | null, max: number, signal: AbortSignal): Promise<{ text: string; truncated: boolean }> {
  if (!body) return { text: "", truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  const onAbort = () => reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > max) {
        truncated = true;
        break;
      }
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    reader.cancel().catch(() => undefined);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), truncated };
}

function parseJson(text: string, contentType: string): any {
  if (!/json/i.test(contentType) && !/^\s*[[{"]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createApi(opts: ClientOptions): Api {
  const { target, contract, recorder } = opts;

  function prepare(req: HttpRequest) {
    const url = buildUrl(target.url, req.path, req.query);
    const headers: Record<string, string> = { accept: "application/json", ...target.headers };
    if (target.apiKey) headers["x-api-key"] = target.apiKey;
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers["content-type"] = "application/json";
    } else if (req.body !== undefined) {
      body = req.body;
    }
    Object.assign(headers, req.headers ?? {});
    const pathname = new URL(url).pathname;
    const operation = contract?.findOperation(req.method, pathname);
    const reqBody = body === undefined ? undefined : excerpt(body);
    const record: ExchangeRecord = {
      phase: recorder.phase,
      ...(operation ? { operation: operation.key } : {}),
      request: {
        method: req.method.toUpperCase(),
        url: redactText(url),
        headers: redactHeaders(headers),
        ...(reqBody ? { body: reqBody.text, ...(reqBody.truncated ? { bodyTruncated: true } : {}) } : {}),
      },
      curl: curlLine({ method: req.method.toUpperCase(), url, headers, body }, target.identity),
      startedAt: new Date().toISOString(),
      durationMs: 0,
      violations: [],
    };
    recorder.exchanges.push(record);
    return { url, headers, body, operation, record };
  }

  function timeoutSignal(ms: number): { signal: AbortSignal; timedOut: () => boolean; clear: () => void } {
    const ctl = new AbortController();
    let fired = false;
    const timer = setTimeout(() => {
      fired = true;
      ctl.abort(new Error(`no complete response within ${ms} ms`));
    }, ms);
    const signal = opts.signal ? AbortSignal.any([opts.signal, ctl.signal]) : ctl.signal;
    return { signal, timedOut: () => fired, clear: () => clearTimeout(timer) };
  }

  function addViolations(record: ExchangeRecord, found: WireViolation[]) {
    if (found.length === 0) return;
    record.violations.push(...found);
    recorder.violations.push(...found);
  }

  async function send(req: HttpRequest, url: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal) {
    return fetch(url, { method: req.method.toUpperCase(), headers, body, signal, redirect: "manual" });
  }

  function transportFailure(record: ExchangeRecord, started: number, e: unknown, timedOut: boolean, timeoutMs: number): never {
    record.durationMs = Math.round(performance.now() - started);
    record.error = timedOut ? `no complete response within ${timeoutMs} ms` : opts.signal?.aborted ? "aborted: the check ran out of time" : describeError(e);
    throw new TransportError(`${record.request.method} ${record.request.url}: ${record.error}`, record);
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const { url, headers, body, operation, record } = prepare(req);
    const timeoutMs = req.timeoutMs ?? target.requestTimeoutMs;
    const t = timeoutSignal(timeoutMs);
    const started = performance.now();
    try {
      const res = await send(req, url, headers, body, t.signal);
      const { text, truncated } = await readBounded(res.body, MAX_BODY_BYTES, t.signal);
      if (t.signal.aborted) throw t.signal.reason ?? new Error("aborted");
      record.durationMs = Math.round(performance.now() - started);
      const resHeaders = headersToRecord(res.headers);
      const shown = excerpt(text);
      record.response = {
        status: res.status,
        headers: redactHeaders(resHeaders),
        body: shown.text,
        ...(shown.truncated || truncated ? { bodyTruncated: true } : {}),
      };
      if (operation && contract) {
        addViolations(record, contract.checkResponse(operation, { status: res.status, contentType: resHeaders["content-type"] ?? "", text, truncated }, req.expectSchema));
      }
      return { status: res.status, headers: resHeaders, text, json: parseJson(text, resHeaders["content-type"] ?? ""), record };
    } catch (e) {
      if (e instanceof TransportError) throw e;
      return transportFailure(record, started, e, t.timedOut(), timeoutMs);
    } finally {
      t.clear();
    }
  }

  async function stream(req: HttpRequest, sopts: StreamOptions = {}): Promise<StreamResponse> {
    const limits: SseLimits = { ...DEFAULT_SSE_LIMITS, timeoutMs: target.streamTimeoutMs, ...sopts.limits };
    const { url, headers, body, operation, record } = prepare({ ...req, headers: { accept: "text/event-stream", ...req.headers } });
    // Headers must arrive within the request timeout; the body is bounded by the stream limits.
    const headerTimeout = req.timeoutMs ?? target.requestTimeoutMs;
    const ctl = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, ctl.signal]) : ctl.signal;
    const started = performance.now();
    let headersTimedOut = false;
    const headerTimer = setTimeout(() => {
      headersTimedOut = true;
      ctl.abort(new Error(`no response headers within ${headerTimeout} ms`));
    }, headerTimeout);
    let res: Response;
    try {
      res = await send(req, url, headers, body, signal);
    } catch (e) {
      return transportFailure(record, started, e, headersTimedOut, headerTimeout);
    } finally {
      clearTimeout(headerTimer);
    }
    const resHeaders = headersToRecord(res.headers);
    const contentType = resHeaders["content-type"] ?? "";
    const isEventStream = contentType.split(";")[0]!.trim().toLowerCase() === "text/event-stream";
    const judged = sopts.validate !== false;
    let resBody = res.body;
    if (sopts.share) {
      let theirs: ReadableStream<Uint8Array> | null = null;
      if (resBody) [resBody, theirs] = resBody.tee();
      const nullBody = res.status === 204 || res.status === 205 || res.status === 304;
      sopts.share(new Response(nullBody ? null : theirs, { status: res.status, statusText: res.statusText, headers: res.headers }));
    }
    sopts.onHeaders?.(res.status, resHeaders);
    try {
      if (res.status >= 200 && res.status < 300 && isEventStream) {
        const readSignal = sopts.stop && opts.signal ? AbortSignal.any([opts.signal, sopts.stop]) : (sopts.stop ?? opts.signal);
        const sse = await readSse(resBody, limits, { onEvent: sopts.onEvent, signal: readSignal, startedAt: started });
        ctl.abort();
        record.durationMs = Math.round(performance.now() - started);
        const transcript = Buffer.from(sse.raw.subarray(0, STREAM_TRANSCRIPT_BYTES)).toString("utf8");
        record.response = { status: res.status, headers: redactHeaders(resHeaders) };
        record.stream = {
          transcript: redactText(transcript),
          transcriptTruncated: sse.bytes > STREAM_TRANSCRIPT_BYTES,
          events: sse.events.length,
          bytes: sse.bytes,
          end: sse.end,
        };
        if (sse.error) record.error = sse.error;
        if (operation && contract && judged) {
          addViolations(record, contract.checkResponse(operation, { status: res.status, contentType, text: "", truncated: false }));
        }
        if (opts.checkEvents && judged) addViolations(record, opts.checkEvents(operation?.key, sse));
        return { status: res.status, headers: resHeaders, text: "", json: undefined, sse, record };
      }
      // Not a stream (an error status, or the wrong media type): read it as a plain body.
      const t = timeoutSignal(headerTimeout);
      let text: string;
      let truncated: boolean;
      try {
        ({ text, truncated } = await readBounded(resBody, MAX_BODY_BYTES, t.signal));
      } finally {
        t.clear();
      }
      record.durationMs = Math.round(performance.now() - started);
      const shown = excerpt(text);
      record.response = { status: res.status, headers: redactHeaders(resHeaders), body: shown.text, ...(shown.truncated || truncated ? { bodyTruncated: true } : {}) };
      if (operation && contract && judged) addViolations(record, contract.checkResponse(operation, { status: res.status, contentType, text, truncated }));
      return { status: res.status, headers: resHeaders, text, json: parseJson(text, contentType), record };
    } catch (e) {
      return transportFailure(record, started, e, false, headerTimeout);
    } finally {
      ctl.abort();
    }
  }

  return {
    request,
    get: (path, o) => request({ ...o, method: "GET", path }),
    delete: (path, o) => request({ ...o, method: "DELETE", path }),
    post: (path, json, o) => request({ ...o, method: "POST", path, json }),
    put: (path, json, o) => request({ ...o, method: "PUT", path, json }),
    patch: (path, json, o) => request({ ...o, method: "PATCH", path, json }),
    stream,
  };
}
