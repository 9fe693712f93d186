// `npm run bench`: how long the suite takes on this machine, and where the time
// goes, side by side in one run (the machine may be shared and noisy: compare
// the figures as ratios within one run, and read the load average beside them).
//
//   npm run bench [-- --profile p1,p2] [-- --seed N] [-- --skip proxy,shards] [-- --no-write]
//
// It runs the suite against the embedded reference server, in this process:
//   - the full run (server start included), which is also the 1-shard run;
//   - the same through a latency proxy at 50 and 200 ms round trip
//     (scripts/maintainer/latency-proxy.ts: loopback only, bounded);
//   - 2 and 4 shards, run one after another, and their sum (the cost of splitting),
//     merged and compared with the full run check for check;
// and prints the critical path (server start plus the longest check) and the
// ratio of wall time to it, per-profile times, the longest checks by file, and
// the harness's own CPU share (this process, whose worker threads run the
// checks, against the server processes). It writes docs/benchmarks.md and
// refreshes suites/durations.json (what --shard balances by) from the full run.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Profile } from "../../harness/model";
import { PROFILES } from "../../harness/model";
import type { Selection } from "../../harness/run-context";
import { parseProfiles } from "../../harness/target";
import { killAllTargetsSync, type StartedTarget, type Target } from "../../harness/targets";
import { AUTH_CONFIG, fixtureIdentities, startReferenceServer } from "../../harness/targets/reference";
import type { CheckResult, Report } from "../../reporters/model";
import { mergeReports } from "../../reporters/report";
import { run } from "../cli/run";
import { DURATIONS_FILE, formatDurations, shardOf } from "../cli/shard";
import { SUITE_VERSION } from "../cli/vitest-runner";
import { startLatencyProxy, type LatencyProxy } from "./latency-proxy";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DOC = join(ROOT, "docs", "benchmarks.md");

const TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU milliseconds of a process and of its children it has waited for, from /proc (0 where there is no /proc). */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime: fields 14 to 17 of the line, 12 to 15 after the name.
    return ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / TICKS;
  } catch {
    return 0;
  }
}

interface Measured {
  name: string;
  wallMs: number;
  /** The servers' start (the reference, and its auth instance when the selection has the auth profile), before the first check. */
  serverStartMs: number;
  report: Report;
  cpu: { harnessMs: number; serverMs: number };
  load: [number, number];
  /** When each check ended, in ms from the run's start. */
  ends: Map<string, number>;
  proxy?: LatencyProxy["stats"];
}

/** The embedded reference server, timed, its CPU read before it stops, optionally behind the latency proxy. */
function benchTarget(rec: { startMs: number; serverCpuMs: number; proxy?: LatencyProxy["stats"] }, rttMs: number): Target {
  const serve = async (config?: string) => {
    const t0 = performance.now();
    const s = await startReferenceServer(config ? { config } : {});
    rec.startMs += performance.now() - t0;
    const proxy = rttMs > 0 ? await startLatencyProxy(s.url, { rttMs }) : undefined;
    if (proxy && !config) rec.proxy = proxy.stats;
    const stop = async () => {
      rec.serverCpuMs += processCpuMs(s.pid);
      await proxy?.close();
      await s.stop();
    };
    return { s, url: proxy?.url ?? s.url, stop };
  };
  return {
    async start() {
      const main = await serve();
      return {
        startedBy: "embedded",
        url: main.url,
        started: main.s.description,
        describe: `embedded ${main.s.description}, pid ${main.s.pid}${rttMs ? `, through a ${rttMs} ms round trip` : ""}`,
        stop: main.stop,
        async startAuth() {
          const a = await serve(AUTH_CONFIG);
          const started: StartedTarget = { startedBy: "embedded", url: a.url, started: a.s.description, describe: `embedded, with the fixture auth, pid ${a.s.pid}`, stop: a.stop };
          return { started, identities: await fixtureIdentities() };
        },
      };
    },
  };
}

