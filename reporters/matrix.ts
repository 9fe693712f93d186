// The compatibility matrix: checks by implementation, from two or more
// report.json files, as Markdown and as one self-contained HTML file. A score
// row per profile heads each profile's checks. Reads reports only.

import { createHash } from "node:crypto";
import { LEVELS, PROFILES, type Level, type Outcome, type Profile } from "../harness/model";
import { escapeHtml as h, escapeMarkdown as md } from "./escape";
import { formatScore, scoreOf, type Score } from "./report";
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
  const order = (p: Profile) => (PROFILES.indexOf(p) < 0 ? PROFILES.length : PROFILES.indexOf(p));
  const profiles = [...new Set([...rows.values()].map((r) => r.profile))].sort((a, b) => order(a) - order(b));
  return {
    reports,
    warnings,
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
        .map((c) => (c ? `<td class="s-${statusOf(c)}" title="${h((c.message ?? "").slice(0, 500))}">${STATUS_ICON[statusOf(c)]} ${h(STATUS_LABEL[statusOf(c)])}</td>` : `<td class="muted">not run</td>`))
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
<p><label><input type="checkbox" id="differs"> only checks whose outcome differs</label>
<label>level <select id="level"><option value="">all</option>${LEVELS.map((l) => `<option value="${l}">${l}</option>`).join("")}</select></label>
<span id="shown" class="muted"></span></p>
${sections.join("\n")}
<script>${JS}</script>
</body></html>
`;
}
