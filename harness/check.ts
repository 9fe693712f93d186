// check(): one verifiable statement about a target, declared as data plus one
// async function, registered as a vitest test that carries its metadata. The
// wrapper turns what happened into an outcome: the check's own assertions fail
// at its level, a response that breaks the contract's schemas fails (MUST), a
// target that does not answer fails at the check's level, and anything else is
// the harness's own error, reported apart.

import { afterAll, test } from "vitest";
import { createRegistry, STORE_ROOT, tagFor, type Created } from "./cleanup";
import { loadContract, normalizeOperation, type Contract } from "./contract";
import { CheckFailure } from "./expect";
import { createApi, newRecorder, TransportError, type Api, type Recorder, type TargetConnection } from "./http";
import { checkEvents, loadStreams } from "./streams";
import { outcomeForLevel, type CheckMeta, type Evidence, type ExchangeRecord, type Outcome, type Verdict, type WireViolation } from "./model";
import { isSelected, runContext, type RunContext } from "./run-context";

declare module "vitest" {
  interface TaskMeta {
    check?: CheckMeta;
    verdict?: Verdict;
    deselected?: boolean;
  }
}

export interface CheckDef extends CheckMeta {
  /** The check's own time limit; it fails (never hangs) when exceeded. */
  timeoutMs?: number;
}

export interface CheckContext {
  api: Api;
  /** Registers what the check creates, for deletion when it ends. */
  created: Created;
  run: RunContext;
  contract: Contract;
  meta: CheckMeta;
  /** Metadata that tags a resource as the suite's own (merge into create bodies). */
  tag(extra?: Record<string, unknown>): Record<string, unknown>;
  /** A store namespace under the run's own root. */
  namespace(...parts: string[]): string[];
  /** A prerequisite the target cannot offer: reported as skip with the reason. */
  skip(reason: string): never;
  /** A line of explanation kept in the evidence. */
  note(text: string): void;
  /** Aborted when the check's time is up. */
  signal: AbortSignal;
  /**
   * A client of another connection (another identity, another deployment),
   * bounded by the same deadline, its exchanges recorded with the check's own.
   */
  connect(target: TargetConnection): Api;
}

export type CheckFn = (c: CheckContext) => Promise<void>;

export const DEFAULT_CHECK_TIMEOUT_MS = 30_000;
const MAX_EXCHANGES = 20;

class SkipSignal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

class DeadlineExceeded extends Error {}

/** A shared setup failed; every check that relies on it reports why. */
class SetupFailure extends Error {
  constructor(
    readonly setupName: string,
    readonly cause: unknown,
    readonly recorder: Recorder,
  ) {
    super(`setup '${setupName}' failed`);
  }
}

const registered = new Map<string, string>();

export function check(def: CheckDef, fn: CheckFn): void {
  const { timeoutMs = DEFAULT_CHECK_TIMEOUT_MS, ...meta } = def;
  const previous = registered.get(meta.id);
  if (previous !== undefined && previous !== meta.title) {
    throw new Error(`check id ${meta.id} is declared twice ('${previous}' and '${meta.title}')`);
  }
  registered.set(meta.id, meta.title);
  const run = runContext();
  if (run.mode === "run" && !isSelected(meta, run.selection)) {
    // Left out by --profile/--id/--level: registered as skipped so that a file
    // with none selected is still a valid test file; the report leaves it out.
    test.skip(`${meta.id} ${meta.title}`, { meta: { check: meta, deselected: true } }, () => undefined);
    return;
  }

  test(
    `${meta.id} ${meta.title}`,
    // vitest's own limit is a backstop only: the wrapper ends the check first.
    { meta: { check: meta }, timeout: timeoutMs + 15_000, concurrent: true },
    async (t) => {
      const verdict = await evaluate(meta, fn, run, timeoutMs);
      t.task.meta.verdict = verdict;
      if (verdict.outcome === "skip") t.skip(verdict.message);
      if (verdict.outcome !== "pass") throw new Error(`${verdict.outcome}: ${verdict.message}`);
    },
  );
}

interface SharedSetup {
  recorder: Recorder;
}
const setupUse = new WeakMap<CheckContext, SharedSetup[]>();

/**
 * A setup shared by several checks of one file, run once, on first use. Its
 * exchanges appear in the evidence of every check that uses it, and what it
 * creates is deleted after the file's checks.
 */
