// report.md: the report as Markdown, for a pull request's step summary
// ($GITHUB_STEP_SUMMARY) and for committing next to an implementation. The fix
// list (the findings, one per cause) leads; then the checks that did not pass,
// grouped by profile and level, each failure's evidence folded.
//
// GitHub takes at most 1 MiB of step summary per step; the document is bounded
// (MARKDOWN_MAX_BYTES) and says what it left out to stay under it.

import { specText } from "../../harness/citations";
import { LEVELS, PROFILES } from "../../harness/model";
import { clip, codeBlock, escapeHtml, escapeMarkdown as md } from "../escape";
import { formatScore, verdictOf } from "../report";
import type { Finding, Report, Score } from "../model";
import {
  ATTENTION,
  bySeverity,
  citationText,
  declaredText,
  findingReach,
  findingsOf,
  LINKABLE_ID,
  exchangeTitle,
  keyExchanges,
  labelOf,
  requestText,
  responseText,
  seconds,
  selectionText,
  shardText,
  talliesText,
  statusOf,
  STATUS_ICON,
  STATUS_LABEL,
  type ReportCheck,
} from "../view";

/** Below GitHub's 1 MiB per step, with room for what else a job writes there. */
export const MARKDOWN_MAX_BYTES = 900 * 1024;
const BODY_CHARS = 3000;
const TRANSCRIPT_CHARS = 4000;
const EXCHANGES_PER_CHECK = 3;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const code = (s: string) => `\`${s.replace(/[`\r\n]/g, "ˋ")}\``;
/** A code span in a table cell: GFM splits cells at a pipe even inside code unless it is escaped. */
const codeCell = (s: string) => code(s).replace(/\|/g, "\\|");
const cell = (s: string) => md(s);

function scoreCell(s: Score | undefined): string {
  if (!s || s.ratio === null) return "–";
  return formatScore(s);
}

function header(r: Report): string {
  const v = r.verdict ?? verdictOf(r);
  const icon = v.exitCode === 0 ? "✅" : v.exitCode === 1 ? "❌" : "💥";
  const t = r.target;
  const rows: Array<[string, string]> = [
    ["target", `${codeCell(t.url)} (${t.startedBy === "url" ? "given by URL" : `started by the suite: ${md(t.started ?? t.startedBy)}`})`],
    ["declares (GET /info)", md(declaredText(t))],
    ["suite", `${md(r.suite.name)} ${md(r.suite.version)}`],
    ["contract", `${md(r.contract.title)}, version ${md(r.contract.version)}`],
    ["run", `${codeCell(r.runId)}, seed ${code(String(r.seed))}, started ${md(r.startedAt)}, took ${seconds(r.durationMs)}`],
    ["selection", md(selectionText(r.selection))],
  ];
  const part = shardText(r);
  if (part) rows.push([r.shard ? "shard" : "shards", md(part)]);
  const tallied = talliesText(r);
  if (tallied) rows.push(["counted by the checks", md(tallied)]);
  if (r.baseline) {
    rows.push([
      "baseline",
      `${codeCell(r.baseline.file)}: ${r.baseline.entries} entries, ${r.baseline.expected.length} expected, ${r.baseline.stale.length} stale, ${r.baseline.notRun.length} not run`,
    ]);
  }
  return [`# Conformance report: ${md(labelOf(r))}`, "", `**Verdict:** ${icon} ${md(v.text)} (exit code ${v.exitCode})`, "", "| | |", "|---|---|", ...rows.map(([k, val]) => `| ${k} | ${val} |`)].join(
    "\n",
  );
}

function scoreTable(r: Report): string {
  const lines = [
    "## Score by profile",
    "",
    "Score = passed / scored, where scored checks are those that ran to a verdict about the target (pass, fail, warn, notice); skipped checks and harness errors are not scored, and a baseline does not change a score.",
    "",
    "| profile | claimed | score | MUST | SHOULD | MAY | pass | fail | warn | notice | skip | error |",
    "|---|---|---|---|---|---|--:|--:|--:|--:|--:|--:|",
  ];
  for (const p of PROFILES) {
    const info = r.profiles[p];
    if (!info) continue;
    const s = info.score;
    const c = info.counts;
    lines.push(
      `| ${p} | ${info.claimed ? "yes" : "no"} | ${scoreCell(s)} | ${LEVELS.map((l) => scoreCell(s?.levels[l])).join(" | ")} | ${c.pass} | ${c.fail} | ${c.warn} | ${c.notice} | ${c.skip} | ${c.error} |`,
    );
  }
  const s = r.score;
  const c = r.summary;
  lines.push(`| **all** | | **${scoreCell(s)}** | ${LEVELS.map((l) => scoreCell(s?.levels[l])).join(" | ")} | ${c.pass} | ${c.fail} | ${c.warn} | ${c.notice} | ${c.skip} | ${c.error} |`);
  const unclaimed = Object.entries(r.claims ?? {}).filter(([, cl]) => cl && !cl.claimed);
  if (unclaimed.length > 0) {
    lines.push("", `Not claimed by the target (their checks skip): ${unclaimed.map(([p, cl]) => `${p} (${md(cl!.reason)})`).join("; ")}.`);
  }
  return lines.join("\n");
}