async function measure(name: string, opts: { selection: Selection; seed: number; rttMs?: number; shard?: { index: number; count: number } }, say: (line: string) => void): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), "lgc-bench-"));
  const rec = { startMs: 0, serverCpuMs: 0 } as { startMs: number; serverCpuMs: number; proxy?: LatencyProxy["stats"] };
  const ends = new Map<string, number>();
  const loadBefore = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  say(`  ${name}…`);
  try {
    const { report } = await run({
      target: benchTarget(rec, opts.rttMs ?? 0),
      headers: [],
      selection: opts.selection,
      claim: [],
      disclaim: [],
      reportDir: dir,
      seed: opts.seed,
      log: () => undefined,
      progress: { check: (r: CheckResult) => void ends.set(r.id, performance.now() - t0) },
      ...(opts.shard ? { shard: shardOf(opts.shard, opts.selection) } : {}),
    });
    const wallMs = performance.now() - t0;
    const used = process.cpuUsage(cpu0);
    const m: Measured = {
      name,
      wallMs,
      serverStartMs: rec.startMs,
      report,
      cpu: { harnessMs: (used.user + used.system) / 1000, serverMs: rec.serverCpuMs },
      load: [loadBefore, loadavg()[0]!],
      ends,
      ...(rec.proxy ? { proxy: rec.proxy } : {}),
    };
    say(`  ${name}: ${s(wallMs)} (${report.summary.total} checks, load ${loadBefore.toFixed(1)} → ${m.load[1].toFixed(1)})`);
    return m;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const x = (r: number) => `${r.toFixed(2)}x`;
const pct = (r: number) => `${Math.round(r * 100)}%`;

/** Ids whose outcome differs from the full run's (or that only one of them has). */
function differences(a: Report, b: Report): string[] {
  const ofA = new Map(a.checks.map((c) => [c.id, c.outcome]));
  const ofB = new Map(b.checks.map((c) => [c.id, c.outcome]));
  return [...new Set([...ofA.keys(), ...ofB.keys()])].filter((id) => ofA.get(id) !== ofB.get(id)).sort();
}

const diffText = (ids: string[]) => (ids.length === 0 ? "none" : `${ids.length} (${ids.slice(0, 6).join(", ")}${ids.length > 6 ? ", …" : ""})`);

interface Span {
  name: string;
  checks: number;
  sumMs: number;
  longest: { id: string; ms: number };
  /** From the first check's start to the last one's end (start = end - duration). */
  spanMs: number;
}

function spans(m: Measured, keyOf: (c: CheckResult) => string): Span[] {
  const by = new Map<string, CheckResult[]>();
  for (const c of m.report.checks) by.set(keyOf(c), [...(by.get(keyOf(c)) ?? []), c]);
  return [...by.entries()].map(([name, cs]) => {
    const longest = cs.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
    const end = (c: CheckResult) => m.ends.get(c.id) ?? 0;
    const first = Math.min(...cs.map((c) => end(c) - c.durationMs));
    const last = Math.max(...cs.map(end));
    return { name, checks: cs.length, sumMs: cs.reduce((n, c) => n + c.durationMs, 0), longest: { id: longest.id, ms: longest.durationMs }, spanMs: Math.max(0, last - first) };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { profile: { type: "string" }, seed: { type: "string" }, skip: { type: "string" }, "no-write": { type: "boolean" } },
    strict: true,
  });
  const selection: Selection = values.profile ? { profiles: parseProfiles(values.profile) } : {};
  const seed = values.seed ? Number(values.seed) : 1;
  const skip = new Set((values.skip ?? "").split(",").filter(Boolean));
  const say = (line: string) => void process.stdout.write(`${line}\n`);
  const cores = cpus();
  const load0 = loadavg();
  say(`langgraph-conformance ${SUITE_VERSION} bench: ${cores.length} cores (${cores[0]?.model.trim() ?? "?"}), load average ${load0.map((l) => l.toFixed(2)).join(" / ")} (1, 5, 15 min) at the start`);
  say(`selection: ${values.profile ? `--profile ${values.profile}` : "every check"}; seed ${seed}`);

  const full = await measure("full run (embedded reference; also 1 shard)", { selection, seed }, say);
  const proxied: Measured[] = [];
  if (!skip.has("proxy")) for (const rttMs of [50, 200]) proxied.push(await measure(`through a ${rttMs} ms round trip`, { selection, seed, rttMs }, say));
  const sharded: Array<{ count: number; parts: Measured[]; merged: Report }> = [];
  if (!skip.has("shards")) {
    for (const count of [2, 4]) {
      const parts: Measured[] = [];
      for (let index = 1; index <= count; index++) parts.push(await measure(`shard ${index}/${count}`, { selection, seed, shard: { index, count } }, say));
      const merged = mergeReports(parts.map((p, i) => ({ name: `shard ${i + 1}/${count}`, report: p.report })));
      sharded.push({ count, parts, merged });
    }
  }
  const load1 = loadavg();

  // The critical path: the servers' start, then the longest check (nothing can end before both).
  const longest = full.report.checks.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  const critical = full.serverStartMs + longest.durationMs;
  const files = spans(full, (c) => c.file).sort((a, b) => b.longest.ms - a.longest.ms);
  const profiles = spans(full, (c) => c.profile).sort((a, b) => PROFILES.indexOf(a.name as Profile) - PROFILES.indexOf(b.name as Profile));
  const firstEnd = Math.min(...full.ends.values());
  const lastEnd = Math.max(...full.ends.values());
  const longestStart = (full.ends.get(longest.id) ?? 0) - longest.durationMs;
  const sumOfFiles = files.reduce((n, f) => n + f.spanMs, 0);
  const workers = 4;
  const share = full.cpu.harnessMs / Math.max(1, full.cpu.harnessMs + full.cpu.serverMs);

  const out: string[] = [];
  const row = (cells: string[]) => out.push(`| ${cells.join(" | ")} |`);
  out.push("## Wall time", "");
  row(["run", "wall", "vs. the full run", "checks", "outcomes that differ from the full run"]);
  row(["---", "---:", "---:", "---:", "---"]);
  row(["full run, embedded reference (server start included)", s(full.wallMs), "1.00x", String(full.report.summary.total), "–"]);
  for (const p of proxied)
    row([`${p.name} (proxy: ${p.proxy?.connections ?? 0} connections)`, s(p.wallMs), x(p.wallMs / full.wallMs), String(p.report.summary.total), diffText(differences(full.report, p.report))]);
  out.push("");
  out.push("## Critical path", "");
  row(["", ""]);
  row(["---", "---:"]);
  row(["server start (the reference, and its auth instance)", s(full.serverStartMs)]);
  row([`longest check: ${longest.id} (${longest.file})`, s(longest.durationMs)]);
  row(["**critical path**", `**${s(critical)}**`]);
  row(["**wall time / critical path**", `**${x(full.wallMs / critical)}**`]);
  row(["first check ended, after the start", s(firstEnd)]);
  row([`the longest check started, after the start`, s(longestStart)]);
  row(["last check ended, after the start", s(lastEnd)]);
  row([`the files' spans added up, over ${workers} workers`, s(sumOfFiles / workers)]);
  out.push("");
  if (sharded.length) {
    out.push("## Shards, run one after another", "");
    row(["parts", "each part's wall", "sum", "vs. the full run", "outcomes of the merge that differ from the full run"]);
    row(["---", "---", "---:", "---:", "---"]);
    row(["1", s(full.wallMs), s(full.wallMs), "1.00x", "–"]);
    for (const sh of sharded) {
      const sum = sh.parts.reduce((n, p) => n + p.wallMs, 0);
      row([String(sh.count), sh.parts.map((p) => s(p.wallMs)).join(" + "), s(sum), x(sum / full.wallMs), diffText(differences(full.report, sh.merged))]);
    }
    out.push("");
  }
  out.push("## Profiles (in the full run)", "");
  row(["profile", "checks", "span (first start to last end)", "checks' time added up", "longest check"]);
  row(["---", "---:", "---:", "---:", "---"]);
  for (const p of profiles) row([p.name, String(p.checks), s(p.spanMs), s(p.sumMs), `${p.longest.id} ${s(p.longest.ms)}`]);
  out.push("");
  out.push("## The longest checks, by file (in the full run)", "");
  row(["file", "checks", "longest check", "span", "checks' time added up"]);
  row(["---", "---:", "---", "---:", "---:"]);
  for (const f of files.slice(0, 12)) row([`\`${f.name}\``, String(f.checks), `${f.longest.id} ${s(f.longest.ms)}`, s(f.spanMs), s(f.sumMs)]);
  out.push("");
  out.push("## CPU (the full run)", "");
  row(["", "CPU time", "share"]);
  row(["---", "---:", "---:"]);
  row(["the harness (this process: vitest, its worker threads, the checks)", s(full.cpu.harnessMs), pct(share)]);
  row(["the servers (the reference, and its auth instance)", s(full.cpu.serverMs), pct(1 - share)]);
  row([`both, against ${cores.length} cores × the wall time`, s(full.cpu.harnessMs + full.cpu.serverMs), pct((full.cpu.harnessMs + full.cpu.serverMs) / (cores.length * full.wallMs))]);
  out.push("");

  const top = files.slice(0, 3).map((f) => `${f.longest.id} in \`${f.name}\` (${s(f.longest.ms)}; the file spans ${s(f.spanMs)})`);
  const note = [
    "## What stands between the wall time and the critical path",
    "",
    `The full run took ${s(full.wallMs)}: ${x(full.wallMs / critical)} its critical path of ${s(critical)} (the servers' start, ${s(full.serverStartMs)}, then the longest check, ${longest.id}, ${s(longest.durationMs)}); the goal is 1.5x.`,
    `The first check ended ${s(firstEnd - full.serverStartMs)} after the servers were up (the test runner's start, loading the suite and the contract); the longest check started ${s(longestStart)} into the run; the sweep and the reports took ${s(full.wallMs - lastEnd)} after the last check.`,
    `The rest is throughput: the files' spans add up to ${s(sumOfFiles)}, ${s(sumOfFiles / workers)} over the ${workers} workers, against one server process on ${cores.length} cores, which the harness and the server share (${pct(share)} of the CPU time was the harness's).`,
    `The longest checks, by file: ${top.join("; ")}.`,
    "",
  ];
  const head = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (scripts/maintainer/bench.ts), which also refreshes `suites/durations.json`.",
    "The figures are of one run on one machine, which may be shared: compare them as ratios within",
    "the run, and read the load average beside them.",
    "",
    `- machine: ${cores.length} cores (${cores[0]?.model.trim() ?? "?"}), Node ${process.version}`,
    `- load average (1, 5, 15 min): ${load0.map((l) => l.toFixed(2)).join(" / ")} at the start, ${load1.map((l) => l.toFixed(2)).join(" / ")} at the end`,
    `- suite ${SUITE_VERSION}; selection: ${values.profile ? `--profile ${values.profile}` : "every check"}; seed ${seed}; measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
  ];
  const doc = [...head, ...note, ...out].join("\n");
  say("");
  say(doc.replace(/^# Benchmarks\n\n[\s\S]*?\n\n/, ""));
  if (!values["no-write"]) {
    await writeFile(DOC, `${doc.trimEnd()}\n`);
    say(`Written: ${DOC}`);
    if (!values.profile) {
      await writeFile(
        join(ROOT, DURATIONS_FILE),
        formatDurations(full.report.checks, { at: full.report.startedAt, suite: SUITE_VERSION, cores: cores.length, loadAverage: Number(full.load[0].toFixed(2)), wallMs: Math.round(full.wallMs) }),
      );
      say(`Written: ${join(ROOT, DURATIONS_FILE)}`);
    } else say(`${DURATIONS_FILE} is refreshed from a full run only (no --profile)`);
  }
}

process.on("exit", killAllTargetsSync);
main().then(
  () => setTimeout(() => process.exit(0), 200).unref(),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
