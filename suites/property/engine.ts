// Running one property as one check: fast-check generates the cases from the
// run's seed, each case talks to the target through its own recorder (so that
// hundreds of exchanges do not flood the evidence), and when a case fails, the
// shrunk counterexample is replayed through the check's own client: its
// exchanges, with their curl lines, are the evidence, and the message says what
// was sent and what came back, once. The case's own failure is the verdict; the
// replay only confirms it (a replay runs on the state the case left).
//
// A counterexample is a function of the seed and the target's answers, not of
// the clock: shrinking tries a bounded number of candidates (SHRINK_BUDGET, a
// count), and a candidate that fails otherwise than the first failing case (a
// request with no answer in time where a status was judged, another cause) is
// not taken, so a slow or busy target cannot swap the finding for another.
//
// A property fails only on its own claim. What else its cases meet (answers
// that break the contract on the wire, a refusal with another 4xx than the
// contract's) is observed: each is reported once, in the finding of its cause,
// with the case's exchange, and the cases go on.

import { createHash } from "node:crypto";
import fc from "fast-check";
import type { CheckContext } from "../../harness/check";
import { CheckFailure, type FailureDetail } from "../../harness/expect";
import { createApi, newRecorder, TransportError, type Api, type HttpRequest, type HttpResponse, type StreamResponse, type TargetConnection } from "../../harness/http";
import type { Cause, ExchangeRecord, Level, OperationKey } from "../../harness/model";
import { checkEvents } from "../../harness/streams";

/**
 * Cases per property when --runs is not given: enough to meet each operation's
 * common mutations and optional fields on every run, small enough for the whole
 * profile to take tens of seconds on the embedded server (README: property runs).
 */
export const DEFAULT_RUNS = 12;

/**
 * Shrink candidates tried after the first failing case, at most. A count, not a
 * time: the same seed and the same answers give the same counterexample on a
 * quiet machine and on a busy one (the time limit below only ends a target too
 * slow to finish).
 */
export const SHRINK_BUDGET = 60;

/**
 * What kind of failure a case met, for shrinking: a judged failure by its cause
 * (or the status it got), a transport failure (no answer, a broken
 * connection), anything else by its name.
 */
export function failureKind(e: unknown): string {
  if (e instanceof CheckFailure) return `judged: ${e.detail.cause?.signature ?? (e.detail.status ? `status ${e.detail.status.got}` : "own claim")}`;
  if (e instanceof TransportError) return "transport";
  return `error: ${e instanceof Error ? e.name : typeof e}`;
}

/** Time for the cases of one property, by cases asked: no case starts after it. */
export function propertyTimeLimitMs(runs: number): number {
  return Math.max(45_000, runs * 1_500);
}
/** Time for shrinking, on top: it only ends a target too slow for SHRINK_BUDGET candidates. */
export const SHRINK_TIME_LIMIT_MS = 60_000;
/** The check's own deadline: the cases, shrinking, then the replay and cleanup. */
export function propertyCheckTimeoutMs(runs: number): number {
  return propertyTimeLimitMs(runs) + SHRINK_TIME_LIMIT_MS + 45_000;
}

/** The seed of one property: the run's seed and the check's id, so that each replays alone. */
export function propertySeed(runSeed: number, checkId: string): number {
  const h = createHash("sha256").update(`${runSeed}:${checkId}`).digest();
  return h.readUInt32BE(0) & 0x7fffffff;
}

/** An Api that keeps the records of what it sent, for the case to judge. */
export interface CaseApi extends Api {
  records: ExchangeRecord[];
}

/** Wraps a client so that its exchanges land in `records` (shared by the clients of one case). */
function tracking(api: Api, records: ExchangeRecord[] = []): CaseApi {
  const keep = <T extends HttpResponse | StreamResponse>(p: Promise<T>): Promise<T> =>
    p.then((res) => {
      records.push(res.record);
      return res;
    });
  return {
    records,
    request: (r: HttpRequest) => keep(api.request(r)),
    get: (p, o) => keep(api.get(p, o)),
    delete: (p, o) => keep(api.delete(p, o)),
    post: (p, j, o) => keep(api.post(p, j, o)),
    put: (p, j, o) => keep(api.put(p, j, o)),
    patch: (p, j, o) => keep(api.patch(p, j, o)),
    stream: (r, o) => keep(api.stream(r, o)),
  };
}

export interface PropertyCase<T> {
  /** The client of this case. */
  api: CaseApi;
  /** One client per connection of PropertyRun.targets (the first is `api`), their exchanges kept together. */
  apis: CaseApi[];
  value: T;
  /** True when this is the replay of the counterexample through the check's own client. */
  replay: boolean;
  /**
   * A deviation the property does not claim (a 4xx other than the contract's
   * for an invalid body, a 200 the contract answers otherwise): observed, in
   * the finding of its cause, and the cases go on.
   */
  soft: (message: string, res: HttpResponse | StreamResponse | undefined, o: { cause: Cause; level: Level }) => void;
}