const LEVEL_ICON = { MUST: "❌", SHOULD: "⚠️", MAY: "ℹ️" } as const;

/** The fix list: one row per finding, then each finding with its words, checks and one exchange. */
function findingsSection(r: Report): { table: string; blocks: string[] } {
  const list = findingsOf(r);
  const counts = r.findingCounts;
  if (list.length === 0) return { table: "## Fix list\n\nNo finding: the target did nothing the contract's words forbid, on the wire or in a check.", blocks: [] };
  const head = [
    `## Fix list: ${list.length} finding${list.length === 1 ? "" : "s"}${counts ? ` (${counts.MUST} MUST, ${counts.SHOULD} SHOULD, ${counts.MAY} MAY)` : ""}`,
    "",
    "Each finding is one deviation of the target, reported once however many checks and operations meet it: fix it once. Most binding first, then the ones that explain most checks. Ids stay the same across runs while the cause is the same (a baseline may list them).",
    "",
    "| # | finding | level | what | checks failed | operations | sightings |",
    "|--:|---|---|---|--:|--:|--:|",
    ...list.map(
      (f, i) =>
        `| ${i + 1} | [${f.id}](#${f.id.toLowerCase()}) | ${LEVEL_ICON[f.level]} ${f.level}${f.baseline ? " (expected)" : ""} | ${cell(f.title)} | ${f.failed.length} | ${f.operations.length} | ${f.occurrences} |`,
    ),
  ];
  return { table: head.join("\n"), blocks: list.map(findingBlock) };
}

function checkList(ids: string[]): string {
  return ids.map((id) => (LINKABLE_ID.test(id) ? id : md(id))).join(", ");
}

function findingBlock(f: Finding): string {
  const lines = [`### ${f.id}`, "", `**${LEVEL_ICON[f.level]} ${f.level} · ${md(f.title)}**${f.baseline ? " (expected by the baseline)" : ""}`, "", `${md(findingReach(f))}.`, ""];
  if (f.words.length) lines.push("The words it breaks:", "", ...f.words.map((w) => `- ${md(citationText(w))}`), "");
  lines.push(`Operations: ${f.operations.map(code).join(", ") || "–"}`, "");
  if (f.failed.length) lines.push(`Checks it fails: ${checkList(f.failed.map((c) => c.id))}`, "");
  if (f.met.length) lines.push(`Checks that met it on the wire (judged on other claims): ${checkList(f.met)}`, "");
  const x = f.example.exchange;
  lines.push(`<details><summary>One sighting: ${escapeHtml(f.example.check)}</summary>`, "", `> ${md(clip(f.example.message, 1500), true)}`, "");
  if (x) {
    lines.push(`**${md(exchangeTitle(x))}**`, "", codeBlock(clip(requestText(x), BODY_CHARS), "http"), "", codeBlock(clip(responseText(x), BODY_CHARS), "http"), "");
    if (x.stream) lines.push(codeBlock(clip(x.stream.transcript, TRANSCRIPT_CHARS), "text"), "");
    lines.push("Repeat it:", "", codeBlock(x.curl, "sh"), "");
  }
  lines.push("</details>", "");
  return lines.join("\n");
}

function checkLine(c: ReportCheck): string {
  const status = statusOf(c);
  return `**${STATUS_ICON[status]} ${c.id}** · ${c.level} · ${STATUS_LABEL[status]} · ${md(c.title)}`;
}

function checkBlock(c: ReportCheck): string {
  const lines = [checkLine(c), ""];
  if (c.message) lines.push(`> ${md(clip(c.message, 2000), true)}`, "");
  if (c.finding) lines.push(`Finding: [${c.finding}](#${c.finding.toLowerCase()})`, "");
  lines.push(`<sub>${md(`${c.operations.join(", ")} · spec: ${specText(c.spec)}`)}</sub>`, "");
  return lines.join("\n");
}

