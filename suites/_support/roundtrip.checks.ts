// Optional request fields round-tripped in valid form: a field a create (or
// PATCH) accepts comes back, as given, from every operation that reads the
// resource (get, search, the versions list). The rows are data: each names its
// check (a literal id), the field, a valid value that tells implementations
// apart, and where it is read back; the area's check file registers one check
// per row, and the mutant catalogue one mutant per row (the field lost on the
// way back). FIELD_COVERAGE lists every property the contract gives the
// request schemas of the table, with the check that round-trips it or why none
// does; selftest/roundtrip.test.ts holds it to schemas/openapi.yaml, so that a
// field added to the contract cannot be forgotten here.

import { deepEqual } from "../../harness/expect";
import type { Level } from "../../harness/model";

/** Where a field is read back after it was sent. */
export type Reader = "get" | "search" | "versions";

export interface RoundTrip {
  /** The check (a literal id). */
  id: string;
  level: Level;
  /** The contract's request schema the field belongs to. */
  schema: "AssistantCreate" | "AssistantPatch" | "ThreadCreate" | "CronCreate" | "ThreadCronCreate";
  field: string;
  /** A valid value, chosen so that a default or a coerced value cannot pass for it. */
  value: unknown;
  /** Where the value is expected back: the resource's own field, or inside another one (cron payload). */
  at: string[];
  readers: Reader[];
  /** The words the field rests on (api-ref first). */
  words: { section: string; quote: string };
}

/** The values sent: nested and typed, so that a server that flattens, stringifies or drops them is seen. */
const CONFIG = { configurable: { rt_probe: "configured", rt_nested: { n: 2, list: [true, "x"] } }, tags: ["round-trip"] };
const CONTEXT = { rt_tone: "terse", rt_depth: 3 };

export const ROUND_TRIPS: RoundTrip[] = [
  // -------------------------------------------------------------- assistants: create
  {
    id: "AST-169",
    level: "MUST",
    schema: "AssistantCreate",
    field: "name",
    value: "round-trip name",
    at: ["name"],
    readers: ["get", "search", "versions"],
    words: { section: "Create Assistant, body name", quote: "The name of the assistant. Defaults to 'Untitled'." },
  },
  {
    id: "AST-170",
    level: "MUST",
    schema: "AssistantCreate",
    field: "description",
    value: "a description that comes back",
    at: ["description"],
    readers: ["get", "search", "versions"],
    words: { section: "Create Assistant, body description", quote: "The description of the assistant. Defaults to null." },
  },
  {
    id: "AST-171",
    level: "MUST",
    schema: "AssistantCreate",
    field: "config",
    value: CONFIG,
    at: ["config"],
    readers: ["get", "search", "versions"],
    words: { section: "Create Assistant, body config", quote: "Configuration to use for the graph." },
  },
  {
    id: "AST-172",
    level: "MUST",
    schema: "AssistantCreate",
    field: "context",
    value: CONTEXT,
    at: ["context"],
    readers: ["get", "search", "versions"],
    words: { section: "Create Assistant, body context", quote: "Static context added to the assistant." },
  },
  {
    id: "AST-173",
    level: "MUST",
    schema: "AssistantCreate",
    field: "metadata",
    value: { rt_text: "kept", rt_flag: false, rt_nested: { deep: [1, 2] } },
    at: ["metadata"],
    readers: ["get", "search", "versions"],
    words: { section: "Create Assistant, body metadata", quote: "Metadata to add to assistant." },
  },
  // -------------------------------------------------------------- assistants: PATCH
  {
    id: "AST-174",
    level: "MUST",
    schema: "AssistantPatch",
    field: "description",
    value: "a description given by PATCH",
    at: ["description"],
    readers: ["get", "search", "versions"],
    words: { section: "Patch Assistant, body description", quote: "The new description for the assistant. If not provided, assistant will keep its current description." },
  },
  {
    id: "AST-175",
    level: "MUST",
    schema: "AssistantPatch",
    field: "config",
    value: CONFIG,
    at: ["config"],
    readers: ["get", "search", "versions"],
    words: { section: "Patch Assistant, body config", quote: "Useful when graph is configurable and you want to update the assistant's configuration." },
  },
  {
    id: "AST-176",
    level: "MUST",
    schema: "AssistantPatch",
    field: "context",
    value: CONTEXT,
    at: ["context"],
    readers: ["get", "search", "versions"],
    words: { section: "Patch Assistant, body context", quote: "Static context added to the assistant." },
  },
  {
    id: "AST-177",
    level: "MUST",
    schema: "AssistantPatch",
    field: "graph_id",
    value: "interrupt",
    at: ["graph_id"],
    readers: ["get", "search", "versions"],
    words: { section: "Patch Assistant, body graph_id", quote: "The ID of the graph the assistant should use." },
  },
  // -------------------------------------------------------------- threads
  {
    id: "THR-262",
    level: "MUST",
    schema: "ThreadCreate",
    field: "metadata",
    value: { rt_text: "kept", rt_flag: true, rt_nested: { deep: [1, 2] } },
    at: ["metadata"],
    readers: ["get", "search"],
    words: { section: "ThreadCreate.metadata", quote: "Metadata to add to thread." },
  },
  // -------------------------------------------------------------- crons (the payload carries what runs are made of)
  {
    id: "CRN-123",
    level: "MUST",
    schema: "ThreadCronCreate",
    field: "metadata",
    value: { rt_text: "kept", rt_flag: true },
    at: ["metadata"],
    readers: ["search"],
    words: { section: "CronCreate.metadata", quote: "Metadata to assign to the cron job runs." },
  },
  {
    id: "CRN-124",
    level: "SHOULD",
    schema: "ThreadCronCreate",
    field: "end_time",
    value: "2099-06-01T00:00:00+00:00",
    at: ["end_time"],
    readers: ["search"],
    words: { section: "CronCreate.end_time", quote: "The end date to stop running the cron." },
  },
  {
    id: "CRN-125",
    level: "SHOULD",
    schema: "ThreadCronCreate",
    field: "config",
    value: CONFIG,
    at: ["payload", "config"],
    readers: ["search"],
    words: { section: "CronCreate.config", quote: "The configuration for the assistant." },
  },
  {
    id: "CRN-126",
    level: "SHOULD",
    schema: "ThreadCronCreate",
    field: "context",
    value: CONTEXT,
    at: ["payload", "context"],
    readers: ["search"],
    words: { section: "CronCreate.context", quote: "Static context added to the assistant." },
  },
];

