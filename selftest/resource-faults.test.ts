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
//   emulates them as the contract describes (support/emulation.ts).

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReferenceServer, type StartedServer } from "../harness/targets/reference";
import type { Report } from "../reporters/report";
import { runCli } from "./support/cli";
import { compose, cronsDeclaredOff, emulateCrons, emulateMcp, emulateMetrics } from "./support/emulation";
import { rewriteRequestJson, rewriteResponseJson, startProxy, type Fault, type ProxiedRequest } from "./support/proxy";

let dir: string;
let server: StartedServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lgc-resource-faults-"));
  server = await startReferenceServer();
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

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

/** Runs the given checks against the server behind `fault`; answers the report. */
function runBehind(fault: Fault, ids: string[], extra: string[] = []) {
  return limited(() => runBehindNow(fault, ids, extra));
}

async function runBehindNow(fault: Fault, ids: string[], extra: string[] = []): Promise<{ code: number | null; report: Report; stderr: string }> {
  const proxy = await startProxy(server.url, fault);
  try {
    const out = join(dir, fault.name.replace(/\W+/g, "-"));
    const r = await runCli(["run", "--url", proxy.url, "--report-dir", out, ...ids.flatMap((i) => ["--id", i]), ...extra], { timeoutMs: 150_000 });
    const report = JSON.parse(await readFile(join(out, "report.json"), "utf8")) as Report;
    return { code: r.code, report, stderr: r.stderr };
  } finally {
    await proxy.close();
  }
}

function outcomes(report: Report, ids: string[]): Record<string, string> {
  return Object.fromEntries(ids.map((id) => {
    const c = report.checks.find((x) => x.id === id);
    return [id, c ? `${c.outcome}${c.outcome === "pass" ? "" : `: ${c.message}`}` : "missing"];
  }));
}

const path = (r: ProxiedRequest) => new URL(r.path, "http://proxy.invalid").pathname;
const THREAD = /^\/threads\/[0-9a-f-]{36}$/;

/** Where the reference server breaks the contract in ways these checks meet but do not judge. */
const repairs: Fault = {
  name: "repairs",
  response(q, s) {
    if (q.method === "DELETE" && THREAD.test(path(q)) && s.status === 204) return { status: 200, headers: { "content-type": "application/json" }, body: "{}" };
    if (q.method === "GET" && path(q) === "/store/items" && s.status === 200 && s.body.trim() === "null") {
      return { status: 404, headers: { "content-type": "application/json" }, body: JSON.stringify({ detail: "Item not found" }) };
    }
    if (s.status >= 400 && !/json/i.test(s.headers["content-type"] ?? "")) {
      return { status: s.status, headers: { "content-type": "application/json" }, body: JSON.stringify({ detail: s.body }) };
    }
    return s;
  },
};

/** A request the fault has turned into a harmless one, answered as if it had done what was asked. */
const KEPT = "x-lgc-fault-kept";

/** PATCH that replaces metadata: the thread shows exactly the last patch's metadata. */
function patchReplaces(): Fault {
  const last = new Map<string, unknown>();
  return {
    name: "PATCH /threads replaces metadata instead of merging it",
    request(r) {
      if (r.method === "PATCH" && THREAD.test(path(r))) {
        try {
          last.set(path(r), JSON.parse(r.body).metadata);
        } catch {
          /* not JSON: left alone */
        }
      }
      return r;
    },
    response: rewriteResponseJson(
      (q, s) => (q.method === "PATCH" || q.method === "GET") && last.has(path(q)) && s.status === 200,
      (t, q) => ({ ...t, metadata: last.get(path(q)) }),
    ),
  };
}

/**
 * A case: a fault, and for each check it must fail, what its failure says (so
 * that the check fails for the fault's reason, not for another).
 */
type Case = [Fault, Record<string, RegExp>];

