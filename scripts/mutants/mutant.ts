// What a mutant is, and the shorthands that declare one: shared by the
// catalogue and its parts (scripts/mutants/parts/), which import it from here
// rather than from the catalogue (that imports them).

import type { CronsOptions, McpOptions, MetricsOptions } from "./emulation";
import type { Fault } from "./proxy";

/**
 * What a mutant does. Three kinds are bugs, and a campaign wants them caught:
 * an answer broken (`response`), a stream's bytes or events broken (`stream`),
 * a request (or part of one) the server ignores (`request`). The fourth,
 * `equivalence`, is no bug: a legal variation (CRLF line endings, JSON keys in
 * another order, gzip where the client asks for it) that must change no
 * verdict of any check.
 */
export type MutantKind = "response" | "stream" | "request" | "equivalence";

export interface Mutant {
  /** Stable, kebab-case; never reused for another bug. */
  id: string;
  kind: MutantKind;
  /** The bug (or the variation), in one line. */
  description: string;
  /** Check ids or patterns (`*`) the mutant can touch: only these run behind it (an equivalence mutant: `*`, every check). */
  checks: string[];
  /**
   * The checks expected to catch it (ids or patterns, each within `checks`):
   * a kill counts when one of these fails at its own level, or when a finding
   * that one of these failed or met appears that the baseline did not have.
   * A kill by any other check is "killed elsewhere": reported, never counted.
   * Every bug of the catalogue states it; an equivalence mutant has none.
   */
  catches?: string[];
  /** The fault, with fresh state for each run. */
  fault(): Omit<Fault, "name">;
  /**
   * The emulated parts (crons, MCP, metrics) broken in one way instead of the
   * proxy (their options); `unrefused`: operations ("POST /assistants") whose
   * requests the base does not refuse for breaking the contract, for a mutant
   * whose bug is that the server validates nothing there.
   */
  emulation?: { crons?: CronsOptions; mcp?: McpOptions; metrics?: MetricsOptions; unrefused?: string[] };
  /** Why it survives, where it is known to: a gap of the suite (name the weak check), or what the contract leaves open. */
  survives?: string;
  /**
   * An equivalence mutant that varies only event streams runs only the checks
   * that read one (those whose exchanges in the baseline include a stream
   * operation): a variation of a stream's bytes cannot change another check.
   */
  streamsOnly?: boolean;
}

/** What `m` takes after the fault: the emulation options (as before), or the expected catchers and a known reason to survive. */
export interface MutantOptions {
  catches?: string[];
  emulation?: Mutant["emulation"];
  survives?: string;
}

/**
 * A mutant, in the catalogue's shorthand (parts of the catalogue in other
 * files use it too). The last argument is the emulation options (the older
 * form) or a MutantOptions with `catches`.
 */
export const m = (
  id: string,
  kind: Exclude<MutantKind, "equivalence">,
  description: string,
  checks: string[],
  fault: () => Omit<Fault, "name">,
  opts?: Mutant["emulation"] | MutantOptions,
): Mutant => {
  const o: MutantOptions = opts && ("catches" in opts || "emulation" in opts || "survives" in opts) ? (opts as MutantOptions) : { emulation: opts as Mutant["emulation"] };
  return {
    id,
    kind,
    description,
    checks,
    ...(o.catches ? { catches: o.catches } : {}),
    fault,
    ...(o.emulation ? { emulation: o.emulation } : {}),
    ...(o.survives ? { survives: o.survives } : {}),
  };
};

/** An equivalence mutant: a legal variation run against every check (those that read streams, with streamsOnly), which must change no verdict. */
export const eq = (id: string, description: string, fault: () => Omit<Fault, "name">, opts: { streamsOnly?: boolean } = {}): Mutant => ({
  id,
  kind: "equivalence",
  description,
  checks: ["*"],
  fault,
  ...(opts.streamsOnly ? { streamsOnly: true } : {}),
});

/** The checks a mutant is expected to be caught by: its `catches`, else the checks it runs. */
export const expectedPatterns = (x: Mutant): string[] => (x.kind === "equivalence" ? [] : (x.catches ?? x.checks));
