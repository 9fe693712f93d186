// `langgraph-conformance run`: resolve the target (start the embedded reference
// server when no URL is given), probe it, run the selected suites, sweep what
// the run created, stop what was started, and write the report.

import { randomBytes, randomInt } from "node:crypto";
import { sweep } from "../harness/cleanup";
import { registerCredential } from "../harness/evidence";
import { loadContract } from "../harness/contract";
import { createApi, newRecorder } from "../harness/http";
import type { Profile } from "../harness/model";
import { isSelected, type Identity, type RunContext, type Selection } from "../harness/run-context";
import { connection, decideClaims, parseHeader, parseUrl, probe, UsageError } from "../harness/target";
import { AUTH_CONFIG, fixtureIdentities, startReferenceServer, type StartedServer } from "../harness/targets/reference";
import { baselineFromReport, writeBaseline, type Baseline } from "../reporters/baseline";
import { startContainerTarget, type ContainerTargetOptions, type StartedContainer } from "../harness/targets/container";
import { startCommandTarget, type CommandTargetOptions, type StartedCommand } from "../harness/targets/command";
import { CollectingReporter, type CheckResult } from "../reporters/collect";
import type { ProgressSink } from "../reporters/progress";
import { count, missingOperations, orderChecks, profileTable, redactUrl, uncoveredOperations, type Report } from "../reporters/report";
import { finishReport, writeReports } from "../reporters/write";
import { NOT_YET_COVERED } from "../suites/uncovered";
import { runSuites, SUITE_VERSION } from "./vitest-runner";

export interface RunOptions {
  url?: string;
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
  /** A container image to start and test instead of a URL (--image). */
  container?: Omit<ContainerTargetOptions, "log" | "headers">;
  /** A command that starts the server and prints its URL (--command). */
  command?: Omit<CommandTargetOptions, "log">;
  /** Called with the server the run started, so that a signal handler can stop it. */
  onStarted?: (server: StartedServer) => void;
  /** Progress while the run goes (--reporter); by default a line per check that does not pass. */
  progress?: ProgressSink;
  /** --label: how reports and `compare` name the target. */
  label?: string;
  /** --baseline: check ids known to fail on this target. */
  baseline?: Baseline;
  /** --update-baseline: where to write the baseline this run implies, and what that file listed before. */
  updateBaseline?: { file: string; previous?: Baseline };
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

