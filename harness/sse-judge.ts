// Judging the framing of an event stream on its raw bytes. The reader (sse.ts)
// interprets a stream as a browser would; this module says where the bytes
// break the text/event-stream format (WHATWG HTML, "Server-sent events",
// section "Parsing an event stream") or the API's use of it. Each rule is
// judged separately, so that each can be its own check with its own level.

export type FramingRule = "content-type" | "utf8" | "line-fields" | "line-endings" | "event-terminated" | "data-json" | "ids-increase" | "nothing-after-final" | "heartbeats";

export interface FramingFinding {
  rule: FramingRule;
  message: string;
  /** Byte offset in the raw stream where the problem is, when there is one place. */
  at?: number;
}

export interface FramingInput {
  contentType: string;
  raw: Uint8Array;
  /** Whether the bytes are the whole stream (false when the read stopped at a bound). */
  complete: boolean;
  /**
   * Event names after which nothing may follow (the contract's terminal events):
   * a list, or a map from each final event to the names still allowed after it
   * (a run stream may send `end` after `error`).
   */
  finalEvents?: string[] | Record<string, string[]>;
  /** Event names the contract documents (kept for callers; data-less blocks are the heartbeats judged here). */
  knownEvents?: (name: string) => boolean;
}

export interface RawEvent {
  /** Fields in order, as written (name and value after the optional space). */
  fields: Array<{ name: string; value: string }>;
  event: string;
  data: string | undefined;
  id: string | undefined;
  start: number;
  /** Offset just after the blank line that ends it; undefined when unterminated. */
  end?: number;
}

export interface Framing {
  findings: FramingFinding[];
  events: RawEvent[];
  lineEndings: { lf: number; crlf: number; cr: number };
}

interface Line {
  text: string;
  start: number;
  /** The terminator, or "" for a last line without one. */
  eol: "\n" | "\r\n" | "\r" | "";
}

function splitLines(text: string, byteOffsets: number[]): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n" || c === "\r") {
      const eol = c === "\r" && text[i + 1] === "\n" ? "\r\n" : c;
      lines.push({ text: text.slice(start, i), start: byteOffsets[start] ?? 0, eol });
      if (eol === "\r\n") i++;
      start = i + 1;
    }
  }
  if (start < text.length) lines.push({ text: text.slice(start), start: byteOffsets[start] ?? 0, eol: "" });
  return lines;
}

/** Char index → byte offset, for reporting positions in the raw stream. */
function byteOffsetsOf(text: string): number[] {
  const out: number[] = new Array(text.length + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    out[i] = b;
    const cp = text.codePointAt(i)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (cp >= 0x10000) {
      out[i + 1] = b;
      i++;
    }
    b += n;
  }
  out[text.length] = b;
  return out;
}

const FIELDS = new Set(["event", "data", "id", "retry"]);

