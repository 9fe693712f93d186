// report.html: one self-contained file a person opens in a browser. The fix
// list first (the findings, filterable by level and text, each expanding to
// its words, its checks and one exchange), then the score per profile, then
// every check with filters by outcome, profile and level, and for each failure
// its requests, responses, SSE transcripts and curl lines.
//
// Everything from the target is untrusted: every text goes through escapeHtml,
// no value from the report is ever put in a URL, an event handler or a script,
// and a Content-Security-Policy that admits only this file's own style and
// script (by hash) and nothing from the network backs that up.

import { createHash } from "node:crypto";
import { specText } from "../../harness/citations";
import { LEVELS, PROFILES } from "../../harness/model";
import { escapeHtml as h } from "../escape";
import { formatScore, verdictOf } from "../report";
import type { Finding, Report, Score } from "../model";
import {
  bySeverity,
  citationText,
  declaredText,
  findingReach,
  findingsOf,
  LINKABLE_ID,
  exchangeTitle,
  labelOf,
  requestText,
  responseText,
  seconds,
  selectionText,
  shardText,
  talliesText,
  statusOf,
  STATUS_LABEL,
  STATUS_ORDER,
  type ReportCheck,
  type Status,
} from "../view";

const CSS = `
:root { --fg:#1f2328; --muted:#59636e; --bg:#fff; --panel:#f6f8fa; --line:#d1d9e0; --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --notice:#0969da; --skip:#6e7781; --error:#8250df; --stale:#bc4c00; --expected:#57606a; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6edf3; --muted:#9198a1; --bg:#0d1117; --panel:#151b23; --line:#3d444d; --pass:#3fb950; --fail:#f85149; --warn:#d29922; --notice:#4493f8; --skip:#9198a1; --error:#ab7df8; --stale:#db6d28; --expected:#9198a1; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; padding: 1.5rem; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; } h4, h5 { margin: .75rem 0 .25rem; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; margin: 0; overflow: auto; max-height: 28rem; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { padding: .6rem .9rem; border-radius: 6px; font-weight: 600; margin: .5rem 0 1rem; border: 1px solid var(--line); }
.verdict.v0 { border-left: 6px solid var(--pass); } .verdict.v1 { border-left: 6px solid var(--fail); } .verdict.v2 { border-left: 6px solid var(--error); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; } dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
#scores tr.profile { cursor: pointer; } #scores tr.profile:hover { background: var(--panel); } #scores tr.total td { font-weight: 600; }
meter { width: 6rem; vertical-align: middle; margin-right: .4rem; }
#filters { position: sticky; top: 0; background: var(--bg); padding: .6rem 0; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; z-index: 1; }
#filters fieldset { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .25rem .75rem; } #filters legend { float: left; margin-right: .5rem; color: var(--muted); }
#filters label { white-space: nowrap; } #shown { color: var(--muted); margin-left: auto; }
details.check { border: 1px solid var(--line); border-left-width: 5px; border-radius: 6px; margin: .4rem 0; scroll-margin-top: 7rem; }
details.check > summary { padding: .35rem .6rem; cursor: pointer; display: flex; gap: .6rem; align-items: baseline; flex-wrap: wrap; }
details.check > .body { padding: 0 .9rem .8rem; }
.badge { display: inline-block; min-width: 6.5rem; font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .02em; }
.lvl, .prof { color: var(--muted); font-size: 12px; } .title { flex: 1 1 30rem; }
.msg { white-space: pre-wrap; word-break: break-word; margin: .5rem 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.exchange { border-top: 1px dashed var(--line); margin-top: .6rem; } .pair { display: grid; grid-template-columns: 1fr 1fr; gap: .6rem; } @media (max-width: 900px) { .pair { grid-template-columns: 1fr; } }
ul.violations { margin: .4rem 0; padding-left: 1.2rem; color: var(--fail); }
details.finding { border: 1px solid var(--line); border-left-width: 5px; border-radius: 6px; margin: .4rem 0; scroll-margin-top: 4rem; }
details.finding > summary { padding: .35rem .6rem; cursor: pointer; display: flex; gap: .6rem; align-items: baseline; flex-wrap: wrap; }
details.finding > .body { padding: 0 .9rem .8rem; }
.l-MUST { border-left-color: var(--fail); color: var(--fail); } .l-SHOULD { border-left-color: var(--warn); color: var(--warn); } .l-MAY { border-left-color: var(--notice); color: var(--notice); }
details.finding.l-MUST, details.finding.l-SHOULD, details.finding.l-MAY { color: var(--fg); }
.reach { color: var(--muted); font-size: 12px; } ul.words { margin: .3rem 0; padding-left: 1.2rem; }
#ffilters { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; margin: .4rem 0; } #fshown { color: var(--muted); margin-left: auto; }
.muted { color: var(--muted); }
${STATUS_ORDER.map((s) => `.s-${s} { border-left-color: var(--${s}); } .badge.s-${s}, .c-${s} { color: var(--${s}); }`).join("\n")}
@media print { #filters { display: none; } details.check { break-inside: avoid; } pre { max-height: none; } }
`;

