// A split run: `run --shard i/n` cuts the suite into parts by whole suite files,
// balanced by suites/durations.json, the same in every job; `merge` makes one
// report of the parts, equal to the unsharded run's check for check, and
// refuses, with one line and exit code 2, reports that are not the parts of
// one run.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../harness/target";
import { buildFindings } from "../reporters/findings";
import type { Report } from "../reporters/model";
import { finishReport, mergeReports, type ShardReport } from "../reporters/report";
import { fileWeight, filesDeclaring, readDurations, parseShard, shardOf, splitSuite, suiteFiles, type Durations } from "../scripts/cli/shard";
import { runCli } from "./support/cli";
import { useReferenceServer } from "./support/reference";
import { fixture, reportValidator } from "./support/reports";

const validate = reportValidator();

describe("--shard i/n: the split", () => {
  it("reads i/n with 1 <= i <= n, and refuses anything else", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    for (const bad of ["0/4", "5/4", "4", "a/b", "1/0", "-1/2", "1/65", ""]) expect(() => parseShard(bad), bad).toThrow(UsageError);
  });

  it("puts every suite file in exactly one part, the same in every job, and each part carries the fingerprint of the whole split", () => {
    const files = suiteFiles();
    expect(files.length).toBeGreaterThan(20);
    for (const n of [1, 2, 3, 4, 7]) {
      const parts = Array.from({ length: n }, (_, i) => shardOf({ index: i + 1, count: n }, {}));
      expect(parts.flatMap((p) => p.files).sort()).toEqual(files);
      expect(new Set(parts.map((p) => p.split)).size).toBe(1);
      expect(shardOf({ index: 1, count: n }, {})).toEqual(parts[0]);
    }
    expect(shardOf({ index: 1, count: 2 }, {}).split).not.toBe(shardOf({ index: 1, count: 3 }, {}).split);
  });

  it("balances the parts by the recorded durations of the selected checks: no part exceeds the lightest by more than the heaviest unit", () => {
    // A file weighs its longest check, or its checks' time over the 8 that run at once.
    const one: Durations = { files: { f: { "AAA-001": { ms: 100, profile: "store", level: "MUST" }, "AAA-002": { ms: 900, profile: "store", level: "SHOULD" } } } };
    expect(fileWeight(one, "f", {})).toBe(900);
    expect(fileWeight(one, "f", { levels: ["MUST"] })).toBe(100);
    const many: Durations = { files: { f: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`AAA-${100 + i}`, { ms: 500, profile: "store" as const, level: "MUST" as const }])) } };
    expect(fileWeight(many, "f", {})).toBe(1000);
    const d = readDurations();
    // The files the durations file knows (a file nobody timed yet is the next test's).
    const files = suiteFiles().filter((f) => d.files[f]);
    const weight = (f: string) => fileWeight(d, f, {});
    for (const n of [2, 4]) {
      const parts = splitSuite(files, d, {}, n);
      const lightest = Math.min(...parts.map((p) => p.weightMs));
      // Each unit went to the lightest part: a part exceeds the lightest by its last unit at most.
      const authGroup = files.filter((f) => Object.values(d.files[f] ?? {}).some((c) => c.profile === "auth")).reduce((s, f) => s + weight(f), 0);
      const heaviestUnit = Math.max(authGroup, ...files.map(weight));
      for (const p of parts) expect(p.weightMs - lightest).toBeLessThanOrEqual(heaviestUnit);
      expect(parts.reduce((s, p) => s + p.weightMs, 0)).toBe(files.reduce((s, f) => s + weight(f), 0));
    }
    // A selection weighs only its checks: a profile's files are spread over the parts.
    const store = splitSuite(files, d, { profiles: ["store"] }, 4);
    expect(store.filter((p) => p.weightMs > 0).length).toBeGreaterThanOrEqual(2);
  });

  it("keeps the files that share a setup of the run together (the auth profile's second server), and a file nobody timed in one part", () => {
    const durations: Durations = {
      files: {
        "suites/a.check.ts": { "AAA-001": { ms: 500, profile: "auth", level: "MUST" } },
        "suites/b.check.ts": { "AAA-002": { ms: 500, profile: "auth", level: "MUST" } },
        "suites/c.check.ts": { "CCC-001": { ms: 900, profile: "threads", level: "MUST" } },
        "suites/d.check.ts": { "DDD-001": { ms: 100, profile: "store", level: "MUST" } },
      },
    };
    const files = ["suites/a.check.ts", "suites/b.check.ts", "suites/c.check.ts", "suites/d.check.ts", "suites/new.check.ts"];
    const parts = splitSuite(files, durations, {}, 3);
    const withAuth = parts.filter((p) => p.files.includes("suites/a.check.ts"));
    expect(withAuth).toHaveLength(1);
    expect(withAuth[0]!.files).toContain("suites/b.check.ts");
    expect(withAuth[0]!.auth).toBe(true);
    expect(parts.flatMap((p) => p.files).sort()).toEqual(files);
    // The new file weighs as a typical one, and may hold anything: its part may need the auth server.
    expect(parts.find((p) => p.files.includes("suites/new.check.ts"))!.auth).toBe(true);
  });
});

