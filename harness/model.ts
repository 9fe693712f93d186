// The vocabulary shared by harness, suites, reporters and CLI. One name per idea:
// check, level, profile, operation, outcome, evidence, citation (see README.md:
// "Profiles", "The report"; the sources a citation names are schemas/sources.yaml).

export const LEVELS = ["MUST", "SHOULD", "MAY"] as const;
export type Level = (typeof LEVELS)[number];

export const OUTCOMES = ["pass", "fail", "warn", "notice", "skip", "error"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Profiles a target may claim. Order is the order of the report. */
export const PROFILES = ["system", "assistants", "threads", "runs", "stateless", "streaming", "interop", "multitask", "store", "crons", "mcp", "auth", "property"] as const;
export type Profile = (typeof PROFILES)[number];

/** An operation of the contract, written `METHOD /path/{param}`. */
export type OperationKey = string;

/**
 * One reference to the words a requirement rests on: a source of
 * schemas/sources.yaml by its id, the place in it, and the words, verbatim.
 */
export interface Citation {
  /** The id of a source in schemas/sources.yaml (`api-ref`, `sdk-py`, `contract`, …). */
  source: string;
  /** Where in the source: an operation, a model and its field, a section's title. */
  section: string;
  /** The words, verbatim (absent where a whole section is meant). */
  quote?: string;
  /** Why the words bear on the requirement, where it is not plain (a reading, a disagreement). */
  note?: string;
}

/** What a check declares about itself: the catalog entry. */
export interface CheckMeta {
  id: string;
  level: Level;
  profile: Profile;
  operations: OperationKey[];
  /**
   * Where the requirement comes from: the documents' words (see Citation), and
   * where they are silent or disagree, the contract's decision and why. At least
   * one citation; harness/citations.ts resolves and formats them.
   */
  spec: Citation[];
  /** Reads as the requirement. */
  title: string;
  /** What the target must offer for the check to be meaningful (fixture graphs and the like). */
  requires?: string[];
}

/** How a broken requirement of a given level is reported. */
export function outcomeForLevel(level: Level): Outcome {
  return level === "MUST" ? "fail" : level === "SHOULD" ? "warn" : "notice";
}

/** What makes two deviations one: see harness/causes.ts. */
export interface Cause {
  /** Stable: the same deviation gives the same signature on any operation, run or seed. */
  signature: string;
  /** The deviation in one line, as a fix list reads it. */
  title: string;
  /** The words it breaks, where the cause knows them (a failing check brings its own spec). */
  words?: Citation[];
}

export interface WireViolation {
  /** `METHOD /template` when the exchange matched an operation of the contract. */
  operation?: OperationKey;
  kind: "status" | "content-type" | "json" | "schema" | "unknown-operation" | "event";
  message: string;
  /** ajv errors, trimmed. */
  errors?: unknown[];
  /** The cause: the same deviation gives the same signature on any operation, run or seed. */
  signature: string;
  /** The cause in one line, as a fix list reads it. */
  title: string;
  /** The level the documents' words give this response (or field): a response the contract added by decision is SHOULD. */
  level: Level;
  /** The status of the response. */
  status?: number;
  /** The words it breaks. */
  words?: Citation[];
}

export interface RequestRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  bodyTruncated?: boolean;
}

export interface ResponseRecord {
  status: number;
  headers: Record<string, string>;
  body?: string;
  bodyTruncated?: boolean;
}

export interface StreamRecord {
  /** Raw bytes of the stream as text (lossy decoding for display), bounded. */
  transcript: string;
  transcriptTruncated: boolean;
  events: number;
  bytes: number;
  /** Why reading stopped. */
  end: StreamEnd;
}

export type StreamEnd = "eof" | "timeout" | "idle" | "max-events" | "max-bytes" | "stopped" | "error";

/** One request and what came back: the unit of evidence. */
export interface ExchangeRecord {
  /** Where in the check this exchange happened: the check itself, or a shared setup. */
  phase: "check" | "setup";
  operation?: OperationKey;
  request: RequestRecord;
  response?: ResponseRecord;
  stream?: StreamRecord;
  /** A transport failure: refused, reset, timed out. */
  error?: string;
  curl: string;
  startedAt: string;
  durationMs: number;
  violations: WireViolation[];
}

export interface Evidence {
  exchanges: ExchangeRecord[];
  /** How many exchanges were left out to keep the report bounded. */
  omittedExchanges?: number;
  /** Index in `exchanges` of the exchange the outcome is about. */
  focus?: number;
  notes?: string[];
  seed?: number;
}

/**
 * A deviation a check saw on the wire (a response or event that breaks the
 * contract, or one the check noted without failing on it): one cause, where it
 * was seen, and the first exchange that shows it. It never decides the check's
 * outcome; the report gathers observations into findings.
 */
export interface Observation extends Cause {
  kind: WireViolation["kind"] | "noted";
  level: Level;
  operation?: OperationKey;
  status?: number;
  /** The first sighting, in words. */
  message: string;
  /** How many exchanges of the check showed it. */
  count: number;
  /** The first exchange that showed it, whole (the finding's example is chosen among these). */
  exchange?: ExchangeRecord;
}

/** The result of one check, as the worker determined it. */
export interface Verdict {
  outcome: Outcome;
  message: string;
  evidence: Evidence;
  durationMs: number;
  /** Why the check did not pass (fail, warn, notice): the cause its failure is an instance of. */
  cause?: Cause;
  /** Deviations seen on the wire during the check, whatever its outcome. */
  observations?: Observation[];
  /** Figures the check counted, by name (e.g. the auth profile's "cross-user attempts"), whatever its outcome. */
  tallies?: Record<string, number>;
}