function evidenceBlock(c: ReportCheck): string {
  const ev = c.evidence;
  if (ev.exchanges.length === 0 && !ev.notes?.length) return "";
  const { shown, left } = keyExchanges(c, EXCHANGES_PER_CHECK);
  const out = [`<details><summary>Evidence of ${escapeHtml(c.id)}: ${ev.exchanges.length} exchange(s)${ev.seed !== undefined ? `, seed ${ev.seed}` : ""}</summary>`, ""];
  for (const x of shown) {
    out.push(`**${md(exchangeTitle(x))}**${x.durationMs ? ` (${x.durationMs} ms)` : ""}`, "");
    out.push("Request:", "", codeBlock(clip(requestText(x), BODY_CHARS), "http"), "");
    out.push("Response:", "", codeBlock(clip(responseText(x), BODY_CHARS), "http"), "");
    if (x.stream) {
      out.push(
        `SSE transcript (${x.stream.bytes} bytes, ${x.stream.events} events, ended: ${x.stream.end}${x.stream.transcriptTruncated ? ", truncated" : ""}):`,
        "",
        codeBlock(clip(x.stream.transcript, TRANSCRIPT_CHARS), "text"),
        "",
      );
    }
    for (const v of x.violations) out.push(`- contract violation (${v.kind}): ${md(clip(v.message, 1000))}`);
    if (x.violations.length) out.push("");
    out.push("Repeat it:", "", codeBlock(x.curl, "sh"), "");
  }
  if (left > 0 || ev.omittedExchanges) out.push(`${left + (ev.omittedExchanges ?? 0)} more exchange(s) in report.json and report.html.`, "");
  for (const n of ev.notes ?? []) out.push(`- note: ${md(n)}`);
  if (ev.notes?.length) out.push("");
  out.push("</details>", "");
  return out.join("\n");
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
}

function simpleTable(checks: ReportCheck[], withMessage: boolean): string {
  const head = withMessage ? "| check | level | profile | title | message |\n|---|---|---|---|---|" : "| check | level | outcome | title |\n|---|---|---|---|";
  return [
    head,
    ...checks.map((c) =>
      withMessage
        ? `| ${c.id} | ${c.level} | ${c.profile} | ${cell(c.title)} | ${cell(clip(c.message, 300))} |`
        : `| ${c.id} | ${c.level} | ${STATUS_ICON[statusOf(c)]} ${STATUS_LABEL[statusOf(c)]} | ${cell(c.title)} |`,
    ),
  ].join("\n");
}

export interface MarkdownOptions {
  maxBytes?: number;
}

