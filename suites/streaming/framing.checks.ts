// SSE framing, judged on the raw bytes of a corpus of streams of every kind
// (corpus.ts). One check per rule of the judge (harness/sse-judge.ts), each at
// the level the SSE standard (WHATWG HTML, section 9.2 "Server-sent events") and
// the contract (schemas/streams.yaml) give it. A message names the stream and
// the byte offset, and the stream's transcript is in the evidence.

import { check, type CheckContext } from "../../harness/check";
import { fail } from "../../harness/expect";
import type { Citation, Level } from "../../harness/model";
import { judgeFraming, type FramingRule } from "../../harness/sse-judge";
import { loadStreams } from "../../harness/streams";
import { streamTimeoutMs } from "../_support/runs";
import { framingCorpus, knownEventOf, STREAM_OPERATIONS, type Corpus, type CorpusStream } from "./corpus";

const TIMEOUT = 2 * streamTimeoutMs() + 45_000;
const REQUIRES = ["graph:echo", "graph:chat", "graph:slow", "graph:subgraph", "graph:error", "graph:interrupt"];

/** The final events of a run stream: nothing after `end`; only `end` after a (root) `error`. */
const RUN_FINAL_EVENTS = { end: [], error: ["end"] };

function near(raw: Uint8Array, at: number | undefined): string {
  if (at === undefined) return "";
  const from = Math.max(0, at - 30);
  const text = Buffer.from(raw.subarray(from, Math.min(raw.length, at + 70))).toString("utf8");
  return ` (bytes ${from}…: ${JSON.stringify(text)})`;
}

function noteMissing(c: CheckContext, corpus: Corpus): void {
  for (const m of corpus.missing) c.note(`not judged: ${m}`);
  c.note(`judged ${corpus.streams.length} streams: ${corpus.streams.map((s) => s.name).join("; ")}`);
}

interface Finding {
  stream: CorpusStream;
  message: string;
}

function report(c: CheckContext, corpus: Corpus, findings: Finding[], what: string): void {
  noteMissing(c, corpus);
  if (corpus.streams.length === 0) fail(`the target gave no stream to judge (${corpus.missing.join("; ") || "none read"})`);
  if (findings.length === 0) return;
  for (const f of findings) c.note(`${f.stream.name}: ${f.message}`);
  const streams = [...new Set(findings.map((f) => f.stream))];
  const shown = streams.slice(0, 3).map((s) => `${s.name}: ${findings.find((f) => f.stream === s)!.message}`);
  fail(`${streams.length} of ${corpus.streams.length} streams ${what}. ${shown.join(" | ")}${streams.length > 3 ? ` | and ${streams.length - 3} more` : ""}`, streams[0]!.res);
}

/** One framing check: one rule of the judge over the whole corpus. */
function framingCheck(id: string, level: Level, rule: FramingRule, title: string, spec: Citation[], what: string): void {
  check({ id, level, profile: "streaming", operations: STREAM_OPERATIONS, spec, title, requires: REQUIRES, timeoutMs: TIMEOUT }, async (c) => {
    const corpus = await framingCorpus(c);
    const findings: Finding[] = [];
    for (const s of corpus.streams) {
      const judged = judgeFraming({
        contentType: s.contentType,
        raw: s.raw,
        complete: s.complete,
        ...(s.kind === "run" ? { finalEvents: RUN_FINAL_EVENTS } : {}),
        knownEvents: knownEventOf(s.kind, s.operation),
      });
      for (const f of judged.findings.filter((x) => x.rule === rule)) {
        findings.push({ stream: s, message: `${f.at !== undefined ? `at byte ${f.at}: ` : ""}${f.message}${near(s.raw, f.at)}` });
      }
    }
    report(c, corpus, findings, what);
  });
}

