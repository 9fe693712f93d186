// The report formats, rendered from fixtures the real command line made (one
// against the reference server, one against a hostile server): report.json
// against its published schema, the score, report.md, junit.xml, the terminal
// and the escaping of everything a target sends.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LEVELS } from "../harness/model";
import { formatGithub } from "../reporters/terminal/github";
import { paint, wantColour } from "../reporters/terminal/paint";
import { formatSummary } from "../reporters/terminal/summary";
import { clip, codeBlock, escapeHtml, escapeMarkdown, escapeXml, terminalSafe } from "../reporters/escape";
import { renderJson } from "../reporters/formats/json";
import { renderHtml } from "../reporters/formats/html";
import { renderJunit } from "../reporters/formats/junit";
import { MARKDOWN_MAX_BYTES, renderMarkdown } from "../reporters/formats/markdown";
import { createProgress } from "../reporters/terminal/progress";
import { exitCodeOf, finishReport, formatScore, redactReport, redactUrl, scoreCard, scoreOf, verdictOf } from "../reporters/report";
import type { Report } from "../reporters/model";
import { fixture, HOSTILE, HOSTILE_KEY, reportValidator, withOutcome } from "./support/reports";

const ref = fixture("reference");
const hostile = fixture("hostile");
const validate = reportValidator();

