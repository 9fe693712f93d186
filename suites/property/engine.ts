// Running one property as one check: fast-check generates the cases from the
// run's seed, each case talks to the target through its own recorder (so that
// hundreds of exchanges do not flood the evidence), and when a case fails, the
// shrunk counterexample is replayed through the check's own client: its
// exchanges, with their curl lines, are the evidence, and the message says what
// was sent and what came back, once.

import { createHash } from "node:crypto";
import fc from "fast-check";
import type { CheckContext } from "../../harness/check";
import { CheckFailure } from "../../harness/expect";
import { createApi, newRecorder, TransportError, type Api, type HttpRequest, type HttpResponse, type StreamResponse, type TargetConnection } from "../../harness/http";
import type { ExchangeRecord, OperationKey } from "../../harness/model";
import { checkEvents } from "../../harness/streams";

/**
 * Cases per property when --runs is not given: enough to meet each operation's
 * common mutations and optional fields on every run, small enough for the whole
 * profile to take tens of seconds on the embedded server (README: property runs).
 */
export const DEFAULT_RUNS = 12;
/** What nightly runs use (README). */
export const NIGHTLY_RUNS = 200;

/** Time for the fast-check run of one property (cases and shrinking), by cases asked. */
export function propertyTimeLimitMs(runs: number): number {
  return Math.max(45_000, runs * 1_500);
}
/** The check's own deadline: the property's time, then the replay and cleanup. */
export function propertyCheckTimeoutMs(runs: number): number {
  return propertyTimeLimitMs(runs) + 45_000;
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
   * A lesser deviation (a 4xx other than the contract's, an error body of the
   * wrong form): noted, and the cases go on looking for worse (a 2xx, a 5xx,
   * something created); reported when nothing worse turns up. Throws on the replay.
   */
  soft: (message: string, res?: HttpResponse | StreamResponse) => void;
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
  /** What the determinism digest hashes for a case (defaults to its JSON). */
  digestOf?: (value: T) => string;
  /** Strings to mask in the digest (the run id, ids the target made in the setup). */
  mask?: string[];
  /** Contract violations on the wire are lesser deviations (see PropertyCase.soft), not failures of the case. */
  wireIsSoft?: boolean;
  /** Contract violations on the wire are not this property's claim at all (they stay in the evidence, for the findings). */
  ignoreWire?: boolean;
  /** What held in every case when only lesser deviations were found ("none was accepted, …"). */
  softSummary?: string;
  /**
   * The connections a case talks through (several users of the auth profile),
   * one client each; the run's target when absent.
   */
  targets?: TargetConnection[];
}

class SoftDeviation extends CheckFailure {}

function violationsOf(records: ExchangeRecord[]): string | undefined {
  const v = records.flatMap((r) => r.violations);
  if (v.length === 0) return undefined;
  return v.length === 1 ? v[0]!.message : `${v[0]!.message} (and ${v.length - 1} more)`;
}