const THREAD_CASES: Case[] = [
  [
    { name: "thread search ignores the metadata filter", request: rewriteRequestJson((r) => r.method === "POST" && path(r) === "/threads/search", ({ metadata: _m, ...b }) => ({ ...b, limit: 100 })) },
    { "THR-050": /threads found (by the metadata filter|with one more metadata pair)/ },
  ],
  [
    { name: "thread count ignores the metadata filter", request: rewriteRequestJson((r) => r.method === "POST" && path(r) === "/threads/count", ({ metadata: _m, ...b }) => b) },
    { "THR-070": /count (of threads under the marker|with one more metadata pair)/ },
  ],
  [patchReplaces(), { "THR-030": /metadata\.keep \(not in the patch: kept\)/, "THR-031": /metadata\.keep in the PATCH answer/ }],
  [
    {
      name: "a deleted thread is kept",
      request: (r) => (r.method === "DELETE" && THREAD.test(path(r)) ? { ...r, method: "GET", headers: { ...r.headers, [KEPT]: "1" } } : r),
      response: (q, s) => (q.headers[KEPT] ? { status: 200, headers: { "content-type": "application/json" }, body: "{}" } : s),
    },
    { "THR-040": /answered 200, expected 404 \(the thread was deleted\)/, "THR-041": /still listed by search/ },
  ],
  [
    {
      name: "history is listed oldest first",
      response: rewriteResponseJson((q, s) => /^\/threads\/[^/]+\/history$/.test(path(q)) && s.status === 200, (b) => (Array.isArray(b) ? b.reverse() : b)),
    },
    { "THR-150": /checkpoint of the first state \(the latest update\)/, "THR-151": /checkpoint of the first state \(the latest update\)/ },
  ],
  [
    {
      name: "history ignores before",
      request: (r) => {
        if (r.method !== "GET" || !/^\/threads\/[^/]+\/history$/.test(path(r))) return r;
        const u = new URL(r.path, "http://proxy.invalid");
        u.searchParams.delete("before");
        return { ...r, path: u.pathname + u.search };
      },
    },
    { "THR-154": /checkpoints before / },
  ],
  [
    { name: "a state update ignores as_node", request: rewriteRequestJson((r) => r.method === "POST" && /^\/threads\/[^/]+\/state$/.test(path(r)), ({ as_node: _a, ...b }) => b) },
    { "THR-103": /next after an update as node 'first'/ },
  ],
  [
    {
      name: "copy makes an empty thread",
      request: (r) => (r.method === "POST" && /^\/threads\/[^/]+\/copy$/.test(path(r)) ? { ...r, path: "/threads", body: "{}", headers: { ...r.headers, "content-type": "application/json" } } : r),
    },
    { "THR-091": /values of the copy's state/, "THR-092": /number of states in the copy's history/ },
  ],
  [{ name: "store search ignores limit", request: rewriteRequestJson((r) => path(r) === "/store/items/search", ({ limit: _l, ...b }) => b) }, { "STO-022": /limit=2 returned 6 items/ }],
  [{ name: "store search ignores the filter", request: rewriteRequestJson((r) => path(r) === "/store/items/search", ({ filter: _f, ...b }) => b) }, { "STO-021": /items with kind=fruit/ }],
  [
    {
      name: "a deleted store item is kept",
      request: (r) => (r.method === "DELETE" && path(r) === "/store/items" ? { ...r, method: "GET", path: "/ok", body: "", headers: { ...r.headers, [KEPT]: "1" } } : r),
      response: (q, s) => (q.headers[KEPT] ? { status: 204, headers: {}, body: "" } : s),
    },
    { "STO-005": /still returns the deleted item/ },
  ],
  [{ name: "namespaces ignore max_depth", request: rewriteRequestJson((r) => path(r) === "/store/namespaces", ({ max_depth: _d, ...b }) => b) }, { "STO-042": /deeper than max_depth/ }],
];

const emulated = (name: string, parts: { crons?: Parameters<typeof emulateCrons>[0]; mcp?: Parameters<typeof emulateMcp>[0]; metrics?: Parameters<typeof emulateMetrics>[0] } = {}) =>
  compose(name, repairs, emulateCrons(parts.crons), emulateMcp(parts.mcp), emulateMetrics(parts.metrics));

/**
 * Emulated faults that touch different operations share a run (each breaks
 * what one check states and nothing another of the run's checks uses); the
 * expected messages show that each check fails for its own fault.
 */
