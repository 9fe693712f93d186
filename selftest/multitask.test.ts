// The multitask and run-lifecycle checks against the embedded reference server
// behind a fault: checks that pass against the server must fail once a proxy
// makes it ignore what they state (a strategy, a delay, a breakpoint, a command,
// a checkpoint, `wait` on cancel, a webhook).
//
// Where one proxy applies two faults, each fault removes a field that only its
// own checks send, so every expected failure has one cause.

import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReferenceServer, type StartedServer } from "../harness/targets/reference";
import type { Report } from "../reporters/report";
import { runCli } from "./support/cli";
import { rewriteRequestJson, startProxy, type Fault, type ProxiedRequest } from "./support/proxy";

let dir: string;
let server: StartedServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lgc-selftest-mtk-"));
  server = await startReferenceServer();
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const report = async (path: string): Promise<Report> => JSON.parse(await readFile(join(path, "report.json"), "utf8"));

/** A run-creating request: POST /threads/{id}/runs[/stream|/wait] or POST /runs[/stream|/wait]. */
const createsRun = (r: ProxiedRequest) => r.method === "POST" && /^(\/threads\/[^/]+)?\/runs(\/stream|\/wait)?(\?|$)/.test(r.path);
const without =
  (...keys: string[]) =>
  (body: any) => {
    if (body && typeof body === "object" && !Array.isArray(body)) for (const k of keys) delete body[k];
    return body;
  };
/** Removes a query parameter from matching requests. */
const dropQuery =
  (match: (r: ProxiedRequest) => boolean, name: string): Fault["request"] =>
  (r) => {
    if (!match(r)) return r;
    const u = new URL(r.path, "http://proxy.invalid");
    u.searchParams.delete(name);
    return { ...r, path: `${u.pathname}${u.search}` };
  };

/** Applies several request faults in turn; used where each fault touches a field only its own checks send. */
const both = (...fs: Array<Fault["request"]>): Fault["request"] => (r) => fs.reduce((acc, f) => (f ? f(acc) : acc), r);

const FAULTS: Array<[Fault, string[]]> = [
  [{ name: "ignores multitask_strategy", request: rewriteRequestJson(createsRun, without("multitask_strategy")) }, ["MTK-004", "MTK-008", "MTK-013", "MTK-023"]],
  [{ name: "ignores after_seconds and checkpoint", request: rewriteRequestJson(createsRun, without("after_seconds", "checkpoint", "checkpoint_id")) }, ["MTK-060", "MTK-069"]],
  [{ name: "ignores breakpoints and commands", request: rewriteRequestJson(createsRun, without("interrupt_before", "interrupt_after", "command")) }, ["MTK-080", "MTK-083", "MTK-087"]],
  [
    {
      name: "answers a cancel before the run has ended and never calls a webhook",
      request: both(
        dropQuery((r) => r.method === "POST" && /\/cancel(\?|$)/.test(r.path), "wait"),
        rewriteRequestJson(createsRun, without("webhook")),
      ),
    },
    ["MTK-031", "MTK-090"],
  ],
];
const IDS = [...new Set(FAULTS.flatMap(([, ids]) => ids))];
const idArgs = (ids: string[]) => ids.flatMap((i) => ["--id", i]);

// The unmodified server and each fault run at once (each CLI run on its own
// threads, each fault behind its own proxy): these checks mostly wait on runs.
describe.concurrent("multitask checks fail when the server breaks what they state", () => {
  it("the checks used below pass against the unmodified server", { timeout: 300_000 }, async () => {
    const out = join(dir, "baseline");
    await runCli(["run", "--url", server.url, "--report-dir", out, ...idArgs(IDS)], { timeoutMs: 240_000 });
    const baseline = await report(out);
    for (const id of IDS) {
      const c = baseline.checks.find((x) => x.id === id);
      expect(c?.outcome, `${id}: ${c?.message} ${JSON.stringify(c?.evidence.notes ?? [])}`).toBe("pass");
    }
  });

  for (const [fault, expected] of FAULTS) {
    it(`${fault.name}: ${expected.join(", ")} fail`, { timeout: 300_000 }, async () => {
      const proxy = await startProxy(server.url, fault);
      try {
        const out = join(dir, fault.name.replace(/\W+/g, "-"));
        const r = await runCli(["run", "--url", proxy.url, "--report-dir", out, ...idArgs(expected)], { timeoutMs: 240_000 });
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
