// check(): one verifiable statement about a target, declared as data plus one
// async function, registered as a vitest test that carries its metadata. The
// wrapper turns what happened into an outcome, judged on the check's own claim
// only: its own assertions fail at its level, a target that does not answer
// fails at its level, and anything else is the harness's own error, reported
// apart. What else the check met on the wire (a response or event that breaks
// the contract) is an observation: the report gathers observations and failures
// into findings, one per cause, so that a deviation is reported once.

import { setMaxListeners } from "node:events";
import { afterAll, test } from "vitest";
import { createRegistry, STORE_ROOT, tagFor, type Created } from "./cleanup";
import { loadContract, normalizeOperation, type Contract } from "./contract";
import { operationFamily, ownCause, statusCause } from "./causes";
import { CheckFailure } from "./expect";
import { createApi, newRecorder, TransportError, type Api, type Recorder, type TargetConnection } from "./http";
import { checkEvents, loadStreams } from "./streams";
import { outcomeForLevel, type Cause, type CheckMeta, type Evidence, type ExchangeRecord, type Level, type Observation, type Outcome, type Verdict, type WireViolation } from "./model";
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
  /** Adds n to a figure the check counts (the report sums each over the run's checks). */
  tally(name: string, n: number): void;
  /**
   * A deviation the check met but does not fail on (its claim is another one):
   * reported in the finding of its cause, with this exchange.
   */
  observe(o: { cause: Cause; level: Level; message: string }, res?: { record: ExchangeRecord; status?: number }): void;
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
/** Distinct causes kept per check: a server whose every answer is wrong gives a bounded report. */
const MAX_OBSERVATIONS = 30;

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
      setMaxListeners(0, ctl.signal); // one listener per request in flight, and a setup may have many
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
  const noted: Observation[] = [];
  const tallies: Record<string, number> = {};
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
  // Every request in flight listens to the check's deadline: a check that sends many at once is no leak.
  setMaxListeners(0, ctl.signal);
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
    tally: (name, n) => void (tallies[name] = (tallies[name] ?? 0) + n),
    observe: (o, res) =>
      void noted.push({
        ...o.cause,
        kind: "noted",
        level: o.level,
        message: o.message,
        count: 1,
        ...(res?.record.operation ? { operation: res.record.operation } : {}),
        ...(res?.record.response ? { status: res.record.response.status } : {}),
        ...(res ? { exchange: res.record } : {}),
      }),
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
  const exchanges = [...setups.flatMap((s) => s.exchanges), ...recorder.exchanges];
  // The exchange a failure is about belongs in the evidence even when the check
  // made it through a client of its own (the cases of a property).
  if (thrown instanceof CheckFailure && thrown.exchange && !exchanges.includes(thrown.exchange)) exchanges.push(thrown.exchange);
  const violations = exchanges.flatMap((x) => x.violations);
  const declaredOf = (op: string) => contract.operation(op)?.statuses;
  const { outcome, message, focus, cause } = classify(meta, setupFailure ? setupFailure.cause : thrown, violations, setupFailure?.setupName, declaredOf);
  const observations = observe(exchanges, noted);
  if (observations.length > 0 && outcome !== "pass") {
    notes.push(`seen on the wire besides (each reported once, as a finding): ${observations.map((o) => o.title).join("; ")}`);
  }
  const evidence = buildEvidence(exchanges, outcome, focus, notes, run.seed);
  return {
    outcome,
    message,
    evidence,
    durationMs: Math.round(performance.now() - started),
    ...(cause ? { cause } : {}),
    ...(observations.length ? { observations } : {}),
    ...(Object.keys(tallies).length ? { tallies } : {}),
  };
}

