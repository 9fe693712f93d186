// Baselines: the file format (finding and check ids), how a run judges it
// (expected, stale, not run), writing one from a run; and, through the command
// line against the reference server, that a run writes all four reports and
// exits by the baseline.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../harness/target";
import { startReferenceServer, type StartedServer } from "../harness/targets/reference";
import { applyBaseline, baselineFromReport, formatBaseline, parseBaseline } from "../reporters/baseline";
import { findingId } from "../reporters/findings";
import type { Report } from "../reporters/model";
import { runCli } from "./support/cli";
import { fixture, reportValidator, withOutcome } from "./support/reports";

const hostile = fixture("hostile");
const catalogIds = ["SYS-001", "SYS-002", "SYS-003", "SYS-004", "AST-001", "AST-002"];

function usageError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error("no error");
}

describe("the baseline file", () => {
  it("is one check id a line; '#' comments, blank lines, CRLF and a BOM are fine; duplicates count once", () => {
    const b = parseBaseline("\uFEFF# known failures\r\n\r\nSYS-003   # no langgraph_py_version\r\nAST-004\nSYS-003\n  # indented comment\n", "b.txt");
    expect(b.ids).toEqual(["SYS-003", "AST-004"]);
    expect(b.comments).toEqual({ "SYS-003": "no langgraph_py_version" });
  });

  it("refuses anything else, with the file and line", () => {
    expect(usageError(() => parseBaseline("SYS-003\nSYS-004 AST-001\n", "b.txt"))).toBe(
      "baseline b.txt, line 2: 'SYS-004 AST-001' holds more than one word (one finding or check id per line, '#' for comments)",
    );
    expect(usageError(() => parseBaseline('{"checks": []}', "r.json"))).toMatch(/^baseline r\.json, line 1: '\{"checks": \[\]\}' holds more than one word/);
    expect(usageError(() => parseBaseline("sys-003\n", "b.txt"))).toBe(
      "baseline b.txt, line 1: 'sys-003' is neither a finding id (e.g. F-1a2b3c4d) nor a check id (e.g. AST-004); one id per line, '#' for comments",
    );
    expect(usageError(() => parseBaseline("F-XYZ\n", "b.txt"))).toMatch(/'F-XYZ' is neither a finding id/);
    expect(parseBaseline("F-05b4a4cd  # [MUST] ServerInfo lacks langgraph_py_version\nAST-004\n", "b.txt").ids).toEqual(["F-05b4a4cd", "AST-004"]);
    expect(usageError(() => parseBaseline("a\0b", "bin"))).toBe("baseline bin: not a text file");
  });

  it("turns listed failures and findings into expected ones, listed passes into stale ones, and leaves what did not run alone", () => {
    const py = findingId("schema ServerInfo required langgraph_py_version");
    const b = parseBaseline(`SYS-003\nSYS-001\nAST-001\nAST-002\nZZZ-999\n${py}\nF-00000000\n`, "b.txt");
    const r = applyBaseline(hostile, b, catalogIds);
    expect(r.baseline).toEqual({
      file: "b.txt",
      entries: 7,
      expected: ["SYS-003"],
      expectedFindings: [py],
      stale: [
        { id: "SYS-001", reason: "listed in the baseline, but the check passes: remove its line" },
        { id: "ZZZ-999", reason: expect.stringMatching(/no check of suite .* has this id/) },
      ],
      // A finding this partial run (--id) did not see may be out of its reach: judged neither way.
      notRun: ["AST-001", "AST-002", "F-00000000"],
    });
    expect(r.checks.find((c) => c.id === "SYS-003")?.baseline).toBe("expected");
    expect(r.checks.find((c) => c.id === "SYS-001")?.baseline).toBe("stale");
    expect(r.checks.find((c) => c.id === "SYS-004")?.baseline).toBeUndefined();
    expect(r.findings?.find((f) => f.id === py)?.baseline).toBe("expected");
    // The outcome itself is never rewritten.
    expect(r.checks.find((c) => c.id === "SYS-003")?.outcome).toBe("fail");
  });

  it("expects every check a listed finding fails, and a finding that only failed checks showed, when every one is listed", () => {
    const ref = fixture("reference");
    const sorting = ref.findings!.find((f) => f.signature === "POST /assistants/search does not sort as sort_by and sort_order ask")!;
    expect(sorting.failed.length).toBeGreaterThan(1);
    const byFinding = applyBaseline(ref, parseBaseline(`${sorting.id}\n`, "b.txt"), []);
    for (const c of sorting.failed) expect(byFinding.checks.find((x) => x.id === c.id)?.baseline, c.id).toBe("expected");
    expect(byFinding.baseline?.expected).toEqual([]);
    const ids = ref.checks.map((c) => c.id);
    const byChecks = applyBaseline(ref, parseBaseline(sorting.failed.map((c) => c.id).join("\n"), "b.txt"), ids);
    expect(byChecks.baseline?.expectedFindings).toEqual([sorting.id]);
    // One of its checks left out: the finding is not expected.
    const partly = applyBaseline(
      ref,
      parseBaseline(
        sorting.failed
          .slice(1)
          .map((c) => c.id)
          .join("\n"),
        "b.txt",
      ),
      ids,
    );
    expect(partly.baseline?.expectedFindings).toEqual([]);
    // A finding also seen on the wire is expected only by its id: its checks say nothing of the other sightings.
    const metadata = hostile.findings!.find((f) => f.signature === "schema ServerInfo required metadata")!;
    expect(metadata.seenBy).toEqual(["wire", "checks"]);
    expect(applyBaseline(hostile, parseBaseline("SYS-003\n", "b.txt"), catalogIds).baseline?.expectedFindings).toEqual([]);
  });

  it("is written from a run's MUST findings (not its SHOULD ones), keeping entries the run did not judge, and reads back the same", () => {
    const run: Report = withOutcome(hostile, "SYS-002", "warn");
    const previous = parseBaseline("AST-001  # kept: assistants were not claimed\nSYS-001  # fixed since\nAST-002\n", "b.txt");
    const b = baselineFromReport(run, previous);
    const must = hostile.findings!.filter((f) => f.level === "MUST").map((f) => f.id);
    expect(must.length).toBeGreaterThan(0);
    expect(b.ids).toEqual([...must, "AST-001", "AST-002"]);
    const text = formatBaseline(b, run);
    expect(text).toMatch(/^# langgraph-conformance baseline/);
    expect(text).toContain(`${findingId("schema ServerInfo required metadata")}  # [MUST] ServerInfo answers lack 'metadata'`);
    expect(text).toMatch(/^AST-001 {5}# kept: assistants were not claimed$/m);
    expect(parseBaseline(text, "again").ids).toEqual(b.ids);
  });
});

describe("a run with reports and a baseline (command line, reference server)", () => {
  let dir: string;
  let server: StartedServer;
  const validate = reportValidator();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lgc-baseline-"));
    server = await startReferenceServer();
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const run = (name: string, ...args: string[]) => runCli(["run", "--url", server.url, "--profile", "system", "--seed", "5", "--report-dir", join(dir, name), ...args], { timeoutMs: 120_000 });
  const report = async (name: string): Promise<Report> => JSON.parse(await readFile(join(dir, name, "report.json"), "utf8"));

  it("writes report.json (valid against its schema), report.md, report.html and junit.xml; --update-baseline writes the MUST findings", async () => {
    const r = await run("plain", "--update-baseline", join(dir, "written.txt"), "--label", "reference");
    expect(r.code, r.stderr).toBe(1);
    const rep = await report("plain");
    expect(validate(rep), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(rep.target.label).toBe("reference");
    const failing = rep.checks.filter((c) => c.outcome === "fail").map((c) => c.id);
    expect(failing.length).toBeGreaterThan(0);
    for (const f of ["report.md", "report.html", "junit.xml"]) expect((await readFile(join(dir, "plain", f), "utf8")).length, f).toBeGreaterThan(500);
    expect(r.stdout).toMatch(/Reports: .*report\.json, .*report\.md, .*report\.html, .*junit\.xml/);
    const written = parseBaseline(await readFile(join(dir, "written.txt"), "utf8"), "written.txt");
    expect(written.ids).toEqual(rep.findings!.filter((f) => f.level === "MUST").map((f) => f.id));
    // Every failing check is in a finding the baseline lists.
    for (const id of failing) expect(written.ids, id).toContain(rep.checks.find((c) => c.id === id)!.finding);
    expect(r.stdout).toContain(`Baseline written: ${join(dir, "written.txt")}`);
  });

  it("with that baseline, the known failures are expected and the run passes", async () => {
    const r = await run("expected", "--baseline", join(dir, "written.txt"));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rep = await report("expected");
    expect(rep.baseline?.expectedFindings?.length).toBeGreaterThan(0);
    expect(rep.baseline?.stale).toEqual([]);
    expect(rep.verdict).toEqual({ exitCode: 0, text: expect.stringMatching(/^no MUST finding; no MUST check failed; .*\d+ expected by the baseline/) });
    expect(r.stdout).toMatch(/expected by the baseline/);
  });

  it("a listed check that passes is stale and fails the run, and so does an id that is no check", async () => {
    const file = join(dir, "stale.txt");
    await writeFile(file, `${await readFile(join(dir, "written.txt"), "utf8")}SYS-001  # passes on the reference server\nSYS-999\n`);
    const r = await run("stale", "--baseline", file);
    expect(r.code).toBe(1);
    const rep = await report("stale");
    expect(rep.baseline?.stale.map((s) => s.id)).toEqual(["SYS-001", "SYS-999"]);
    expect(rep.checks.find((c) => c.id === "SYS-001")?.baseline).toBe("stale");
    expect(r.stdout).toMatch(/stale +SYS-001 \[MUST\]/);
    expect(r.stdout).toMatch(/stale baseline entry SYS-999: listed in the baseline, but no check/);
  });

  it("an unreadable or malformed baseline, or an unknown reporter, ends the command before the run with one line and exit code 2", async () => {
    const bad = join(dir, "bad.txt");
    await writeFile(bad, "SYS-001\nthis is not an id\n");
    for (const [args, pattern] of [
      [["--baseline", join(dir, "missing.txt")], /^langgraph-conformance: cannot read the baseline .*missing\.txt: no such file$/],
      [["--baseline", bad], /^langgraph-conformance: baseline .*bad\.txt, line 2: 'this is not an id' holds more than one word/],
      [["--baseline", dir], /^langgraph-conformance: cannot read the baseline .*: it is a directory$/],
      [["--reporter", "fancy"], /^langgraph-conformance: --reporter: unknown reporter 'fancy' \(known: default, dots, quiet, github\)$/],
    ] as const) {
      const r = await run("never", ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(pattern);
      expect(r.stdout).not.toContain("starting");
    }
  });

  it("--reporter github annotates each finding and turns workflow commands off for the rest", async () => {
    const r = await run("github", "--reporter", "github", "--id", "SYS-003");
    expect(r.code).toBe(1);
    // SYS-003 fails on its own claim (no metadata), in the finding the wire gives the same gap.
    expect(r.stdout).toContain(`::error title=${findingId("schema ServerInfo required metadata")} [MUST] ServerInfo answers lack 'metadata'%2C which the contract requires::`);
    expect(r.stdout).toMatch(/checks: SYS-003; e\.g\. SYS-003: GET \/info answered ServerInfo without 'metadata'/);
    expect(r.stdout).toMatch(/^::stop-commands::lgc-[0-9a-f]{16}$/m);
    const token = /^::stop-commands::(.+)$/m.exec(r.stdout)![1];
    expect(r.stdout).toContain(`\n::${token}::`);
  });
});
