// The stream contract: schemas/streams.yaml, loaded and compiled once, and the
// judge of the events of a stream. For an operation that answers with an event
// stream, every event must have a name the contract defines (a base name, and a
// subgraph namespace only where that event may carry one), data that is one
// JSON value, and data valid against the schema of its base name. Pure: it
// reads what the SSE reader kept and never calls the target.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { eventCause, type Cause } from "./causes";
import { collectExtensionKeywords, createAjv, describeAjvErrors, escapePointer, schemaSpots, trimErrors } from "./contract";
import { LEVELS, type Level, type OperationKey, type WireViolation } from "./model";
import type { SseEvent } from "./sse";

export const DEFAULT_STREAMS = fileURLToPath(new URL("../schemas/streams.yaml", import.meta.url));

export type NamespaceRule = "never" | "allowed" | "required";

export interface EventSpec {
  /** The base name (no namespace). */
  name: string;
  namespace: NamespaceRule;
  /** Kinds of stream that carry it (`run`, `thread`). */
  streams: string[];
  validate: ValidateFunction;
  /** The level of its shape: `x-level` where the documents give it less than MUST words. */
  level: Level;
}

export interface StreamOperation {
  /** The kind of stream it answers with. */
  stream: string;
  /** Whether a name the contract does not define is accepted (its data must still be JSON). */
  otherNames: boolean;
}

export interface ParsedEventName {
  base: string;
  namespace: string[];
  /** Why the name breaks the grammar, if it does. */
  problem?: string;
}

export interface StreamContract {
  source: string;
  version: string;
  document: Record<string, any>;
  events: ReadonlyMap<string, EventSpec>;
  /** stream_mode -> the base names of the events it produces (plus `every-stream`). */
  modes: Readonly<Record<string, readonly string[]>>;
  operations: Readonly<Record<OperationKey, StreamOperation>>;
  parseName(name: string): ParsedEventName;
  /** What is wrong with one event of a stream of `operation`, or undefined. */
  judge(operation: OperationKey, event: Pick<SseEvent, "event" | "data">): EventProblem | undefined;
  checkEvents(operation: OperationKey | undefined, sse: { events: ReadonlyArray<Pick<SseEvent, "event" | "data">> }): WireViolation[];
}

export interface EventProblem {
  message: string;
  errors?: unknown[];
  cause: Cause;
  level: Level;
}

const STREAMS_ID = "urn:langgraph-conformance:streams";
/** Distinct problems reported per stream; the rest are counted, not listed. */
const MAX_VIOLATIONS = 10;
const RULES: readonly NamespaceRule[] = ["never", "allowed", "required"];

function excerpt(text: string, max = 80): string {
  const flat = JSON.stringify(text);
  return flat.length > max ? `${flat.slice(0, max)}…"` : flat;
}

const cache = new Map<string, StreamContract>();

/** Loads (once per process) and compiles the stream contract; throws with the reason when it is broken. */
export function loadStreams(source: string = DEFAULT_STREAMS): StreamContract {
  let c = cache.get(source);
  if (!c) {
    c = buildStreams(source);
    cache.set(source, c);
  }
  return c;
}

/** Judges the events of a stream of `operation` against the default stream contract. */
export function checkEvents(operation: OperationKey | undefined, sse: { events: ReadonlyArray<Pick<SseEvent, "event" | "data">> }): WireViolation[] {
  return loadStreams().checkEvents(operation, sse);
}

