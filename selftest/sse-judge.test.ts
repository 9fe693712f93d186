// The framing judge on hand-made byte streams: each rule broken once, and the
// exact rules that fail asserted, so that every framing check is shown to be
// able to fail, and to fail alone.

import { describe, expect, it } from "vitest";
import { compareIds, judgeFraming, type FramingInput, type FramingRule } from "../harness/sse-judge";

const enc = (s: string) => new TextEncoder().encode(s);
const GOOD = 'event: metadata\ndata: {"run_id":"r1"}\nid: 1\n\nevent: values\ndata: {"a":1}\nid: 2\n\n: heartbeat\n\nevent: end\ndata: null\nid: 3\n\n';

function rules(raw: string | Uint8Array, o: Partial<FramingInput> = {}): FramingRule[] {
  const r = judgeFraming({
    contentType: "text/event-stream; charset=utf-8",
    raw: typeof raw === "string" ? enc(raw) : raw,
    complete: true,
    finalEvents: ["end", "error"],
    knownEvents: (n) => ["metadata", "values", "end", "error"].includes(n),
    ...o,
  });
  return [...new Set(r.findings.map((f) => f.rule))].sort();
}

describe("SSE framing judge", () => {
  it("finds nothing wrong with a well-formed stream", () => {
    expect(rules(GOOD)).toEqual([]);
    expect(rules(GOOD.replace(/\n/g, "\r\n"))).toEqual([]);
    expect(rules(GOOD.replace(/\n/g, "\r"))).toEqual([]);
    expect(rules("\uFEFF" + GOOD), "one leading BOM is allowed").toEqual([]);
  });

  const broken: Array<[string, string | Uint8Array, FramingRule[], Partial<FramingInput>?]> = [
    ["a wrong content type", GOOD, ["content-type"], { contentType: "application/json" }],
    ["a charset other than UTF-8", GOOD, ["content-type"], { contentType: "text/event-stream; charset=iso-8859-1" }],
    ["invalid UTF-8", new Uint8Array([...enc('event: values\ndata: "'), 0xc3, 0x28, ...enc('"\n\n')]), ["utf8"]],
    ["a line that is neither field nor comment", 'event: values\nDATA: {"a":1}\ndata: {}\n\n', ["line-fields"]],
    ["mixed CRLF and LF", "event: values\r\ndata: {}\n\n", ["line-endings"]],
    ["a missing blank line after the last event", "event: values\ndata: {}\n", ["event-terminated"]],
    ["a last line without a line ending", "event: values\ndata: {}", ["event-terminated"]],
    ["data that is not JSON", 'event: values\ndata: {"a":\n\n', ["data-json"]],
    ["multi-line data that joins into JSON", 'event: values\ndata: {"a":\ndata: 1}\n\n', []],
    ["an id that goes backwards", "event: values\ndata: {}\nid: 5\n\nevent: values\ndata: {}\nid: 4\n\n", ["ids-increase"]],
    ["an id used twice", "event: values\ndata: {}\nid: 5\n\nevent: values\ndata: {}\nid: 5\n\n", ["ids-increase"]],
    ["an event after the final one", "event: end\ndata: null\n\nevent: values\ndata: {}\n\n", ["nothing-after-final"]],
    ["an undocumented event with data (the stream contract judges its name, SSE-007)", "event: ping\ndata: {}\n\nevent: values\ndata: {}\n\n", []],
    ["a heartbeat block without data", "event: ping\n\nevent: values\ndata: {}\n\n", ["heartbeats"]],
  ];
  for (const [what, raw, expected, o] of broken) {
    it(`flags ${what}: ${expected.join(", ") || "nothing"}`, () => expect(rules(raw, o)).toEqual(expected));
  }

  // The WHATWG edge cases (web-platform-tests eventsource/ has the catalogue): each is conforming.
  const conforming: Array<[string, string | Uint8Array]> = [
    ["CR line endings throughout", "event: values\rdata: {}\r\r"],
    ["a field without a space after the colon", 'event:values\ndata:{"a":1}\n\n'],
    ["two spaces after the colon (only one is removed)", 'event: values\ndata:  {"a":1}\n\n'],
    ["data split over several lines, joined with LF into JSON", 'event: values\ndata: {\ndata: "a": 1\ndata: }\n\n'],
    ["a data field with no colon (empty data, read as null)", "event: end\ndata\n\n"],
    ["empty data (read as null by the contract)", "event: end\ndata:\n\n"],
    ["comments anywhere, also inside an event", ": hello\nevent: values\n: inside\ndata: {}\n\n:bye\n\n"],
    ["a block with only an id (sets the last event id, dispatches nothing)", "id: 7\n\nevent: values\ndata: {}\nid: 8\n\n"],
    ["a retry field of digits", "retry: 1500\n\nevent: values\ndata: {}\n\n"],
    ["blank lines between events", "event: values\ndata: {}\n\n\n\nevent: values\ndata: {}\n\n"],
    ["end after an error", 'event: error\ndata: {"error":"E","message":"m"}\n\nevent: end\ndata: null\n\n'],
    ["a subgraph's error followed by more events (not final)", 'event: error|child:1\ndata: {"error":"E","message":"m"}\n\nevent: values\ndata: {}\n\n'],
    ["a multi-byte character split nowhere special", 'event: values\ndata: {"a":"h\u00e9llo \u{1F600}"}\n\n'],
  ];
  const finals = { end: [], error: ["end"] };
  for (const [what, raw] of conforming) {
    it(`accepts ${what}`, () => expect(rules(raw, { finalEvents: finals, knownEvents: (n) => ["metadata", "values", "end", "error"].includes(n.split("|")[0]!) })).toEqual([]));
  }

  const brokenToo: Array<[string, string | Uint8Array, FramingRule[]]> = [
    ["a retry that is not digits", "retry: soon\n\nevent: values\ndata: {}\n\n", ["line-fields"]],
    // The second BOM makes the first field an unknown one, so the event loses its name too ('message').
    ["a second BOM (part of the first field's name)", "\uFEFF\uFEFFevent: values\ndata: {}\n\n", ["line-fields"]],
    ["an id containing U+0000", "event: values\ndata: {}\nid: 1\u00002\n\n", ["ids-increase"]],
    ["a values event after an error", 'event: error\ndata: {"error":"E","message":"m"}\n\nevent: values\ndata: {}\n\n', ["nothing-after-final"]],
    ["a second end after an error and an end", 'event: error\ndata: {"error":"E","message":"m"}\n\nevent: end\ndata: null\n\nevent: end\ndata: null\n\n', ["nothing-after-final"]],
    ["an event name with no data at the end", "event: values\ndata: {}\n\nevent: end\n\n", ["heartbeats"]],
  ];
  for (const [what, raw, expected] of brokenToo) {
    it(`flags ${what}: ${expected.join(", ")}`, () => expect(rules(raw, { finalEvents: finals })).toEqual(expected));
  }

  it("does not blame the end of a stream that was cut by the suite's own bounds", () => {
    expect(rules('event: values\ndata: {}\n\nevent: values\ndata: {"a"', { complete: false })).toEqual([]);
  });

  it("points at the byte where the problem is", () => {
    const r = judgeFraming({ contentType: "text/event-stream", raw: enc("data: {}\n\ndata: x\n\n"), complete: true });
    expect(r.findings).toEqual([{ rule: "data-json", message: "event 'message' has data that is not JSON: 'x'", at: 10 }]);
  });

  it("orders ids numerically where they are numbers, as redis-style ms-seq ids", () => {
    expect(compareIds("9", "10")).toBe(-1);
    expect(compareIds("1731-9", "1731-10")).toBe(-1);
    expect(compareIds("1732-0", "1731-10")).toBe(1);
    expect(compareIds("b", "a")).toBe(1);
  });
});
