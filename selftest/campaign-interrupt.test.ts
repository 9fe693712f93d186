// An interrupted mutation campaign leaves no trace: Ctrl-C stops its runs and
// its reference servers and removes the directory of their reports (unless
// --keep names one), and it exits 130.

import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

describe("npm run mutants, interrupted", () => {
  it("Ctrl-C amid the runs exits 130 and leaves no report directory, no server directory and no run behind", { timeout: 180_000 }, async () => {
    // Its own temporary directory: whatever the campaign makes there is the campaign's.
    const tmp = await mkdtemp(join(tmpdir(), "lgc-interrupt-"));
    try {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/mutants/campaign.ts", "--only", "info-without-version"], {
        cwd: ROOT,
        env: { ...process.env, TMPDIR: tmp },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
      // Once the baseline is done, the mutant's run and the control are under way.
      const deadline = Date.now() + 150_000;
      while (!/baseline: /.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(out, "the campaign got to its runs").toMatch(/baseline: /);
      const during = await readdir(tmp);
      expect(
        during.some((f) => f.startsWith("lgc-mutants-")),
        during.join(", "),
      ).toBe(true);
      child.kill("SIGINT");
      expect(await exited).toBe(130);
      // A run killed mid-write could still create its report directory: give it the time it would take.
      await new Promise((r) => setTimeout(r, 2_000));
      // (tsx keeps its cache there too: not the campaign's.)
      expect((await readdir(tmp)).filter((f) => /^(lgc-|langgraph-conformance-)/.test(f))).toEqual([]);
      const ps = spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout;
      expect(ps.split("\n").filter((l) => l.includes(tmp))).toEqual([]);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
