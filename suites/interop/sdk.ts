// The official JS client (@langchain/langgraph-sdk) pointed at the target,
// with every request it makes passed through the suite's one HTTP path: the
// SDK gets the response as the server sent it (its body teed), while the suite
// records the exchange as evidence and reads the very same bytes with its own
// WHATWG reader. So "the SDK and our reader see the same events" compares two
// readings of one stream, not two runs.

import { createRequire } from "node:module";
import { Client } from "@langchain/langgraph-sdk";
import type { CheckContext } from "../../harness/check";
import { deepEqual, fail } from "../../harness/expect";
import type { StreamOptions, StreamResponse } from "../../harness/http";
import { expectStreamEnded, parseEventData, streamTimeoutMs, type OpenedStream } from "../_support/runs";

const require = createRequire(import.meta.url);
export const SDK_VERSION: string = `@langchain/langgraph-sdk ${require("@langchain/langgraph-sdk/package.json").version}`;

export interface Tapped {
  client: Client;
  /** What the suite read of each request the SDK made, in order. */
  readings: Array<Promise<StreamResponse>>;
  /** Aborts the SDK's requests (the check's bound for the SDK). */
  signal: AbortSignal;
}

function headerRecord(h: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(h ?? {}).forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

/**
 * A Client whose requests all go through the check's api (recorded, bounded,
 * read by our reader too). `read` adds options to our reading of every
 * response (a stop condition for a stream that stays open, a hook on headers).
 */
export function tappedClient(c: CheckContext, read: Pick<StreamOptions, "onEvent" | "onHeaders" | "limits"> = {}): Tapped {
  const base = c.run.target.url.replace(/\/+$/, "");
  const readings: Tapped["readings"] = [];
  const signal = AbortSignal.any([c.signal, AbortSignal.timeout(streamTimeoutMs() + 5_000)]);

  const tapFetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    if (!url.startsWith(base)) return Promise.reject(new Error(`the SDK asked for ${url}, outside the target ${base}`));
    const body = typeof init.body === "string" ? init.body : undefined;
    return new Promise<Response>((resolve, reject) => {
      let handed = false;
      const reading = c.api.stream(
        { method: (init.method ?? "GET").toUpperCase(), path: url.slice(base.length) || "/", headers: headerRecord(init.headers), ...(body !== undefined ? { body } : {}) },
        {
          ...read,
          share: (res) => {
            handed = true;
            resolve(res);
          },
        },
      );
      readings.push(reading);
      reading.then(
        () => {
          if (!handed) reject(new Error("no response to hand to the SDK"));
        },
        (e) => reject(e),
      );
    });
  };

  const client = new Client({
    apiUrl: base,
    // null: never an API key from the environment, only the target's own.
    apiKey: c.run.target.apiKey ?? null,
    defaultHeaders: c.run.target.headers,
    // The suite's bounds apply; the SDK retries nothing on its own.
    callerOptions: { fetch: tapFetch as typeof fetch, maxRetries: 0 },
  });
  return { client, readings, signal };
}

export interface SdkPart {
  event: string;
  data: unknown;
}

/** Iterates what the SDK yields (up to the part `until` accepts), keeping what it saw and the error it threw, if any. */
export async function drain(parts: AsyncIterable<{ event: string; data: unknown }>, until?: (p: SdkPart) => boolean): Promise<{ parts: SdkPart[]; error?: string }> {
  const out: SdkPart[] = [];
  try {
    for await (const p of parts) {
      out.push({ event: p.event, data: p.data });
      if (until?.(out.at(-1)!)) break;
    }
    return { parts: out };
  } catch (e) {
    const err = e as Error & { status?: number };
    return { parts: out, error: `${err.name}: ${err.message}${err.status ? ` (HTTP ${err.status})` : ""}` };
  }
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 160 ? `${s.slice(0, 160)}…` : s;
}

/**
 * The SDK's events and our reader's events of the same bytes are the same:
 * names and data, in order. Fails with the first difference.
 */
export async function expectAgreement(c: CheckContext, tapped: Tapped, sdk: { parts: SdkPart[]; error?: string }, what: string, opts: { ends?: boolean } = {}): Promise<StreamResponse> {
  const readings = await Promise.all(tapped.readings);
  const stream = readings.find((r) => r.sse) ?? readings.at(-1);
  c.note(`${SDK_VERSION}: ${what}: made ${readings.length} request(s) (${readings.map((r) => `${r.record.request.method} ${new URL(r.record.request.url).pathname} → ${r.status}`).join(", ")})`);
  c.note(`${SDK_VERSION} yielded ${sdk.parts.length} events: ${sdk.parts.map((p) => p.event).join(", ") || "none"}${sdk.error ? `; then threw ${sdk.error}` : ""}`);
  if (!stream) fail(`the SDK made no request for ${what}`);
  if (!stream.sse)
    fail(
      `${what}: the target answered ${stream.status} ${stream.headers["content-type"] ?? ""}, not an event stream, so there is nothing to compare (the SDK ${sdk.error ? `threw ${sdk.error}` : `yielded ${sdk.parts.length} events`})`,
      stream,
    );
  const ours = stream.sse.events.map((e) => {
    const d = parseEventData(e.data);
    return { event: e.event, data: d.ok ? d.value : `<not JSON: ${e.data.slice(0, 80)}>` };
  });
  c.note(`our reader read ${ours.length} events of the same bytes (the stream ended: ${stream.sse.end})`);
  // A run stream that does not end is the server's failure, whatever the SDK then made of being cut off.
  if (opts.ends !== false) expectStreamEnded(stream as OpenedStream, what);
  if (sdk.error) {
    fail(`the official client (${SDK_VERSION}) could not read ${what}: after ${sdk.parts.length} of the ${ours.length} events our reader read, it threw ${sdk.error}`, stream);
  }
  const n = Math.max(ours.length, sdk.parts.length);
  for (let i = 0; i < n; i++) {
    const a = sdk.parts[i];
    const b = ours[i];
    if (a && b && a.event === b.event && deepEqual(a.data, b.data)) continue;
    fail(
      `the official client (${SDK_VERSION}) and the WHATWG reading of the same bytes disagree on ${what} at event #${i}: the SDK ${a ? `saw '${a.event}' ${show(a.data)}` : "saw no more events"}, our reader ${b ? `'${b.event}' ${show(b.data)}` : "saw no more events"} (SDK ${sdk.parts.length} events, ours ${ours.length})`,
      stream,
    );
  }
  return stream;
}
