// `langgraph-conformance compare`: the matrix of checks by implementation from
// two or more reports; bad input ends with one line and exit code 2; a report
// of another contract version is compared with a warning.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMatrix, renderMatrixMarkdown } from "../reporters/matrix";
import { formatScore } from "../reporters/report";
import { compare } from "../scripts/cli/compare";
import { runCli } from "./support/cli";
import { fixture, withOutcome } from "./support/reports";

const REF = new URL("./fixtures/reference-report.json", import.meta.url).pathname;
const HOSTILE = new URL("./fixtures/hostile-report.json", import.meta.url).pathname;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lgc-compare-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function oneLine(r: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe("compare", () => {
  it("writes compare.md and compare.html: a score row per profile, then each profile's checks by implementation", async () => {
    const out = join(dir, "two");
    const r = await runCli(["compare", REF, HOSTILE, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const md = await readFile(join(out, "compare.md"), "utf8");
    expect(md).toMatch(/^# Compatibility matrix: @langchain\/langgraph-api@[\d.]+ · hostile server \(fixture\)/);
    const ref = fixture("reference");
    const hos = fixture("hostile");
    const sys = (r: typeof ref) => formatScore(r.profiles.system!.score!);
    expect(md).toContain(`| system | ${sys(ref)} | ${sys(hos)} |`);
    expect(md).toMatch(/^\| assistants \| \d+(\.\d)?% \(\d+\/\d+\) \| – \|$/m);
    expect(md).toContain(`| MUST failures | ${ref.summary.fail} | ${hos.summary.fail} |`);
    expect(md).toContain(`## system\n\n| check | ${ref.target.label} | hostile server (fixture) |\n|---|---|---|\n| **score** | **${sys(ref)}** | **${sys(hos)}** |`);
    // The findings first: what the second report has that the first has not, and what it no longer has.
    const refIds = new Set(ref.findings!.map((f) => f.id));
    const hosIds = new Set(hos.findings!.map((f) => f.id));
    const fresh = [...hosIds].filter((id) => !refIds.has(id));
    const gone = ref.findings!.filter((f) => !hosIds.has(f.id));
    // Fixed where the hostile server ran a check of it; not judged where none of its checks ran there.
    const ranThere = new Set(hos.checks.filter((c) => c.outcome !== "skip" && c.outcome !== "error").map((c) => c.id));
    const fixed = gone.filter((f) => [...f.failed.map((c) => c.id), ...f.met].some((id) => ranThere.has(id)));
    expect(fixed.length).toBeLessThan(gone.length);
    expect(md).toContain(`## Findings: hostile server (fixture) against ${ref.target.label}`);
    expect(md).toMatch(new RegExp(`^${fresh.length} new, ${fixed.length} fixed, ${gone.length - fixed.length} not judged, \\d+ at another level, \\d+ unchanged\\.`, "m"));
    for (const id of fresh) expect(md).toMatch(new RegExp(`\\*\\*New in hostile server \\(fixture\\)[\\s\\S]*- ${id} `));
    expect(md.indexOf("## Findings: ")).toBeLessThan(md.indexOf("## system"));
    expect(md).toContain("## Findings by implementation");
    expect(md).toMatch(/^\| AST-001 MUST .* \| ✅ pass \| ⏭️ skip \|$/m);
    expect(md).toMatch(/^\| AST-002 MUST .* ◆ \| (✅|❌) \w+ \| – not run \|$/m);
    // Both fixtures' own checks, one row each, in their profile.
    expect(md).toMatch(/^\| FIX-001 MUST .* \| ❌ fail \| – not run \|$/m);
    const html = await readFile(join(out, "compare.html"), "utf8");
    expect(html).toContain('<tr class="check" data-differs="1" data-level="MUST"><td><code>AST-001</code>');
    expect(html).not.toMatch(/<img /i);
    expect(r.stdout).toMatch(/Compared 2 reports: .*compare\.md, .*compare\.html/);
  });

  it("accepts a report directory, and names columns with --label", async () => {
    const d = join(dir, "adir");
    await runCli(["compare", REF, HOSTILE, "--out", d]);
    await writeFile(join(dir, "report.json"), await readFile(REF));
    const r = await runCli(["compare", dir, REF, "--label", "mine", "--label", "theirs", "--out", join(dir, "labels")]);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(dir, "labels", "compare.md"), "utf8")).toMatch(/^# Compatibility matrix: mine · theirs/);
  });

  it("compares a report of another contract version with a warning, not a crash", async () => {
    const other = join(dir, "other-contract.json");
    const r0 = fixture("hostile");
    await writeFile(other, JSON.stringify({ ...r0, contract: { ...r0.contract, version: "9.9.9" } }));
    const r = await runCli(["compare", REF, other, "--out", join(dir, "versions")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^langgraph-conformance: warning: .*other-contract\.json was made against contract 9\.9\.9, .* against 0\.1\.0: a check may not mean the same in both; compared anyway\n$/,
    );
    expect(await readFile(join(dir, "versions", "compare.md"), "utf8")).toMatch(/> \*\*Warning:\*\* .*contract 9\.9\.9/);
    // An older report without scores or verdict still compares (scores are recomputed).
    const old = join(dir, "old.json");
    const { score: _s, verdict: _v, reportFormat: _f, ...bare } = r0;
    await writeFile(old, JSON.stringify(bare));
    expect((await runCli(["compare", REF, old, "--out", join(dir, "old")])).code).toBe(0);
  });

  it("bad input: a missing file, not JSON, not a report, one report only, an unknown option: one line, exit code 2", async () => {
    const notJson = join(dir, "not.json");
    await writeFile(notJson, "{ this is not json");
    const notReport = join(dir, "not-report.json");
    await writeFile(
      notReport,
      JSON.stringify({ suite: { version: "1" }, contract: { version: "1" }, target: { url: "x" }, checks: [{ id: "SYS-001", level: "MUST", profile: "system", title: "t", outcome: "great" }] }),
    );
    const dup = join(dir, "dup.json");
    const f = fixture("hostile");
    await writeFile(dup, JSON.stringify({ ...f, checks: [...f.checks, f.checks[0]] }));
    oneLine(await runCli(["compare", REF, join(dir, "nope.json")]), /^langgraph-conformance: cannot read the report .*nope\.json: no such file$/);
    oneLine(await runCli(["compare", REF, notJson]), /^langgraph-conformance: .*not\.json is not JSON: /);
    oneLine(
      await runCli(["compare", REF, notReport]),
      /^langgraph-conformance: .*not-report\.json is not a langgraph-conformance report: \/checks\/0\/outcome must be equal to one of the allowed values$/,
    );
    oneLine(await runCli(["compare", REF, dup]), /^langgraph-conformance: .*dup\.json is not a langgraph-conformance report: check SYS-001 appears twice$/);
    oneLine(await runCli(["compare", REF]), /^langgraph-conformance: compare needs two or more reports, got 1/);
    oneLine(await runCli(["compare", REF, HOSTILE, "--colour"]), /^langgraph-conformance: Unknown option '--colour'/);
  });

  it("marks the checks whose outcome differs, with stale and expected shown as such", async () => {
    const a = fixture("hostile");
    const b = withOutcome(withOutcome(a, "SYS-003", "fail", "expected"), "SYS-001", "pass", "stale");
    const m = buildMatrix([
      { ...a, path: "a", label: "a" },
      { ...b, path: "b", label: "b" },
    ]);
    const md = renderMatrixMarkdown(m);
    expect(md).toMatch(/^\| SYS-003 MUST .* \| ❌ fail \| ➖ expected failure \|$/m);
    expect(md).toMatch(/^\| SYS-001 MUST .* \| ✅ pass \| 🧹 stale baseline entry \|$/m);
    const { warnings } = await compare([REF, HOSTILE], [], () => undefined);
    expect(warnings).toEqual([]);
  });
});
