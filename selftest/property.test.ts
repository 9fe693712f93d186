// The property checks, run as a user runs them: the same seed replays the same
// cases with the same outcomes, each check says how many cases it ran, and a
// property check that passes against a server that refuses invalid bodies as
// the contract says fails once a fault makes the server accept them.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../reporters/model";
import { runCli } from "./support/cli";
import { acceptsInvalid, refusesAsContract, route } from "../scripts/mutants/faults";
import { startProxy } from "../scripts/mutants/proxy";
import { useReferenceServer } from "./support/reference";

const ref = useReferenceServer("lgc-property-");

async function run(url: string, name: string, args: string[]): Promise<Report> {
  const out = join(ref.dir, name);
  const r = await runCli(["run", "--url", url, "--report-dir", out, ...args], { timeoutMs: 300_000 });
  expect([0, 1], `${r.stdout}\n${r.stderr}`).toContain(r.code);
  return JSON.parse(await readFile(join(out, "report.json"), "utf8"));
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** What differs between two runs by design: the run id, ids the target makes, times. */
const masked = (s: string, runId: string) =>
  s
    .split(runId)
    .join("<run>")
    .replace(UUID, "<uuid>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>");

describe("property checks", () => {
  it("replay: the same seed gives the same cases and the same outcomes, and each check says how many cases it ran", async () => {
    const args = ["--id", "PBT-*", "--seed", "123", "--runs", "4"];
    const a = await run(ref.server.url, "first", args);
    const b = await run(ref.server.url, "second", args);
    expect(a.seed).toBe(123);
    expect(b.seed).toBe(123);
    expect(a.summary.error, JSON.stringify(a.checks.filter((c) => c.outcome === "error").map((c) => [c.id, c.message]))).toBe(0);
    expect(a.cleanup.leftovers).toEqual([]);
    expect(a.checks.length).toBeGreaterThan(50);
    const byId = (r: Report) => new Map(r.checks.map((c) => [c.id, c]));
    const first = byId(a);
    const second = byId(b);
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    let bodiesCompared = 0;
    for (const [id, x] of first) {
      const y = second.get(id)!;
      expect(y.outcome, `${id}: ${x.message} / ${y.message}`).toBe(x.outcome);
      if (x.outcome === "skip") continue;
      const notes = (c: typeof x) => c.evidence.notes ?? [];
      const ran = notes(x).find((n) => /case\(s\) run of 4 asked/.test(n));
      expect(ran, `${id} says how many cases it ran`).toBeDefined();
      expect(ran).toMatch(/property seed \d+ from run seed 123/);
      const digest = (c: typeof x) => notes(c).find((n) => n.startsWith("generated cases digest"));
      expect(digest(x), `${id} records the digest of its cases`).toBeDefined();
      expect(digest(y), `${id}: the same seed draws the same cases`).toBe(digest(x));
      // The counterexample a failing check replays, as sent: the same body both times.
      if (x.outcome === "fail" && !/runs|stream|wait|cancel|batch/.test(x.operations.join(" "))) {
        const bodies = (c: typeof x, runId: string) => c.evidence.exchanges.filter((e) => e.phase === "check" && e.request.body).map((e) => masked(`${e.request.method} ${e.request.body}`, runId));
        expect(bodies(y, b.runId), `${id}: the evidence's request bodies`).toEqual(bodies(x, a.runId));
        bodiesCompared++;
      }
    }
    expect(bodiesCompared).toBeGreaterThan(10);
  });

  it("a check that passes on a server refusing invalid bodies as the contract says fails once invalid bodies are accepted", async () => {
    const count = route("POST", "/threads/count");
    // The server made to answer as the contract says: 422 (415 for another media type) with a JSON error body.
    const conformant = refusesAsContract(count);
    // The same server with one fault: what it refused, it now accepts.
    const accepting = acceptsInvalid(count, "0");
    const good = await startProxy(ref.server.url, conformant);
    const bad = await startProxy(ref.server.url, accepting);
    try {
      const args = ["--id", "PBT-109", "--seed", "7", "--runs", "12"];
      const passing = await run(good.url, "conformant", args);
      const c1 = passing.checks.find((c) => c.id === "PBT-109")!;
      expect(c1.outcome, c1.message).toBe("pass");
      expect(c1.evidence.notes?.join("\n")).toMatch(/12 case\(s\) run of 12 asked/);

      const failing = await run(bad.url, "accepting", args);
      const c2 = failing.checks.find((c) => c.id === "PBT-109")!;
      expect(c2.outcome).toBe("fail");
      expect(c2.message).toMatch(/^POST \/threads\/count with (a body that breaks '.+'|a body that is not JSON|a JSON body sent as .+): .+ was accepted: 200/);
      expect(c2.message).toContain("(profile threads)");
      // The counterexample's request is in the evidence, with its curl line, and replayable.
      const sent = c2.evidence.exchanges.filter((e) => e.request.url.includes("/threads/count"));
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.at(-1)!.curl).toContain("curl");
      expect(sent.at(-1)!.response?.status).toBe(200);
      expect(c2.evidence.notes?.join("\n")).toMatch(/counterexample \(after \d+ shrink step\(s\)\)/);
      expect(c2.evidence.notes?.join("\n")).toMatch(/replay: fc\.check\(property, \{ seed: \d+, path: "[\d:]+"/);
    } finally {
      await good.close();
      await bad.close();
    }
  });
});
