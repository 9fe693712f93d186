// What the human-readable formats (report.md, report.html, the console) share:
// the order of outcomes, their labels, and the evidence as plain text. The
// formats escape this text themselves; nothing here is markup.

import type { ExchangeRecord, Outcome } from "../harness/model";
import type { Finding, Report } from "./model";

export type ReportCheck = Report["checks"][number];

/**
 * How a check reads to a person, the baseline included: a failure the baseline
 * expects is `expected`; a passing check the baseline lists is `stale`.
 */
export type Status = Outcome | "expected" | "stale";

export function statusOf(c: ReportCheck): Status {
  if (c.baseline === "stale") return "stale";
  if (c.baseline === "expected") return "expected";
  return c.outcome;
}

/** Most severe first: what must be read first comes first. */
export const STATUS_ORDER: Status[] = ["error", "stale", "fail", "warn", "notice", "expected", "skip", "pass"];

export const STATUS_LABEL: Record<Status, string> = {
  error: "harness error",
  stale: "stale baseline entry",
  fail: "fail",
  warn: "warn",
  notice: "notice",
  expected: "expected failure",
  skip: "skip",
  pass: "pass",
};

export const STATUS_ICON: Record<Status, string> = {
  error: "💥",
  stale: "🧹",
  fail: "❌",
  warn: "⚠️",
  notice: "ℹ️",
  expected: "➖",
  skip: "⏭️",
  pass: "✅",
};

/** Statuses that fail the run or want attention, and so come with their evidence. */
export const ATTENTION: Status[] = ["error", "stale", "fail", "warn", "notice"];

export function bySeverity(a: ReportCheck, b: ReportCheck): number {
  return STATUS_ORDER.indexOf(statusOf(a)) - STATUS_ORDER.indexOf(statusOf(b));
}

/** The body as a person wants to read it: JSON indented when it parses, as sent otherwise. */
export function prettyBody(body: string | undefined): string {
  if (body === undefined || body === "") return "";
  const t = body.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.stringify(JSON.parse(t), null, 2);
    } catch {
      /* as sent (it may be truncated) */
    }
  }
  return body;
}

export function requestText(x: ExchangeRecord): string {
  const lines = [`${x.request.method} ${x.request.url}`];
  for (const [k, v] of Object.entries(x.request.headers)) lines.push(`${k}: ${v}`);
  if (x.request.body !== undefined) lines.push("", prettyBody(x.request.body) + (x.request.bodyTruncated ? "\n… (truncated)" : ""));
  return lines.join("\n");
}

export function responseText(x: ExchangeRecord): string {
  if (!x.response) return x.error ? `(no response: ${x.error})` : "(no response)";
  const lines = [`HTTP ${x.response.status}`];
  for (const [k, v] of Object.entries(x.response.headers)) lines.push(`${k}: ${v}`);
  if (x.response.body !== undefined && x.response.body !== "") {
    lines.push("", prettyBody(x.response.body) + (x.response.bodyTruncated ? "\n… (truncated)" : ""));
  }
  return lines.join("\n");
}

/** "POST /assistants → 400" */
export function exchangeTitle(x: ExchangeRecord): string {
  let path = x.request.url;
  try {
    const u = new URL(x.request.url);
    path = u.pathname + u.search;
  } catch {
    /* as recorded */
  }
  const outcome = x.response ? String(x.response.status) : x.error ? `no response (${x.error.split("\n")[0]})` : "no response";
  return `${x.phase === "setup" ? "setup: " : ""}${x.request.method} ${path} → ${outcome}${x.stream ? ` (stream: ${x.stream.events} events, ${x.stream.end})` : ""}`;
}

/**
 * The exchanges worth showing first, in order, at most `max`: the one the
 * outcome is about, those that broke the contract, then the last ones.
 */