export function scenario<T>(name: string, setup: (c: CheckContext) => Promise<T>, timeoutMs = 60_000): (c: CheckContext) => Promise<T> {
  let memo: Promise<T> | undefined;
  const recorder = newRecorder("setup");
  let created: Created | undefined;
  afterAll(async () => {
    await created?.cleanup();
  });
  return async (c: CheckContext) => {
    const uses = setupUse.get(c) ?? [];
    if (!uses.some((u) => u.recorder === recorder)) uses.push({ recorder });
    setupUse.set(c, uses);
    if (!memo) {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), timeoutMs);
      const api = createApi({ target: c.run.target, contract: c.contract, recorder, signal: ctl.signal, checkEvents });
      created = createRegistry(createApi({ target: c.run.target, recorder: newRecorder("setup") }));
      const connect = (target: TargetConnection) => createApi({ target, contract: c.contract, recorder, signal: ctl.signal, checkEvents });
      const sc: CheckContext = { ...c, api, created, signal: ctl.signal, connect, meta: { ...c.meta, id: `setup:${name}` } };
      memo = setup(sc).finally(() => clearTimeout(timer));
    }
    try {
      return await memo;
    } catch (e) {
      throw new SetupFailure(name, e, recorder);
    }
  };
}

async function evaluate(meta: CheckMeta, fn: CheckFn, run: RunContext, timeoutMs: number): Promise<Verdict> {
  const started = performance.now();
  const notes: string[] = [];
  const recorder = newRecorder("check");
  const claim = run.claims[meta.profile];
  if (claim && !claim.claimed) {
    return { outcome: "skip", message: `profile '${meta.profile}' not claimed: ${claim.reason}`, evidence: { exchanges: [] }, durationMs: 0 };
  }
  const missing = (meta.requires ?? []).filter((r) => r.startsWith("graph:") && run.graphs && !run.graphs.includes(r.slice(6)));
  if (missing.length > 0) {
    return {
      outcome: "skip",
      message: `the target does not offer ${missing.map((m) => `fixture graph '${m.slice(6)}'`).join(", ")} (deploy fixtures/langgraph.json)`,
      evidence: { exchanges: [] },
      durationMs: 0,
    };
  }

  let contract: Contract;
  try {
    contract = await loadContract(run.contract);
    loadStreams(); // the event schemas of streams: broken, they are our error, not the target's
  } catch (e) {
    return { outcome: "error", message: `the contract could not be loaded: ${(e as Error).message}`, evidence: { exchanges: [] }, durationMs: 0 };
  }

  const ctl = new AbortController();
  const api = createApi({ target: run.target, contract, recorder, signal: ctl.signal, checkEvents });
  // Deletions are housekeeping, not evidence: they get a recorder of their own.
  const created = createRegistry(createApi({ target: run.target, recorder: newRecorder("check") }));
  const c: CheckContext = {
    api,
    created,
    run,
    contract,
    meta,
    tag: (extra) => ({ ...tagFor(run.runId, meta.id), ...extra }),
    namespace: (...parts) => [STORE_ROOT, run.runId, ...parts],
    skip: (reason) => {
      throw new SkipSignal(reason);
    },
    note: (text) => void notes.push(text),
    signal: ctl.signal,
    connect: (target) => createApi({ target, contract, recorder, signal: ctl.signal, checkEvents }),
  };

  let thrown: unknown;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(c),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          ctl.abort();
          reject(new DeadlineExceeded(`the check did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
  } catch (e) {
    thrown = e;
  } finally {
    clearTimeout(timer);
    ctl.abort();
  }
  const leftovers = await created.cleanup().catch(() => []);
  for (const l of leftovers) notes.push(`cleanup: could not delete ${l.kind} ${l.id} (${l.reason}); the final sweep retries`);

  const setups = (setupUse.get(c) ?? []).map((u) => u.recorder);
  const setupFailure = thrown instanceof SetupFailure ? thrown : undefined;
  const violations = [...setups.flatMap((s) => s.violations), ...recorder.violations];
  // A response that breaks the contract fails the checks about its operation.
  // Met in a prerequisite (a run that gives a thread state, say), it is kept in
  // the evidence: the checks of that operation judge it, and one broken answer
  // does not fail every check that happened to need it.
  const mine = new Set(meta.operations.map(normalizeOperation));
  const own = violations.filter((v) => v.operation === undefined || mine.has(normalizeOperation(v.operation)));
  const elsewhere = violations.filter((v) => !own.includes(v));
  if (elsewhere.length > 0) {
    const ops = [...new Set(elsewhere.map((v) => v.operation))].join(", ");
    notes.push(`prerequisite answers broke the contract (judged by the checks of ${ops}): ${describeViolations(elsewhere)}`);
  }
  const { outcome, message, focus } = classify(meta, setupFailure ? setupFailure.cause : thrown, own, setupFailure?.setupName, elsewhere);
  const exchanges = [...setups.flatMap((s) => s.exchanges), ...recorder.exchanges];
  const evidence = buildEvidence(exchanges, outcome, focus, notes, run.seed);
  return { outcome, message, evidence, durationMs: Math.round(performance.now() - started) };
}

const SEVERITY: Outcome[] = ["pass", "skip", "notice", "warn", "fail", "error"];
const worst = (a: Outcome, b: Outcome): Outcome => (SEVERITY.indexOf(a) >= SEVERITY.indexOf(b) ? a : b);

function describeViolations(v: WireViolation[]): string {
  const first = v[0]!.message;
  return v.length === 1 ? first : `${first} (and ${v.length - 1} more contract violation${v.length > 2 ? "s" : ""})`;
}

function isAssertionError(e: unknown): e is Error {
  return e instanceof Error && (e.name === "AssertionError" || e.constructor?.name === "AssertionError");
}

export function classify(
  meta: CheckMeta,
  thrown: unknown,
  violations: WireViolation[],
  setupName?: string,
  /** Violations in exchanges of operations the check is not about: they never fail it by themselves. */
  elsewhere: WireViolation[] = [],
): { outcome: Outcome; message: string; focus?: ExchangeRecord } {
  const prefix = setupName ? `setup '${setupName}' failed: ` : "";
  const levelOutcome = outcomeForLevel(meta.level);
  // The contract's response schemas are normative whatever the check's level.
  const wire = violations.length > 0 ? { outcome: "fail" as Outcome, message: describeViolations(violations) } : undefined;
  const withWire = (outcome: Outcome, message: string, focus?: ExchangeRecord) =>
    wire ? { outcome: worst(outcome, wire.outcome), message: `${message}; ${wire.message}`, focus } : { outcome, message, focus };

  if (thrown === undefined) return wire ? { outcome: wire.outcome, message: wire.message } : { outcome: "pass", message: "" };
  if (thrown instanceof SkipSignal) return { outcome: "skip", message: thrown.reason };
  if (thrown instanceof CheckFailure) return withWire(levelOutcome, prefix + thrown.message, thrown.exchange);
  if (isAssertionError(thrown)) return withWire(levelOutcome, prefix + thrown.message);
  if (thrown instanceof TransportError) return withWire(levelOutcome, prefix + thrown.message, thrown.record);
  if (thrown instanceof DeadlineExceeded) return withWire(levelOutcome, prefix + thrown.message);
  // A crash after the target broke the contract is the target's doing, not ours.
  if (wire) return { outcome: wire.outcome, message: `${prefix}${wire.message} (the check could not go on: ${(thrown as Error)?.message ?? thrown})` };
  if (elsewhere.length > 0) {
    return { outcome: levelOutcome, message: `${prefix}the check could not go on after a prerequisite answer broke the contract: ${describeViolations(elsewhere)} (${(thrown as Error)?.message ?? thrown})` };
  }
  const err = thrown instanceof Error ? thrown : new Error(String(thrown));
  const where = err.stack?.split("\n").slice(1, 3).map((l) => l.trim()).join(" ") ?? "";
  return { outcome: "error", message: `${prefix}harness error: ${err.name}: ${err.message}${where ? ` (${where})` : ""}` };
}

function buildEvidence(all: ExchangeRecord[], outcome: Outcome, focus: ExchangeRecord | undefined, notes: string[], seed: number): Evidence {
  let exchanges = all;
  let omitted = 0;
  if (exchanges.length > MAX_EXCHANGES) {
    const keep = new Set<ExchangeRecord>([...exchanges.slice(0, 5), ...exchanges.slice(-(MAX_EXCHANGES - 5))]);
    if (focus) keep.add(focus);
    // Exchanges that broke the contract are kept, up to a bound: a server whose
    // every answer breaks it (polled for a minute) would otherwise put hundreds
    // of them in one check's evidence; the first ones show the violation.
    let broken = 0;
    for (const x of exchanges) if (x.violations.length > 0 && !keep.has(x) && broken++ < MAX_EXCHANGES) keep.add(x);
    omitted = exchanges.length - keep.size;
    exchanges = exchanges.filter((x) => keep.has(x));
  }
  // A passing check keeps the request lines only: the report stays small.
  if (outcome === "pass" || outcome === "skip") {
    exchanges = exchanges.map((x) => ({
      phase: x.phase,
      ...(x.operation ? { operation: x.operation } : {}),
      request: { method: x.request.method, url: x.request.url, headers: {} },
      ...(x.response ? { response: { status: x.response.status, headers: {} } } : {}),
      curl: x.curl,
      startedAt: x.startedAt,
      durationMs: x.durationMs,
      violations: [],
    }));
  }
  const focusIndex = focus ? all.filter((x) => exchanges.includes(x)).indexOf(focus) : -1;
  return {
    exchanges,
    ...(omitted ? { omittedExchanges: omitted } : {}),
    ...(focusIndex >= 0 ? { focus: focusIndex } : {}),
    ...(notes.length ? { notes } : {}),
    seed,
  };
}
