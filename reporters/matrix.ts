// The compatibility matrix: findings and checks by implementation, from two or
// more report.json files, as Markdown and as one self-contained HTML file. The
// findings come first: for two reports (a release against the one before), the
// findings new in the second, fixed in it and unchanged, the regression view;
// for any number, which finding each report has. Then a score row per profile
// heads each profile's checks. Reads reports only.

import { createHash } from "node:crypto";
import { LEVELS, PROFILES, type Level, type Outcome, type Profile } from "../harness/model";
import { escapeHtml as h, escapeMarkdown as md } from "./escape";
import { formatScore, scoreOf } from "./report";
import type { Score } from "./model";
import { STATUS_ICON, STATUS_LABEL, type Status } from "./view";

/** What `compare` needs of a report: the fields every version of the format has. */
export interface ComparedReport {
  /** Where it was read from. */
  path: string;
  /** The column's name. */
  label: string;
  suite: { version: string };
  contract: { version: string };
  target: { url: string; implementation?: { version?: string } };
  startedAt?: string;
  verdict?: { exitCode: number; text: string };
  claims?: Partial<Record<string, { claimed: boolean; reason: string }>>;
  checks: Array<{ id: string; level: Level; profile: Profile; title: string; outcome: Outcome; message?: string; baseline?: "expected" | "stale" }>;
  /** Absent in reports made before findings existed. */
  findings?: Array<{ id: string; level: Level; title: string; failed: Array<{ id: string }>; met?: string[]; operations: string[] }>;
}

type ComparedFinding = NonNullable<ComparedReport["findings"]>[number];

/** A finding across the reports: its cell in each (absent where the report does not have it). */
export interface FindingRow {
  id: string;
  title: string;
  cells: Array<ComparedFinding | undefined>;
}

/** Between two consecutive reports: what the second has that the first had not, and the rest. */
export interface FindingDiff {
  from: string;
  to: string;
  new: ComparedFinding[];
  fixed: ComparedFinding[];
  /** In the first only, and not judged in the second: none of the checks that failed on it or met it ran to a verdict there (skipped, a profile not claimed, not selected). */
  unjudged: ComparedFinding[];
  /** In both, at another level. */
  changed: Array<{ before: ComparedFinding; after: ComparedFinding }>;
  unchanged: ComparedFinding[];
}

interface Row {
  id: string;
  level: Level;
  profile: Profile;
  title: string;
  cells: Array<ComparedReport["checks"][number] | undefined>;
  differs: boolean;
}

export interface Matrix {
  reports: ComparedReport[];
  /** Every finding of any report (when every report has findings), most binding first. */
  findings?: FindingRow[];
  /** For each report after the first: how its findings differ from the one before it. */
  diffs?: FindingDiff[];
  profiles: Array<{ profile: Profile; scores: Array<Score | undefined>; rows: Row[] }>;
  totals: Array<Score>;
  warnings: string[];
}

const statusOf = (c: { outcome: Outcome; baseline?: string }): Status => (c.baseline === "stale" ? "stale" : c.baseline === "expected" ? "expected" : c.outcome);

export function buildMatrix(reports: ComparedReport[], warnings: string[] = []): Matrix {
  const rows = new Map<string, Row>();
  reports.forEach((r, i) => {
    for (const c of r.checks) {
      let row = rows.get(c.id);
      if (!row) rows.set(c.id, (row = { id: c.id, level: c.level, profile: c.profile, title: c.title, cells: reports.map(() => undefined), differs: false }));
      row.cells[i] = c;
    }
  });
  for (const row of rows.values()) {
    const seen = new Set(row.cells.map((c) => (c ? c.outcome : "none")));
    row.differs = seen.size > 1;
  }
  const findings = findingRows(reports);
  const order = (p: Profile) => (PROFILES.indexOf(p) < 0 ? PROFILES.length : PROFILES.indexOf(p));
  const profiles = [...new Set([...rows.values()].map((r) => r.profile))].sort((a, b) => order(a) - order(b));
  return {
    reports,
    warnings,
    ...(findings ? { findings, diffs: reports.slice(1).map((r, i) => diffFindings(reports[i]!, r)) } : {}),
    profiles: profiles.map((profile) => {
      const mine = [...rows.values()].filter((r) => r.profile === profile).sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
      return {
        profile,
        rows: mine,
        scores: reports.map((r) => {
          const checks = r.checks.filter((c) => c.profile === profile);
          return checks.length ? scoreOf(checks) : undefined;
        }),
      };
    }),
    totals: reports.map((r) => scoreOf(r.checks)),
  };
}

