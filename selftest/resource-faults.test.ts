// The resource suites (threads, state and history, store, crons, system, MCP)
// against servers that break them. Each case runs a few checks behind a fault
// proxy that breaks exactly the requirement they state, after showing that the
// same checks pass without the fault:
//
// - threads and store: the embedded reference server, with "repairs" that make
//   it keep the contract where these checks meet an unrelated finding of it (a
//   204 where the contract declares 200, text/plain error bodies, `null` for a
//   missing store item), so that a check's failure under a fault is the fault's;
// - crons, MCP, metrics: the reference server does not offer them; the proxy
//   emulates them as the contract describes (mutants/emulation.ts).
//
// The faults are mutants of the catalogue (mutants/catalogue.ts), applied on
// its base: the repairs and the emulation.

import { describe, expect, it } from "vitest";
import type { Report } from "../reporters/model";
import { runCli } from "./support/cli";
import { base, mutant, mutatedAll } from "../scripts/mutants/catalogue";
import { cronsDeclaredOff } from "../scripts/mutants/emulation";
import { pathOf, repairs } from "../scripts/mutants/faults";
import { runBehind as runMutantRun } from "../scripts/mutants/engine";
import { compose, type Fault } from "../scripts/mutants/proxy";
import { useReferenceServer } from "./support/reference";

const ref = useReferenceServer("lgc-resource-faults-");

/**
 * The cases are independent (a proxy, a run id and a report directory each) and
 * mostly wait on process start-up: three at a time keep a two-core machine busy
 * without starving the checks' own requests.
 */
const MAX_RUNS = 3;
let running = 0;
const waiting: Array<() => void> = [];
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  while (running >= MAX_RUNS) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Runs the checks `ids` against the server behind `fault` (named `name` in the report directory); answers the report. */
async function runBehind(name: string, fault: Fault, ids: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  const run = await limited(() => runMutantRun(name, fault, ids, { upstream: ref.server.url, dir: ref.dir, args: [], timeoutMs: 150_000 }));
  if (!run.report) throw new Error(`${name}: ${run.error}`);
  return { code: run.code, report: run.report, stderr: run.stderr };
}

function outcomes(report: Report, ids: string[]): Record<string, string> {
  return Object.fromEntries(
    ids.map((id) => {
      const c = report.checks.find((x) => x.id === id);
      return [id, c ? `${c.outcome}${c.outcome === "pass" ? "" : `: ${c.message}`}` : "missing"];
    }),
  );
}

/**
 * A case: mutants of the catalogue (one, or a few that break different
 * operations), and for each check they must fail, what its failure says (so
 * that the check fails for the mutant's reason, not for another).
 */
type Case = [string[], Record<string, RegExp>];
const faultOf = ([ids]: Case): Fault => mutatedAll(ids.join(" + "), ...ids);
const nameOf = ([ids]: Case) => ids.map((id) => `${mutant(id).description} (${id})`).join("; ");

const THREAD_CASES: Case[] = [
  [["thread-search-metadata-ignored"], { "THR-050": /threads found (by the metadata filter|with one more metadata pair)/ }],
  [["thread-count-metadata-ignored"], { "THR-070": /count (of threads under the marker|with one more metadata pair)/ }],
  [["thread-patch-replaces-metadata"], { "THR-030": /metadata\.keep \(not in the patch: kept\)/, "THR-031": /metadata\.keep in the PATCH answer/ }],
  [["thread-delete-keeps"], { "THR-040": /answered 200, expected 404 \(the thread was deleted\)/, "THR-041": /still listed by search/ }],
  [["thread-history-oldest-first"], { "THR-150": /checkpoint of the first state \(the latest update\)/, "THR-151": /checkpoint of the first state \(the latest update\)/ }],
  [["thread-history-before-ignored"], { "THR-154": /checkpoints before / }],
  [["thread-state-as_node-ignored"], { "THR-103": /next after an update as node 'first'/ }],
  [["thread-copy-is-empty"], { "THR-091": /values of the copy's state/, "THR-092": /number of states in the copy's history/ }],
  [["store-search-limit-ignored"], { "STO-022": /limit=2 returned 6 items/ }],
  [["store-search-filter-ignored"], { "STO-021": /items with kind=fruit/ }],
  [["store-delete-keeps"], { "STO-005": /still returns the deleted item/ }],
  [["namespaces-max_depth-ignored"], { "STO-042": /deeper than max_depth/ }],
];

/**
 * Emulated faults that touch different operations share a run (each breaks
 * what one check states and nothing another of the run's checks uses); the
 * expected messages show that each check fails for its own fault.
 */