framingCheck(
  "SSE-001",
  "MUST",
  "content-type",
  "Every stream is served as text/event-stream (and, if a charset is given, as UTF-8)",
  [
    { source: "whatwg-html", section: "9.2.5 Parsing an event stream", quote: "This event stream format's MIME type is text/event-stream." },
    {
      source: "whatwg-html",
      section: "9.2.2 The EventSource interface",
      quote: "if res's `Content-Type` is not `text/event-stream`, then fail the connection",
      note: "a browser's EventSource does not read such a response",
    },
    { source: "contract", section: "the stream operations, 200", note: "every stream operation answers 200 text/event-stream" },
  ],
  "are not served as text/event-stream",
);

framingCheck(
  "SSE-002",
  "MUST",
  "utf8",
  "Every stream is valid UTF-8",
  [
    { source: "whatwg-html", section: "9.2.5 Parsing an event stream", quote: "Event streams in this format must always be encoded as UTF-8." },
    { source: "whatwg-html", section: "9.2.6 Interpreting an event stream", quote: "Streams must be decoded using the UTF-8 decode algorithm." },
    { source: "streams", section: "x-event-data", note: "a browser replaces invalid bytes with U+FFFD, which corrupts the JSON data the contract requires" },
  ],
  "are not valid UTF-8",
);

framingCheck(
  "SSE-003",
  "SHOULD",
  "line-fields",
  "Every line of a stream is a comment or one of the fields event, data, id, retry (retry with digits only)",
  [
    { source: "whatwg-html", section: "9.2.5 Parsing an event stream", quote: "field         = 1*name-char [ colon [ space ] *any-char ] end-of-line", note: "the grammar allows any field name" },
    {
      source: "whatwg-html",
      section: "9.2.6 Interpreting an event stream",
      quote: "Otherwise The field is ignored.",
      note: "a field other than event, data, id and retry (or a retry that is not digits) is ignored, so such a line is conforming but carries nothing a client reads: a misspelt field silently loses what it held. SHOULD, because the standard allows it",
    },
  ],
  "have lines that no client reads",
);

framingCheck(
  "SSE-004",
  "MAY",
  "line-endings",
  "Every stream uses one kind of line ending throughout",
  [
    {
      source: "whatwg-html",
      section: "9.2.5 Parsing an event stream",
      quote:
        "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE RETURN (CR) character.",
      note: "each allowed on any line, so mixing them is conforming; a mix is noted because clients that split on one kind of line ending (rather than following the standard) misread it. MAY: a notice, never a failure",
    },
  ],
  "mix line endings",
);

framingCheck(
  "SSE-005",
  "MUST",
  "event-terminated",
  "Every event of a stream, the last one too, is terminated by a blank line",
  [
    { source: "whatwg-html", section: "9.2.5 Parsing an event stream", quote: "event         = *( comment / field ) end-of-line", note: "so every event ends with an empty line" },
    {
      source: "whatwg-html",
      section: "9.2.6 Interpreting an event stream",
      quote: "If the file ends in the middle of an event, before the final empty line, the incomplete event is not dispatched.",
      note: "a run stream whose last event is unterminated loses that event in a browser",
    },
  ],
  "end an event without a blank line",
);

framingCheck(
  "SSE-006",
  "MUST",
  "data-json",
  "The data of every event, its data lines joined with line feeds as WHATWG joins them, is JSON",
  [
    {
      source: "streams",
      section: "x-event-data",
      quote: "An event's data is the value of its `data:` lines joined with line feeds (the WHATWG reading), and it must be one JSON value.",
      note: "empty or white-space data reads as null",
    },
    {
      source: "whatwg-html",
      section: "9.2.6 Interpreting an event stream",
      quote: "Append the field value to the data buffer, then append a single U+000A LINE FEED (LF) character to the data buffer.",
    },
    {
      source: "openapi",
      section: "POST /threads/{thread_id}/runs/stream, 200 text/event-stream",
      quote: "The server will send a stream of events in SSE format.",
      note: "its example event has the data {}; both SDKs parse each event's data as JSON",
    },
  ],
  "have event data that is not JSON",
);

