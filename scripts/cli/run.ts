// `langgraph-conformance run`: start the target (or name it, for a URL), probe
// it, run the selected suites, sweep what the run created, stop what was
// started, and write the report that reporters/report.ts builds.

import { randomBytes, randomInt } from "node:crypto";
import { sweep } from "../../harness/cleanup";
import { registerCredential } from "../../harness/evidence";
import { loadContract } from "../../harness/contract";
import { createApi, newRecorder } from "../../harness/http";
import type { Profile } from "../../harness/model";
import { isSelected, type Identity, type RunContext, type Selection } from "../../harness/run-context";
import { connection, decideClaims, parseUrl, probe, UsageError } from "../../harness/target";
import type { StartedTarget, Target } from "../../harness/targets";
import { baselineFromReport, writeBaseline, type Baseline } from "../../reporters/baseline";
import { CollectingReporter } from "../../reporters/collect";
import type { CheckResult, ProgressSink, Report } from "../../reporters/model";
import { buildReport, redactUrl } from "../../reporters/report";
import { writeReports } from "../../reporters/write";
import { NOT_YET_COVERED } from "../../suites/uncovered";
import type { Shard } from "./shard";
import { runSuites, SUITE_VERSION } from "./vitest-runner";

export interface RunOptions {
  apiKey?: string;
  headers: string[];
  /** The auth profile's users (--identity), in the order given. */
  identities?: Identity[];
  /** Where the auth profile's requests go when it is not the target (--auth-url). */
  authUrl?: string;
  selection: Selection;
  claim: Profile[];
  disclaim: Profile[];
  reportDir: string;
  seed?: number;
  /** Cases per property of the property-based checks (--runs). */
  propertyRuns?: number;
  requestTimeoutMs?: number;
  streamTimeoutMs?: number;
  contract?: string;
  log: (line: string) => void;
  /** An address of this machine the target can reach, for the suite's webhook receiver (--webhook-host). */
  webhookHost?: string;
  /** The server under test: a URL, the embedded reference, a container, a command (harness/targets). */
  target: Target;
  /** Called with the target once started, so that a signal handler can stop it. */
  onStarted?: (started: StartedTarget) => void;
  /** Progress while the run goes (--reporter); by default a line per check that does not pass. */
  progress?: ProgressSink;
  /** --label: how reports and `compare` name the target. */
  label?: string;
  /** --baseline: check ids known to fail on this target. */
  baseline?: Baseline;
  /** --update-baseline: where to write the baseline this run implies, and what that file listed before. */
  updateBaseline?: { file: string; previous?: Baseline };
  /** --shard i/n: the part of the suite this run runs (scripts/cli/shard.ts). */
  shard?: Shard;
  /** --selected-files-only: the suite files to load (those that declare the selected checks); default every file. */
  files?: string[];
}

/**
 * Where the suite's receivers listen and what address the target is given: the
 * address named with --webhook-host (listening on every interface); for a local
 * container, this machine as the container sees it; for a target on loopback,
 * loopback. A remote target without --webhook-host cannot reach the suite.
 */
export function webhookAddress(targetUrl: string, containerHost?: string, webhookHost?: string): { webhook: NonNullable<RunContext["webhook"]> } | undefined {
  if (webhookHost) return { webhook: { listen: "0.0.0.0", advertise: webhookHost, why: "--webhook-host" } };
  if (containerHost) return { webhook: { listen: containerHost, advertise: containerHost, why: "the container's gateway to this machine" } };
  const host = new URL(targetUrl).hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host === "::1" || /^127\./.test(host)) return { webhook: { listen: "127.0.0.1", advertise: "127.0.0.1", why: "the target is on this machine" } };
  return undefined;
}

/**
 * Can a check of the auth profile be in the selection? (Its ids are AUT-NNN.)
 * Decides whether the embedded reference starts its second instance, the one
 * with the fixture auth.
 */
export function selectsAuth(sel: Selection, disclaim: Profile[] = []): boolean {
  if (disclaim.includes("auth")) return false;
  for (let n = 0; n < 1000; n++) {
    const id = `AUT-${String(n).padStart(3, "0")}`;
    if (isSelected({ id, profile: "auth", level: "MUST" }, { ...sel, levels: undefined })) return true;
  }
  return false;
}