const LEVEL_RANK = (l: Level) => LEVELS.indexOf(l);

function findingRows(reports: ComparedReport[]): FindingRow[] | undefined {
  if (!reports.every((r) => Array.isArray(r.findings))) return undefined;
  const rows = new Map<string, FindingRow>();
  reports.forEach((r, i) => {
    for (const f of r.findings!) {
      let row = rows.get(f.id);
      if (!row) rows.set(f.id, (row = { id: f.id, title: f.title, cells: reports.map(() => undefined) }));
      row.cells[i] = f;
    }
  });
  const best = (row: FindingRow) => Math.min(...row.cells.map((c) => (c ? LEVEL_RANK(c.level) : 9)));
  const reach = (row: FindingRow) => Math.max(...row.cells.map((c) => c?.failed.length ?? 0));
  return [...rows.values()].sort((a, b) => best(a) - best(b) || reach(b) - reach(a) || a.id.localeCompare(b.id));
}

export function diffFindings(a: ComparedReport, b: ComparedReport): FindingDiff {
  const before = new Map((a.findings ?? []).map((f) => [f.id, f]));
  const after = new Map((b.findings ?? []).map((f) => [f.id, f]));
  const byLevel = (x: ComparedFinding, y: ComparedFinding) => LEVEL_RANK(x.level) - LEVEL_RANK(y.level) || y.failed.length - x.failed.length || x.id.localeCompare(y.id);
  const d: FindingDiff = { from: a.label, to: b.label, new: [], fixed: [], unjudged: [], changed: [], unchanged: [] };
  // Gone from B is fixed only where B judged it: a check that failed on it, or met it, ran to a verdict there.
  const ranInB = new Set(b.checks.filter((c) => c.outcome !== "skip" && c.outcome !== "error").map((c) => c.id));
  const judgedInB = (f: ComparedFinding) => [...f.failed.map((c) => c.id), ...(f.met ?? [])].some((id) => ranInB.has(id));
  for (const f of after.values()) {
    const old = before.get(f.id);
    if (!old) d.new.push(f);
    else if (old.level !== f.level) d.changed.push({ before: old, after: f });
    else d.unchanged.push(f);
  }
  for (const f of before.values()) if (!after.has(f.id)) (judgedInB(f) ? d.fixed : d.unjudged).push(f);
  d.new.sort(byLevel);
  d.fixed.sort(byLevel);
  d.unjudged.sort(byLevel);
  d.unchanged.sort(byLevel);
  return d;
}

const findingLine = (f: ComparedFinding) => `${f.id} [${f.level}] ${f.title} (${f.failed.length} check${f.failed.length === 1 ? "" : "s"} failed)`;

const scoreText = (s: Score | undefined) => (s ? formatScore(s) : "not run");