const EMULATED_CASES: Case[] = [
  [
    ["crons-search-thread_id-ignored", "crons-any-schedule", "crons-delete-keeps", "crons-count-filter-ignored"],
    {
      "CRN-010": /crons of the first thread/,
      "CRN-100": /accepted with 200 a request that breaks 'schedule is a cron expression/,
      "CRN-101": /accepted with 200 a request that breaks 'schedule is a cron expression/,
      "CRN-102": /accepted with 200 a request that breaks 'schedule is a cron expression/,
      "CRN-030": /still listed by search/,
      "CRN-020": /count of the (assistant's|thread's) crons/,
    },
  ],
  [["mcp-no-server-info", "mcp-notification-answered", "mcp-get-allowed"], { "MCP-001": /result\.serverInfo/, "MCP-002": /answered 200, expected 202/, "MCP-006": /answered 200, expected 405/ }],
  [["metrics-json-whatever-format"], { "SYS-010": /expected text\/plain/, "SYS-011": /expected text\/plain/ }],
  [["metrics-garbled-line"], { "SYS-010": /not Prometheus exposition format/ }],
];

function expectFailures(report: Report, expected: Record<string, RegExp>) {
  const ids = Object.keys(expected);
  expect(outcomes(report, ids)).toEqual(Object.fromEntries(ids.map((i) => [i, expect.stringMatching(new RegExp(`^fail: .*${expected[i]!.source}`))])));
  for (const id of ids) expect(report.checks.find((c) => c.id === id)?.evidence.exchanges.length, id).toBeGreaterThan(0);
}

// One concurrent suite: its cases run side by side (bounded by MAX_RUNS).
describe.concurrent("the resource suites against servers that break them", () => {
  describe("threads, state and history, store: checks fail when the reference server breaks what they state", () => {
    const ids = [...new Set(THREAD_CASES.flatMap(([, e]) => Object.keys(e)))];

    it("the checks used below pass against the reference server with its unrelated findings repaired", async () => {
      const { report } = await runBehind("base-threads", base(), ids);
      expect(outcomes(report, ids)).toEqual(Object.fromEntries(ids.map((i) => [i, "pass"])));
    });

    for (const c of THREAD_CASES) {
      it(`${nameOf(c)}: ${Object.keys(c[1]).join(", ")} fail`, async () => {
        const { code, report, stderr } = await runBehind(c[0].join("+"), faultOf(c), Object.keys(c[1]));
        expect(code, stderr).toBe(1);
        expectFailures(report, c[1]);
      });
    }
  });

  describe("crons, MCP and metrics, emulated as the contract describes them", () => {
    it("every crons and MCP check and the metrics checks pass against the emulation", async () => {
      const list = await runCli(["list", "--json", "--profile", "crons,mcp"]);
      const ids = [...JSON.parse(list.stdout).map((c: { id: string }) => c.id), "SYS-010", "SYS-011", "SYS-012", "SYS-013", "SYS-014"];
      const { report } = await runBehind("base-emulated", base(), ids);
      expect(outcomes(report, ids)).toEqual(Object.fromEntries(ids.map((i) => [i, "pass"])));
    });

    for (const c of EMULATED_CASES) {
      it(`${nameOf(c)}: ${Object.keys(c[1]).join(", ")} fail`, async () => {
        const { code, report, stderr } = await runBehind(c[0].join("+"), faultOf(c), Object.keys(c[1]));
        expect(code, stderr).toBe(1);
        expectFailures(report, c[1]);
      });
    }
  });

  describe("a server that declares it does not offer crons (SYS-020)", () => {
    it("passes when the cron operations answer 404 with an error body, and the crons profile is reported not claimed", async () => {
      const { report } = await runBehind("crons-declared-off", compose("crons declared off", repairs, cronsDeclaredOff()), ["SYS-020", "CRN-001"]);
      expect(outcomes(report, ["SYS-020"])).toEqual({ "SYS-020": "pass" });
      const crn = report.checks.find((c) => c.id === "CRN-001");
      expect(crn?.outcome).toBe("skip");
      expect(crn?.message).toMatch(/not claimed: GET \/info declares flags\.crons = false/);
    });

    it("fails when they answer a server error", async () => {
      const broken: Fault = {
        name: "crons declared off but answering 500",
        response: (q, s) => (pathOf(q).includes("/crons") ? { status: 500, headers: { "content-type": "application/json" }, body: JSON.stringify({ detail: "Not implemented" }) } : s),
      };
      const { report } = await runBehind("crons-declared-off-500", compose(broken.name, repairs, cronsDeclaredOff(), broken), ["SYS-020"]);
      expect(outcomes(report, ["SYS-020"])).toEqual({ "SYS-020": expect.stringMatching(/^fail: .*server error/) });
    });
  });
});
