// junit.xml: one test case per check, for CI systems that read JUnit. One
// <testsuite> per profile; each <testcase> carries the check's id, level,
// profile, outcome, operations and spec as <property> elements.
//
// How outcomes map (JUnit knows only passed, failure, error and skipped):
//   pass                      -> passed
//   fail                      -> <failure type="fail">        (a MUST broken: fails the run)
//   error                     -> <error type="harness-error">  (the suite broke: exit code 2)
//   skip                      -> <skipped>                     (with the reason)
//   warn, notice              -> passed, with the message in <system-out> and the
//                                outcome in the `outcome` property: they never fail a
//                                run, so they must not turn a CI dashboard red
//   fail expected by baseline -> <skipped type="expected-failure"> (as pytest maps xfail)
//   pass listed in baseline   -> <failure type="stale-baseline"> (it fails the run)
//
// The findings come first, as their own <testsuite name="langgraph-conformance.findings">:
// one <testcase> per finding (the fix list), a MUST finding a <failure type="finding">
// (it fails the run), a SHOULD or MAY finding passed with its text in <system-out>, a
// finding the baseline expects <skipped type="expected-failure">.

import { specText } from "../../harness/citations";
import { PROFILES } from "../../harness/model";
import { escapeXml as x } from "../escape";
import type { Finding, Report } from "../model";
import { citationText, findingReach, findingsOf, keyExchanges, requestText, responseText, statusOf, type ReportCheck } from "../view";

const a = (s: string | number) => x(String(s), true);
const secs = (ms: number) => (ms / 1000).toFixed(3);

function detail(c: ReportCheck): string {
  const lines = [c.message, "", `check: ${c.id} [${c.level}] ${c.title}`, `operations: ${c.operations.join(", ")}`, `spec: ${specText(c.spec)}`];
  const { shown } = keyExchanges(c, 2);
  for (const ex of shown) {
    lines.push("", requestText(ex).slice(0, 2000), "", responseText(ex).slice(0, 2000));
    if (ex.stream) lines.push("", `SSE transcript (${ex.stream.events} events, ended: ${ex.stream.end}):`, ex.stream.transcript.slice(0, 2000));
    lines.push("", `repeat: ${ex.curl}`);
  }
  return lines.join("\n");
}

function testcase(c: ReportCheck): string {
  const props = [
    ["id", c.id],
    ["level", c.level],
    ["profile", c.profile],
    ["outcome", c.outcome],
    ["operations", c.operations.join(", ")],
    ["spec", specText(c.spec)],
    ...(c.baseline ? [["baseline", c.baseline]] : []),
  ];
  const open = `    <testcase name="${a(`${c.id} ${c.title}`)}" classname="${a(`langgraph-conformance.${c.profile}.${c.level}`)}" time="${secs(c.durationMs)}">`;
  const properties = `      <properties>\n${props.map(([n, v]) => `        <property name="${a(n!)}" value="${a(v!)}"/>`).join("\n")}\n      </properties>`;
  const status = statusOf(c);
  let child = "";
  if (status === "fail") child = `      <failure message="${a(c.message.slice(0, 1000))}" type="fail">${x(detail(c))}</failure>`;
  else if (status === "stale") child = `      <failure message="${a(`${c.id} passes but the baseline lists it as a known failure (stale entry): remove its line`)}" type="stale-baseline"/>`;
  else if (status === "error") child = `      <error message="${a(c.message.slice(0, 1000))}" type="harness-error">${x(detail(c))}</error>`;
  else if (status === "skip") child = `      <skipped message="${a(c.message.slice(0, 1000))}"/>`;
  else if (status === "expected") child = `      <skipped message="${a(`expected failure (baseline): ${c.message.slice(0, 1000)}`)}" type="expected-failure"/>`;
  else if (status === "warn" || status === "notice") {
    child = `      <system-out>${x(`${status} (${status === "warn" ? "a SHOULD not met" : "a MAY not met"}; does not fail the run): ${detail(c)}`)}</system-out>`;
  }
  return [open, properties, ...(child ? [child] : []), "    </testcase>"].join("\n");
}

function findingDetail(f: Finding): string {
  const lines = [f.title, findingReach(f), "", `operations: ${f.operations.join(", ")}`];
  if (f.failed.length) lines.push(`checks it fails: ${f.failed.map((c) => c.id).join(", ")}`);
  if (f.met.length) lines.push(`met on the wire by: ${f.met.join(", ")}`);
  for (const w of f.words) lines.push(`words: ${citationText(w)}`);
  lines.push("", `one sighting (${f.example.check}): ${f.example.message}`);
  const ex = f.example.exchange;
  if (ex) lines.push("", requestText(ex).slice(0, 2000), "", responseText(ex).slice(0, 2000), "", `repeat: ${ex.curl}`);
  return lines.join("\n");
}