export function renderMatrixMarkdown(m: Matrix): string {
  const n = m.reports.length;
  const head = (first: string) => `| ${first} | ${m.reports.map((r) => md(r.label)).join(" | ")} |\n|---|${"---|".repeat(n)}`;
  const out = [
    `# Compatibility matrix: ${m.reports.map((r) => md(r.label)).join(" · ")}`,
    "",
    "Score = passed / scored, where scored checks are those that ran to a verdict about the target (pass, fail, warn, notice).",
  ];
  if (m.warnings.length) out.push("", ...m.warnings.map((w) => `> **Warning:** ${md(w)}`));
  out.push(
    "",
    "## Implementations",
    "",
    head(""),
    `| target | ${m.reports.map((r) => `\`${r.target.url.replace(/`/g, "ˋ")}\``).join(" | ")} |`,
    `| declares version | ${m.reports.map((r) => md(r.target.implementation?.version ?? "–")).join(" | ")} |`,
    `| suite / contract | ${m.reports.map((r) => md(`${r.suite.version} / ${r.contract.version}`)).join(" | ")} |`,
    `| run | ${m.reports.map((r) => md(r.startedAt ?? "–")).join(" | ")} |`,
    `| verdict | ${m.reports.map((r) => (r.verdict ? md(`exit ${r.verdict.exitCode}: ${r.verdict.text}`) : "–")).join(" | ")} |`,
    `| report | ${m.reports.map((r) => md(r.path)).join(" | ")} |`,
    "",
    "## Score by profile",
    "",
    head("profile"),
    ...m.profiles.map((p) => `| ${p.profile} | ${p.scores.map(scoreText).join(" | ")} |`),
    `| **all** | ${m.totals.map((s) => `**${formatScore(s)}**`).join(" | ")} |`,
    `| MUST failures | ${m.reports.map((r) => r.checks.filter((c) => c.outcome === "fail").length).join(" | ")} |`,
  );
  out.push(...findingsMarkdown(m, head));
  for (const p of m.profiles) {
    out.push("", `## ${p.profile}`, "", head("check"));
    out.push(`| **score** | ${p.scores.map((s) => `**${scoreText(s)}**`).join(" | ")} |`);
    for (const row of p.rows) {
      out.push(
        `| ${row.id} ${row.level} ${md(row.title)}${row.differs ? " ◆" : ""} | ${row.cells.map((c) => (c ? `${STATUS_ICON[statusOf(c)]} ${STATUS_LABEL[statusOf(c)]}` : "– not run")).join(" | ")} |`,
      );
    }
  }
  out.push("", "◆ marks a check whose outcome differs between implementations.", "");
  return out.join("\n");
}

function findingsMarkdown(m: Matrix, head: (first: string) => string): string[] {
  if (!m.findings) return ["", "## Findings", "", "Not compared: a report was made before findings existed (report format 1)."];
  const out: string[] = [];
  for (const d of m.diffs ?? []) {
    out.push("", `## Findings: ${md(d.to)} against ${md(d.from)}`, "");
    out.push(
      `${d.new.length} new, ${d.fixed.length} fixed, ${d.unjudged.length} not judged, ${d.changed.length} at another level, ${d.unchanged.length} unchanged. A finding keeps its id while its cause is the same, so a new id is a new deviation (a regression), and a fixed one is gone where its checks ran; one whose checks did not run in ${d.to} is not judged there.`,
      "",
    );
    const list = (title: string, items: string[]) => (items.length ? [`**${title} (${items.length})**`, "", ...items.map((i) => `- ${md(i)}`), ""] : []);
    out.push(...list(`New in ${d.to}`, d.new.map(findingLine)));
    out.push(...list(`Fixed in ${d.to}`, d.fixed.map(findingLine)));
    out.push(...list(`Not judged in ${d.to} (its checks did not run there: skipped, a profile not claimed, not selected)`, d.unjudged.map(findingLine)));
    out.push(
      ...list(
        "At another level",
        d.changed.map((c) => `${c.after.id} ${c.before.level} → ${c.after.level}: ${c.after.title}`),
      ),
    );
    if (d.unchanged.length) out.push(`<details><summary>Unchanged (${d.unchanged.length})</summary>`, "", ...d.unchanged.map((f) => `- ${md(findingLine(f))}`), "", "</details>", "");
  }
  out.push("", "## Findings by implementation", "", head("finding"));
  for (const row of m.findings) out.push(`| ${row.id} ${md(row.title)} | ${row.cells.map((c) => (c ? `${c.level} (${c.failed.length})` : "–")).join(" | ")} |`);
  out.push("", "A cell gives the finding's level and the number of checks it fails in that report; – : the report does not have it.");
  return out;
}