export interface PropertyRun<T> {
  c: CheckContext;
  /** The operation the finding belongs to, and its profile, for the message and the evidence. */
  operation: { key: OperationKey; profile?: string };
  arbitrary: fc.Arbitrary<T>;
  /** One case: throws a CheckFailure (via fail/ensure/expect*) when the property does not hold. */
  run: (k: PropertyCase<T>) => Promise<void>;
  /** The case in a few words, for the message (a body, a mutation). */
  show: (value: T) => string;
  /**
   * Cases run first on every run, whatever the seed: a sequence that meets
   * every command, so that what a property can find does not hang on the draw.
   */
  examples?: T[];
  /** What the determinism digest hashes for a case (defaults to its JSON). */
  digestOf?: (value: T) => string;
  /** Strings to mask in the digest (the run id, ids the target made in the setup). */
  mask?: string[];
  /**
   * The connections a case talks through (several users of the auth profile),
   * one client each; the run's target when absent.
   */
  targets?: TargetConnection[];
}

/** Where each status was seen, as "200×9, 404×3". */
function histogram(statuses: number[]): string {
  const m = new Map<number, number>();
  for (const s of statuses) m.set(s, (m.get(s) ?? 0) + 1);
  return (
    [...m.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}×${n}`)
      .join(", ") || "none"
  );
}

/**
 * Runs the property; returns normally when it held on every case, throws a
 * CheckFailure (with the counterexample's exchanges in the evidence) otherwise.
 */
export async function runProperty<T>(p: PropertyRun<T>): Promise<void> {
  const { c } = p;
  const numRuns = c.run.propertyRuns ?? DEFAULT_RUNS;
  const seed = propertySeed(c.run.seed, c.meta.id);
  const opLabel = `${p.operation.key} (profile ${p.operation.profile ?? "?"})`;
  c.note(`operation: ${opLabel}`);
  const statuses: number[] = [];
  const digest = createHash("sha256");
  const mask = (s: string) => (p.mask ?? []).filter(Boolean).reduce((acc, m) => acc.split(m).join("<masked>"), s);
  let generated = 0;
  let lastFailure: { message: string; exchange?: ExchangeRecord; detail?: FailureDetail } | undefined;
  let observed = 0;

  // One case: the property's own judgement; what its answers break on the wire is observed.
  const runCase = async (apis: CaseApi[], value: T, replay: boolean) => {
    const api = apis[0]!;
    const soft: PropertyCase<T>["soft"] = (message, res, o) => {
      observed++;
      c.observe({ ...o, message }, res);
    };
    try {
      await p.run({ api, apis, value, replay, soft });
    } finally {
      for (const r of api.records) for (const v of r.violations) c.observe({ cause: v, level: v.level, message: v.message }, { record: r });
    }
  };

  // After the first failure, fast-check shrinks: those runs are not cases.
  let shrinking = false;
  let firstKind: string | undefined;
  let tried = 0;
  let otherwise = 0;
  // Cases run (not shrink candidates), and whether the time limit left some out.
  let cases = 0;
  let casesCut = false;
  const started = performance.now();
  const ownOps = new Set(p.operation.key.split(", "));
  const property = fc.asyncProperty(p.arbitrary, async (value) => {
    // Past the budget (or the cases' time), a case holds without a request: fast-check ends where it stands.
    if (shrinking) {
      if (++tried > SHRINK_BUDGET) return;
    } else if (performance.now() - started > propertyTimeLimitMs(numRuns)) {
      casesCut = true;
      return;
    } else cases++;
    generated++;
    const records: ExchangeRecord[] = [];
    const apis = (p.targets ?? [c.run.target]).map((target) => tracking(createApi({ target, contract: c.contract, recorder: newRecorder("check"), signal: c.signal, checkEvents }), records));
    const api = apis[0]!;
    try {
      await runCase(apis, value, false);
    } catch (e) {
      const kind = failureKind(e);
      if (shrinking && kind !== firstKind) {
        // Not the failure being shrunk: this candidate is no counterexample of it.
        otherwise++;
        return;
      }
      firstKind = kind;
      lastFailure = {
        message: e instanceof Error ? e.message : String(e),
        ...(e instanceof CheckFailure && e.exchange ? { exchange: e.exchange } : e instanceof TransportError ? { exchange: e.record } : {}),
        ...(e instanceof CheckFailure ? { detail: e.detail } : {}),
      };
      if (!shrinking) for (const r of api.records) if (r.operation && ownOps.has(r.operation)) statuses.push(r.response ? r.response.status : 0);
      shrinking = true;
      throw e;
    } finally {
      // A log of every case (the cases of a property are not evidence), for whoever debugs the suite.
      if (process.env.LGC_PROPERTY_LOG)
        (await import("node:fs")).appendFileSync(
          process.env.LGC_PROPERTY_LOG,
          `${c.meta.id} ${generated} ${JSON.stringify(value).slice(0, 700)} => ${api.records.map((r) => `${r.response?.status ?? r.error}:${r.durationMs}ms`).join(",")}\n`,
        );
      if (!shrinking) for (const r of api.records) if (r.operation && ownOps.has(r.operation)) statuses.push(r.response ? r.response.status : 0);
    }
  });

  const details = await fc.check(property, {
    seed,
    numRuns,
    ...(p.examples?.length ? { examples: p.examples.map((e) => [e] as [T]) } : {}),
    interruptAfterTimeLimit: propertyTimeLimitMs(numRuns) + SHRINK_TIME_LIMIT_MS,
    markInterruptAsFailure: false,
    // The shrinker's own budget: a failing property ends in bounded time.
    endOnFailure: false,
  });
  const casesRun = cases;
  const replayHint = details.failed && details.counterexamplePath ? `, replay: fc.check(property, { seed: ${seed}, path: "${details.counterexamplePath}", endOnFailure: true })` : "";
  c.note(
    `${casesRun} case(s) run of ${numRuns} asked${casesCut || (details.interrupted && !details.failed) ? " (stopped by the time limit)" : ""}; property seed ${seed} from run seed ${c.run.seed} and check id${replayHint}`,
  );
  c.note(`statuses of ${p.operation.key} in the cases (0: no answer): ${histogram(statuses)}`);
  if (details.failed)
    c.note(
      `shrinking: ${Math.min(tried, SHRINK_BUDGET)} candidate(s) tried of at most ${SHRINK_BUDGET}${otherwise > 0 ? `; ${otherwise} failed otherwise than the first failing case (${firstKind}) and were not taken` : ""}${details.interrupted ? "; stopped by the time limit, so the counterexample may not be the smallest" : ""}`,
    );

  // The cases the seed gives, drawn again without the target: equal digests, equal cases.
  for (const value of fc.sample(p.arbitrary, { seed, numRuns })) {
    const line = mask(p.digestOf ? p.digestOf(value) : JSON.stringify(value));
    if (process.env.LGC_PROPERTY_LOG) (await import("node:fs")).appendFileSync(process.env.LGC_PROPERTY_LOG, `${c.meta.id} sample ${line}\n`);
    digest.update(line + "\n");
  }
  c.note(`generated cases digest: sha256:${digest.digest("hex").slice(0, 16)} (${numRuns} case(s) drawn from the seed; run id and setup ids masked)`);
  const summary = `${casesRun} case(s), seed ${seed}`;
  if (observed > 0) c.note(`${observed} deviation(s) the property does not claim were observed in the cases (each in the finding of its cause)`);
  if (!details.failed) {
    if (casesRun === 0) throw new CheckFailure(`${opLabel}: no case ran within the time limit (${propertyTimeLimitMs(numRuns)} ms)`);
    return;
  }
  const counterexample = details.counterexample?.[0] as T;
  const original = lastFailure?.message ?? String(details.errorInstance ?? "the property failed");
  c.note(`counterexample (after ${details.numShrinks} shrink step(s)): ${p.show(counterexample)}`);
  // The counterexample again, through the check's own client: its exchanges, with
  // their curl lines, join the evidence. The case's own failure stays the verdict:
  // the replay runs on the state the case left (a body wrongly accepted under a
  // client-chosen id meets, the second time, the resource it made).
  let replayError: unknown;
  try {
    const records: ExchangeRecord[] = [];
    await runCase(p.targets ? p.targets.map((t) => tracking(c.connect(t), records)) : [tracking(c.api, records)], counterexample, true);
  } catch (e) {
    replayError = e;
  }
  const where = `${opLabel}; case: ${p.show(counterexample)}; ${summary}`;
  const replay =
    replayError === undefined
      ? "the replay of this case did not fail"
      : replayError instanceof CheckFailure || replayError instanceof TransportError
        ? `the replay failed ${replayError.message === original ? "the same way" : `otherwise: ${replayError.message.slice(0, 300)}`}`
        : undefined;
  if (replay === undefined) throw replayError;
  c.note(replay);
  throw new CheckFailure(`${original} [${where}]`, lastFailure?.exchange, lastFailure?.detail);
}