/**
 * Every property of the request schemas below, in the contract: the checks
 * that round-trip it (the rows above, or checks that existed before them), or,
 * prefixed "none:", why no value comes back to compare.
 */
export const FIELD_COVERAGE: Record<string, Record<string, string>> = {
  AssistantCreate: {
    assistant_id: "AST-002",
    graph_id: "AST-001",
    config: "AST-009, AST-171",
    context: "AST-009, AST-172",
    metadata: "AST-001, AST-173",
    if_exists: "none: how a duplicate is handled, not a stored field (AST-003…006)",
    name: "AST-009, AST-169",
    description: "AST-009, AST-170",
  },
  AssistantPatch: {
    graph_id: "AST-031, AST-177",
    config: "AST-175",
    context: "RTM-003, AST-176",
    metadata: "AST-030",
    name: "AST-031",
    description: "AST-031, AST-174",
  },
  ThreadCreate: {
    thread_id: "THR-002",
    metadata: "THR-001, THR-262",
    if_exists: "none: how a duplicate is handled, not a stored field (THR-003…006)",
    ttl: "none: no operation of the API reference reads a thread's time-to-live back (only the newest public document's GET ?include=ttl, at SHOULD for the field itself)",
    supersteps: "THR-253 (the updates are applied, not stored as a field)",
  },
  ThreadPatch: {
    metadata: "THR-030, THR-031",
    ttl: "none: as ThreadCreate.ttl",
  },
  ThreadCronCreate: {
    assistant_id: "CRN-001",
    schedule: "CRN-001",
    input: "CRN-004",
    metadata: "CRN-123",
    config: "CRN-125",
    context: "CRN-126",
    checkpoint_during: "none: how a run saves checkpoints, not a value read back",
    interrupt_before: "none: what a run does (the payload's breakpoints are judged by the runs they make, HIL-*)",
    interrupt_after: "none: as interrupt_before",
    webhook: "none: where the server calls, judged by the runs' webhooks (MTK-09*)",
    multitask_strategy: "none: the Cron has no such field; it is how the cron's runs meet a busy thread",
    end_time: "CRN-124",
  },
  CronCreate: {
    assistant_id: "CRN-002",
    schedule: "CRN-002",
    input: "CRN-004",
    metadata: "CRN-123 (the same field of the thread form)",
    config: "CRN-125 (the same field of the thread form)",
    context: "CRN-126 (the same field of the thread form)",
    checkpoint_during: "none: as ThreadCronCreate.checkpoint_during",
    interrupt_before: "none: as ThreadCronCreate.interrupt_before",
    interrupt_after: "none: as ThreadCronCreate.interrupt_after",
    webhook: "none: as ThreadCronCreate.webhook",
    on_run_completed: "CRN-122 (its default), CRN-127",
    end_time: "CRN-124 (the same field of the thread form)",
  },
  StorePutRequest: {
    namespace: "STO-001",
    key: "STO-001",
    value: "STO-001, STO-020",
    index: "none: how the item is indexed for a query search (no embedding model in the fixtures)",
    ttl: "none: no operation reads an item's time-to-live back",
  },
};

/** The value at `path` of `o`. */
export function at(o: unknown, path: string[]): unknown {
  let v: any = o;
  for (const k of path) v = v === null || typeof v !== "object" ? undefined : v[k];
  return v;
}

/** Does `got` hold `sent`: equal, or (for objects) holding each of its keys with an equal value, deeply? */
export function holds(got: unknown, sent: unknown): boolean {
  if (sent === null || typeof sent !== "object" || Array.isArray(sent))
    return deepEqual(got, sent) || (typeof sent === "string" && typeof got === "string" && Date.parse(sent) === Date.parse(got) && !Number.isNaN(Date.parse(sent)));
  if (got === null || typeof got !== "object" || Array.isArray(got)) return false;
  return Object.entries(sent).every(([k, v]) => holds((got as Record<string, unknown>)[k], v));
}

export const roundTrip = (id: string): RoundTrip => {
  const row = ROUND_TRIPS.find((r) => r.id === id);
  if (!row) throw new Error(`no round-trip row ${id}`);
  return row;
};