const EMULATED_CASES: Case[] = [
  [
    emulated("crons: search ignores thread_id, any schedule is accepted, delete keeps the cron, count ignores its filter", {
      crons: { ignoreThreadFilter: true, acceptAnySchedule: true, deleteKeeps: true, countIgnoresFilter: true },
    }),
    {
      "CRN-010": /crons of the first thread/,
      "CRN-100": /accepted with 200 a request that breaks 'schedule is a cron expression/,
      "CRN-101": /accepted with 200 a request that breaks 'schedule is a cron expression/,
      "CRN-102": /accepted with 200 a request that breaks 'schedule is a cron expression/,
      "CRN-030": /still listed by search/,
      "CRN-020": /count of the (assistant's|thread's) crons/,
    },
  ],
  [
    emulated("MCP: initialize lacks serverInfo, a notification gets 200 and a body, GET is allowed", { mcp: { noServerInfo: true, answerNotifications: true, getAllowed: true } }),
    { "MCP-001": /result\.serverInfo/, "MCP-002": /answered 200, expected 202/, "MCP-006": /answered 200, expected 405/ },
  ],
  [emulated("metrics answer JSON whatever the format", { metrics: { jsonByDefault: true } }), { "SYS-010": /expected text\/plain/, "SYS-011": /expected text\/plain/ }],
  [emulated("metrics carry a line that is not exposition format", { metrics: { garbledLine: true } }), { "SYS-010": /not Prometheus exposition format/ }],
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
      const { report } = await runBehind(repairs, ids);
      expect(outcomes(report, ids)).toEqual(Object.fromEntries(ids.map((i) => [i, "pass"])));
    });

    for (const [fault, expected] of THREAD_CASES) {
      it(`${fault.name}: ${Object.keys(expected).join(", ")} fail`, async () => {
        const { code, report, stderr } = await runBehind(compose(fault.name, repairs, fault), Object.keys(expected));
        expect(code, stderr).toBe(1);
        expectFailures(report, expected);
      });
    }
  });

  describe("crons, MCP and metrics, emulated as the contract describes them", () => {
    it("every crons and MCP check and the metrics checks pass against the emulation", async () => {
      const list = await runCli(["list", "--json", "--profile", "crons,mcp"]);
      const ids = [...JSON.parse(list.stdout).map((c: { id: string }) => c.id), "SYS-010", "SYS-011", "SYS-012", "SYS-013", "SYS-014"];
      const { report } = await runBehind(emulated("emulated crons, MCP and metrics"), ids);
      expect(outcomes(report, ids)).toEqual(Object.fromEntries(ids.map((i) => [i, "pass"])));
    });

    for (const [fault, expected] of EMULATED_CASES) {
      it(`${fault.name}: ${Object.keys(expected).join(", ")} fail`, async () => {
        const { code, report, stderr } = await runBehind(fault, Object.keys(expected));
        expect(code, stderr).toBe(1);
        expectFailures(report, expected);
      });
    }
  });

  describe("a server that declares it does not offer crons (SYS-020)", () => {
    it("passes when the cron operations answer 404 with an error body, and the crons profile is reported not claimed", async () => {
      const { report } = await runBehind(compose("crons declared off", repairs, cronsDeclaredOff()), ["SYS-020", "CRN-001"]);
      expect(outcomes(report, ["SYS-020"])).toEqual({ "SYS-020": "pass" });
      const crn = report.checks.find((c) => c.id === "CRN-001");
      expect(crn?.outcome).toBe("skip");
      expect(crn?.message).toMatch(/not claimed: GET \/info declares flags\.crons = false/);
    });

    it("fails when they answer a server error", async () => {
      const broken: Fault = {
        name: "crons declared off but answering 500",
        response: (q, s) =>
          path(q).includes("/crons") ? { status: 500, headers: { "content-type": "application/json" }, body: JSON.stringify({ detail: "Not implemented" }) } : s,
      };
      const { report } = await runBehind(compose(broken.name, repairs, cronsDeclaredOff(), broken), ["SYS-020"]);
      expect(outcomes(report, ["SYS-020"])).toEqual({ "SYS-020": expect.stringMatching(/^fail: .*server error/) });
    });
  });
});