const CSS = `
:root { --fg:#1f2328; --muted:#59636e; --bg:#fff; --panel:#f6f8fa; --line:#d1d9e0; --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --notice:#0969da; --skip:#6e7781; --error:#8250df; --stale:#bc4c00; --expected:#57606a; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6edf3; --muted:#9198a1; --bg:#0d1117; --panel:#151b23; --line:#3d444d; --pass:#3fb950; --fail:#f85149; --warn:#d29922; --notice:#4493f8; --skip:#9198a1; --error:#ab7df8; --stale:#db6d28; --expected:#9198a1; } }
[hidden] { display: none !important; }
body { margin: 0; padding: 1.5rem; font: 14px/1.5 system-ui, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
table { border-collapse: collapse; } th, td { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: var(--bg); }
tr.score td { font-weight: 600; background: var(--panel); }
.warning { border-left: 5px solid var(--warn); padding: .4rem .8rem; background: var(--panel); }
.muted { color: var(--muted); } code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
${["pass", "fail", "warn", "notice", "skip", "error", "stale", "expected"].map((s) => `td.s-${s} { color: var(--${s}); }`).join("\n")}
`;

const JS = `
(function () {
  "use strict";
  var box = document.getElementById("differs");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.check"));
  var level = document.getElementById("level");
  function apply() {
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!box.checked || r.dataset.differs === "1") && (!level.value || r.dataset.level === level.value);
      r.hidden = !ok;
      if (ok) n++;
    });
    document.getElementById("shown").textContent = n + " of " + rows.length + " checks shown";
  }
  box.addEventListener("change", apply);
  level.addEventListener("change", apply);
  apply();
})();
`;

const sha256 = (s: string) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;

function findingsHtml(m: Matrix, heads: string): string {
  if (!m.findings) return `<h2>Findings</h2><p class="muted">Not compared: a report was made before findings existed (report format 1).</p>`;
  const li = (f: ComparedFinding) => `<li><code>${h(f.id)}</code> ${h(`[${f.level}] ${f.title} (${f.failed.length} check(s) failed)`)}</li>`;
  const diffs = (m.diffs ?? []).map(
    (d) => `<h2>${h(`Findings: ${d.to} against ${d.from}`)}</h2>
<p>${h(`${d.new.length} new, ${d.fixed.length} fixed, ${d.unjudged.length} not judged, ${d.changed.length} at another level, ${d.unchanged.length} unchanged.`)}</p>
${d.new.length ? `<h3>${h(`New in ${d.to}`)}</h3><ul>${d.new.map(li).join("")}</ul>` : ""}
${d.fixed.length ? `<h3>${h(`Fixed in ${d.to}`)}</h3><ul>${d.fixed.map(li).join("")}</ul>` : ""}
${d.unjudged.length ? `<h3>${h(`Not judged in ${d.to}`)}</h3><p class="muted">Their checks did not run there (skipped, a profile not claimed, not selected).</p><ul>${d.unjudged.map(li).join("")}</ul>` : ""}
${d.changed.length ? `<h3>At another level</h3><ul>${d.changed.map((c) => `<li><code>${h(c.after.id)}</code> ${h(`${c.before.level} → ${c.after.level}: ${c.after.title}`)}</li>`).join("")}</ul>` : ""}
${d.unchanged.length ? `<details><summary>${h(`Unchanged (${d.unchanged.length})`)}</summary><ul>${d.unchanged.map(li).join("")}</ul></details>` : ""}`,
  );
  return `${diffs.join("\n")}
<h2>Findings by implementation</h2>
<table><thead><tr><th>finding</th>${heads}</tr></thead><tbody>
${m.findings.map((row) => `<tr><td><code>${h(row.id)}</code> ${h(row.title)}</td>${row.cells.map((c) => `<td>${c ? h(`${c.level} (${c.failed.length})`) : `<span class="muted">–</span>`}</td>`).join("")}</tr>`).join("\n")}
</tbody></table>`;
}