/** Where each status was seen, as "200×9, 404×3". */
function histogram(statuses: number[]): string {
  const m = new Map<number, number>();
  for (const s of statuses) m.set(s, (m.get(s) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(", ") || "none";
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
  let lastFailure: { message: string; exchange?: ExchangeRecord } | undefined;

  const softs: Array<{ value: T; message: string; exchange?: ExchangeRecord }> = [];

  // One case: the property's own judgement, then the contract on the wire.
  const runCase = async (apis: CaseApi[], value: T, replay: boolean) => {
    const api = apis[0]!;
    let softSeen = false;
    const soft = (message: string, res?: HttpResponse | StreamResponse) => {
      if (replay) throw new SoftDeviation(message, res?.record);
      if (!softSeen) softs.push({ value, message, ...(res ? { exchange: res.record } : {}) });
      softSeen = true;
    };
    await p.run({ api, apis, value, replay, soft });
    const wire = p.ignoreWire ? undefined : violationsOf(api.records);
    if (wire) {
      const focus = api.records.find((r) => r.violations.length > 0);
      // On the replay the harness adds the violations' own words to the message.
      const message = `${focus?.operation ?? p.operation.key} answered ${focus?.response?.status ?? "?"} with a response that breaks the contract${replay ? "" : `: ${wire}`}`;
      if (p.wireIsSoft && !replay) return soft(message);
      throw new CheckFailure(message, focus);
    }
  };

  // After the first failure, fast-check shrinks: those runs are not cases.
  let shrinking = false;
  const ownOps = new Set(p.operation.key.split(", "));
  const property = fc.asyncProperty(p.arbitrary, async (value) => {
    generated++;
    const records: ExchangeRecord[] = [];
    const apis = (p.targets ?? [c.run.target]).map((target) => tracking(createApi({ target, contract: c.contract, recorder: newRecorder("check"), signal: c.signal, checkEvents }), records));
    const api = apis[0]!;
    try {
      await runCase(apis, value, false);
    } catch (e) {
      lastFailure = { message: e instanceof Error ? e.message : String(e), ...(e instanceof CheckFailure && e.exchange ? { exchange: e.exchange } : e instanceof TransportError ? { exchange: e.record } : {}) };
      if (!shrinking) for (const r of api.records) if (r.operation && ownOps.has(r.operation)) statuses.push(r.response ? r.response.status : 0);
      shrinking = true;
      throw e;
    } finally {
      // A log of every case (the cases of a property are not evidence), for whoever debugs the suite.
      if (process.env.LGC_PROPERTY_LOG) (await import("node:fs")).appendFileSync(process.env.LGC_PROPERTY_LOG, `${c.meta.id} ${generated} ${JSON.stringify(value).slice(0, 700)} => ${api.records.map((r) => `${r.response?.status ?? r.error}:${r.durationMs}ms`).join(",")}\n`);
      if (!shrinking) for (const r of api.records) if (r.operation && ownOps.has(r.operation)) statuses.push(r.response ? r.response.status : 0);
    }
  });

  const details = await fc.check(property, {
    seed,
    numRuns,
    interruptAfterTimeLimit: propertyTimeLimitMs(numRuns),
    markInterruptAsFailure: false,
    // The shrinker's own budget: a failing property ends in bounded time.
    endOnFailure: false,
  });
  const casesRun = Math.min(details.numRuns, numRuns);
  const replayHint = details.failed && details.counterexamplePath ? `, replay: fc.check(property, { seed: ${seed}, path: "${details.counterexamplePath}", endOnFailure: true })` : "";
  c.note(
    `${casesRun} case(s) run of ${numRuns} asked${details.interrupted ? " (stopped by the time limit)" : ""}; property seed ${seed} from run seed ${c.run.seed} and check id${replayHint}`,
  );
  c.note(`statuses of ${p.operation.key} in the cases (0: no answer): ${histogram(statuses)}`);

  // The cases the seed gives, drawn again without the target: equal digests, equal cases.
  for (const value of fc.sample(p.arbitrary, { seed, numRuns })) {
    const line = mask(p.digestOf ? p.digestOf(value) : JSON.stringify(value));
    if (process.env.LGC_PROPERTY_LOG) (await import("node:fs")).appendFileSync(process.env.LGC_PROPERTY_LOG, `${c.meta.id} sample ${line}\n`);
    digest.update(line + "\n");
  }
  c.note(`generated cases digest: sha256:${digest.digest("hex").slice(0, 16)} (${numRuns} case(s) drawn from the seed; run id and setup ids masked)`);
  const summary = `${casesRun} case(s), seed ${seed}`;
  if (!details.failed && softs.length === 0) {
    if (casesRun === 0) throw new CheckFailure(`${opLabel}: no case ran within the time limit (${propertyTimeLimitMs(numRuns)} ms)`);
    return;
  }
  // A hard failure (shrunk), or else the shortest lesser deviation (the cases went on past it).
  const hard = details.failed;
  softs.sort((a, b) => p.show(a.value).length - p.show(b.value).length);
  const counterexample = (hard ? details.counterexample?.[0] : softs[0]!.value) as T;
  const original = hard ? (lastFailure?.message ?? String(details.errorInstance ?? "the property failed")) : softs[0]!.message;
  const tally = hard ? "" : `; ${softs.length} of ${casesRun} case(s) deviated like this or otherwise${p.softSummary ? `; ${p.softSummary}` : ""}`;
  c.note(hard ? `counterexample (after ${details.numShrinks} shrink step(s)): ${p.show(counterexample)}` : `shortest deviating case: ${p.show(counterexample)}`);
  for (const s of softs.slice(1, 4)) c.note(`also: ${s.message.slice(0, 300)}`);
  // The counterexample again, through the check's own client: its exchanges are the evidence.
  let replayError: unknown;
  try {
    const records: ExchangeRecord[] = [];
    await runCase(p.targets ? p.targets.map((t) => tracking(c.connect(t), records)) : [tracking(c.api, records)], counterexample, true);
  } catch (e) {
    replayError = e;
  }
  const where = `${opLabel}; case: ${p.show(counterexample)}; ${summary}${tally}`;
  // The replay runs on the state the case left: a body that was wrongly accepted
  // under a client-chosen id meets, the second time, the resource it made (409).
  // Such a lesser deviation of the replay is the suite's doing, not a finding:
  // the case's own failure is reported, with its exchange in the notes.
  if (hard && replayError instanceof SoftDeviation) {
    const x = lastFailure?.exchange;
    if (x) c.note(`the case's own exchange (the finding): ${x.curl} → ${x.response ? `${x.response.status} ${(x.response.body ?? "").slice(0, 300)}` : (x.error ?? "no answer")}`);
    throw new CheckFailure(`${original} [${where}; its replay met the state the case left and answered otherwise: ${replayError.message.slice(0, 300)}]`, lastFailure?.exchange);
  }
  if (replayError instanceof CheckFailure) throw new CheckFailure(`${replayError.message} [${where}]`, replayError.exchange);
  if (replayError instanceof TransportError) throw new CheckFailure(`${p.operation.key}: ${replayError.message} [${where}]`, replayError.record);
  if (replayError !== undefined) throw replayError;
  // The replay passed: the target answered differently the second time.
  throw new CheckFailure(`${original} [${where}; the replay of this case did not fail the same way]`, lastFailure?.exchange);
}
