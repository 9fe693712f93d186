// The suite against the embedded reference server, as a user runs it, and
// against the same server behind a fault: checks that pass must fail when the
// server breaks the requirement they state.

import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { Report } from "../reporters/model";
import { BIN, runCli } from "./support/cli";
import { itKills } from "./support/kills";
import { useReferenceServer } from "./support/reference";

const ref = useReferenceServer("lgc-selftest-");

async function report(path: string): Promise<Report> {
  return JSON.parse(await readFile(join(path, "report.json"), "utf8"));
}

/** Running, and not a zombie waiting for a reaper (this sandbox's PID 1 may not reap). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe("a run against the embedded reference server", () => {
  it("starts it, runs system and assistants, writes the report, stops it, and exits by the verdict", async () => {
    const out = join(ref.dir, "embedded");
    const r = await runCli(["run", "--profile", "system,assistants", "--report-dir", out, "--seed", "42"], { timeoutMs: 180_000 });
    expect([0, 1], r.stderr).toContain(r.code);
    const pid = Number(/pid (\d+)/.exec(r.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid), "the reference server is still running").toBe(false);

    const rep = await report(out);
    expect(rep.target.startedBy).toBe("embedded");
    expect(rep.seed).toBe(42);
    expect(rep.summary.error, JSON.stringify(rep.checks.filter((c) => c.outcome === "error").map((c) => [c.id, c.message]))).toBe(0);
    expect(rep.problems).toEqual([]);
    expect(rep.cleanup.leftovers).toEqual([]);
    expect(r.code).toBe(rep.summary.fail > 0 ? 1 : 0);
    // Every cataloged check of the two profiles ran and has an outcome.
    const list = await runCli(["list", "--json", "--profile", "system,assistants"]);
    const ids = JSON.parse(list.stdout)
      .map((c: { id: string }) => c.id)
      .sort();
    expect(rep.checks.map((c) => c.id).sort()).toEqual(ids);
    for (const c of rep.checks) if (c.outcome !== "pass") expect(c.message, c.id).not.toBe("");
    expect(r.stdout).toMatch(/^assistants\s+\d+/m);
  });

  it("stops the server on Ctrl-C and leaves no process behind", async () => {
    const child = spawn(process.execPath, [BIN, "run", "--report-dir", join(ref.dir, "interrupted")], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no target line: ${out}`)), 60_000);
      child.stdout.on("data", (d) => {
        out += d;
        const m = /pid (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    expect(alive(pid)).toBe(true);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(130);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(pid), "the reference server survived Ctrl-C").toBe(false);
  });
});

describe("checks fail when the server breaks what they state", () => {
  // Mutants of the catalogue (scripts/mutants/catalogue.ts), and the checks each must fail.
  itKills(
    [
      ["ok-says-false", ["SYS-001"]],
      ["assistant-search-limit-ignored", ["AST-052"]],
      ["assistant-search-metadata-ignored", ["AST-050"]],
      ["assistant-search-desc-reversed", ["AST-055"]],
      ["assistant-create-drops-graph_id", ["AST-001", "AST-002"]],
      ["assistant-patch-replaces-metadata", ["AST-030"]],
    ],
    { campaign: () => ({ upstream: ref.server.url, dir: ref.dir, args: [], timeoutMs: 120_000 }) },
  );
});
