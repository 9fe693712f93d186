// The fault proxy keeps a stream's timing (issue 19, item 3): the headers of an
// event stream reach the client as soon as the upstream sends them, a stream
// transform forwards each event as it arrives (not once the upstream has
// ended), and a client that leaves mid-run leaves the upstream too. And the
// proxy's legal variations of HTTP (gzip, Content-Length, Connection: close,
// pieces of one byte) and of event streams give the same events to a client.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSseParser } from "../harness/sse";
import { mutant } from "../scripts/mutants/catalogue";
import { dropLast, dropNamed } from "../scripts/mutants/faults";
import { cutAfter, editEvents, eventBlocks, startProxy, type Fault, type StreamTransform } from "../scripts/mutants/proxy";

/** An upstream that streams events when told to, and tells when its client went away. */
function controlledUpstream() {
  let res: ServerResponse | undefined;
  let gotRequest!: () => void;
  const requested = new Promise<void>((r) => (gotRequest = r));
  let clientLeft!: () => void;
  const left = new Promise<void>((r) => (clientLeft = r));
  const server: Server = createServer((req: IncomingMessage, r: ServerResponse) => {
    if (req.url === "/json") {
      r.writeHead(200, { "content-type": "application/json" });
      r.end(JSON.stringify({ text: "héllo, wörld ✓", list: [1, 2.5, { deep: true }] }));
      return;
    }
    res = r;
    r.on("close", () => {
      if (!r.writableFinished) clientLeft();
    });
    r.writeHead(200, { "content-type": "text/event-stream", "x-upstream": "1" });
    r.flushHeaders();
    gotRequest();
  });
  return {
    server,
    requested,
    left,
    send: (text: string) => res!.write(text),
    end: () => res!.end(),
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  };
}

/** Reads events from a response body as they come (the harness's own SSE parser). */
function eventReader(body: ReadableStream<Uint8Array>) {
  const events: Array<{ event: string; data: string }> = [];
  const waiters: Array<() => void> = [];
  const parser = createSseParser({
    onEvent: (e) => {
      events.push({ event: e.event, data: e.data });
      for (const w of waiters.splice(0)) w();
    },
  });
  const reader = body.getReader();
  const done = (async () => {
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) return;
      parser.push(value);
    }
  })().catch(() => undefined);
  return {
    events,
    done,
    reader,
    /** Resolves once `n` events have arrived, rejects after `ms`. */
    until: (n: number, ms = 5_000) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`only ${events.length} of ${n} events within ${ms} ms`)), ms);
        const check = () => {
          if (events.length >= n) {
            clearTimeout(t);
            resolve();
          } else waiters.push(check);
        };
        check();
      }),
  };
}

const within = <T>(p: Promise<T>, ms: number, what: string) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