/** The fixture report cut into parts by suite file, as `run --shard` would have written them. */
function shardsOf(r: Report, count: number): ShardReport[] {
  const files = [...new Set(r.checks.map((c) => c.file))].sort();
  const partOf = (f: string) => files.indexOf(f) % count;
  return Array.from({ length: count }, (_, i) => {
    const checks = r.checks.filter((c) => partOf(c.file) === i);
    const shard = { index: i + 1, count, split: "0123456789ab", files: files.filter((f) => partOf(f) === i), catalog: checks.map((c) => c.id) };
    const part = finishReport(
      { ...r, runId: `run-${i + 1}`, shard, checks, summary: { ...r.summary, total: checks.length }, findings: buildFindings(checks, r.findings), baseline: undefined },
      { claims: r.claims ?? {}, catalogIds: r.checks.map((c) => c.id) },
    );
    return { name: `shard-${i + 1}/report.json`, report: part };
  });
}

const outcomes = (r: Report) => Object.fromEntries(r.checks.map((c) => [c.id, c.outcome]));
const findingShape = (r: Report) => Object.fromEntries((r.findings ?? []).map((f) => [f.id, { level: f.level, failed: f.failed.map((x) => x.id), met: f.met }]));

describe("--selected-files-only: the files that declare the selected checks", () => {
  it("names, for every check the durations file times, a set of files that holds the file declaring it, and fewer than all", () => {
    const d = readDurations();
    const all = suiteFiles();
    let narrowed = 0;
    for (const [file, checks] of Object.entries(d.files)) {
      if (!all.includes(file)) continue;
      for (const id of Object.keys(checks)) {
        const files = filesDeclaring([id]);
        expect(files, id).toContain(file);
        if (files!.length < all.length) narrowed++;
      }
    }
    expect(narrowed).toBeGreaterThan(400);
  });

  it("answers every file for a pattern of every check, and undefined (load everything) for an id no file names", () => {
    expect(filesDeclaring(["*"])).toEqual(suiteFiles());
    expect(filesDeclaring(["ZZZ-999"])).toBeUndefined();
    expect(filesDeclaring(["SYS-001", "ZZZ-999"])).toBeUndefined();
  });
});

