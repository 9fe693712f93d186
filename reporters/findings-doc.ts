// findings.md: the fix list of one implementation, as a document to commit
// beside its report.json, generated from it and from nothing else (plus the
// titles of the sources its citations name, schemas/sources.yaml). For each
// finding: its words with their sources, the checks it fails with their titles,
// the checks that met it, and one exchange with its curl line; then every check
// that did not pass with its finding, and how the run was made.
//
// Pure and deterministic: no clock, no paths of this machine. The same
// report.json gives the same document, which is how a self-test
// (selftest/implementations-docs.test.ts) keeps the committed one true.

import { citationLink, loadSources, type Sources } from "../harness/citations";
import { LEVELS, type Citation, type ExchangeRecord } from "../harness/model";
import { clip, codeBlock, escapeHtml, escapeMarkdown as md } from "./escape";
import { formatScore, verdictOf } from "./report";
import type { Finding, Report } from "./model";
import { declaredText, exchangeTitle, findingReach, findingsOf, labelOf, requestText, responseText, seconds, STATUS_ICON, STATUS_LABEL, statusOf } from "./view";

export interface FindingsDocOptions {
  /** The command line that made the run, as a reader would type it. */
  command?: string;
  /** One paragraph on what the implementation is and how it was served. */
  about?: string;
  /** The way from the document to the repository's root, for the suite's own files a citation names (`../../../`). */
  repoRoot?: string;
  /** The command that writes the document again from report.json, said at its top. */
  regenerate?: string;
  sources?: Sources;
}

const BODY_CHARS = 1000;
const TRANSCRIPT_CHARS = 1500;
const MESSAGE_CHARS = 800;
const LEVEL_ICON = { MUST: "❌", SHOULD: "⚠️", MAY: "ℹ️" } as const;

const code = (s: string) => `\`${s.replace(/[`\r\n]/g, "ˋ")}\``;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A citation in Markdown: the source's title, linked where it can be read, the section, the words and the note. */
export function citationMarkdown(c: Citation, opts: Pick<FindingsDocOptions, "repoRoot" | "sources"> = {}): string {
  const link = citationLink(c, opts.sources ?? loadSources());
  const target = link.url ?? (link.path !== undefined ? `${opts.repoRoot ?? ""}${link.path}` : undefined);
  const title = target ? `[${md(link.title)}](${target.replace(/[()\s]/g, encodeURIComponent)})` : md(link.title);
  return `${title}, ${md(c.section)}${c.quote ? `: “${md(c.quote)}”` : ""}${c.note ? ` (${md(c.note)})` : ""}`;
}

function exchangeBlock(x: ExchangeRecord): string[] {
  const out = [`**${md(exchangeTitle(x))}**`, "", codeBlock(clip(requestText(x), BODY_CHARS), "http"), "", codeBlock(clip(responseText(x), BODY_CHARS), "http"), ""];
  if (x.stream) out.push(codeBlock(clip(x.stream.transcript, TRANSCRIPT_CHARS), "text"), "");
  out.push("Repeat it:", "", codeBlock(x.curl, "sh"), "");
  return out;
}

function anchor(f: Finding): string {
  return f.id.toLowerCase();
}

function findingSection(f: Finding, n: number, r: Report, opts: FindingsDocOptions): string {
  const title = new Map(r.checks.map((c) => [c.id, c]));
  const lines = [
    `### ${n}. ${f.id}`,
    "",
    `**${LEVEL_ICON[f.level]} ${f.level} · ${md(f.title)}**${f.baseline ? " (expected by the baseline)" : ""}`,
    "",
    `${md(findingReach(f))}; seen ${f.seenBy.map((s) => (s === "wire" ? "on the wire" : "by failing checks")).join(" and ")}.`,
    "",
  ];
  if (f.words.length) lines.push("The words it breaks:", "", ...f.words.map((w) => `- ${citationMarkdown(w, opts)}`), "");
  else lines.push("The words it breaks: none recorded (see the checks' citations in report.json).", "");
  lines.push(`Operations: ${f.operations.map(code).join(", ") || "–"}`, "");
  if (f.failed.length) {
    lines.push(`Checks it fails (${f.failed.length}):`, "", "| check | level | outcome | requirement |", "|---|---|---|---|");
    for (const c of f.failed) {
      const check = title.get(c.id);
      const status = check ? statusOf(check) : c.outcome;
      lines.push(`| ${md(c.id)} | ${c.level} | ${STATUS_ICON[status]} ${STATUS_LABEL[status]} | ${md(check?.title ?? "")} |`);
    }
    lines.push("");
  }
  if (f.met.length) lines.push(`Checks that met it on the wire and were judged on their own claims (${f.met.length}): ${f.met.map((id) => md(id)).join(", ")}`, "");
  lines.push(`<details><summary>One exchange that shows it (${escapeHtml(f.example.check)})</summary>`, "", `> ${md(clip(f.example.message, MESSAGE_CHARS), true)}`, "");
  if (f.example.exchange) lines.push(...exchangeBlock(f.example.exchange));
  else lines.push("The report keeps no exchange for it (see the check's evidence in report.json).", "");
  lines.push("</details>", "");
  return lines.join("\n");
}