export function renderMarkdown(r: Report, opts: MarkdownOptions = {}): string {
  const max = opts.maxBytes ?? MARKDOWN_MAX_BYTES;
  const attention = r.checks.filter((c) => ATTENTION.includes(statusOf(c)));
  const expected = r.checks.filter((c) => statusOf(c) === "expected");
  const skipped = r.checks.filter((c) => c.outcome === "skip");

  // The parts that are always written, and those that give way to the limit.
  const fixList = findingsSection(r);
  const head: string[] = [header(r), fixList.table];
  const problems: string[] = [];
  if (r.problems.length > 0) {
    problems.push(
      ["## Harness problems", "", "Errors of the suite itself, outside any check: the results are incomplete.", "", ...r.problems.map((p) => `- ${md(p.where)}: ${md(clip(p.message, 1000))}`)].join(
        "\n",
      ),
    );
  }
  const stalePhantoms = (r.baseline?.stale ?? []).filter((s) => !r.checks.some((c) => c.id === s.id));
  if (stalePhantoms.length > 0) {
    problems.push(["## Stale baseline entries that are no check", "", ...stalePhantoms.map((s) => `- ${code(s.id)}: ${md(s.reason)}`)].join("\n"));
  }

  // Failures first: by profile, then level, then severity.
  interface Block {
    check: ReportCheck;
    text: string;
    evidence: string;
  }
  const sections: Array<{ heading: string; blocks: Block[] }> = [];
  for (const [profile, list] of group(attention, (c) => c.profile)) {
    for (const level of LEVELS) {
      const mine = list.filter((c) => c.level === level).sort((a, b) => bySeverity(a, b) || a.id.localeCompare(b.id, "en", { numeric: true }));
      if (mine.length === 0) continue;
      sections.push({ heading: `### ${profile} · ${level}`, blocks: mine.map((c) => ({ check: c, text: checkBlock(c), evidence: evidenceBlock(c) })) });
    }
  }
  const counts = group(attention, (c) => statusOf(c));
  const attentionHead =
    attention.length === 0
      ? "## Failures\n\nNone: every check that ran passed, skipped, or failed as the baseline expects."
      : `## Checks that did not pass (${attention.length})\n\n${ATTENTION.filter((s) => counts.has(s))
          .map((s) => `${counts.get(s)!.length} ${STATUS_LABEL[s]}`)
          .join(", ")}; grouped by profile and level, evidence folded. Each names the finding its failure is.`;

  const tail: string[] = [];
  if (expected.length > 0)
    tail.push(`## Expected failures (${expected.length})\n\nListed in the baseline ${code(r.baseline?.file ?? "")}; they do not fail the run.\n\n${simpleTable(expected, true)}`);
  if (skipped.length > 0) tail.push(`## Skipped (${skipped.length})\n\n${simpleTable(skipped, true)}`);
  const uncovered =
    r.uncovered.length > 0
      ? `## Not covered by any check${r.shard ? " of this part's files" : ""} (${r.uncovered.length})\n\n${r.uncovered.map((u) => `- ${code(u.operation)}: ${md(u.reason)}`).join("\n")}`
      : "## Not covered by any check\n\nEvery operation of the contract is exercised by a check.";
  const cleanup =
    r.cleanup.leftovers.length > 0
      ? `## Clean-up\n\nThe run deleted ${r.cleanup.deleted} leftover resource(s) in its final sweep and could not delete ${r.cleanup.leftovers.length}:\n\n${r.cleanup.leftovers.map((l) => `- ${md(l.kind)} ${code(l.id)}: ${md(l.reason)}`).join("\n")}`
      : `## Clean-up\n\nEverything the run created was deleted (${r.cleanup.deleted} by the final sweep).`;
  const allChecks = [
    `## All checks (${r.checks.length})`,
    "",
    ...[...group(r.checks, (c) => c.profile)].map(([p, list]) => `<details><summary>${escapeHtml(p)}: ${list.length} checks</summary>\n\n${simpleTable(list, false)}\n\n</details>\n`),
  ].join("\n");

  // Assemble within the limit: the fix list's table always; each finding's
  // details next, most binding first; then the checks' evidence gives way first
  // (least severe last in line), then the table of all checks, then the
  // failures past the limit.
  const scores = scoreTable(r);
  const fixed = [...head, scores, ...problems, attentionHead, ...tail, uncovered, cleanup].join("\n\n");
  let budget = max - bytes(fixed) - 2048; // room for joins and the note on what was left out
  const findingBlocks: string[] = [];
  let findingsLeft = 0;
  for (const b of fixList.blocks) {
    if (bytes(b) <= budget) {
      findingBlocks.push(b);
      budget -= bytes(b);
    } else findingsLeft++;
  }
  let used = 0;
  const left = { evidence: 0, checks: 0, table: false, findings: findingsLeft };
  const blocksOut: string[] = [];
  const allBlocks = sections.flatMap((s) => s.blocks);
  const evidenceOrder = [...allBlocks].sort((a, b) => bySeverity(a.check, b.check));
  const withEvidence = new Set<Block>();
  let textUsed = 0;
  for (const b of allBlocks) textUsed += bytes(b.text);
  for (const b of evidenceOrder) {
    if (!b.evidence) continue;
    const n = bytes(b.evidence);
    if (textUsed + used + n <= budget) {
      withEvidence.add(b);
      used += n;
    } else left.evidence++;
  }
  const sectionsText: string[] = [];
  let total = used;
  for (const s of sections) {
    const parts = [s.heading, ""];
    for (const b of s.blocks) {
      const n = bytes(b.text);
      if (total + n > budget) {
        left.checks++;
        continue;
      }
      total += n;
      parts.push(b.text);
      if (withEvidence.has(b)) parts.push(b.evidence);
    }
    if (parts.length > 2) sectionsText.push(parts.join("\n"));
  }
  blocksOut.push(...sectionsText);
  let table = allChecks;
  if (total + bytes(allChecks) > budget) {
    left.table = true;
    table = `## All checks (${r.checks.length})\n\nLeft out to stay under the size limit; see report.html or report.json.`;
  }

  const out = [...head, ...findingBlocks, scores, ...problems, attentionHead, ...blocksOut, ...tail, table, uncovered, cleanup];
  if (left.evidence || left.checks || left.table || left.findings) {
    const what = [
      left.findings ? `the details of ${left.findings} finding(s)` : "",
      left.checks ? `${left.checks} failure(s) and warning(s)` : "",
      left.evidence ? `the evidence of ${left.evidence} check(s)` : "",
      left.table ? "the table of all checks" : "",
    ].filter(Boolean);
    out.push(
      `## Left out\n\nTo stay under ${Math.round(max / 1024)} KiB (GitHub takes at most 1 MiB of step summary), this document leaves out ${what.join(", ")}. report.html and report.json have everything.`,
    );
  }
  out.push(
    `<sub>Written by ${md(r.suite.name)} ${md(r.suite.version)}. A check is judged on its own claim: pass; fail (a MUST broken); warn (a SHOULD broken); notice (a MAY not met); skip (with the reason); error (the suite itself broke). What else a response breaks on the wire is a finding, reported once.</sub>`,
  );
  return `${out.join("\n\n")}\n`;
}