describe("merge: one report of the parts", () => {
  const whole = fixture("reference");

  // (The fixture is of an older format: the merged reports of real runs are validated below, against the reference server.)
  it("gives the whole run's checks, findings, score and verdict", () => {
    for (const n of [1, 2, 3]) {
      const merged = mergeReports(shardsOf(whole, n));
      expect(merged.checks.map((c) => c.id)).toEqual(whole.checks.map((c) => c.id));
      expect(outcomes(merged)).toEqual(outcomes(whole));
      expect(findingShape(merged)).toEqual(findingShape(whole));
      expect(merged.score).toEqual(whole.score);
      expect(merged.verdict).toEqual(whole.verdict);
      expect(merged.shard).toBeUndefined();
      expect(merged.merged?.map((m) => m.index)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      // Every finding keeps an example with its exchange, as the parts had it.
      for (const f of merged.findings ?? []) expect(f.example.check, f.id).not.toBe("");
    }
  });

  it("judges a baseline again on the whole: a finding no part saw is stale only when every part is in", () => {
    const parts = shardsOf(whole, 2);
    const must = whole.findings!.find((f) => f.level === "MUST")!;
    const ids = [must.id, "F-00000000", "ZZZ-999"];
    const withBaseline = parts.map((p) => ({
      ...p,
      report: { ...p.report, baseline: { file: "baseline.txt", entries: ids.length, ids, expected: [], stale: [], notRun: [] } },
    }));
    const merged = mergeReports(withBaseline);
    expect(merged.baseline?.expectedFindings).toContain(must.id);
    // The fixture ran two profiles: a finding it did not see may be elsewhere (not run); an id no check has is stale.
    expect(merged.baseline?.notRun).toContain("F-00000000");
    expect(merged.baseline?.stale.map((s) => s.id)).toEqual(["ZZZ-999"]);
    // A part cannot tell an id of another part's files from a typo: it leaves the judgement to merge.
    const other = parts[1]!.report.checks[0]!.id;
    const part = finishReport(parts[0]!.report, { claims: {}, catalogIds: parts[0]!.report.shard!.catalog, baseline: { file: "b", ids: [other, "ZZZ-999"], comments: {} } });
    expect(part.baseline?.stale).toEqual([]);
    expect(part.baseline?.notRun).toEqual([other, "ZZZ-999"]);
  });

  it("lists as uncovered only the operations no part covers, and the given contract's missing operations of every part", () => {
    const parts = shardsOf(whole, 2);
    const a = { operation: "GET /a", reason: "no check yet" };
    const b = { operation: "GET /b", reason: "no check yet" };
    parts[0]!.report = { ...parts[0]!.report, uncovered: [a, b] };
    parts[1]!.report = { ...parts[1]!.report, uncovered: [b], contract: { ...parts[1]!.report.contract, missingOperations: ["GET /only-in-part-2"] } };
    const merged = mergeReports(parts);
    expect(merged.uncovered).toEqual([b]);
    expect(merged.contract.missingOperations).toContain("GET /only-in-part-2");
  });

  it("refuses, with one line each, parts that are not one run", () => {
    const parts = shardsOf(whole, 3);
    const change = (i: number, f: (r: Report) => Report) => parts.map((p, j) => (j === i ? { ...p, report: f(p.report) } : p));
    const refusals: Array<[ShardReport[], RegExp]> = [
      [change(1, (r) => ({ ...r, seed: r.seed + 1 })), /different seeds .*--seed/],
      [change(1, (r) => ({ ...r, target: { ...r.target, started: "another-server@2.0", label: "another-server@2.0" } })), /different targets/],
      [change(2, (r) => ({ ...r, suite: { ...r.suite, version: "9.9.9" } })), /different suite versions/],
      [change(2, (r) => ({ ...r, contract: { ...r.contract, version: "0.0.1" } })), /different contracts/],
      [change(1, (r) => ({ ...r, selection: { profiles: ["store"] } })), /different selections/],
      [change(1, (r) => ({ ...r, shard: { ...r.shard!, split: "ffffffffffff" } })), /split differently/],
      [change(1, (r) => ({ ...r, checks: [...r.checks, parts[0]!.report.checks[0]!] })), /both hold check .*overlap/],
      [change(1, (r) => ({ ...r, shard: { ...r.shard!, index: 1 } })), /are both shard 1\/3/],
      [change(1, (r) => ({ ...r, shard: { ...r.shard!, count: 4 } })), /shard of 3 parts .* of 4/],
      [parts.slice(0, 2), /shard 3\/3 is missing/],
      [change(0, ({ shard: _s, ...r }) => r as Report), /is not a shard's report/],
      [[], /needs the reports/],
    ];
    for (const [given, message] of refusals) {
      let error: unknown;
      try {
        mergeReports(given);
      } catch (e) {
        error = e;
      }
      expect(error, String(message)).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});

describe("the command line refuses a bad split before starting anything", () => {
  it("with one line and exit code 2", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["run", "--shard", "5/4"], /--shard expects i\/n with 1 <= i <= n/],
      [["run", "--shard", "1/2", "--update-baseline", "b.txt"], /--update-baseline needs the whole run/],
      [["merge"], /merge expects the shards' reports/],
      [["merge", "/nonexistent/report.json"], /cannot read the report/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { timeoutMs: 60_000 });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe("run --shard 1..4 and merge against the reference server", () => {
  const ref = useReferenceServer("lgc-shard-");
  const SELECTION = ["--profile", "system,store", "--seed", "17", "--reporter", "quiet"];

  it("gives the unsharded run's outcomes check for check, in every format, with exit codes as a run's", async () => {
    const url = ref.server.url;
    const whole = await runCli(["run", "--url", url, ...SELECTION, "--report-dir", join(ref.dir, "whole")], { timeoutMs: 180_000 });
    expect([0, 1], whole.stderr).toContain(whole.code);
    const wholeReport: Report = JSON.parse(await readFile(join(ref.dir, "whole", "report.json"), "utf8"));

    const dirs: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const dir = join(ref.dir, `shard-${i}`);
      const r = await runCli(["run", "--url", url, ...SELECTION, "--shard", `${i}/4`, "--report-dir", dir], { timeoutMs: 180_000 });
      expect([0, 1], r.stderr).toContain(r.code);
      expect(r.stdout).toContain(`shard ${i}/4:`);
      const part: Report = JSON.parse(await readFile(join(dir, "report.json"), "utf8"));
      expect(validate(part), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(part.shard).toMatchObject({ index: i, count: 4 });
      // Only the part's own files were loaded: the other parts' checks are not even listed as skipped.
      for (const c of part.checks) expect(part.shard!.files).toContain(c.file);
      for (const id of part.shard!.catalog) expect(wholeReport.checks.some((c) => c.id === id && !part.shard!.files.includes(c.file))).toBe(false);
      dirs.push(dir);
    }

    const out = join(ref.dir, "merged");
    const merged = await runCli(["merge", ...dirs.map((d) => join(d, "report.json")), "--out", out], { timeoutMs: 60_000 });
    expect(merged.code, merged.stderr).toBe(whole.code);
    for (const f of ["report.json", "report.md", "report.html", "junit.xml"]) expect(existsSync(join(out, f)), f).toBe(true);
    const report: Report = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(outcomes(report)).toEqual(outcomes(wholeReport));
    expect(Object.keys(findingShape(report)).sort()).toEqual(Object.keys(findingShape(wholeReport)).sort());
    expect(report.summary).toEqual(wholeReport.summary);
    expect(report.uncovered).toEqual(wholeReport.uncovered);
    expect(await readFile(join(out, "report.md"), "utf8")).toContain("merged from 4 shards");

    // Parts of another run (another seed) are refused with one line and exit code 2.
    const other = join(ref.dir, "other-seed");
    await mkdir(other, { recursive: true });
    const foreign = JSON.parse(await readFile(join(dirs[3]!, "report.json"), "utf8"));
    await writeFile(join(other, "report.json"), JSON.stringify({ ...foreign, seed: 18 }));
    const refused = await runCli(["merge", ...dirs.slice(0, 3), other, "--out", join(ref.dir, "refused")], { timeoutMs: 60_000 });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/different seeds/);
    const missing = await runCli(["merge", ...dirs.slice(0, 3), "--out", join(ref.dir, "refused")], { timeoutMs: 60_000 });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard 4\/4 is missing/);
  }, 900_000);
});