// The filters. Plain DOM; reads data-* attributes the renderer wrote, never
// interprets text from the report.
const JS = `
(function () {
  "use strict";
  var checks = Array.prototype.slice.call(document.querySelectorAll("details.check"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#filters input[name=status]"));
  var profile = document.getElementById("f-profile");
  var level = document.getElementById("f-level");
  var text = document.getElementById("f-text");
  var shown = document.getElementById("shown");
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var p = profile.value, l = level.value, q = text.value.trim().toLowerCase(), n = 0;
    checks.forEach(function (c) {
      var ok = on[c.dataset.status] === true && (!p || c.dataset.profile === p) && (!l || c.dataset.level === l) && (!q || c.dataset.search.indexOf(q) >= 0);
      c.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + " of " + checks.length + " checks shown";
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  profile.addEventListener("change", apply);
  level.addEventListener("change", apply);
  text.addEventListener("input", apply);
  var findings = Array.prototype.slice.call(document.querySelectorAll("details.finding"));
  var flevel = document.getElementById("g-level");
  var ftext = document.getElementById("g-text");
  var fshown = document.getElementById("fshown");
  function applyFindings() {
    var l = flevel.value, q = ftext.value.trim().toLowerCase(), n = 0;
    findings.forEach(function (f) {
      var ok = (!l || f.dataset.level === l) && (!q || f.dataset.search.indexOf(q) >= 0);
      f.hidden = !ok;
      if (ok) n++;
    });
    fshown.textContent = n + " of " + findings.length + " findings shown";
  }
  if (flevel) {
    flevel.addEventListener("change", applyFindings);
    ftext.addEventListener("input", applyFindings);
    applyFindings();
  }
  document.getElementById("f-all").addEventListener("click", function () { boxes.forEach(function (b) { b.checked = true; }); profile.value = ""; level.value = ""; text.value = ""; apply(); });
  document.getElementById("f-failures").addEventListener("click", function () { boxes.forEach(function (b) { b.checked = b.dataset.attention === "1"; }); apply(); });
  document.getElementById("f-expand").addEventListener("click", function () { checks.forEach(function (c) { if (!c.hidden) c.open = true; }); });
  document.getElementById("f-collapse").addEventListener("click", function () { checks.forEach(function (c) { c.open = false; }); });
  Array.prototype.slice.call(document.querySelectorAll("#scores tr.profile")).forEach(function (tr) {
    tr.addEventListener("click", function () { profile.value = tr.dataset.profile; apply(); document.getElementById("checks").scrollIntoView(); });
  });
  function openHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === "DETAILS") { el.hidden = false; el.open = true; el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openHash);
  apply();
  openHash();
})();
`;

const sha256 = (s: string) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;

function scoreCells(s: Score | undefined): string {
  if (!s || s.ratio === null) return `<td class="muted">–</td>`;
  return `<td><meter min="0" max="1" value="${s.ratio}"></meter>${h(formatScore(s))}</td>`;
}

function levelCell(s: Score | undefined): string {
  return s && s.ratio !== null ? `<td class="n">${h(formatScore(s))}</td>` : `<td class="n muted">–</td>`;
}

function countsCells(c: Report["summary"]): string {
  return (["pass", "fail", "warn", "notice", "skip", "error"] as const).map((o) => `<td class="n${c[o] ? ` c-${o}` : " muted"}">${c[o]}</td>`).join("");
}