function howMade(r: Report, opts: FindingsDocOptions): string {
  const v = r.verdict ?? verdictOf(r);
  const s = r.summary;
  const counts = r.findingCounts;
  const rows: Array<[string, string]> = [];
  if (opts.about) rows.push(["implementation", opts.about]);
  rows.push(["declares (GET /info)", md(declaredText(r.target))]);
  if (opts.command) rows.push(["command", code(opts.command)]);
  rows.push(
    ["seed", `${code(String(r.seed))} (the same seed draws the same property cases)`],
    ["run", `${code(r.runId)}, started ${md(r.startedAt)}, took ${seconds(r.durationMs)}`],
    ["suite, contract", `${md(r.suite.name)} ${md(r.suite.version)}; ${md(r.contract.title)} ${md(r.contract.version)}`],
    ["verdict", `${md(v.text)} (exit code ${v.exitCode})`],
    ["checks", `${s.total}: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.notice} notice, ${s.skip} skip, ${s.error} error; score ${r.score ? formatScore(r.score) : "–"}`],
  );
  if (counts) rows.push(["findings", `${counts.total}: ${LEVELS.map((l) => `${counts[l]} ${l}`).join(", ")}`]);
  return ["## How the run was made", "", "| | |", "|---|---|", ...rows.map(([k, x]) => `| ${k} | ${x} |`)].join("\n");
}

/** The document: how the run was made, the fix list, each finding, and every check that did not pass with its finding. */
export function renderFindingsDoc(r: Report, opts: FindingsDocOptions = {}): string {
  const list = findingsOf(r);
  const out: string[] = [`# Findings: ${md(labelOf(r))}`, ""];
  out.push(
    `The fix list of this implementation, from its committed [report.json](report.json) (the check by check report: [report.md](report.md)). Each finding is one deviation, reported once however many checks meet it: fix it once. Most binding first, then the ones that explain most checks. A finding's id stays the same across runs and seeds while its cause is the same.`,
    "",
  );
  if (opts.regenerate) out.push(`<sub>Generated from report.json; do not edit: ${code(opts.regenerate)} writes it again.</sub>`, "");
  out.push(howMade(r, opts), "");
  if (!r.findings) {
    out.push("## Fix list", "", "This report was made before findings existed (report format 1): run the suite again to get them.", "");
    return `${out.join("\n")}\n`;
  }
  out.push(`## Fix list: ${plural(list.length, "finding")}`, "");
  if (list.length === 0) out.push("No finding: the target did nothing the contract's words forbid, on the wire or in a check.", "");
  else {
    out.push("| # | finding | level | requirement | checks failed | met by | operations |", "|--:|---|---|---|--:|--:|--:|");
    list.forEach((f, i) =>
      out.push(`| ${i + 1} | [${f.id}](#${i + 1}-${anchor(f)}) | ${LEVEL_ICON[f.level]} ${f.level} | ${md(f.title)} | ${f.failed.length} | ${f.met.length} | ${f.operations.length} |`),
    );
    out.push("", "*checks failed*: the checks whose outcome (fail, warn, notice) the finding accounts for; *met by*: checks that saw it on the wire and were judged on their own claims.", "");
    out.push("## The findings", "");
    list.forEach((f, i) => out.push(findingSection(f, i + 1, r, opts)));
  }
  const notPassed = r.checks.filter((c) => c.outcome === "fail" || c.outcome === "warn" || c.outcome === "notice");
  if (notPassed.length) {
    const index = new Map(list.map((f, i) => [f.id, i + 1]));
    out.push(`## Every check that did not pass, and its finding (${notPassed.length})`, "", "| check | level | outcome | finding | requirement |", "|---|---|---|---|---|");
    for (const c of [...notPassed].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }))) {
      const f = c.finding;
      const link = f && index.has(f) ? `[${f}](#${index.get(f)}-${f.toLowerCase()})` : f ? md(f) : "–";
      out.push(`| ${md(c.id)} | ${c.level} | ${STATUS_ICON[statusOf(c)]} ${STATUS_LABEL[statusOf(c)]} | ${link} | ${md(c.title)} |`);
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