describe("report.json", () => {
  it("validates against schemas/report.schema.json (compiled in ajv's strict mode), both fixtures", () => {
    for (const r of [ref, hostile]) expect(validate(r), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it("the schema rejects what is not a report: a wrong outcome, a missing verdict, a bad check id", () => {
    expect(validate(withOutcome(ref, "SYS-001", "passed" as never))).toBe(false);
    const { verdict: _v, ...noVerdict } = ref;
    expect(validate(noVerdict)).toBe(false);
    expect(validate({ ...ref, checks: [{ ...ref.checks[0]!, id: "sys-1" }] })).toBe(false);
  });

  it("holds suite and contract versions, the target with what it declares, seed, times, claims, scores and the uncovered operations", () => {
    expect(ref.suite.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(ref.contract.version).toMatch(/^\d/);
    expect(ref.target).toMatchObject({ startedBy: "embedded", label: expect.stringContaining("@langchain/langgraph-api@") });
    expect(ref.target.implementation?.version).toBe((ref.target.declared as { version: string }).version);
    expect(Object.keys(ref.target.implementation?.runtimes ?? {})).toContain("langgraph_js_version");
    expect(Date.parse(ref.finishedAt!) - Date.parse(ref.startedAt)).toBeGreaterThanOrEqual(ref.durationMs - 1000);
    expect(ref.claims?.crons).toEqual({ claimed: false, reason: expect.stringContaining("flags.crons") });
    expect(Array.isArray(ref.uncovered)).toBe(true);
    for (const c of ref.checks) {
      for (const k of ["id", "level", "profile", "operations", "spec", "title", "outcome", "message", "evidence", "durationMs"]) expect(c, `${c.id}.${k}`).toHaveProperty(k);
    }
  });

  it("keeps no secret: the API key the hostile server echoed is redacted everywhere, and so is a password in the URL", () => {
    expect(JSON.stringify(hostile)).not.toContain(HOSTILE_KEY);
    expect(JSON.stringify(hostile)).toContain("your key is [redacted]");
    expect(redactUrl("https://user:hunter2@example.com/base")).toBe("https://user:[redacted]@example.com/base");
    expect(redactUrl("https://example.com")).toBe("https://example.com");
    const r = redactReport({ a: ["x hunter2 y"], b: { c: "hunter2" } }, ["hunter2"]);
    expect(r).toEqual({ a: ["x [redacted] y"], b: { c: "[redacted]" } });
  });

  it("finishReport adds label, implementation, claims, scores and verdict, and redacts the URL's password", () => {
    const { reportFormat: _f, score: _s, verdict: _v, claims, finishedAt: _t, ...bare } = hostile;
    const r = finishReport({ ...bare, target: { ...bare.target, url: "http://me:s3cr3t-pw@127.0.0.1:9/", label: undefined } }, { claims: claims!, catalogIds: [] });
    expect(r.target.url).toBe("http://me:[redacted]@127.0.0.1:9/");
    expect(r.target.label).toBe("127.0.0.1:9");
    expect(JSON.stringify(r)).not.toContain("s3cr3t-pw");
    expect(validate(r), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});

describe("the score", () => {
  it("is passed / scored per profile and per level; skips and harness errors are not scored", () => {
    const s = ref.score!;
    const scored = ref.checks.filter((c) => ["pass", "fail", "warn", "notice"].includes(c.outcome));
    expect(s.scored).toBe(scored.length);
    expect(s.passed).toBe(ref.summary.pass);
    expect(s.ratio).toBeCloseTo(s.passed / s.scored, 4);
    for (const l of LEVELS) expect(s.levels[l].scored).toBe(scored.filter((c) => c.level === l).length);
    expect(s.mustFailures).toEqual(ref.checks.filter((c) => c.outcome === "fail").map((c) => c.id));
    const sys = ref.profiles.system!.score!;
    expect(sys.scored).toBe(ref.checks.filter((c) => c.profile === "system").length);

    const h = hostile.score!;
    expect(h.skip).toBe(1);
    expect(h.scored).toBe(hostile.checks.length - 1);
    expect(scoreOf([{ outcome: "skip" }, { outcome: "error" }]).ratio).toBeNull();
    expect(formatScore(scoreOf([{ outcome: "pass" }, { outcome: "pass" }, { outcome: "fail" }]))).toBe("66.7% (2/3)");
    expect(formatScore(scoreOf([]))).toBe("–");
  });

  it("does not change with a baseline: an expected failure is still a failure of the target", () => {
    const marked = withOutcome(ref, "SYS-003", "fail", "expected");
    expect(scoreCard(marked.checks)).toEqual(scoreCard(ref.checks));
  });
});

describe("the exit code (reporters/report.ts exitCodeOf)", () => {
  const base = { summary: { ...hostile.summary }, problems: [] as Report["problems"] };
  it("is 1 for a MUST failure, 0 when the baseline expects every failure, 1 again for a stale entry, 2 for a harness error", () => {
    expect(exitCodeOf({ ...base, checks: hostile.checks })).toBe(1);
    const expected = hostile.checks.map((c) => (c.outcome === "fail" ? { ...c, baseline: "expected" as const } : c));
    expect(exitCodeOf({ ...base, checks: expected })).toBe(0);
    const stale = { file: "b", entries: 1, expected: [], stale: [{ id: "SYS-001", reason: "passes" }], notRun: [] };
    expect(exitCodeOf({ ...base, checks: expected, baseline: stale })).toBe(1);
    expect(exitCodeOf({ ...base, summary: { ...base.summary, error: 1 }, checks: expected })).toBe(2);
    expect(exitCodeOf({ ...base, problems: [{ where: "run", message: "x" }], checks: expected })).toBe(2);
    // Without checks (the old call), the summary decides.
    expect(exitCodeOf({ summary: { ...base.summary, fail: 0 }, problems: [] })).toBe(0);
    expect(verdictOf({ ...base, durationMs: 1, checks: expected, baseline: { ...stale, expected: ["SYS-003", "SYS-004", "FIX-002"] } }).text).toMatch(
      /no MUST check failed; 3 expected by the baseline; 1 stale baseline entr/,
    );
  });

  it("with findings: 1 for a MUST finding the baseline does not expect, even when every check passed; SHOULD findings never fail a run", () => {
    const findings = hostile.findings!;
    const wireOnly = findings.filter((f) => f.failed.length === 0 && f.level === "MUST");
    expect(wireOnly.length).toBeGreaterThan(0);
    const passing = hostile.checks.map((c) => ({ ...c, outcome: c.outcome === "fail" ? ("pass" as const) : c.outcome }));
    expect(exitCodeOf({ ...base, checks: passing, findings: wireOnly })).toBe(1);
    expect(exitCodeOf({ ...base, checks: passing, findings: wireOnly.map((f) => ({ ...f, baseline: "expected" as const })) })).toBe(0);
    expect(exitCodeOf({ ...base, checks: passing, findings: wireOnly.map((f) => ({ ...f, level: "SHOULD" as const })) })).toBe(0);
    expect(verdictOf({ ...base, durationMs: 1, checks: passing, findings }).text).toMatch(/^\d+ MUST findings?; no MUST check failed; /);
  });
});

describe("escaping", () => {
  it("HTML: markup becomes text; invisible and bidi characters become visible", () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">`)).toBe("&#60;img src=x onerror=&#34;a(&#39;b&#39;)&#34;&#62;");
    expect(escapeHtml("a\u001b[31mb\u202ec")).toBe("a\\u001b[31mb\\u202ec");
  });
  it("Markdown: no markup, no link, no table break; line-start syntax only where a line starts", () => {
    const s = escapeMarkdown("**b** [l](javascript:x) <i> a|b `c` $x$");
    expect(s).not.toMatch(/(^|[^\\])[*[|`$]/);
    expect(s).not.toContain("<");
    expect(escapeMarkdown("# h", true)).toBe("\\# h");
    expect(escapeMarkdown("1. x", true)).toBe("1\\. x");
    expect(escapeMarkdown("0.1.0")).toBe("0.1.0");
    expect(codeBlock("a ``` b\n````")).toMatch(/^`{5}\n[\s\S]*\n`{5}$/);
  });
  it("XML: characters XML cannot carry are spelled out; attributes keep their line breaks", () => {
    expect(escapeXml("a\u0000b\u001bc<&>")).toBe("a\\u0000b\\u001bc&lt;&amp;&gt;");
    expect(escapeXml('x"\ny', true)).toBe("x&quot;&#10;y");
  });
  it("terminal: one line, no escape sequences", () => {
    expect(terminalSafe("a\u001b[31mb\nsecond")).toBe("a\\x1b[31mb");
  });
});

describe("report.md", () => {
  const mdRef = renderMarkdown(ref);
  const mdHostile = renderMarkdown(hostile);

  it("starts with the verdict and the target, then the score by profile and level", () => {
    expect(mdRef).toMatch(/^# Conformance report: @langchain\/langgraph-api@/);
    expect(mdRef).toMatch(/\*\*Verdict:\*\* ❌ \d+ MUST findings?; \d+ MUST checks? failed/);
    const sys = ref.profiles.system!.score!;
    expect(mdRef).toContain(`| system | yes | ${formatScore(sys)} | ${formatScore(sys.levels.MUST)} | ${formatScore(sys.levels.SHOULD)} | – |`);
    expect(mdRef).toContain("Not claimed by the target (their checks skip): crons");
  });

  it("leads with the fix list: every finding once, most binding first, each with its words, checks and one exchange", () => {
    const at = (s: string) => mdRef.indexOf(s);
    expect(at("## Fix list: ")).toBeGreaterThan(0);
    expect(at("## Fix list: ")).toBeLessThan(at("## Score by profile"));
    for (const f of ref.findings!) {
      expect(mdRef, f.id).toContain(`### ${f.id}`);
      expect(mdRef, f.id).toContain(`[${f.id}](#${f.id.toLowerCase()})`);
    }
    const first = ref.findings![0]!;
    const block = mdRef.slice(at(`### ${first.id}`));
    expect(block).toContain("The words it breaks:");
    expect(block).toMatch(/```sh\ncurl -sS -N -X /);
    // A check that did not pass names its finding.
    const failing = ref.checks.find((c) => c.outcome === "fail")!;
    expect(mdRef).toContain(`Finding: [${failing.finding}](#${failing.finding!.toLowerCase()})`);
  });

  it("puts failures first, grouped by profile then level, each with its evidence folded", () => {
    const at = (s: string) => mdRef.indexOf(s);
    expect(at("## Checks that did not pass")).toBeGreaterThan(at("## Score by profile"));
    expect(at("### system · MUST")).toBeLessThan(at("### system · SHOULD"));
    expect(at("### system · SHOULD")).toBeLessThan(at("### assistants · MUST"));
    expect(at("### assistants · SHOULD")).toBeLessThan(at("### streaming · MUST"));
    expect(at("### streaming · MUST")).toBeLessThan(at("## All checks"));
    const failures = ref.checks.filter((c) => c.outcome === "fail" || c.outcome === "warn");
    for (const c of failures) expect(mdRef, c.id).toContain(`<details><summary>Evidence of ${c.id}:`);
    // The stream's transcript and the curl line are in the evidence.
    const fix = mdRef.slice(at("**❌ FIX-001**"));
    expect(fix).toMatch(/SSE transcript \(\d+ bytes, 6 events, ended: eof\)/);
    expect(fix).toContain("event: metadata");
    expect(fix).toMatch(/```sh\ncurl -sS -N -X POST /);
    // Passing checks are listed, not detailed.
    expect(mdRef).not.toContain("Evidence of SYS-001");
    expect(mdRef).toMatch(/\| SYS-001 \| MUST \| ✅ pass \|/);
  });

  it("lists the skipped checks with their reason, and what no check covers", () => {
    expect(mdHostile).toMatch(/## Skipped \(1\)[\s\S]*\| AST-001 \| MUST \| assistants \|.*not claimed/);
    // Every operation has a check today: an operation no check covers is shown as the report would.
    const uncovered = [{ operation: "GET /metrics", reason: "no check exercises it (a test)" }];
    const md = renderMarkdown({ ...ref, uncovered });
    expect(md).toContain("## Not covered by any check (1)\n\n- `GET /metrics`: no check exercises it (a test)");
    expect(mdRef).toContain("Every operation of the contract is exercised by a check.");
  });

  it("shows what a hostile target sends as text: no raw markup, no broken fence, no escape sequence", () => {
    const outsideFences = mdHostile.split(/^(`{3,})[a-z]*\n[\s\S]*?\n\1$/m).join("");
    expect(outsideFences).not.toMatch(/<(script|img|details open)/i);
    expect(outsideFences).not.toMatch(/\[link\]\(javascript/);
    expect(mdHostile).not.toMatch(/[\u001b\u202e\u0007]/);
    expect(mdHostile).toContain("\\u001b[31mred");
    // Every fence that opens closes: the document ends outside any code block.
    const fences = mdHostile.match(/^`{3,}/gm) ?? [];
    expect(fences.length % 2).toBe(0);
    expect(mdHostile).not.toContain(HOSTILE_KEY);
    expect(mdHostile).toContain(HOSTILE.workflow.trim().split("\n")[0]); // inside a code block, as sent
  });

  it("stays under its size limit (GitHub's step summary takes 1 MiB) and says what it left out", () => {
    expect(Buffer.byteLength(mdRef)).toBeLessThan(MARKDOWN_MAX_BYTES);
    expect(mdRef).not.toContain("## Left out");
    const small = renderMarkdown(ref, { maxBytes: 40_000 });
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(40_000);
    expect(small).toMatch(/## Left out\n\nTo stay under 39 KiB .* leaves out .*the evidence of \d+ check\(s\)/);
    // The most severe come first: the verdict, the scores and the first failures stay.
    expect(small).toContain("**Verdict:**");
    expect(small).toContain("**❌ SYS-003**");
    const tiny = renderMarkdown(ref, { maxBytes: 12_000 });
    expect(Buffer.byteLength(tiny)).toBeLessThanOrEqual(12_000);
    // The fix list's table stays; the findings' details give way first, then the checks.
    expect(tiny).toContain("## Fix list: ");
    expect(tiny).toMatch(/leaves out the details of \d+ finding\(s\), \d+ failure\(s\) and warning\(s\)/);
  });

  it("shows a baseline: expected failures in their own table, stale entries first", () => {
    let r = withOutcome(ref, "SYS-003", "fail", "expected");
    r = withOutcome(r, "SYS-001", "pass", "stale");
    r = {
      ...r,
      baseline: {
        file: "known.txt",
        entries: 3,
        expected: ["SYS-003"],
        stale: [
          { id: "SYS-001", reason: "passes" },
          { id: "ZZZ-999", reason: "no such check" },
        ],
        notRun: [],
      },
    };
    const md = renderMarkdown(r);
    expect(md).toMatch(/## Expected failures \(1\)[\s\S]*\| SYS-003 \|/);
    expect(md.indexOf("**🧹 SYS-001**")).toBeLessThan(md.indexOf("**❌ SYS-010**"));
    expect(md).toContain("ZZZ-999");
    expect(md).toMatch(/\| baseline \| `known\.txt`: 3 entries, 1 expected, 2 stale/);
  });
});

describe("junit.xml", () => {
  const xml = renderJunit(ref);
  const cases = (s: string) => s.match(/<testcase [\s\S]*?<\/testcase>/g) ?? [];

  it("has one test case per check, in one test suite per profile, with id, level and profile as properties; the findings first, in a suite of their own", () => {
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites [^>]*>\n {2}<testsuite name="langgraph-conformance\.findings" /);
    expect(cases(xml)).toHaveLength(ref.checks.length + ref.findings!.length);
    expect(xml.match(/<testsuite /g)).toHaveLength(Object.keys(ref.profiles).length + 1);
    const must = ref.findings!.find((f) => f.level === "MUST")!;
    const fc = cases(xml).find((c) => c.includes(`name="${must.id} `))!;
    expect(fc).toContain(`<property name="finding" value="${must.id}"/>`);
    expect(fc).toMatch(/<failure message="[^"]+" type="finding">/);
    const should = cases(xml).find((c) => c.includes(`name="${ref.findings!.find((f) => f.level === "SHOULD")!.id} `))!;
    expect(should).toMatch(/<system-out>SHOULD finding \(does not fail the run\)/);
    const sys1 = cases(xml).find((c) => c.includes('name="SYS-001 '))!;
    expect(sys1).toContain('<property name="id" value="SYS-001"/>');
    expect(sys1).toContain('<property name="level" value="MUST"/>');
    expect(sys1).toContain('<property name="profile" value="system"/>');
    expect(sys1).toContain('classname="langgraph-conformance.system.MUST"');
    expect(sys1).not.toMatch(/<(failure|error|skipped)/);
  });

  it("maps fail to <failure> with the evidence, warn and notice to passed cases with the message in system-out", () => {
    const mustFindings = ref.findings!.filter((f) => f.level === "MUST").length;
    expect(xml.match(/<failure /g)).toHaveLength(ref.summary.fail + mustFindings);
    expect(xml).toMatch(new RegExp(`<testsuites [^>]*failures="${ref.summary.fail + mustFindings}"`));
    const warn = cases(xml).find((c) => c.includes('name="AST-011 '))!;
    expect(warn).toContain('<property name="outcome" value="warn"/>');
    expect(warn).not.toMatch(/<failure|<error/);
    expect(warn).toMatch(/<system-out>warn \(a SHOULD not met; does not fail the run\)/);
    const fix = cases(xml).find((c) => c.includes('name="FIX-001 '))!;
    expect(fix).toMatch(/<failure message="[^"]+" type="fail">/);
    expect(fix).toContain("SSE transcript (6 events, ended: eof):");
    expect(fix).toContain("repeat: curl -sS -N -X POST");
  });

  it("maps skip, harness error, expected failure and stale entry as JUnit readers expect", () => {
    let r = withOutcome(hostile, "SYS-001", "pass", "stale");
    r = withOutcome(r, "SYS-002", "error");
    r = withOutcome(r, "SYS-003", "fail", "expected");
    r = withOutcome(r, "SYS-004", "notice");
    const x = renderJunit(r);
    const c = (id: string) => cases(x).find((t) => t.includes(`name="${id} `))!;
    expect(c("SYS-001")).toMatch(/<failure message="[^"]*stale entry[^"]*" type="stale-baseline"\/>/);
    expect(c("SYS-002")).toMatch(/<error message="[^"]*" type="harness-error">/);
    expect(c("SYS-003")).toMatch(/<skipped message="expected failure \(baseline\): [^"]*" type="expected-failure"\/>/);
    expect(c("SYS-004")).toMatch(/<system-out>notice/);
    expect(c("AST-001")).toMatch(/<skipped message="profile &#39;assistants&#39; not claimed|<skipped message="profile 'assistants' not claimed/);
    // Checks: the stale entry and FIX-002 fail; findings: the MUST ones of the hostile report.
    const mustFindings = hostile.findings!.filter((f) => f.level === "MUST").length;
    expect(x).toMatch(new RegExp(`<testsuites [^>]*failures="${2 + mustFindings}" errors="1" skipped="2"`));
  });

  it("carries nothing XML cannot hold and no markup from the target", () => {
    const x = renderJunit(hostile);
    expect(x).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(x).not.toMatch(/<(script|img)/i);
    expect(x).toContain("&lt;img src=x");
    expect(x).not.toContain(HOSTILE_KEY);
  });
});

describe("report.html (as text; tests/report-html.test.ts loads it in Chromium)", () => {
  const html = renderHtml(hostile);
  it("is one file: no external resource, one script and one style, both allowed by hash in its Content-Security-Policy", () => {
    // Links only within the page, to a check or a finding by its id.
    expect(html).not.toMatch(/<[a-z]+[^>]*\s(src|href)=(?!"#(?:[A-Z]{2,5}-[0-9]{3}|F-[0-9a-f]{8})")/i);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+';/);
    expect(html).not.toContain(HOSTILE_KEY);
  });
});

describe("the terminal", () => {
  it("prints a summary by profile with the failures' ids and titles, and nothing a target can use to drive a terminal or a CI log", () => {
    const out = formatSummary(hostile, { colour: false });
    expect(out).toMatch(/^system\s+4\s+2\s+1\s+1\s+0\s+0\s+0\s+50% \(2\/4\)$/m);
    expect(out).toMatch(/^assistants\s+1\s+0\s+0\s+0\s+0\s+1\s+0\s+–\s+\(not claimed: not claimed, by --disclaim\)$/m);
    expect(out).toMatch(/^system: 1 fail, 1 warn\n {2}fail {5}SYS-003 \[MUST\] GET \/info answers/m);
    // The fix list: each finding once, with the checks it fails.
    expect(out).toMatch(/^Fix list: 4 finding\(s\) \(3 MUST, 1 SHOULD, 0 MAY\)/m);
    expect(out).toMatch(
      /^ {2}MUST {3}F-4abb9c1b ServerInfo answers lack 'metadata', which the contract requires\n {11}fails 1 check; seen on the wire by|^ {2}MUST {3}F-4abb9c1b ServerInfo answers lack 'metadata', which the contract requires\n {11}fails 1 check; met by/m,
    );
    expect(out).toMatch(/^streaming: 1 fail\n {2}fail {5}FIX-002/m);
    expect(out).not.toMatch(/[\u001b\u0007\u202e]/);
    for (const line of out.split("\n")) expect(line.trimStart().startsWith("::"), line).toBe(false);
    expect(out).toMatch(/Verdict: 3 MUST findings; 2 MUST checks failed; 1 SHOULD finding; 2\/6 checks passed/);
  });

  it("uses colour only when asked: never with NO_COLOR, always with FORCE_COLOR, else on a terminal", () => {
    expect(formatSummary(hostile, { colour: true })).toContain("\u001b[31m");
    expect(wantColour({ isTTY: true }, {})).toBe(true);
    expect(wantColour({ isTTY: false }, {})).toBe(false);
    expect(wantColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantColour({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(wantColour({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(paint(false).red("x")).toBe("x");
  });

  it("--reporter github: one annotation per finding, escaped, and the rest of the log with workflow commands off", () => {
    const out = formatGithub(hostile, { token: "tok123" });
    const lines = out.split("\n");
    const annotations = lines.filter((l) => l.startsWith("::error ") || l.startsWith("::warning ") || l.startsWith("::notice "));
    expect(annotations).toHaveLength(hostile.findings!.length);
    const first = hostile.findings![0]!;
    expect(annotations[0]).toContain(`::error title=${first.id} [MUST] ${first.title.replace(/,/g, "%2C").replace(/:/g, "%3A")}::`);
    const stop = lines.indexOf("::stop-commands::tok123");
    expect(stop).toBe(annotations.length);
    expect(lines.at(-1)).toBe("::tok123::");
    // Whatever the target sent cannot open a command of its own: between the
    // annotations and stop-commands there is nothing, and after it only the summary.
    for (const l of lines.slice(0, stop)) expect(l).toMatch(/^::(error|warning|notice) title=/);
  });

  it("progress: dots by outcome; by default, each check that does not pass and each profile as it completes", () => {
    const results = hostile.checks.map((c) => ({ ...c, file: c.file ?? "" }));
    let dots = "";
    const d = createProgress({ mode: "dots", write: (t) => (dots += t), tty: false, colour: false, baseline: new Set(["SYS-003", "SYS-001"]) });
    for (const r of results) d.check(r);
    d.end?.();
    expect(dots).toBe("S.xWsF 6\n");

    let log = "";
    let clock = 0;
    const p = createProgress({ mode: "lines", write: (t) => (log += t), tty: false, colour: false, now: () => clock });
    p.files?.(["suites/system/a.check.ts", "suites/assistants/b.check.ts"]);
    p.planned?.(results.filter((r) => r.profile === "system"));
    for (const r of results.filter((r) => r.profile === "system")) p.check(r);
    expect(log).not.toContain("✔ system");
    p.fileEnded?.("suites/system/a.check.ts");
    expect(log).toMatch(/✔ system: 4 checks done: 2 pass, 1 fail, 1 warn \(score 50%\)\n$/);
    clock = 20_000;
    p.planned?.(results.filter((r) => r.profile !== "system"));
    p.check(results.find((r) => r.id === "AST-001")!);
    expect(log).toMatch(/ {2}… 5\/6\+ checks · assistants 1\/1 · streaming 0\/1 · 2 pass, 1 fail, 1 warn, 1 skip\n$/);
    p.allPlanned?.();
    p.check(results.find((r) => r.id === "FIX-002")!);
    p.end?.();
    expect(log).toMatch(/fail {5}FIX-002 \[MUST\] fixture/);
    expect(log).toMatch(/✔ streaming: 1 check done: 1 fail \(score 0%\)/);
    expect(log).not.toContain("\u001b");

    let tty = "";
    const t = createProgress({ mode: "lines", write: (x) => (tty += x), tty: true, colour: false });
    t.planned?.(results);
    t.check(results[0]!);
    expect(tty).toContain("\r\u001b[2K");
    let quiet = "";
    const q = createProgress({ mode: "none", write: (x) => (quiet += x), tty: false, colour: false });
    for (const r of results) q.check(r);
    q.end?.();
    expect(quiet).toBe("");
  });
});

describe("strict output: every report is well-formed Unicode and strict JSON", () => {
  /** A lone surrogate in a string: what a strict parser (jq) refuses once JSON escapes are read. */
  const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const loneStrings = (v: unknown, out: string[] = []): string[] => {
    if (typeof v === "string") {
      if (LONE.test(v)) out.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => loneStrings(x, out));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) loneStrings([k, x], out);
    return out;
  };
  const strict = (bytes: Buffer) => {
    const json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    expect(loneStrings(json).map((x) => x.slice(0, 120))).toEqual([]);
    return json;
  };

  it("the hostile target's lone surrogates and bytes that are not UTF-8 reach report.json as U+FFFD, and it stays strict", () => {
    expect(loneStrings(hostile)).toEqual([]);
    // The target did send them: the message shows the lone surrogates as the escapes they came as,
    // and the bytes that are not UTF-8 as U+FFFD.
    const message = hostile.checks.find((c) => c.id === "SYS-004")!.message;
    expect(message).toContain('lone="\\ud800 high alone, low alone \\udfff, a pair 😀"');
    expect(message).toContain('bytes="\ufffd\ufffd\ufffd"');
    strict(Buffer.from(renderJson(hostile)));
  });

  it("a report made from strings a target or a generated case left broken is strict JSON after finishReport", () => {
    const broken = withOutcome(hostile, "SYS-004", "warn");
    broken.checks = broken.checks.map((c) => (c.id === "SYS-004" ? { ...c, message: `cut in a pair: ${"😀".slice(0, 1)}, alone: \udc00` } : c));
    const { reportFormat: _f, claims, ...bare } = broken;
    const r = finishReport(bare as Report, { claims: claims!, catalogIds: [] });
    const json = strict(Buffer.from(renderJson(r)));
    expect(json.checks.find((c: { id: string }) => c.id === "SYS-004").message).toBe("cut in a pair: \ufffd, alone: \ufffd");
    expect(clip("ab😀cd", 3)).toMatch(/^ab… /);
  });

  it("the committed reports of the implementations and the fixtures are strict JSON", () => {
    const dir = new URL("../docs/implementations/", import.meta.url);
    const files = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => new URL(`${d.name}/report.json`, dir))
      .filter((u) => existsSync(u));
    files.push(new URL("fixtures/reference-report.json", import.meta.url), new URL("fixtures/hostile-report.json", import.meta.url));
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) strict(readFileSync(f));
  });
});