function facts(r: Report): string {
  const t = r.target;
  const rows: Array<[string, string]> = [
    ["target", `<code>${h(t.url)}</code> ${h(t.startedBy === "url" ? "(given by URL)" : `(started by the suite: ${t.started ?? t.startedBy})`)}`],
    ["declares (GET /info)", h(declaredText(t))],
    ["suite", h(`${r.suite.name} ${r.suite.version}`)],
    ["contract", h(`${r.contract.title}, version ${r.contract.version}`)],
    ["run", h(`${r.runId}, seed ${r.seed}, started ${r.startedAt}, took ${seconds(r.durationMs)}`)],
    ["selection", h(selectionText(r.selection))],
  ];
  const part = shardText(r);
  if (part) rows.push([r.shard ? "shard" : "shards", h(part)]);
  const tallied = talliesText(r);
  if (tallied) rows.push(["counted by the checks", h(tallied)]);
  if (r.baseline) {
    const b = r.baseline;
    rows.push(["baseline", h(`${b.file}: ${b.entries} entries, ${b.expected.length} expected, ${b.stale.length} stale, ${b.notRun.length} not run`)]);
  }
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

function scores(r: Report): string {
  const rows: string[] = [];
  for (const p of PROFILES) {
    const info = r.profiles[p];
    if (!info) continue;
    rows.push(
      `<tr class="profile" data-profile="${h(p)}" title="show the checks of ${h(p)}"><td>${h(p)}</td><td>${info.claimed ? "yes" : `<span class="muted" title="${h(info.reason)}">no</span>`}</td>${scoreCells(info.score)}${LEVELS.map((l) => levelCell(info.score?.levels[l])).join("")}${countsCells(info.counts)}</tr>`,
    );
  }
  rows.push(`<tr class="total"><td>all</td><td></td>${scoreCells(r.score)}${LEVELS.map((l) => levelCell(r.score?.levels[l])).join("")}${countsCells(r.summary)}</tr>`);
  const unclaimed = Object.entries(r.claims ?? {}).filter(([, c]) => c && !c.claimed);
  return `<section id="scores"><h2>Score by profile</h2>
<table><thead><tr><th>profile</th><th>claimed</th><th>score</th>${LEVELS.map((l) => `<th class="n">${l}</th>`).join("")}<th class="n">pass</th><th class="n">fail</th><th class="n">warn</th><th class="n">notice</th><th class="n">skip</th><th class="n">error</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
<p class="muted">Score = passed / scored, where scored checks are those that ran to a verdict about the target (pass, fail, warn, notice); skipped checks and harness errors are not scored, and a baseline does not change a score.${
    unclaimed.length ? ` Not claimed by the target: ${unclaimed.map(([p, c]) => `${h(p)} (${h(c!.reason)})`).join("; ")}.` : ""
  }</p></section>`;
}

function filters(r: Report): string {
  const counts = new Map<Status, number>();
  for (const c of r.checks) counts.set(statusOf(c), (counts.get(statusOf(c)) ?? 0) + 1);
  const statuses = STATUS_ORDER.filter((s) => counts.has(s));
  const attention = new Set<Status>(["error", "stale", "fail", "warn", "notice"]);
  const profiles = PROFILES.filter((p) => r.profiles[p]);
  return `<section id="filters" aria-label="filters">
<fieldset><legend>outcome</legend>${statuses
    .map(
      (s) =>
        `<label><input type="checkbox" name="status" value="${s}" data-attention="${attention.has(s) ? 1 : 0}" checked> <span class="c-${s}">${h(STATUS_LABEL[s])}</span> (${counts.get(s)})</label>`,
    )
    .join("")}</fieldset>
<label>profile <select id="f-profile"><option value="">all</option>${profiles.map((p) => `<option value="${h(p)}">${h(p)}</option>`).join("")}</select></label>
<label>level <select id="f-level"><option value="">all</option>${LEVELS.map((l) => `<option value="${l}">${l}</option>`).join("")}</select></label>
<label>find <input type="search" id="f-text" placeholder="id or title"></label>
<button type="button" id="f-failures">failures only</button><button type="button" id="f-all">show all</button><button type="button" id="f-expand">expand shown</button><button type="button" id="f-collapse">collapse all</button>
<span id="shown" aria-live="polite"></span>
</section>`;
}

function exchange(x: ReportCheck["evidence"]["exchanges"][number], full: boolean): string {
  const parts = [`<div class="exchange"><h4 class="mono">${h(exchangeTitle(x))} <span class="muted">${x.durationMs} ms</span></h4>`];
  if (full) {
    parts.push(`<div class="pair"><div><h5>Request</h5><pre class="request">${h(requestText(x))}</pre></div><div><h5>Response</h5><pre class="response">${h(responseText(x))}</pre></div></div>`);
    if (x.stream) {
      parts.push(
        `<h5>SSE transcript <span class="muted">${x.stream.bytes} bytes, ${x.stream.events} events, ended: ${h(x.stream.end)}${x.stream.transcriptTruncated ? ", truncated" : ""}</span></h5><pre class="transcript">${h(x.stream.transcript)}</pre>`,
      );
    }
    if (x.violations.length) parts.push(`<ul class="violations">${x.violations.map((v) => `<li>contract violation (${h(v.kind)}): ${h(v.message)}</li>`).join("")}</ul>`);
  }
  parts.push(`<h5>curl</h5><pre class="curl">${h(x.curl)}</pre></div>`);
  return parts.join("");
}

/** A fragment link to a check or finding of this report; an id of another form is shown, not linked. */
function idLink(id: string): string {
  return LINKABLE_ID.test(id) ? `<a href="#${id}"><code>${h(id)}</code></a>` : `<code>${h(id)}</code>`;
}

function findingEntry(f: Finding): string {
  const x = f.example.exchange;
  const body = [
    `<p class="reach">${h(findingReach(f))}</p>`,
    f.words.length ? `<h5>The words it breaks</h5><ul class="words">${f.words.map((w) => `<li>${h(citationText(w))}</li>`).join("")}</ul>` : "",
    `<dl class="facts"><dt>operations</dt><dd class="mono">${h(f.operations.join(", ") || "–")}</dd><dt>seen by</dt><dd>${h(f.seenBy.join(", "))}</dd>${
      f.failed.length ? `<dt>checks it fails</dt><dd>${f.failed.map((c) => idLink(c.id)).join(" ")}</dd>` : ""
    }${f.met.length ? `<dt>met on the wire by</dt><dd>${f.met.map(idLink).join(" ")}</dd>` : ""}<dt>signature</dt><dd class="mono">${h(f.signature)}</dd></dl>`,
    `<h5>One sighting: ${idLink(f.example.check)}</h5><p class="msg">${h(f.example.message)}</p>`,
    x ? exchange(x, true) : "",
  ].join("");
  const search = `${f.id} ${f.title} ${f.operations.join(" ")} ${f.failed.map((c) => c.id).join(" ")}`.toLowerCase();
  return `<details class="finding l-${f.level}" id="${h(f.id)}" data-level="${f.level}" data-search="${h(search)}"><summary><span class="badge l-${f.level}">${h(f.level)}${f.baseline ? " (expected)" : ""}</span><code>${h(f.id)}</code><span class="title">${h(f.title)}</span><span class="reach">${f.failed.length} check(s) failed, ${f.operations.length} operation(s)</span></summary><div class="body">${body}</div></details>`;
}

function findingsView(r: Report): string {
  const list = findingsOf(r);
  if (list.length === 0) return `<section id="findings"><h2>Fix list</h2><p>No finding: the target did nothing the contract's words forbid, on the wire or in a check.</p></section>`;
  const c = r.findingCounts;
  return `<section id="findings"><h2>${h(`Fix list: ${list.length} finding(s)${c ? ` (${c.MUST} MUST, ${c.SHOULD} SHOULD, ${c.MAY} MAY)` : ""}`)}</h2>
<p class="muted">Each finding is one deviation of the target, reported once however many checks and operations meet it. Most binding first, then the ones that explain most checks. Ids stay the same across runs while the cause is the same.</p>
<div id="ffilters"><label>level <select id="g-level"><option value="">all</option>${LEVELS.map((l) => `<option value="${l}">${l}</option>`).join("")}</select></label><label>find <input type="search" id="g-text" placeholder="id, title, operation or check"></label><span id="fshown" aria-live="polite"></span></div>
${list.map(findingEntry).join("\n")}
</section>`;
}

function checkEntry(c: ReportCheck): string {
  const s = statusOf(c);
  const full = s !== "pass" && s !== "skip";
  const ev = c.evidence;
  const body = [
    c.message ? `<p class="msg">${h(c.message)}</p>` : "",
    `<dl class="facts"><dt>operations</dt><dd class="mono">${h(c.operations.join(", "))}</dd><dt>spec</dt><dd>${h(specText(c.spec))}</dd><dt>level</dt><dd>${h(c.level)}</dd><dt>outcome</dt><dd>${h(c.outcome)}${c.baseline ? h(` (${STATUS_LABEL[s]}, by the baseline)`) : ""}</dd><dt>duration</dt><dd>${c.durationMs} ms</dd>${
      ev.seed !== undefined ? `<dt>seed</dt><dd>${ev.seed}</dd>` : ""
    }${c.requires?.length ? `<dt>requires</dt><dd>${h(c.requires.join(", "))}</dd>` : ""}</dl>`,
    c.finding ? `<p>finding: ${idLink(c.finding)}</p>` : "",
    c.met?.length ? `<p class="muted">met on the wire: ${c.met.map(idLink).join(" ")}</p>` : "",
    ...(ev.notes ?? []).map((n) => `<p class="muted">note: ${h(n)}</p>`),
    ...ev.exchanges.map((x) => exchange(x, full)),
    ev.omittedExchanges ? `<p class="muted">${ev.omittedExchanges} exchange(s) left out of the evidence to keep it bounded.</p>` : "",
  ].join("");
  const search = `${c.id} ${c.title} ${c.operations.join(" ")}`.toLowerCase();
  return `<details class="check s-${s}" id="${h(c.id)}" data-status="${s}" data-profile="${h(c.profile)}" data-level="${h(c.level)}" data-search="${h(search)}"><summary><span class="badge s-${s}">${h(STATUS_LABEL[s])}</span><code>${h(c.id)}</code><span class="lvl">${h(c.level)}</span><span class="prof">${h(c.profile)}</span><span class="title">${h(c.title)}</span></summary><div class="body">${body}</div></details>`;
}

function tail(r: Report): string {
  const out: string[] = [];
  if (r.problems.length) out.push(`<section id="problems"><h2>Harness problems</h2><ul>${r.problems.map((p) => `<li><code>${h(p.where)}</code>: ${h(p.message)}</li>`).join("")}</ul></section>`);
  const phantom = (r.baseline?.stale ?? []).filter((s) => !r.checks.some((c) => c.id === s.id));
  if (phantom.length)
    out.push(`<section id="stale"><h2>Stale baseline entries that are no check</h2><ul>${phantom.map((s) => `<li><code>${h(s.id)}</code>: ${h(s.reason)}</li>`).join("")}</ul></section>`);
  out.push(
    `<section id="uncovered"><h2>Not covered by any check${r.shard ? " of this part's files" : ""}</h2>${
      r.uncovered.length ? `<ul>${r.uncovered.map((u) => `<li><code>${h(u.operation)}</code>: ${h(u.reason)}</li>`).join("")}</ul>` : "<p>Every operation of the contract is exercised by a check.</p>"
    }</section>`,
  );
  out.push(
    `<section id="cleanup"><h2>Clean-up</h2>${
      r.cleanup.leftovers.length
        ? `<p>Could not delete ${r.cleanup.leftovers.length} resource(s) the run created:</p><ul>${r.cleanup.leftovers.map((l) => `<li>${h(l.kind)} <code>${h(l.id)}</code>: ${h(l.reason)}</li>`).join("")}</ul>`
        : `<p>Everything the run created was deleted (${r.cleanup.deleted} by the final sweep).</p>`
    }</section>`,
  );
  return out.join("\n");
}

export function renderHtml(r: Report): string {
  const v = r.verdict ?? verdictOf(r);
  const checks = [...r.checks].sort((a, b) => bySeverity(a, b) || PROFILES.indexOf(a.profile) - PROFILES.indexOf(b.profile) || a.id.localeCompare(b.id, "en", { numeric: true }));
  const csp = `default-src 'none'; style-src ${sha256(CSS)}; script-src ${sha256(JS)}; img-src 'none'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${h(`${r.suite.name} ${r.suite.version}`)}">
<title>${h(`Conformance report: ${labelOf(r)}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${h(`Conformance report: ${labelOf(r)}`)}</h1>
<div class="verdict v${v.exitCode}" id="verdict">${h(`Verdict: ${v.text} (exit code ${v.exitCode})`)}</div>
${facts(r)}
</header>
${findingsView(r)}
${scores(r)}
<h2>Checks</h2>
${filters(r)}
<section id="checks">
${checks.map(checkEntry).join("\n")}
</section>
${tail(r)}
<footer><p class="muted">${h(
    `Written by ${r.suite.name} ${r.suite.version}. A check is judged on its own claim: pass; fail (a MUST broken); warn (a SHOULD broken); notice (a MAY not met); skip (with the reason); error (the suite itself broke). What else a response breaks on the wire is a finding, reported once. Expected failures and stale entries come from the baseline.`,
  )}</p></footer>
<script>${JS}</script>
</body>
</html>
`;
}
