// Server-sent events, read the way a browser's EventSource reads them (WHATWG
// HTML, "Interpreting an event stream"), with the raw bytes kept so that the
// framing can be judged separately, and with every read bounded in time,
// events and bytes.

import type { StreamEnd } from "./model";

/**
 * An event's data as JSON in one spelling (escapes and spacing as JSON.stringify
 * writes them), or the data as sent where it is not JSON: what a check searches,
 * so that `"\u0073econd"` is `"second"`, as for any JSON reader.
 */
export function canonicalData(data: string): string {
  try {
    return JSON.stringify(JSON.parse(data));
  } catch {
    return data;
  }
}

export interface SseEvent {
  /** The event type: the last `event` field of the block, or "message". */
  event: string;
  /** The data lines joined with "\n" (the final newline removed), as EventSource delivers it. */
  data: string;
  /** The last event ID after this block (persists across events, as in EventSource). */
  lastEventId: string;
  /** The value of the `id` field given in this very block, if there was one. */
  id?: string;
  /** Milliseconds since the stream was opened, when the event was dispatched. */
  atMs: number;
  index: number;
}

export interface SseParser {
  push(chunk: Uint8Array): void;
  /** The stream ended. Returns what the spec says to discard: an unterminated last line or event. */
  end(): { unterminatedLine: string; pendingEvent: boolean };
  readonly retry: number | undefined;
}

export interface SseHandlers {
  onEvent(ev: Omit<SseEvent, "atMs" | "index">): void;
  onComment?(text: string): void;
}

/**
 * The WHATWG event-stream interpretation: UTF-8 decoding with one leading BOM
 * ignored; lines end at CRLF, LF or CR; a blank line dispatches; a line starting
 * with ":" is a comment; one space after the colon is dropped; unknown fields
 * are ignored.
 */
export function createSseParser(handlers: SseHandlers): SseParser {
  const decoder = new TextDecoder("utf-8"); // strips one leading BOM; replaces invalid bytes
  let buffer = "";
  let lastCharWasCR = false;
  let data = "";
  let eventType = "";
  let lastEventId = "";
  let blockId: string | undefined;
  let fieldsSinceDispatch = false;
  let retry: number | undefined;

  function dispatch() {
    fieldsSinceDispatch = false;
    const id = blockId;
    blockId = undefined;
    if (data === "") {
      eventType = "";
      return;
    }
    const payload = data.endsWith("\n") ? data.slice(0, -1) : data;
    const type = eventType === "" ? "message" : eventType;
    data = "";
    eventType = "";
    handlers.onEvent({ event: type, data: payload, lastEventId, ...(id !== undefined ? { id } : {}) });
  }

  function processLine(line: string) {
    if (line === "") return dispatch();
    if (line.startsWith(":")) {
      handlers.onComment?.(line.slice(1));
      return;
    }
    fieldsSinceDispatch = true;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        eventType = value;
        break;
      case "data":
        data += value + "\n";
        break;
      case "id":
        if (!value.includes("\u0000")) {
          lastEventId = value;
          blockId = value;
        }
        break;
      case "retry":
        if (/^[0-9]+$/.test(value)) retry = Number(value);
        break;
      default:
        break; // ignored, as the standard says
    }
  }

  function consume(text: string) {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* LF */) {
        if (lastCharWasCR && i === start && buffer === "") {
          // second half of a CRLF split across chunks
          lastCharWasCR = false;
          start = i + 1;
          continue;
        }
        processLine(buffer + text.slice(start, i));
        buffer = "";
        start = i + 1;
        lastCharWasCR = false;
      } else if (c === 13 /* CR */) {
        processLine(buffer + text.slice(start, i));
        buffer = "";
        if (text.charCodeAt(i + 1) === 10) {
          i++;
          lastCharWasCR = false;
        } else {
          lastCharWasCR = i === text.length - 1;
        }
        start = i + 1;
      } else {
        lastCharWasCR = false;
      }
    }
    buffer += text.slice(start);
  }

  return {
    push(chunk) {
      consume(decoder.decode(chunk, { stream: true }));
    },
    end() {
      consume(decoder.decode());
      const unterminatedLine = buffer;
      buffer = "";
      return { unterminatedLine, pendingEvent: fieldsSinceDispatch || unterminatedLine !== "" };
    },
    get retry() {
      return retry;
    },
  };
}

export interface SseLimits {
  /** Total time for the whole stream. */
  timeoutMs: number;
  /** Longest silence between two chunks before giving up. */
  idleMs?: number;
  maxEvents: number;
  /** Bytes read at most; raw bytes kept for judging are bounded by the same figure. */
  maxBytes: number;
}