export async function run(opts: RunOptions): Promise<{ report: Report; reportPath: string; written: string[] }> {
  const startedAt = new Date();
  const t0 = performance.now();
  const contract = await loadContract(opts.contract).catch((e: Error) => {
    throw new UsageError(`the contract ${opts.contract ?? "schemas/openapi.yaml"} is not a valid OpenAPI document: ${e.message.split("\n")[0]}`);
  });

  const started = await opts.target.start(opts.log);
  opts.onStarted?.(started);
  /** The embedded reference's second instance, with the fixture auth (auth profile). */
  let authStarted: StartedTarget | undefined;
  let auth: RunContext["auth"];
  try {
    if (started.startAuth && !opts.authUrl && selectsAuth(opts.selection, opts.disclaim) && (opts.shard?.auth ?? true)) {
      // The other profiles keep a server without auth; the auth profile gets its own.
      opts.log("starting the embedded reference server with the fixture auth (auth profile)…");
      const companion = await started.startAuth(opts.log);
      authStarted = companion.started;
      opts.onStarted?.(authStarted);
      const given = opts.identities ?? [];
      auth = given.length
        ? { url: authStarted.url, identities: given, source: "--identity, on the embedded reference with the fixture auth" }
        : { url: authStarted.url, identities: companion.identities, source: "the fixture auth's users, on a second embedded reference server" };
      for (const id of auth.identities) for (const v of Object.values(id.headers)) registerCredential(v);
    } else if (opts.identities?.length) {
      auth = { url: parseUrl(opts.authUrl ?? started.url), identities: opts.identities, source: opts.authUrl ? "--identity, at --auth-url" : "--identity" };
    }
    const target = connection({
      url: started.url,
      apiKey: opts.apiKey,
      headers: opts.headers,
      requestTimeoutMs: opts.requestTimeoutMs,
      streamTimeoutMs: opts.streamTimeoutMs,
    });
    // The target itself runs the auth profile (identities, no --auth-url): where its auth guards /ok too, it is probed as the first user.
    const found = await probe(target, auth && auth.url === parseUrl(started.url) ? auth.identities[0] : undefined);
    for (const w of found.warnings) opts.log(`warning: ${w}`);
    const claims = decideClaims(
      found.info,
      { claim: opts.claim, disclaim: opts.disclaim },
      { mcp: found.mcpOffered, ...(auth ? { auth: { identities: auth.identities.length, source: auth.source } } : {}) },
    );
    const runId = `${startedAt.toISOString().slice(0, 10).replace(/-/g, "")}-${randomBytes(4).toString("hex")}`;
    const seed = opts.seed ?? randomInt(0, 2 ** 31 - 1);
    for (const w of contract.warnings) opts.log(`warning: the given contract: ${w}`);
    const how = started.describe ? ` (${started.describe})` : "";
    opts.log(`target ${redactUrl(target.url)}${how}; run ${runId}; seed ${seed}`);
    if (auth) opts.log(`auth profile: identities ${auth.identities.map((i) => i.name).join(", ")} at ${redactUrl(auth.url)}${authStarted ? ` (${authStarted.describe})` : ""}`);

    const ctx: RunContext = {
      mode: "run",
      target,
      runId,
      seed,
      contract: contract.source,
      selection: opts.selection,
      claims,
      ...(found.graphs ? { graphs: found.graphs } : {}),
      ...(opts.propertyRuns ? { propertyRuns: opts.propertyRuns } : {}),
      ...(auth ? { auth } : {}),
      ...(webhookAddress(target.url, started.hostAddress, opts.webhookHost) ?? {}),
    };
    let done = 0;
    const reporter = new CollectingReporter(
      opts.progress ??
        ((r: CheckResult) => {
          done++;
          if (r.outcome !== "pass" && r.outcome !== "skip") opts.log(`  ${r.outcome.padEnd(6)} ${r.id} ${r.title}`);
          else if (done % 25 === 0) opts.log(`  … ${done} checks done`);
        }),
    );
    // A shard runs its own files only (and --selected-files-only those of its checks): the others are not even loaded.
    await runSuites(ctx, reporter, opts.shard?.files ?? opts.files);

    const cleanup = await sweep(createApi({ target, recorder: newRecorder() }), runId).catch((e: Error) => ({
      deleted: 0,
      leftovers: [{ kind: "*", id: "*", reason: `the final sweep failed: ${e.message}` }],
    }));
    const report = buildReport({
      suiteVersion: SUITE_VERSION,
      contract,
      target: { url: target.url, startedBy: started.startedBy, ...(started.started ? { started: started.started } : {}), ...(found.info ? { declared: found.info } : {}) },
      runId,
      seed,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      selection: opts.selection,
      claims,
      collected: reporter.collected,
      cleanup,
      uncoveredReasons: NOT_YET_COVERED,
      ...(opts.label ? { label: opts.label } : {}),
      ...(opts.baseline ? { baseline: opts.baseline } : {}),
      ...(opts.shard ? { shard: opts.shard } : {}),
    });
    const written = await writeReports(opts.reportDir, report);
    if (opts.updateBaseline) await writeBaseline(opts.updateBaseline.file, baselineFromReport(report, opts.updateBaseline.previous), report);
    return { report, reportPath: written[0]!, written };
  } finally {
    // A target that cannot be stopped (a container the engine will not remove) is said so; the verdict stands.
    await authStarted?.stop().catch((e: Error) => opts.log(`could not stop the auth profile's server: ${e.message.split("\n")[0]}`));
    await started.stop().catch((e: Error) => opts.log(`could not stop the target: ${e.message.split("\n")[0]}`));
  }
}
