// `langgraph-conformance run`: resolve the target (start the embedded reference
// server when no URL is given), probe it, run the selected suites, sweep what
// the run created, stop what was started, and write the report.

import { randomBytes, randomInt } from "node:crypto";
import { sweep } from "../harness/cleanup";
import { loadContract } from "../harness/contract";
import { createApi, newRecorder } from "../harness/http";
import type { Profile } from "../harness/model";
import type { RunContext, Selection } from "../harness/run-context";
import { connection, decideClaims, probe, UsageError } from "../harness/target";
import { startReferenceServer, type StartedServer } from "../harness/targets/reference";
import { CollectingReporter, type CheckResult } from "../reporters/collect";
import { count, missingOperations, orderChecks, profileTable, uncoveredOperations, writeReportJson, type Report } from "../reporters/report";
import { NOT_YET_COVERED } from "../suites/uncovered";
import { runSuites, SUITE_VERSION } from "./vitest-runner";

export interface RunOptions {
  url?: string;
  apiKey?: string;
  headers: string[];
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
  /** Called with the server the run started, so that a signal handler can stop it. */
  onStarted?: (server: StartedServer) => void;
}

export async function run(opts: RunOptions): Promise<{ report: Report; reportPath: string }> {
  const startedAt = new Date();
  const t0 = performance.now();
  const contract = await loadContract(opts.contract).catch((e: Error) => {
    throw new UsageError(`the contract ${opts.contract ?? "schemas/openapi.yaml"} is not a valid OpenAPI document: ${e.message.split("\n")[0]}`);
  });

  let server: StartedServer | undefined;
  let url = opts.url;
  if (!url) {
    opts.log("starting the embedded reference server…");
    server = await startReferenceServer().catch((e: Error) => {
      throw new UsageError(e.message.split("\n")[0]!);
    });
    opts.onStarted?.(server);
    url = server.url;
  }
  try {
    const target = connection({
      url,
      apiKey: opts.apiKey,
      headers: opts.headers,
      requestTimeoutMs: opts.requestTimeoutMs,
      streamTimeoutMs: opts.streamTimeoutMs,
    });
    const found = await probe(target);
    const claims = decideClaims(found.info, { claim: opts.claim, disclaim: opts.disclaim });
    const runId = `${startedAt.toISOString().slice(0, 10).replace(/-/g, "")}-${randomBytes(4).toString("hex")}`;
    const seed = opts.seed ?? randomInt(0, 2 ** 31 - 1);
    for (const w of contract.warnings) opts.log(`warning: the given contract: ${w}`);
    opts.log(`target ${target.url}${server ? ` (embedded ${server.description}, pid ${server.pid})` : ""}; run ${runId}; seed ${seed}`);

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
    };
    let done = 0;
    const reporter = new CollectingReporter((r: CheckResult) => {
      done++;
      if (r.outcome !== "pass" && r.outcome !== "skip") opts.log(`  ${r.outcome.padEnd(6)} ${r.id} ${r.title}`);
      else if (done % 25 === 0) opts.log(`  … ${done} checks done`);
    });
    await runSuites(ctx, reporter);

    const cleanup = await sweep(createApi({ target, recorder: newRecorder() }), runId).catch((e: Error) => ({
      deleted: 0,
      leftovers: [{ kind: "*", id: "*", reason: `the final sweep failed: ${e.message}` }],
    }));
    const checks = orderChecks(reporter.collected.checks);
    const report: Report = {
      suite: { name: "langgraph-conformance", version: SUITE_VERSION },
      contract: {
        source: contract.source,
        title: contract.title,
        version: contract.version,
        own: contract.own,
        warnings: contract.warnings,
        missingOperations: missingOperations(reporter.collected.catalog, contract.hasOperation),
      },
      target: {
        url: target.url,
        startedBy: server ? "embedded" : "url",
        ...(server ? { started: server.description } : {}),
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
    const reportPath = await writeReportJson(opts.reportDir, report);
    return { report, reportPath };
  } finally {
    await server?.stop();
  }
}