framingCheck(
  "SSE-008",
  "SHOULD",
  "ids-increase",
  "Event ids, where a stream gives them, are unique and increase, and never contain U+0000",
  [
    {
      source: "contract",
      section: "GET /threads/{thread_id}/runs/{run_id}/stream and GET /threads/{thread_id}/stream, header Last-Event-ID",
      quote: "the stream resumes after it",
      note: "which needs ids that name one event each, in order",
    },
    {
      source: "whatwg-html",
      section: "9.2.6 Interpreting an event stream",
      quote: "If the field value does not contain U+0000 NULL, then set the last event ID buffer to the field value. Otherwise, ignore the field.",
      note: "ids are otherwise opaque: neither the standard nor the API documents require increasing ids, hence SHOULD",
    },
  ],
  "have event ids that repeat, go backwards or are ignored",
);

framingCheck(
  "SSE-009",
  "MUST",
  "nothing-after-final",
  "Nothing follows the final event of a run stream: no event after `end`, and only `end` after a run's `error`",
  [
    { source: "streams", section: "$defs.end", quote: "The last event of a run stream, when a server sends one" },
    {
      source: "streams",
      section: "description",
      quote: "ends when the run ends; a run that fails sends `error`",
      note: "the JS SDK marks the run ended on either event; a subgraph's namespaced error is not final",
    },
    { source: "contract", section: "POST /threads/{thread_id}/runs/stream", quote: "The stream ends when the run ends." },
    { source: "sdk-py", section: "RunsClient.stream, example", quote: "StreamPart(event='end', data=None)", note: "the last part of the example stream" },
    {
      source: "openapi",
      section: "POST /threads/{thread_id}/runs/stream (Create Run, Stream Output)",
      quote: "Create a run in existing thread. Stream the output.",
      note: "a run that has ended, by end or by an error (Run.status error), has no more output",
    },
  ],
  "send events after their final event",
);

framingCheck(
  "SSE-010",
  "SHOULD",
  "heartbeats",
  "Heartbeats are comments, not blocks named by an event field without data",
  [
    { source: "whatwg-html", section: "9.2.7 Authoring notes", quote: "authors can include a comment line (one starting with a ':' character) every 15 seconds or so" },
    {
      source: "whatwg-html",
      section: "9.2.6 Interpreting an event stream",
      quote: "If the data buffer is an empty string, set the data buffer and the event type buffer to the empty string and return.",
      note: "a block with an event name and no data is dispatched by no browser but delivered by the SDKs as an event with null data; an undocumented event with data is judged by SSE-007, not here. SHOULD, because the standard allows data-less blocks",
    },
  ],
  "send heartbeats that clients see as events",
);

check(
  {
    id: "SSE-007",
    level: "SHOULD",
    profile: "streaming",
    operations: STREAM_OPERATIONS,
    spec: [
      {
        source: "streams",
        section: "header",
        quote: "its name must be one this file defines, in the grammar",
        note: "below; its data must be JSON and valid against the schema of its base name. The thread stream also accepts names the contract does not define, with JSON data",
      },
      {
        source: "openapi",
        section: "the stream operations, 200 text/event-stream",
        quote: "The server will send a stream of events in SSE format.",
        note: "no API document gives the names or schemas of the events: streams.yaml builds them from the SDKs' types and the guides' examples, hence SHOULD",
      },
    ],
    title: "Every event of every stream has a name of the contract and data valid against that event's schema",
    requires: REQUIRES,
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const corpus = await framingCorpus(c);
    const contract = loadStreams();
    const findings: Finding[] = [];
    for (const s of corpus.streams) {
      if (!s.res.sse) continue; // not an event stream at all: SSE-001 reports it
      for (const v of contract.checkEvents(s.operation, s.res.sse)) findings.push({ stream: s, message: v.message.replace(`${s.operation}: `, "") });
    }
    report(c, corpus, findings, "have events that break the stream contract");
  },
);
