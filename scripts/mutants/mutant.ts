// What a mutant is, and the shorthand that declares one: shared by the
// catalogue and its parts (scripts/mutants/parts/), which import it from here
// rather than from the catalogue (that imports them).

import type { CronsOptions, McpOptions, MetricsOptions } from "./emulation";
import type { Fault } from "./proxy";

export type MutantKind = "response" | "stream" | "request";

export interface Mutant {
  /** Stable, kebab-case; never reused for another bug. */
  id: string;
  /** What is broken: an answer, a stream's bytes or events, or a request the server ignores (part of). */
  kind: MutantKind;
  /** The bug, in one line. */
  description: string;
  /** Check ids or patterns (`*`) the mutant can touch: only these run behind it. */
  checks: string[];
  /** The fault, with fresh state for each run. */
  fault(): Omit<Fault, "name">;
  /** The emulated parts (crons, MCP, metrics) broken in one way instead of the proxy (their options). */
  emulation?: { crons?: CronsOptions; mcp?: McpOptions; metrics?: MetricsOptions };
  /** Why it survives, where it is known to: a gap of the suite, or what the contract leaves open. */
  survives?: string;
}

/** A mutant, in the catalogue's shorthand (parts of the catalogue in other files use it too). */
export const m = (id: string, kind: MutantKind, description: string, checks: string[], fault: () => Omit<Fault, "name">, emulation?: Mutant["emulation"]): Mutant => ({
  id,
  kind,
  description,
  checks,
  fault,
  ...(emulation ? { emulation } : {}),
});