export function keyExchanges(c: ReportCheck, max: number): { shown: ExchangeRecord[]; left: number } {
  const all = c.evidence.exchanges;
  if (all.length <= max) return { shown: all, left: 0 };
  const pick = new Set<number>();
  if (c.evidence.focus !== undefined && all[c.evidence.focus]) pick.add(c.evidence.focus);
  all.forEach((x, i) => x.violations.length > 0 && pick.size < max && pick.add(i));
  for (let i = all.length - 1; i >= 0 && pick.size < max; i--) pick.add(i);
  const shown = [...pick].sort((a, b) => a - b).map((i) => all[i]!);
  return { shown, left: all.length - shown.length };
}

/** The command line options the run's selection stands for. */
export function selectionText(sel: Report["selection"]): string {
  const parts: string[] = [];
  if (sel.profiles?.length) parts.push(`--profile ${sel.profiles.join(",")}`);
  for (const id of sel.ids ?? []) parts.push(`--id ${id}`);
  if (sel.levels?.length) parts.push(`--level ${sel.levels.join(",")}`);
  return parts.length ? parts.join(" ") : "every check";
}

/** Which part of a split run a report is, or what a merged report was made of; undefined for a whole run. */
export function shardText(r: Pick<Report, "shard" | "merged">): string | undefined {
  if (r.shard)
    return `part ${r.shard.index} of ${r.shard.count} of a split run (--shard ${r.shard.index}/${r.shard.count}, split ${r.shard.split}): ${r.shard.files.length} suite file(s); the other parts' checks are in their own reports`;
  if (r.merged) return `merged from ${r.merged.length} shards: ${r.merged.map((m) => `${m.index}/${m.count} ${m.runId} (${m.checks} checks, ${seconds(m.durationMs)})`).join("; ")}`;
  return undefined;
}

/** The figures the checks counted, summed: "cross-user attempts 412, cross-user leaks 0"; undefined when none. */
export function talliesText(r: Pick<Report, "tallies">): string | undefined {
  const t = Object.entries(r.tallies ?? {});
  return t.length ? t.map(([name, n]) => `${name} ${n}`).join(", ") : undefined;
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** What GET /info declares, in one line: "version 1.5.1, langgraph_js_version 1.7.3". */
export function declaredText(t: Report["target"]): string {
  const impl = t.implementation;
  if (!impl) return t.declared ? "GET /info declares no version" : "GET /info did not answer JSON";
  const parts = [impl.version !== undefined ? `version ${impl.version}` : "no version", ...Object.entries(impl.runtimes).map(([k, v]) => `${k} ${v}`)];
  return parts.join(", ");
}

export function labelOf(r: Pick<Report, "target">): string {
  return r.target.label ?? r.target.started ?? r.target.url;
}

/** The findings of a report in the order of the fix list (most binding and far-reaching first). */
export function findingsOf(r: Pick<Report, "findings">): Finding[] {
  return r.findings ?? [];
}

/** One line that says what a finding touches: "fails 74 checks (MUST), met by 22 more; 30 operations; 118 sightings". */
export function findingReach(f: Finding): string {
  const parts: string[] = [];
  if (f.failed.length) parts.push(`fails ${f.failed.length} check${f.failed.length === 1 ? "" : "s"}`);
  if (f.met.length) parts.push(`${f.failed.length ? "met by" : "seen on the wire by"} ${f.met.length}${f.failed.length ? " more" : ""} check${f.met.length === 1 ? "" : "s"}`);
  parts.push(`${f.operations.length} operation${f.operations.length === 1 ? "" : "s"}`);
  parts.push(`${f.occurrences} sighting${f.occurrences === 1 ? "" : "s"}`);
  return parts.join("; ");
}

/** A citation as text: the source's title, the section, the quote and the note. */
export { formatCitation as citationText } from "../harness/citations";

/** Check and finding ids are safe in a fragment link; anything else is not linked. */
export const LINKABLE_ID = /^(?:[A-Z]{2,5}-[0-9]{3}|F-[0-9a-f]{8})$/;