  let server: StartedServer | undefined;
  /** The embedded reference's second instance, with the fixture auth (auth profile). */
  let authServer: StartedServer | undefined;
  let container: StartedContainer | undefined;
  let command: StartedCommand | undefined;
  let url = opts.url;
  if (opts.command) {
    command = await startCommandTarget({ ...opts.command, log: opts.log }).catch((e: Error) => {
      throw new UsageError(e.message);
    });
    url = command.url;
  } else if (opts.container) {
    const headers: Record<string, string> = Object.fromEntries(opts.headers.map(parseHeader));
    if (opts.apiKey) headers["x-api-key"] = opts.apiKey;
    container = await startContainerTarget({ ...opts.container, headers, log: opts.log }).catch((e: Error) => {
      // One line that says why; a container that did not start adds its last log lines.
      throw new UsageError(e.message);
    });
    url = container.url;
  } else if (!url) {
    opts.log("starting the embedded reference server…");
    server = await startReferenceServer().catch((e: Error) => {
      throw new UsageError(e.message.split("\n")[0]!);
    });
    opts.onStarted?.(server);
    url = server.url;
  }
  let auth: RunContext["auth"];
  try {
    if (server && !opts.authUrl && selectsAuth(opts.selection, opts.disclaim)) {
      // The other profiles keep a server without auth; the auth profile gets its own.
      opts.log("starting the embedded reference server with the fixture auth (auth profile)…");
      authServer = await startReferenceServer({ config: AUTH_CONFIG }).catch((e: Error) => {
        throw new UsageError(e.message.split("\n")[0]!);
      });
      opts.onStarted?.(authServer);
      const given = opts.identities ?? [];
      auth = given.length
        ? { url: authServer.url, identities: given, source: "--identity, on the embedded reference with the fixture auth" }
        : { url: authServer.url, identities: await fixtureIdentities(), source: "the fixture auth's users, on a second embedded reference server" };
      for (const id of auth.identities) for (const v of Object.values(id.headers)) registerCredential(v);
    } else if (opts.identities?.length) {
      auth = { url: parseUrl(opts.authUrl ?? url), identities: opts.identities, source: opts.authUrl ? "--identity, at --auth-url" : "--identity" };
    }
    const target = connection({
      url,
      apiKey: opts.apiKey,
      headers: opts.headers,
      requestTimeoutMs: opts.requestTimeoutMs,
      streamTimeoutMs: opts.streamTimeoutMs,
    });
    const found = await probe(target);
    for (const w of found.warnings) opts.log(`warning: ${w}`);
    const claims = decideClaims(found.info, { claim: opts.claim, disclaim: opts.disclaim }, auth ? { auth: { identities: auth.identities.length, source: auth.source } } : {});
    const runId = `${startedAt.toISOString().slice(0, 10).replace(/-/g, "")}-${randomBytes(4).toString("hex")}`;
    const seed = opts.seed ?? randomInt(0, 2 ** 31 - 1);
    for (const w of contract.warnings) opts.log(`warning: the given contract: ${w}`);
    const how = server
      ? ` (embedded ${server.description}, pid ${server.pid})`
      : container
        ? ` (container ${container.name} of ${container.started})`
        : command
          ? ` (${command.started}, pid ${command.pid})`
          : "";
    opts.log(`target ${redactUrl(target.url)}${how}; run ${runId}; seed ${seed}`);
    if (auth) opts.log(`auth profile: identities ${auth.identities.map((i) => i.name).join(", ")} at ${redactUrl(auth.url)}${authServer ? ` (embedded, pid ${authServer.pid})` : ""}`);

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
      ...(webhookAddress(target.url, container?.hostAddress, opts.webhookHost) ?? {}),
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
    await runSuites(ctx, reporter);

    const cleanup = await sweep(createApi({ target, recorder: newRecorder() }), runId).catch((e: Error) => ({
      deleted: 0,
      leftovers: [{ kind: "*", id: "*", reason: `the final sweep failed: ${e.message}` }],
    }));
    const checks = orderChecks(reporter.collected.checks);
    const assembled: Report = {
      suite: { name: "langgraph-conformance", version: SUITE_VERSION },
      contract: {
        // The suite's own contract by its place in the suite, not on this machine:
        // a report is the same wherever it was made.
        source: contract.own ? "schemas/openapi.yaml" : contract.source,
        title: contract.title,
        version: contract.version,
        own: contract.own,
        warnings: contract.warnings,
        missingOperations: missingOperations(reporter.collected.catalog, contract.hasOperation),
      },
      target: {
        url: target.url,
        startedBy: server ? "embedded" : container ? "container" : command ? "command" : "url",
        ...(server ? { started: server.description } : container ? { started: container.started } : command ? { started: command.started } : {}),
        ...(found.info ? { declared: found.info } : {}),
      },
      runId,
      seed,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - t0),
      selection: opts.selection,
      profiles: profileTable(checks, claims),
      summary: count(checks),
      checks,
      problems: reporter.collected.problems,
      cleanup,
      uncovered: uncoveredOperations(
        contract.operations.map((o) => o.key),
        reporter.collected.catalog,
        NOT_YET_COVERED,
      ),
    };
    const report = finishReport(assembled, {
      claims,
      catalogIds: reporter.collected.catalog.map((c) => c.id),
      ...(opts.label ? { label: opts.label } : {}),
      ...(opts.baseline ? { baseline: opts.baseline } : {}),
    });
    const written = await writeReports(opts.reportDir, report);
    if (opts.updateBaseline) await writeBaseline(opts.updateBaseline.file, baselineFromReport(report, opts.updateBaseline.previous), report);
    return { report, reportPath: written[0]!, written };
  } finally {
    await authServer?.stop();
    await server?.stop();
    await command?.stop();
    // A container that cannot be removed is said so; the verdict stands.
    await container?.stop().catch((e: Error) => opts.log(`could not remove container ${container!.name}: ${e.message.split("\n")[0]}`));
  }
}
