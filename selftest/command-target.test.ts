// The pure-graph launcher (scripts/maintainer/pure-graph-server.ts) and the command target
// (`run --command`): the launcher starts, answers with the fixture graphs and
// stops, however it is told to; a run started by a command tests the URL the
// command printed and leaves no process of it behind, also on Ctrl-C, when the
// suite is killed outright, and when the command never starts a server.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../reporters/model";
import { BIN, runCli } from "./support/cli";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LAUNCHER = "node --import tsx scripts/maintainer/pure-graph-server.ts";
// Every graph of the fixtures' langgraph.json, as a server that deploys it offers them.
const FIXTURE_GRAPHS = Object.keys(JSON.parse(readFileSync(new URL("../fixtures/langgraph.json", import.meta.url), "utf8")).graphs).sort();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lgc-selftest-command-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

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

/** The live (not zombie) processes of a process group. */
function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z" && Number(fields[2]) === pgid) out.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** Is a live `sleep SECONDS` running (found by its command line)? */
function sleeping(seconds: string): boolean {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim() === `sleep ${seconds}` && alive(Number(entry))) return true;
    } catch {
      /* gone meanwhile */
    }
  }
  return false;
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts the launcher as a user would and waits for its URL line. */
async function launch(args: string[] = [], stdin: "ignore" | "pipe" = "ignore", env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/maintainer/pure-graph-server.ts", ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: [stdin, "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line within 60 s: ${out}`)), 60_000);
    child.stdout!.on("data", () => {
      const m = /^pure-graph listening on (http:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the launcher exited (${code}) before printing its URL: ${out}`));
    });
  });
  return { child, url, output: () => out };
}

const exitOf = (child: ChildProcess) => new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once("exit", (code) => r(code))));

describe("scripts/maintainer/pure-graph-server.ts", () => {
  it("serves the fixture graphs on a free loopback port and stops on SIGTERM with nothing left", async () => {
    const tmpBefore = (await readdir(tmpdir())).filter((f) => f.startsWith("langgraph-conformance-pure-graph-"));
    const { child, url } = await launch(["--storage", "sqlite"]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/assistants/search`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    const graphs = ((await res.json()) as Array<{ graph_id: string }>).map((a) => a.graph_id).sort();
    expect(graphs).toEqual(FIXTURE_GRAPHS);
    // SQLite state lives in a temporary directory of its own while the server runs...
    const during = (await readdir(tmpdir())).filter((f) => f.startsWith("langgraph-conformance-pure-graph-") && !tmpBefore.includes(f));
    expect(during).toHaveLength(1);
    child.kill("SIGTERM");
    expect(await exitOf(child)).toBe(0);
    await until("the launcher is gone", () => !alive(child.pid!));
    // ...and is removed when it stops.
    expect(existsSync(join(tmpdir(), during[0]!))).toBe(false);
  });

  it("ignores storage settings of the environment and stops when its input ends (--stop-on-stdin-eof)", async () => {
    const mine = join(dir, "users.db");
    const { child, url } = await launch(["--stop-on-stdin-eof"], "pipe", {
      SQLITE_DATABASE_URI: mine,
      CHECKPOINT_TYPE: "sqlite",
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
      REDIS_URL: "redis://127.0.0.1:1",
    });
    const res = await fetch(`${url}/threads`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    expect(existsSync(mine), "the launcher wrote to the user's SQLITE_DATABASE_URI").toBe(false);
    child.stdin!.end();
    expect(await exitOf(child)).toBe(0);
  });
});

describe("run --command", () => {
  it("tests the URL the command prints, reports it as started by the command, and stops its process group", async () => {
    const out = join(dir, "pure-graph");
    const r = await runCli(["run", "--command", `${LAUNCHER} --stop-on-stdin-eof`, "--label", "pure-graph", "--profile", "system", "--report-dir", out, "--seed", "7"], {
      timeoutMs: 180_000,
      cwd: ROOT,
    });
    expect([0, 1], r.stderr).toContain(r.code);
    const pgid = Number(/\(command: .*, pid (\d+)\)/.exec(r.stdout)?.[1]);
    expect(pgid, r.stdout).toBeGreaterThan(0);
    await until("the command's process group is gone", () => groupMembers(pgid).length === 0);
    const rep: Report = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    expect(rep.target.startedBy).toBe("command");
    expect(rep.target.started).toBe(`command: ${LAUNCHER} --stop-on-stdin-eof`);
    expect(rep.target.label).toBe("pure-graph");
    expect(rep.target.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The checks ran against it: pure-graph has no GET /ok.
    expect(rep.checks.find((c) => c.id === "SYS-001")?.outcome).toBe("fail");
    expect(rep.summary.error).toBe(0);
  });

  async function startRun(args: string[]): Promise<{ child: ChildProcess; pgid: number }> {
    const child = spawn(process.execPath, [BIN, "run", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const pgid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no target line: ${out}`)), 90_000);
      child.stdout!.on("data", (d) => {
        out += d;
        const m = /\(command: .*, pid (\d+)\)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    return { child, pgid };
  }

  it("stops the command's processes on Ctrl-C", async () => {
    const { child, pgid } = await startRun(["--command", LAUNCHER, "--report-dir", join(dir, "interrupted")]);
    expect(groupMembers(pgid).length).toBeGreaterThan(0);
    child.kill("SIGINT");
    expect(await exitOf(child)).toBe(130);
    await until("the command's process group is gone", () => groupMembers(pgid).length === 0);
  });

  it("a suite killed outright leaves no server behind when the command stops at the end of its input", async () => {
    const { child, pgid } = await startRun(["--command", `${LAUNCHER} --stop-on-stdin-eof`, "--report-dir", join(dir, "killed")]);
    expect(groupMembers(pgid).length).toBeGreaterThan(0);
    child.kill("SIGKILL");
    await exitOf(child);
    await until("the command's process group is gone", () => groupMembers(pgid).length === 0, 15_000);
  });

  it("a command that prints no URL, or exits first, ends the run with exit code 2 and leaves nothing", async () => {
    const silent = await runCli(["run", "--command", "echo starting; exec sleep 61.25", "--startup-timeout-ms", "1500", "--report-dir", join(dir, "silent")], { timeoutMs: 60_000 });
    expect(silent.code).toBe(2);
    expect(silent.stderr).toMatch(/printed no http\(s\) URL on its standard output within 1500 ms/);
    expect(silent.stderr).toContain("starting");
    const exiting = await runCli(["run", "--command", "echo broken >&2; exit 3", "--report-dir", join(dir, "exiting")], { timeoutMs: 60_000 });
    expect(exiting.code).toBe(2);
    expect(exiting.stderr).toMatch(/exited \(code 3\) before printing a URL/);
    expect(exiting.stderr).toContain("broken");
    // The command's process (`sleep 61.25`) was stopped with its group.
    await until("the silent command is gone", () => !sleeping("61.25"));
  });

  it("refuses --command with another target or with container options", async () => {
    for (const extra of [
      ["--url", "http://127.0.0.1:1"],
      ["--image", "x:1"],
      ["--port", "8000"],
    ]) {
      const r = await runCli(["run", "--command", "true", ...extra]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