function findingCase(f: Finding): string {
  const props = [
    ["finding", f.id],
    ["level", f.level],
    ["signature", f.signature],
    ["checks_failed", f.failed.map((c) => c.id).join(", ")],
    ["operations", f.operations.join(", ")],
    ...(f.baseline ? [["baseline", f.baseline]] : []),
  ];
  const open = `    <testcase name="${a(`${f.id} ${f.title}`)}" classname="${a(`langgraph-conformance.findings.${f.level}`)}" time="0">`;
  const properties = `      <properties>\n${props.map(([n, v]) => `        <property name="${a(n!)}" value="${a(v!)}"/>`).join("\n")}\n      </properties>`;
  let child: string;
  if (f.baseline === "expected") child = `      <skipped message="${a(`expected by the baseline: ${f.title}`)}" type="expected-failure"/>`;
  else if (f.level === "MUST") child = `      <failure message="${a(f.title.slice(0, 1000))}" type="finding">${x(findingDetail(f))}</failure>`;
  else child = `      <system-out>${x(`${f.level} finding (does not fail the run): ${findingDetail(f)}`)}</system-out>`;
  return [open, properties, child, "    </testcase>"].join("\n");
}

export function renderJunit(r: Report): string {
  const suites: string[] = [];
  const findings = findingsOf(r);
  const failingFindings = findings.filter((f) => f.level === "MUST" && f.baseline !== "expected").length;
  const skippedFindings = findings.filter((f) => f.baseline === "expected").length;
  if (findings.length) {
    suites.push(
      [
        `  <testsuite name="langgraph-conformance.findings" tests="${findings.length}" failures="${failingFindings}" errors="0" skipped="${skippedFindings}" time="0" timestamp="${a(r.startedAt.replace(/\.\d+Z$/, ""))}">`,
        ...findings.map(findingCase),
        "  </testsuite>",
      ].join("\n"),
    );
  }
  const tally = (list: ReportCheck[]) => ({
    tests: list.length,
    failures: list.filter((c) => ["fail", "stale"].includes(statusOf(c))).length,
    errors: list.filter((c) => statusOf(c) === "error").length,
    skipped: list.filter((c) => ["skip", "expected"].includes(statusOf(c))).length,
    time: secs(list.reduce((s, c) => s + c.durationMs, 0)),
  });
  for (const p of PROFILES) {
    const list = r.checks.filter((c) => c.profile === p);
    if (list.length === 0) continue;
    const t = tally(list);
    const claim = r.profiles[p];
    suites.push(
      [
        `  <testsuite name="${a(`langgraph-conformance.${p}`)}" tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${t.time}" timestamp="${a(r.startedAt.replace(/\.\d+Z$/, ""))}">`,
        "    <properties>",
        `      <property name="target" value="${a(r.target.url)}"/>`,
        `      <property name="claimed" value="${a(claim ? String(claim.claimed) : "true")}"/>`,
        ...(claim?.reason ? [`      <property name="claim_reason" value="${a(claim.reason)}"/>`] : []),
        `      <property name="suite_version" value="${a(r.suite.version)}"/>`,
        `      <property name="contract_version" value="${a(r.contract.version)}"/>`,
        `      <property name="run_id" value="${a(r.runId)}"/>`,
        `      <property name="seed" value="${a(r.seed)}"/>`,
        "    </properties>",
        ...list.map(testcase),
        "  </testsuite>",
      ].join("\n"),
    );
  }
  const t = tally(r.checks);
  // Harness problems outside any check are errors too, so that no CI reads a broken run as green.
  const problems = r.problems.length
    ? [
        `  <testsuite name="langgraph-conformance.harness" tests="${r.problems.length}" failures="0" errors="${r.problems.length}" skipped="0" time="0">`,
        ...r.problems.map(
          (p, i) =>
            `    <testcase name="${a(`harness problem ${i + 1}: ${p.where}`)}" classname="langgraph-conformance.harness" time="0">\n      <error message="${a(p.message.slice(0, 1000))}" type="harness-error">${x(p.message)}</error>\n    </testcase>`,
        ),
        "  </testsuite>",
      ]
    : [];
  // Baseline entries that name no check of the suite fail the run: they show here.
  const phantoms = (r.baseline?.stale ?? []).filter((s) => !r.checks.some((c) => c.id === s.id));
  if (phantoms.length) {
    problems.push(
      `  <testsuite name="langgraph-conformance.baseline" tests="${phantoms.length}" failures="${phantoms.length}" errors="0" skipped="0" time="0">`,
      ...phantoms.map(
        (s) =>
          `    <testcase name="${a(`baseline entry ${s.id}`)}" classname="langgraph-conformance.baseline" time="0">\n      <failure message="${a(s.reason)}" type="stale-baseline"/>\n    </testcase>`,
      ),
      "  </testsuite>",
    );
  }
  const extra = r.problems.length + phantoms.length + findings.length;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${a(`langgraph-conformance ${r.suite.version} against ${r.target.label ?? r.target.url}`)}" tests="${t.tests + extra}" failures="${t.failures + phantoms.length + failingFindings}" errors="${t.errors + r.problems.length}" skipped="${t.skipped + skippedFindings}" time="${secs(r.durationMs)}" timestamp="${a(r.startedAt.replace(/\.\d+Z$/, ""))}">`,
    ...suites,
    ...problems,
    "</testsuites>",
    "",
  ].join("\n");
}
