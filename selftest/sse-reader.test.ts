// The bounded reader: a stream that never ends, stalls, floods or breaks ends
// the read within its bounds, with what was received kept.

import { describe, expect, it } from "vitest";
import { readSse, type SseLimits } from "../harness/sse";

const enc = new TextEncoder();

function streamOf(parts: Array<string | { waitMs: number } | { error: string }>, opts: { endless?: boolean } = {}): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    async pull(ctl) {
      for (;;) {
        if (i >= parts.length) {
          if (opts.endless) {
            await new Promise((r) => setTimeout(r, 10_000));
            continue;
          }
          ctl.close();
          return;
        }
        const p = parts[i++]!;
        if (typeof p === "string") return ctl.enqueue(enc.encode(p));
        if ("waitMs" in p) await new Promise((r) => setTimeout(r, p.waitMs));
        else return ctl.error(new Error(p.error));
      }
    },
  });
}

const limits = (o: Partial<SseLimits> = {}): SseLimits => ({ timeoutMs: 2_000, idleMs: 1_000, maxEvents: 100, maxBytes: 1 << 20, ...o });

describe("readSse bounds", () => {
  it("reads to the end of a well-formed stream", async () => {
    const r = await readSse(streamOf(["event: metadata\ndata: {}\n\n", "event: end\ndata: null\n\n"]), limits());
    expect(r.end).toBe("eof");
    expect(r.events.map((e) => e.event)).toEqual(["metadata", "end"]);
    expect(new TextDecoder().decode(r.raw)).toBe("event: metadata\ndata: {}\n\nevent: end\ndata: null\n\n");
  });

  it("stops a stream that never ends at its time limit", async () => {
    const t0 = performance.now();
    const r = await readSse(streamOf(["data: 1\n\n", { waitMs: 100 }, ": ping\n\n", { waitMs: 100 }, ": ping\n\n"], { endless: true }), limits({ timeoutMs: 600, idleMs: 5_000 }));
    const took = performance.now() - t0;
    expect(r.end).toBe("timeout");
    expect(took).toBeLessThan(3_000);
    expect(r.events).toHaveLength(1);
    expect(r.comments).toEqual([" ping", " ping"]);
  });

  it("stops a stalled stream at its idle limit", async () => {
    const r = await readSse(streamOf(["data: 1\n\n"], { endless: true }), limits({ timeoutMs: 10_000, idleMs: 300 }));
    expect(r.end).toBe("idle");
  });

  it("stops at the event limit", async () => {
    const r = await readSse(streamOf(Array.from({ length: 50 }, (_, i) => `data: ${i}\n\n`)), limits({ maxEvents: 5 }));
    expect(r.end).toBe("max-events");
    expect(r.events).toHaveLength(5);
  });

  it("stops at the byte limit and keeps no more than it", async () => {
    const r = await readSse(streamOf(Array.from({ length: 50 }, () => `data: ${"x".repeat(100)}\n\n`)), limits({ maxBytes: 1000 }));
    expect(r.end).toBe("max-bytes");
    expect(r.raw.byteLength).toBeLessThanOrEqual(1000);
  });

  it("describes a stream cut by an error, keeping what came before", async () => {
    const r = await readSse(streamOf(["data: 1\n\n", "data: par", { error: "socket hang up" }]), limits());
    expect(r.end).toBe("error");
    expect(r.error).toContain("socket hang up");
    expect(r.events).toHaveLength(1);
    expect(r.unterminatedLine).toBe("data: par");
    expect(r.pendingEvent).toBe(true);
  });

  it("lets the caller stop after an event it was waiting for", async () => {
    const r = await readSse(streamOf(["data: 1\n\n", "data: 2\n\n", "data: 3\n\n"], { endless: true }), limits(), { onEvent: (e) => (e.data === "2" ? "stop" : undefined) });
    expect(r.end).toBe("stopped");
    expect(r.events.map((e) => e.data)).toEqual(["1", "2"]);
  });

  it("stops when the check is aborted", async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 200);
    const r = await readSse(streamOf(["data: 1\n\n"], { endless: true }), limits({ timeoutMs: 10_000, idleMs: 10_000 }), { signal: ctl.signal });
    expect(r.end).toBe("stopped");
  });
});