/** The deviations of a check's exchanges, one per cause and operation, each with its first exchange. */
function observe(exchanges: ExchangeRecord[], noted: Observation[]): Observation[] {
  const out = new Map<string, Observation>();
  const add = (o: Observation) => {
    const key = `${o.signature}\u0000${o.operation ?? ""}`;
    const prior = out.get(key);
    if (prior) prior.count += o.count;
    else if (out.size < MAX_OBSERVATIONS) out.set(key, o);
  };
  for (const x of exchanges) {
    for (const v of x.violations) {
      add({
        signature: v.signature,
        title: v.title,
        kind: v.kind,
        level: v.level,
        message: v.message,
        count: 1,
        ...(v.operation ? { operation: v.operation } : {}),
        ...(v.status !== undefined ? { status: v.status } : {}),
        ...(v.words ? { words: v.words } : {}),
        exchange: x,
      });
    }
  }
  for (const o of noted) add({ ...o });
  return [...out.values()];
}

function describeViolations(v: WireViolation[]): string {
  const first = v[0]!.message;
  return v.length === 1 ? first : `${first} (and ${v.length - 1} more contract violation${v.length > 2 ? "s" : ""})`;
}

function isAssertionError(e: unknown): e is Error {
  return e instanceof Error && (e.name === "AssertionError" || e.constructor?.name === "AssertionError");
}

export interface Classified {
  outcome: Outcome;
  message: string;
  focus?: ExchangeRecord;
  /** For fail, warn and notice: the cause the failure is an instance of. */
  cause?: Cause;
}

/**
 * The outcome of a check from what its function did: its own assertions, at its
 * level. `violations` (what its exchanges broke on the wire) never fail it; they
 * only explain a check that could not go on after an answer broke the contract.
 */
export function classify(
  meta: CheckMeta,
  thrown: unknown,
  violations: WireViolation[] = [],
  setupName?: string,
  /** The statuses an operation declares, to name the cause of a status that was not wanted. */
  declaredOf: (operation: string) => string[] | undefined = () => undefined,
): Classified {
  const prefix = setupName ? `setup '${setupName}' failed: ` : "";
  const levelOutcome = outcomeForLevel(meta.level);
  const own = ownCause(meta);
  const failed = (message: string, cause: Cause, focus?: ExchangeRecord): Classified => ({ outcome: levelOutcome, message: prefix + message, cause, ...(focus ? { focus } : {}) });

  if (thrown === undefined) return { outcome: "pass", message: "" };
  if (thrown instanceof SkipSignal) return { outcome: "skip", message: thrown.reason };
  if (thrown instanceof CheckFailure) {
    const { cause, status } = thrown.detail;
    const op = thrown.exchange?.operation;
    const named = cause ?? (status ? statusCause(op, status.wanted, status.got, op ? declaredOf(op) : undefined) : own);
    return failed(thrown.message, named, thrown.exchange);
  }
  if (isAssertionError(thrown)) return failed(thrown.message, own);
  if (thrown instanceof TransportError) {
    const op = thrown.record.operation;
    const how = /within [0-9]+ ms/.test(thrown.record.error ?? "")
      ? "no complete answer in time"
      : /aborted/.test(thrown.record.error ?? "")
        ? "no answer before the check's time was up"
        : "the connection failed";
    const where = op ? operationFamily(op) : "a request";
    return failed(thrown.message, { signature: `no answer ${where}: ${how}`, title: `${where}: ${how}` }, thrown.record);
  }
  if (thrown instanceof DeadlineExceeded) return failed(thrown.message, own);
  // A crash after the target broke the contract: the check could not judge its
  // claim because of that answer, and the failure is an instance of its cause.
  const err = thrown instanceof Error ? thrown : new Error(String(thrown));
  if (violations.length > 0) {
    const first = violations[0]!;
    return failed(`the check could not go on after an answer broke the contract: ${describeViolations(violations)} (${err.message})`, { signature: first.signature, title: first.title });
  }
  const where =
    err.stack
      ?.split("\n")
      .slice(1, 3)
      .map((l) => l.trim())
      .join(" ") ?? "";
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
