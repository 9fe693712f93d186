// Findings: every distinct deviation of the target, reported once. A finding
// gathers every sighting of one cause (harness/causes.ts): the responses and
// events that broke the contract on the wire, and the checks whose failure is
// an instance of it. Its level is the most binding one among them; its words
// are those the cause and the failed checks cite. The fix list of every report
// format is this list, most binding and most far-reaching first.

import { createHash } from "node:crypto";
import { ownCause, stricter } from "../harness/causes";
import { type Cause, type Citation, type ExchangeRecord, type Level, type Observation, type Outcome } from "../harness/model";
import type { CheckResult, Finding } from "./model";

export function findingId(signature: string): string {
  return `F-${createHash("sha256").update(signature).digest("hex").slice(0, 8)}`;
}

const NOT_PASSED: Outcome[] = ["fail", "warn", "notice"];
const LEVEL_OF: Partial<Record<Outcome, Level>> = { fail: "MUST", warn: "SHOULD", notice: "MAY" };
const MAX_WORDS = 6;
/** Citations taken from the checks a finding fails, where its cause names no words of its own. */
const CHECK_WORDS = 3;

/** Most binding first; then the one that explains most checks, then most operations, then most sightings. */
export function byImportance(a: Finding, b: Finding): number {
  const rank = (l: Level) => ["MUST", "SHOULD", "MAY"].indexOf(l);
  return rank(a.level) - rank(b.level) || b.failed.length - a.failed.length || b.operations.length - a.operations.length || b.occurrences - a.occurrences || a.id.localeCompare(b.id);
}

/**
 * Gathers the findings of a run's checks. Every check whose outcome is fail,
 * warn or notice is in exactly one finding (its cause's); a check with no cause
 * recorded (a report of an older format) is a cause of its own. `previous`: the
 * findings the same checks gave before, whose examples are kept where the
 * checks no longer carry their exchanges.
 */
export function buildFindings(checks: ReadonlyArray<CheckResult>, previous: ReadonlyArray<Finding> = []): Finding[] {
  interface Acc {
    f: Finding;
    ops: Set<string>;
    exchanges: Set<string>;
    met: Set<string>;
    words: Map<string, Citation>;
  }
  const all = new Map<string, Acc>();
  const acc = (signature: string, title: string, level: Level): Acc => {
    let a = all.get(signature);
    if (!a) {
      a = {
        f: { id: findingId(signature), signature, title, level, seenBy: [], operations: [], occurrences: 0, failed: [], met: [], words: [], example: { check: "", message: "" } },
        ops: new Set(),
        exchanges: new Set(),
        met: new Set(),
        words: new Map(),
      };
      all.set(signature, a);
    } else a.f.level = stricter(a.f.level, level);
    return a;
  };
  const addWords = (a: Acc, words: Citation[] | undefined) => {
    for (const w of words ?? []) {
      const key = `${w.source}\u0000${w.section}\u0000${w.quote ?? ""}`;
      if (!a.words.has(key) && a.words.size < MAX_WORDS) a.words.set(key, w);
    }
  };
  const seen = (a: Acc, how: "wire" | "checks") => {
    if (!a.f.seenBy.includes(how)) a.f.seenBy.push(how);
  };

  for (const c of checks) {
    for (const o of c.observations ?? []) {
      const a = acc(o.signature, o.title, o.level);
      seen(a, "wire");
      if (o.operation) a.ops.add(o.operation);
      // A scenario's exchange is seen by every check that shares it: counted once.
      const key = o.exchange ? `${o.exchange.startedAt}\u0000${o.exchange.curl}` : `${c.id}\u0000${o.operation ?? ""}`;
      if (!a.exchanges.has(key)) {
        a.exchanges.add(key);
        a.f.occurrences += o.exchange ? 1 : o.count;
      }
      a.met.add(c.id);
      addWords(a, o.words);
      if (!a.f.example.check) a.f.example = { check: c.id, message: o.message, ...(o.exchange ? { exchange: o.exchange } : {}) };
    }
  }
  for (const c of checks) {
    if (!NOT_PASSED.includes(c.outcome)) continue;
    const cause = c.cause ?? ownCause(c);
    const a = acc(cause.signature, cause.title, LEVEL_OF[c.outcome]!);
    seen(a, "checks");
    a.f.failed.push({ id: c.id, level: c.level, outcome: c.outcome });
    a.f.occurrences++;
    for (const op of c.operations) if (a.ops.size === 0 || !c.cause) a.ops.add(op);
    const focus = c.evidence.focus !== undefined ? c.evidence.exchanges[c.evidence.focus] : undefined;
    if (focus?.operation) a.ops.add(focus.operation);
    // The cause's own words where it knows them; else the words of the checks it fails.
    addWords(a, cause.words);
    if (!cause.words?.length && a.words.size < CHECK_WORDS) for (const w of c.spec.slice(0, CHECK_WORDS - a.words.size)) addWords(a, [w]);
    // A failing check shows the cause better than a passing one that met it on the wire.
    if (!a.f.example.check || !a.f.failed.slice(0, -1).length) {
      a.f.example = { check: c.id, message: c.message, ...(focus ? { exchange: focus } : a.f.example.exchange ? { exchange: a.f.example.exchange } : {}) };
    }
  }
  // A report built again from its own checks (a fixture, a merge of shards) has
  // lost the sightings' exchanges: the examples it had are kept.
  const before = new Map(previous.map((f) => [f.id, f.example]));
  const out: Finding[] = [];
  for (const a of all.values()) {
    const kept = before.get(a.f.id);
    if (!a.f.example.exchange && kept?.exchange) a.f.example = kept;
    const failedIds = new Set(a.f.failed.map((x) => x.id));
    a.f.met = [...a.met].filter((id) => !failedIds.has(id)).sort(byId);
    a.f.operations = [...a.ops].sort();
    a.f.words = [...a.words.values()];
    a.f.failed.sort((x, y) => byId(x.id, y.id));
    out.push(a.f);
  }
  return out.sort(byImportance);
}

function byId(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** Findings counted by level. */
export function findingCounts(findings: ReadonlyArray<Pick<Finding, "level">>): Record<Level, number> & { total: number } {
  const c = { MUST: 0, SHOULD: 0, MAY: 0, total: findings.length };
  for (const f of findings) c[f.level]++;
  return c;
}

/** What a check says of the findings: the one its failure is, and the ones it met. */
export function findingsOfCheck(c: Pick<CheckResult, "id" | "title" | "cause" | "observations" | "outcome">): { cause?: string; met: string[] } {
  const cause = NOT_PASSED.includes(c.outcome) ? findingId((c.cause ?? ownCause(c)).signature) : undefined;
  const met = [...new Set((c.observations ?? []).map((o) => findingId(o.signature)))].filter((id) => id !== cause);
  return { ...(cause ? { cause } : {}), met };
}

export type { Observation };
