// The SSE reader against the edge cases of web-platform-tests' eventsource/
// suite and the WHATWG algorithm: every stream is also fed split at every byte
// offset, since a reader must not depend on how the network chunks it.

import { describe, expect, it } from "vitest";
import { createSseParser, type SseEvent } from "../harness/sse";

type Ev = Pick<SseEvent, "event" | "data" | "lastEventId" | "id">;

function parse(chunks: Uint8Array[]): { events: Ev[]; comments: string[]; tail: ReturnType<ReturnType<typeof createSseParser>["end"]>; retry?: number } {
  const events: Ev[] = [];
  const comments: string[] = [];
  const p = createSseParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
  for (const c of chunks) p.push(c);
  const tail = p.end();
  return { events, comments, tail, ...(p.retry !== undefined ? { retry: p.retry } : {}) };
}

const bytes = (s: string | Uint8Array) => (typeof s === "string" ? new TextEncoder().encode(s) : s);

/** Parses whole, then split at every offset and byte by byte: all must agree. */
function parseEveryWay(input: string | Uint8Array) {
  const b = bytes(input);
  const whole = parse([b]);
  for (let i = 1; i < b.length; i++) {
    expect(parse([b.subarray(0, i), b.subarray(i)]), `split at byte ${i}`).toEqual(whole);
  }
  expect(parse(Array.from(b, (x) => Uint8Array.of(x))), "byte by byte").toEqual(whole);
  return whole;
}

const ev = (event: string, data: string, lastEventId = "", id?: string): Ev => ({ event, data, lastEventId, ...(id !== undefined ? { id } : {}) });

describe("SSE parser (WHATWG event stream interpretation)", () => {
  it("dispatches on a blank line with LF endings", () => {
    expect(parseEveryWay('event: values\ndata: {"a":1}\n\n').events).toEqual([ev("values", '{"a":1}')]);
  });

  it("accepts CRLF and lone CR line endings", () => {
    expect(parseEveryWay("data: one\r\n\r\ndata: two\r\rdata: three\n\n").events).toEqual([ev("message", "one"), ev("message", "two"), ev("message", "three")]);
  });

  it("does not take a CR, then CRLF, then LF for fewer line ends than there are", () => {
    // CR ends 'data: a'; CRLF ends an empty line (dispatch); LF ends another empty line.
    expect(parseEveryWay("data: a\r\r\n\ndata: b\n\n").events).toEqual([ev("message", "a"), ev("message", "b")]);
  });

  it("ignores one leading BOM, and only one", () => {
    const bom = "\uFEFF";
    expect(parseEveryWay(`${bom}data: x\n\n`).events).toEqual([ev("message", "x")]);
    // A second BOM is part of the first field name: an unknown field, ignored.
    expect(parseEveryWay(`${bom}${bom}data: x\n\n`).events).toEqual([]);
  });

  it("joins multi-line data with LF and drops the final LF", () => {
    expect(parseEveryWay("data: line1\ndata: line2\ndata\ndata:\n\n").events).toEqual([ev("message", "line1\nline2\n\n")]);
  });

  it("drops exactly one space after the colon", () => {
    expect(parseEveryWay("data:no-space\n\ndata:  two-spaces\n\n").events).toEqual([ev("message", "no-space"), ev("message", " two-spaces")]);
  });

  it("reports comments and does not dispatch them", () => {
    const r = parseEveryWay(": heartbeat\n\n:\ndata: x\n\n");
    expect(r.events).toEqual([ev("message", "x")]);
    expect(r.comments).toEqual([" heartbeat", ""]);
  });

  it("keeps the last event id across events and records the id given in each block", () => {
    expect(parseEveryWay("id: 1\ndata: a\n\ndata: b\n\nid: 3\ndata: c\n\nid\ndata: d\n\n").events).toEqual([
      ev("message", "a", "1", "1"),
      ev("message", "b", "1"),
      ev("message", "c", "3", "3"),
      ev("message", "d", "", ""),
    ]);
  });

  it("ignores an id containing NUL", () => {
    expect(parseEveryWay("id: 7\ndata: a\n\nid: 8\u0000x\ndata: b\n\n").events).toEqual([ev("message", "a", "7", "7"), ev("message", "b", "7")]);
  });

  it("takes retry only when it is all digits", () => {
    expect(parseEveryWay("retry: 1500\n\n").retry).toBe(1500);
    expect(parseEveryWay("retry: 15x\n\n").retry).toBeUndefined();
  });

  it("does not dispatch a block without data, and resets its event type", () => {
    expect(parseEveryWay("event: lonely\n\ndata: x\n\n").events).toEqual([ev("message", "x")]);
  });

  it("ignores unknown fields and a field line without a colon", () => {
    expect(parseEveryWay("foo: bar\nevent: values\nbaz\ndata: 1\n\n").events).toEqual([ev("values", "1")]);
  });

  it("discards an event cut before its blank line, and says so", () => {
    const r = parseEveryWay("data: complete\n\nevent: values\ndata: cut");
    expect(r.events).toEqual([ev("message", "complete")]);
    expect(r.tail).toEqual({ unterminatedLine: "data: cut", pendingEvent: true });
    const r2 = parseEveryWay("data: complete\n\ndata: no-blank-line\n");
    expect(r2.events).toEqual([ev("message", "complete")]);
    expect(r2.tail).toEqual({ unterminatedLine: "", pendingEvent: true });
  });

  it("reports a clean end as nothing pending", () => {
    expect(parseEveryWay("data: a\n\n").tail).toEqual({ unterminatedLine: "", pendingEvent: false });
  });

  it("decodes UTF-8 split across chunks and replaces invalid bytes", () => {
    expect(parseEveryWay("data: h\u00e9llo \u2603 \u{1F600}\n\n").events).toEqual([ev("message", "h\u00e9llo \u2603 \u{1F600}")]);
    const invalid = new Uint8Array([...bytes("data: a"), 0xff, ...bytes("b\n\n")]);
    expect(parse([invalid]).events).toEqual([ev("message", "a\uFFFDb")]);
  });
});