/** Compares ids as sequences of integers where they are numeric ("1731-0" < "1731-1" < "1732-0"). */
export function compareIds(a: string, b: string): number {
  const pa = a.split(/[-.:]/);
  const pb = b.split(/[-.:]/);
  const numeric = (p: string[]) => p.every((x) => /^[0-9]+$/.test(x));
  if (!numeric(pa) || !numeric(pb)) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const x = BigInt(pa[i]!);
    const y = BigInt(pb[i]!);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function judgeFraming(input: FramingInput): Framing {
  const findings: FramingFinding[] = [];
  const add = (rule: FramingRule, message: string, at?: number) => {
    // One finding per rule and place is enough; the first of each rule is the one to read.
    if (findings.filter((f) => f.rule === rule).length < 5) findings.push({ rule, message, ...(at !== undefined ? { at } : {}) });
  };

  const base = input.contentType.split(";")[0]!.trim().toLowerCase();
  if (base !== "text/event-stream") add("content-type", `Content-Type is '${input.contentType || "(none)"}', not text/event-stream`);
  const charset = /charset=([^;]+)/i.exec(input.contentType)?.[1]?.trim().replace(/"/g, "").toLowerCase();
  if (charset && charset !== "utf-8" && charset !== "utf8") add("content-type", `Content-Type declares charset ${charset}; event streams are always UTF-8`);

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input.raw);
  } catch {
    add("utf8", "the stream is not valid UTF-8", firstInvalidUtf8(input.raw));
    text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(input.raw);
  }
  const offsets = byteOffsetsOf(text);
  let bodyStart = 0;
  if (text.startsWith("\uFEFF")) bodyStart = 1; // a BOM is allowed once, at the start
  const lines = splitLines(text.slice(bodyStart), offsets.slice(bodyStart)).map((l) => l);

  const lineEndings = { lf: 0, crlf: 0, cr: 0 };
  for (const l of lines) {
    if (l.eol === "\n") lineEndings.lf++;
    else if (l.eol === "\r\n") lineEndings.crlf++;
    else if (l.eol === "\r") lineEndings.cr++;
  }
  const kinds = Object.entries(lineEndings).filter(([, n]) => n > 0);
  if (kinds.length > 1) {
    const firstOther = lines.find((l) => l.eol !== "" && l.eol !== lines[0]!.eol);
    add("line-endings", `line endings are mixed (${kinds.map(([k, n]) => `${n} ${k.toUpperCase()}`).join(", ")})`, firstOther?.start);
  }

  const events: RawEvent[] = [];
  let current: RawEvent | undefined;
  const heartbeatLike: Array<{ at: number; what: string }> = [];
  for (const l of lines) {
    if (l.eol === "") {
      // A last line without a terminator is discarded by a browser.
      if (input.complete) add("event-terminated", `the stream ends in the middle of a line: '${clip(l.text)}' has no line ending`, l.start);
      if (current) current.fields.push(...parseField(l.text));
      break;
    }
    if (l.text === "") {
      if (current) {
        current.end = l.start + l.eol.length;
        events.push(current);
        current = undefined;
      }
      continue;
    }
    if (l.text.startsWith(":")) continue; // a comment
    const colon = l.text.indexOf(":");
    const name = colon === -1 ? l.text : l.text.slice(0, colon);
    if (!FIELDS.has(name)) add("line-fields", `line '${clip(l.text)}' is neither a field (event, data, id, retry) nor a comment`, l.start);
    else if (name === "retry" && !/^[0-9]+$/.test(parseField(l.text)[0]?.value ?? ""))
      add("line-fields", `line '${clip(l.text)}' gives retry a value that is not ASCII digits, which a browser ignores`, l.start);
    current ??= { fields: [], event: "message", data: undefined, id: undefined, start: l.start };
    current.fields.push(...parseField(l.text));
  }
  if (current) {
    if (input.complete)
      add("event-terminated", `the last event (starting '${clip(lines.find((l) => l.start === current!.start)?.text ?? "")}') is not terminated by a blank line: a browser drops it`, current.start);
    events.push(current);
  }

  for (const ev of events) {
    const data = ev.fields.filter((f) => f.name === "data").map((f) => f.value);
    ev.data = data.length ? data.join("\n") : undefined;
    const type = ev.fields.filter((f) => f.name === "event").at(-1)?.value;
    ev.event = type ? type : "message";
    ev.id = ev.fields.filter((f) => f.name === "id").at(-1)?.value;
  }

  // An unterminated last event is never delivered: it is judged by event-terminated alone.
  for (const ev of events.filter((e) => e.end !== undefined)) {
    if (ev.data === undefined) {
      // A block without data dispatches nothing in a browser. With only id or retry it is
      // one of the standard's own control blocks; with an event name it is a heartbeat
      // (or a lost event) that a browser drops and the SDKs deliver as an event with null data.
      if (ev.fields.some((f) => f.name === "event"))
        heartbeatLike.push({ at: ev.start, what: `a block named '${ev.event}' without data (a browser dispatches nothing, the SDKs deliver it with null data)` });
      continue;
    }
    // The contract reads empty or white-space data as null (streams.yaml x-event-data): not a JSON error.
    if (!/^[\t\n\r ]*$/.test(ev.data)) {
      try {
        JSON.parse(ev.data);
      } catch {
        add("data-json", `event '${ev.event}' has data that is not JSON: '${clip(ev.data)}'`, ev.start);
      }
    }
    // An undocumented event with data is an event, not a heartbeat: the stream
    // contract judges its name (SSE-007), so it is not counted twice here.
  }
  for (const h of heartbeatLike) add("heartbeats", `${h.what} is neither a comment nor a documented event`, h.at);

  // A browser ignores an id field that contains U+0000: the event cannot be resumed from.
  for (const ev of events.filter((e) => e.end !== undefined)) {
    const bad = ev.fields.find((f) => f.name === "id" && f.value.includes("\u0000"));
    if (bad) add("ids-increase", `id '${clip(bad.value.replace(/\u0000/g, "\\0"))}' contains U+0000 NULL, so a browser ignores it`, ev.start);
  }
  const ids = events.filter((e) => e.id !== undefined && !e.id.includes("\u0000") && e.end !== undefined);
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!.id!;
    if (seen.has(id)) add("ids-increase", `id '${id}' is used twice`, ids[i]!.start);
    else if (i > 0 && compareIds(ids[i - 1]!.id!, id) >= 0) add("ids-increase", `id '${id}' does not come after '${ids[i - 1]!.id}'`, ids[i]!.start);
    seen.add(id);
  }

  const finals: Record<string, string[]> = Array.isArray(input.finalEvents) ? Object.fromEntries(input.finalEvents.map((n) => [n, []])) : (input.finalEvents ?? {});
  const delivered = events.filter((e) => e.data !== undefined);
  const idx = delivered.findIndex((e) => e.event in finals);
  if (idx !== -1) {
    const allowed = new Set(finals[delivered[idx]!.event]);
    // What is allowed after a final event (end after error) is itself final.
    const after = delivered.slice(idx + 1);
    const firstBad = after.findIndex((e, i) => !allowed.has(e.event) || after.slice(0, i).some((p) => p.event in finals && !(finals[p.event] ?? []).includes(e.event)));
    if (firstBad !== -1) {
      const bad = after.slice(firstBad);
      add("nothing-after-final", `${bad.length} event(s) arrived after the final event '${delivered[idx]!.event}' (first: '${bad[0]!.event}')`, bad[0]!.start);
    }
  }

  return { findings, events, lineEndings };
}

function parseField(line: string): Array<{ name: string; value: string }> {
  if (line === "" || line.startsWith(":")) return [];
  const colon = line.indexOf(":");
  if (colon === -1) return [{ name: line, value: "" }];
  let value = line.slice(colon + 1);
  if (value.startsWith(" ")) value = value.slice(1);
  return [{ name: line.slice(0, colon), value }];
}

function clip(s: string, n = 60): string {
  const one = s.replace(/\r/g, "\\r").replace(/\n/g, "\\n");
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

/** Offset of the first byte that breaks UTF-8 (a bad lead, a missing continuation, an overlong or surrogate). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    if (n === 2 && ((c === 0xe0 && b[i + 1]! < 0xa0) || (c === 0xed && b[i + 1]! >= 0xa0))) return i;
    if (n === 3 && ((c === 0xf0 && b[i + 1]! < 0x90) || (c === 0xf4 && b[i + 1]! >= 0x90))) return i;
    i += n + 1;
  }
  return b.length;
}
