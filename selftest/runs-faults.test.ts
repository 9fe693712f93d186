// The runs and stateless checks against the embedded reference server, and
// against the same server behind a fault that breaks exactly what a check
// states: each check used here passes on the server and fails behind its fault.

import { readFile, mkdtemp, rm } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReferenceServer, type StartedServer } from "../harness/targets/reference";
import type { Report } from "../reporters/report";
import { runCli } from "./support/cli";
import { rewriteRequestJson, rewriteResponseJson, startProxy, type Fault, type ProxiedRequest } from "./support/proxy";

let dir: string;
let server: StartedServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lgc-selftest-runs-"));
  server = await startReferenceServer();
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function report(path: string): Promise<Report> {
  return JSON.parse(await readFile(join(path, "report.json"), "utf8"));
}

const RUN_PATH = /^\/threads\/[^/]+\/runs\/[^/?]+(\?|$)/;
const isGetRun = (q: ProxiedRequest) => q.method === "GET" && RUN_PATH.test(q.path);
const isList = (q: ProxiedRequest) => q.method === "GET" && /^\/threads\/[^/]+\/runs(\?|$)/.test(q.path);

/** Drops one query parameter from the requests that match. */
function dropQuery(match: (q: ProxiedRequest) => boolean, name: string): Fault["request"] {
  return (q) => {
    if (!match(q)) return q;
    const url = new URL(q.path, "http://proxy.invalid");
    url.searchParams.delete(name);
    return { ...q, path: url.pathname + url.search };
  };
}

const faults: Array<[Fault, string[]]> = [
  [{ name: "the run list ignores limit", request: dropQuery(isList, "limit") }, ["RUN-041"]],
  [{ name: "the run list ignores the status filter", request: dropQuery(isList, "status") }, ["RUN-044"]],
  [
    {
      name: "a run still at work is reported as success",
      response: rewriteResponseJson((q, s) => isGetRun(q) && s.status === 200, (r) => (r.status === "running" || r.status === "pending" ? { ...r, status: "success" } : r)),
    },
    ["RUN-011"],
  ],
  [
    { name: "a failed run is reported as success", response: rewriteResponseJson((q, s) => isGetRun(q) && s.status === 200, (r) => (r.status === "error" ? { ...r, status: "success" } : r)) },
    ["RUN-013"],
  ],
  [{ name: "join answers an empty object", response: rewriteResponseJson((q, s) => q.method === "GET" && q.path.includes("/join") && s.status === 200, () => ({})) }, ["RUN-030", "RUN-031"]],
  [
    {
      name: "Content-Location names another run",
      response: (q, s) => {
        const loc = s.headers["content-location"];
        if (q.method !== "POST" || !loc) return s;
        return { ...s, headers: { ...s.headers, "content-location": loc.replace(/\/runs\/[^/]+$/, `/runs/${randomUUID()}`) } };
      },
    },
    ["RUN-005", "SRN-003"],
  ],
  [
    { name: "after_seconds is ignored", request: rewriteRequestJson((q) => q.method === "POST" && /\/runs$/.test(q.path), ({ after_seconds: _a, ...b }) => b) },
    ["RUN-014"],
  ],
  [
    { name: "on_completion=keep deletes the thread", request: rewriteRequestJson((q) => q.method === "POST" && q.path === "/runs", (b) => ({ ...b, on_completion: "delete" })) },
    ["SRN-004"],
  ],
];

describe("runs and stateless checks fail when the server breaks what they state", () => {
  const ids = [...new Set(faults.flatMap(([, i]) => i))];
  let baseline: Report;

  beforeAll(async () => {
    const out = join(dir, "baseline");
    await runCli(["run", "--url", server.url, "--report-dir", out, ...ids.flatMap((i) => ["--id", i])], { timeoutMs: 120_000 });
    baseline = await report(out);
  });

  it("the checks used below pass against the unmodified server", () => {
    for (const id of ids) {
      const c = baseline.checks.find((x) => x.id === id);
      expect(c?.outcome, `${id}: ${c?.message}`).toBe("pass");
    }
  });

  for (const [fault, expected] of faults) {
    it(`${fault.name}: ${expected.join(", ")} fail`, async () => {
      const proxy = await startProxy(server.url, fault);
      try {
        const out = join(dir, fault.name.replace(/\W+/g, "-"));
        const r = await runCli(["run", "--url", proxy.url, "--report-dir", out, ...expected.flatMap((i) => ["--id", i])], { timeoutMs: 120_000 });
        expect(r.code, r.stderr).toBe(1);
        const rep = await report(out);
        for (const id of expected) {
          const c = rep.checks.find((x) => x.id === id);
          expect(c?.outcome, `${id}: ${c?.message}`).toBe("fail");
          expect(c?.evidence.exchanges.length, id).toBeGreaterThan(0);
        }
      } finally {
        await proxy.close();
      }
    });
  }
});