export const DEFAULT_SSE_LIMITS: SseLimits = {
  timeoutMs: 60_000,
  idleMs: 30_000,
  maxEvents: 5_000,
  maxBytes: 8 * 1024 * 1024,
};

export interface SseReadResult {
  events: SseEvent[];
  comments: string[];
  /** The raw bytes as received (bounded by maxBytes). */
  raw: Uint8Array;
  bytes: number;
  end: StreamEnd;
  /** A transport error that ended the stream (reset, aborted by the peer). */
  error?: string;
  /** What the standard discards at the end: an unterminated final line or event. */
  unterminatedLine: string;
  pendingEvent: boolean;
  retry?: number;
  durationMs: number;
}

export type OnSseEvent = (ev: SseEvent) => void | "stop" | Promise<void | "stop">;

/**
 * Reads an event stream to its end or to the first bound it reaches. Never
 * throws for what the peer does: a reset, a stall or garbage ends the read and
 * is described in the result.
 */
export async function readSse(body: ReadableStream<Uint8Array> | null, limits: SseLimits, opts: { onEvent?: OnSseEvent; signal?: AbortSignal; startedAt?: number } = {}): Promise<SseReadResult> {
  const started = opts.startedAt ?? performance.now();
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let end: StreamEnd = "eof";
  let error: string | undefined;
  let stop = false;
  const queued: Array<Omit<SseEvent, "atMs" | "index">> = [];
  const parser = createSseParser({
    onEvent: (ev) => queued.push(ev),
    onComment: (c) => comments.push(c),
  });

  const finish = (): SseReadResult => {
    const tail = parser.end();
    const raw = concat(chunks, Math.min(bytes, limits.maxBytes));
    return {
      events,
      comments,
      raw,
      bytes,
      end,
      ...(error ? { error } : {}),
      unterminatedLine: tail.unterminatedLine,
      pendingEvent: tail.pendingEvent,
      ...(parser.retry !== undefined ? { retry: parser.retry } : {}),
      durationMs: Math.round(performance.now() - started),
    };
  };

  if (!body) return finish();
  const reader = body.getReader();
  const deadline = started + limits.timeoutMs;

  try {
    while (!stop) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        end = "timeout";
        break;
      }
      const idleBound = limits.idleMs !== undefined && limits.idleMs < remaining;
      const next = await raceTimeout(reader.read(), idleBound ? limits.idleMs! : remaining, opts.signal);
      if (next === TIMEOUT) {
        end = idleBound ? "idle" : "timeout";
        break;
      }
      if (next === ABORTED) {
        end = "stopped";
        break;
      }
      if (next.done) break;
      const chunk = next.value;
      const room = limits.maxBytes - bytes;
      if (room > 0) chunks.push(room >= chunk.byteLength ? chunk : chunk.subarray(0, room));
      bytes += chunk.byteLength;
      parser.push(chunk);
      while (queued.length > 0) {
        const ev: SseEvent = { ...queued.shift()!, atMs: Math.round(performance.now() - started), index: events.length };
        if (events.length >= limits.maxEvents) {
          end = "max-events";
          stop = true;
          break;
        }
        events.push(ev);
        if (opts.onEvent && (await opts.onEvent(ev)) === "stop") {
          end = "stopped";
          stop = true;
          break;
        }
      }
      if (!stop && bytes >= limits.maxBytes) {
        end = "max-bytes";
        break;
      }
    }
  } catch (e) {
    end = "error";
    error = describeError(e);
  } finally {
    // Closing our side is what ends a stream that never ends.
    reader.cancel().catch(() => undefined);
  }
  return finish();
}

const TIMEOUT = Symbol("timeout");
const ABORTED = Symbol("aborted");

function raceTimeout<T>(p: Promise<T>, ms: number, signal?: AbortSignal): Promise<T | typeof TIMEOUT | typeof ABORTED> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return resolve(ABORTED);
    const timer = setTimeout(() => done(TIMEOUT), ms);
    const onAbort = () => done(ABORTED);
    signal?.addEventListener("abort", onAbort, { once: true });
    function done(v: T | typeof TIMEOUT | typeof ABORTED) {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(v);
    }
    p.then(done, (e) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      reject(e);
    });
  });
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    const n = Math.min(c.byteLength, total - offset);
    out.set(c.subarray(0, n), offset);
    offset += n;
    if (offset >= total) break;
  }
  return out;
}

export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const code = (cause as { code?: string } | undefined)?.code ?? (e as { code?: string }).code;
    const causeMsg = cause instanceof Error ? cause.message : undefined;
    return [e.message, causeMsg && causeMsg !== e.message ? causeMsg : undefined, code ? `(${code})` : undefined].filter(Boolean).join(": ");
  }
  return String(e);
}