export function renderMatrixHtml(m: Matrix): string {
  const heads = m.reports.map((r) => `<th>${h(r.label)}</th>`).join("");
  const scoreCell = (s: Score | undefined) => `<td>${h(scoreText(s))}</td>`;
  const sections = m.profiles.map(
    (p) => `<h2>${h(p.profile)}</h2>
<table><thead><tr><th>check</th><th>level</th><th>title</th>${heads}</tr></thead><tbody>
<tr class="score"><td colspan="3">score</td>${p.scores.map(scoreCell).join("")}</tr>
${p.rows
  .map(
    (row) =>
      `<tr class="check" data-differs="${row.differs ? 1 : 0}" data-level="${h(row.level)}"><td><code>${h(row.id)}</code></td><td>${h(row.level)}</td><td>${h(row.title)}</td>${row.cells
        .map((c) =>
          c ? `<td class="s-${statusOf(c)}" title="${h((c.message ?? "").slice(0, 500))}">${STATUS_ICON[statusOf(c)]} ${h(STATUS_LABEL[statusOf(c)])}</td>` : `<td class="muted">not run</td>`,
        )
        .join("")}</tr>`,
  )
  .join("\n")}
</tbody></table>`,
  );
  const csp = `default-src 'none'; style-src ${sha256(CSS)}; script-src ${sha256(JS)}; img-src 'none'; base-uri 'none'; form-action 'none'`;
  const title = `Compatibility matrix: ${m.reports.map((r) => r.label).join(" · ")}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title><style>${CSS}</style></head>
<body>
<h1>${h(title)}</h1>
${m.warnings.map((w) => `<p class="warning">Warning: ${h(w)}</p>`).join("\n")}
<h2>Implementations</h2>
<table><thead><tr><th></th>${heads}</tr></thead><tbody>
<tr><td>target</td>${m.reports.map((r) => `<td><code>${h(r.target.url)}</code></td>`).join("")}</tr>
<tr><td>declares version</td>${m.reports.map((r) => `<td>${h(r.target.implementation?.version ?? "–")}</td>`).join("")}</tr>
<tr><td>suite / contract</td>${m.reports.map((r) => `<td>${h(`${r.suite.version} / ${r.contract.version}`)}</td>`).join("")}</tr>
<tr><td>run</td>${m.reports.map((r) => `<td>${h(r.startedAt ?? "–")}</td>`).join("")}</tr>
<tr><td>verdict</td>${m.reports.map((r) => `<td>${r.verdict ? h(`exit ${r.verdict.exitCode}: ${r.verdict.text}`) : "–"}</td>`).join("")}</tr>
<tr><td>report</td>${m.reports.map((r) => `<td><code>${h(r.path)}</code></td>`).join("")}</tr>
</tbody></table>
<h2>Score by profile</h2>
<p class="muted">Score = passed / scored, where scored checks are those that ran to a verdict about the target (pass, fail, warn, notice).</p>
<table><thead><tr><th>profile</th>${heads}</tr></thead><tbody>
${m.profiles.map((p) => `<tr><td>${h(p.profile)}</td>${p.scores.map(scoreCell).join("")}</tr>`).join("\n")}
<tr class="score"><td>all</td>${m.totals.map((s) => scoreCell(s)).join("")}</tr>
<tr><td>MUST failures</td>${m.reports.map((r) => `<td>${r.checks.filter((c) => c.outcome === "fail").length}</td>`).join("")}</tr>
</tbody></table>
${findingsHtml(m, heads)}
<p><label><input type="checkbox" id="differs"> only checks whose outcome differs</label>
<label>level <select id="level"><option value="">all</option>${LEVELS.map((l) => `<option value="${l}">${l}</option>`).join("")}</select></label>
<span id="shown" class="muted"></span></p>
${sections.join("\n")}
<script>${JS}</script>
</body></html>
`;
}