describe("a stream transform keeps the stream's timing", () => {
  const transforms: Array<[string, StreamTransform]> = [
    ["editEvents (an event edited)", editEvents((e) => e.replace("one", "ONE"))],
    ["dropNamed (events dropped by name)", dropNamed("custom")],
    ["cutAfter(5) (a stream cut midway)", cutAfter(5)],
    ["dropLast (the last event: held by one event only)", dropLast()],
    ["stream-mixed-line-endings (a catalogue mutant)", mutant("stream-mixed-line-endings").fault().stream!],
    ["stream-subgraph-events-last (events moved to the end; the others pass)", mutant("stream-subgraph-events-last").fault().stream!],
  ];
  for (const [name, transform] of transforms) {
    it(`${name}: headers at once, the first event before the upstream ends, and a client that leaves leaves the upstream`, { timeout: 20_000 }, async () => {
      const up = controlledUpstream();
      await new Promise<void>((r) => up.server.listen(0, "127.0.0.1", r));
      const proxy = await startProxy(up.url(), { name, stream: transform });
      const client = new AbortController();
      try {
        const res = await within(fetch(`${proxy.url}/threads/x/runs/stream`, { method: "POST", body: "{}", signal: client.signal }), 5_000, "the headers");
        // The upstream has sent its headers and no event yet: the client has them.
        expect(res.status).toBe(200);
        expect(res.headers.get("x-upstream")).toBe("1");
        await up.requested;
        const read = eventReader(res.body!);
        up.send("event: metadata\ndata: one\n\n");
        up.send("event: values\ndata: two\n\n");
        // The first event arrives while the upstream is still open (it has not ended, and will not until the client leaves).
        await read.until(1);
        expect(read.events[0]!.data).toMatch(/one/i);
        client.abort();
        await within(up.left, 5_000, "the upstream seeing the client leave");
      } finally {
        client.abort();
        await proxy.close();
        await new Promise<void>((r) => up.server.close(() => r()));
      }
    });
  }

  it("with no transform, and through gzip: events pass as they come", { timeout: 20_000 }, async () => {
    for (const fault of [{ name: "none" }, { name: "gzip", wire: { gzip: true } }] as Fault[]) {
      const up = controlledUpstream();
      await new Promise<void>((r) => up.server.listen(0, "127.0.0.1", r));
      const proxy = await startProxy(up.url(), fault);
      const client = new AbortController();
      try {
        const res = await fetch(`${proxy.url}/stream`, { signal: client.signal });
        if (fault.wire?.gzip) expect(res.headers.get("content-encoding")).toBe("gzip");
        await up.requested;
        const read = eventReader(res.body!);
        up.send("event: metadata\ndata: one\n\n");
        await read.until(1);
        up.send("event: values\ndata: two\n\n");
        await read.until(2);
        up.end();
        await within(read.done, 5_000, "the end");
        expect(read.events.map((e) => e.data)).toEqual(["one", "two"]);
      } finally {
        client.abort();
        await proxy.close();
        await new Promise<void>((r) => up.server.close(() => r()));
      }
    }
  });
});

describe("eventBlocks", () => {
  const text = "event: a\ndata: é✓𝄞\n\nevent: b\r\ndata: x\r\n\r\n: c\r\rdata: tail";
  const bytes = new TextEncoder().encode(text);
  async function* chunks(size: number) {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  it("gives the same blocks whatever the chunks (one byte each too: characters and CRLF split across chunks)", async () => {
    const read = async (size: number) => {
      const out: string[] = [];
      for await (const p of eventBlocks(chunks(size))) out.push(`${p.complete ? "" : "(rest)"}${p.text}`);
      return out;
    };
    const whole = await read(bytes.length);
    expect(whole).toEqual(["event: a\ndata: é✓𝄞\n\n", "event: b\r\ndata: x\r\n\r\n", ": c\r\r", "(rest)data: tail"]);
    for (const size of [1, 2, 3, 7]) expect(await read(size), `chunks of ${size}`).toEqual(whole);
  });
});

describe("the wire variations of the equivalence mutants", () => {
  let up: ReturnType<typeof controlledUpstream>;
  beforeAll(async () => {
    up = controlledUpstream();
    await new Promise<void>((r) => up.server.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    await new Promise<void>((r) => up.server.close(() => r()));
  });
  for (const id of ["eq-gzip", "eq-content-length", "eq-connection-close", "eq-one-byte-chunks", "eq-header-order", "eq-json-key-order", "eq-json-escapes", "eq-json-numbers", "eq-charset"]) {
    it(`${id}: a JSON answer reads the same`, async () => {
      const proxy = await startProxy(up.url(), { name: id, ...mutant(id).fault() });
      try {
        const res = await fetch(`${proxy.url}/json`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ text: "héllo, wörld ✓", list: [1, 2.5, { deep: true }] });
        if (id === "eq-gzip") expect(res.headers.get("content-encoding")).toBe("gzip");
        if (id === "eq-content-length") expect(res.headers.get("content-length")).not.toBeNull();
        if (id === "eq-connection-close") expect(res.headers.get("connection")).toBe("close");
      } finally {
        await proxy.close();
      }
    });
  }
});