function buildStreams(source: string): StreamContract {
  const document = parse(readFileSync(source, "utf8")) as Record<string, any>;
  const where = `${source}:`;
  if (!document || typeof document !== "object") throw new Error(`${where} not a YAML mapping`);
  const defs: Record<string, any> = document.$defs ?? {};
  const grammar = document["x-event-names"] ?? {};
  if (typeof grammar["segment-pattern"] !== "string" || grammar.separator !== "|") {
    throw new Error(`${where} x-event-names must give separator "|" and a segment-pattern`);
  }
  const segment = new RegExp(grammar["segment-pattern"], "u");

  const ajv = createAjv();
  for (const k of collectExtensionKeywords(document)) if (!ajv.getKeyword(k)) ajv.addKeyword(k);
  ajv.addSchema({ ...document, $id: STREAMS_ID });
  const compile = (name: string) => {
    try {
      return ajv.compile({ $ref: `${STREAMS_ID}#/$defs/${escapePointer(name)}` });
    } catch (e) {
      throw new Error(`${where} $defs/${name}: ${(e as Error).message}`);
    }
  };

  // Event names start with a lower-case letter; shared parts (Message, ...) with a capital.
  const events = new Map<string, EventSpec>();
  for (const [name, schema] of Object.entries<any>(defs)) {
    const validate = compile(name);
    if (!/^[a-z]/.test(name)) continue;
    const rule = schema?.["x-namespace"];
    const streams = schema?.["x-streams"];
    if (!RULES.includes(rule)) throw new Error(`${where} event '${name}' needs x-namespace (${RULES.join(", ")})`);
    if (!Array.isArray(streams) || streams.length === 0) throw new Error(`${where} event '${name}' needs x-streams`);
    const declared = schema?.["x-level"];
    if (declared !== undefined && !(LEVELS as readonly string[]).includes(declared)) throw new Error(`${where} event '${name}': x-level must be one of ${LEVELS.join(", ")}`);
    events.set(name, { name, namespace: rule, streams, validate, level: declared ?? "MUST" });
  }

  const modes: Record<string, string[]> = {};
  for (const [mode, names] of Object.entries<any>(document["x-stream-modes"] ?? {})) {
    if (mode.startsWith("x-")) continue;
    if (!Array.isArray(names)) throw new Error(`${where} x-stream-modes.${mode} must list event names`);
    for (const n of names) if (!events.has(n)) throw new Error(`${where} x-stream-modes.${mode} names '${n}', which $defs does not define`);
    modes[mode] = names;
  }

  const operations: Record<OperationKey, StreamOperation> = {};
  for (const [key, spec] of Object.entries<any>(document["x-operations"] ?? {})) {
    if (typeof spec?.stream !== "string") throw new Error(`${where} x-operations['${key}'] needs a stream kind`);
    if (![...events.values()].some((e) => e.streams.includes(spec.stream))) throw new Error(`${where} x-operations['${key}']: no event is carried by streams of kind '${spec.stream}'`);
    operations[key] = { stream: spec.stream, otherNames: spec["other-names"] === "allowed" };
  }

  function parseName(name: string): ParsedEventName {
    const [base = "", ...namespace] = name.split("|");
    if (base === "") return { base, namespace, problem: "has an empty base name" };
    const bad = namespace.find((s) => !segment.test(s));
    if (bad !== undefined) {
      return { base, namespace, problem: `has a namespace segment ${JSON.stringify(bad)} that is not of the form node:task_id` };
    }
    return { base, namespace };
  }

  function judge(operation: OperationKey, event: Pick<SseEvent, "event" | "data">): EventProblem | undefined {
    const op = operations[operation];
    if (!op) return undefined;
    const parsed = parseName(event.event);
    const spec = events.get(parsed.base);
    const known = spec !== undefined && spec.streams.includes(op.stream);
    const problem = (message: string, cause: Cause, level: Level = spec?.level ?? "MUST"): EventProblem => ({ message, cause, level });
    if (!known && !op.otherNames) {
      const names = [...events.values()].filter((e) => e.streams.includes(op.stream)).map((e) => e.name);
      return problem(`is not an event of the contract (events of ${operation}: ${names.join(", ")})`, eventCause(parsed.base, `is not an event of ${op.stream} streams`), "MUST");
    }
    if (known) {
      if (parsed.problem) return problem(parsed.problem, eventCause(parsed.base, "names break the event-name grammar"));
      if (spec.namespace === "never" && parsed.namespace.length > 0) return problem(`carries a namespace, which '${spec.name}' never does`, eventCause(parsed.base, "carry a namespace"));
      if (spec.namespace === "required" && parsed.namespace.length === 0) return problem(`carries no namespace, which '${spec.name}' always does`, eventCause(parsed.base, "carry no namespace"));
    }
    let data: unknown = null;
    if (!/^\s*$/.test(event.data)) {
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        return problem(`has data that is not JSON (${(e as Error).message}): ${excerpt(event.data)}`, eventCause(parsed.base, "carry data that is not JSON"), "MUST");
      }
    }
    if (!known) return undefined;
    if (spec.validate(data)) return undefined;
    const empty = data === null && /^\s*$/.test(event.data) ? " (its data is empty, read as null)" : "";
    const spot = schemaSpots({ ...document, $defs: defs }, `/$defs/${escapePointer(spec.name)}`, spec.validate.errors ?? [], spec.level)[0];
    return {
      message: `has data that does not match the contract${empty}: ${describeAjvErrors(spec.validate.errors)}`,
      errors: trimErrors(spec.validate.errors),
      cause: eventCause(parsed.base, "carry data that does not match the contract", spot),
      level: spot?.level ?? spec.level,
    };
  }

  function checkEventsOf(operation: OperationKey | undefined, sse: { events: ReadonlyArray<Pick<SseEvent, "event" | "data">> }): WireViolation[] {
    if (operation === undefined || !operations[operation]) return [];
    // One violation per distinct problem, with how many events share it: a stream of
    // a thousand bad events gives a readable report, not a thousand lines.
    const seen = new Map<string, { violation: WireViolation; count: number }>();
    let dropped = 0;
    sse.events.forEach((ev, index) => {
      const problem = judge(operation, ev);
      if (!problem) return;
      const key = `${ev.event.split("|")[0]}\u0000${problem.message}`;
      const prior = seen.get(key);
      if (prior) {
        prior.count++;
        return;
      }
      if (seen.size >= MAX_VIOLATIONS) {
        dropped++;
        return;
      }
      seen.set(key, {
        violation: {
          operation,
          kind: "event",
          message: `${operation}: event #${index} '${ev.event}' ${problem.message}`,
          ...(problem.errors ? { errors: problem.errors } : {}),
          ...problem.cause,
          level: problem.level,
        },
        count: 1,
      });
    });
    const out = [...seen.values()].map(({ violation, count }) =>
      count > 1 ? { ...violation, message: `${violation.message} (and ${count - 1} more event${count > 2 ? "s" : ""} like it)` } : violation,
    );
    // The events past the bound are counted in the last listed problem's message: listed
    // apart, they would be a cause of their own, and they are not one.
    if (dropped > 0 && out.length > 0) {
      const last = out[out.length - 1]!;
      out[out.length - 1] = { ...last, message: `${last.message}; ${dropped} more event${dropped > 1 ? "s" : ""} with other problems, not listed` };
    }
    return out;
  }

  return {
    source,
    version: String(document["x-version"] ?? ""),
    document,
    events,
    modes,
    operations,
    parseName,
    judge,
    checkEvents: checkEventsOf,
  };
}
