// The mutation score from verdicts: what `npm run mutants` prints and writes
// to docs/mutation-score.md, for one run or for the shards of one campaign
// merged (`--shard i/n`, then `--merge a.json b.json ...`). Also the split of
// the catalogue into shards, and the fingerprint that tells two shards of one
// campaign from shards of two.

import { createHash } from "node:crypto";
import type { Level } from "../../harness/model";
import { matching, type MutantVerdict } from "./engine";
import { expectedPatterns, type Mutant, type MutantKind } from "./mutant";

/** The version of a shard's JSON (its fields' meaning). */
export const RESULT_FORMAT = 1;

/** The lowest expected-catcher score at MUST level that passes, in percent. */
export const MIN_MUST_SCORE = 95;

export interface CheckInfo {
  id: string;
  level: Level;
  title: string;
}

export interface BaselineSummary {
  /** The check patterns the baseline ran (`*`: every check). */
  scope: string[];
  /** Checks that passed in every baseline run. */
  passing: string[];
  /** Checks whose outcome the baseline runs disagree on. */
  flaky: Array<{ id: string; outcomes: string[] }>;
  /** Checks that ran and did not pass on the base, with how they ended and the finding they are an instance of. */
  notPassing: Array<{ id: string; outcome: string; message: string; finding?: { id: string; title: string } }>;
}

/** What one run of the campaign (a shard, or the whole of it as shard 1/1) found. */
export interface ShardResult {
  format: number;
  /** The fingerprint of the catalogue and of the suite's checks (see fingerprint()). */
  catalogue: string;
  /** The options of every run (the seed among them). */
  runArgs: string[];
  shard: { index: number; count: number };
  /** The --only patterns ([]: the whole catalogue). */
  only: string[];
  /** The mutants this shard ran (ids). */
  mutants: string[];
  verdicts: MutantVerdict[];
  baseline: BaselineSummary;
  /** Every check of the suite. */
  checks: CheckInfo[];
  timing: { wallMs: number; baselineMs: number; parallel: number; servers: number; load: number[]; cores: number };
}

/** The catalogue and the suite's checks, as a short hash: shards of one campaign share it. */
export function fingerprint(mutants: Mutant[], checks: Array<Pick<CheckInfo, "id" | "level">>): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(mutants.map((m) => [m.id, m.kind, m.checks, m.catches ?? null, m.emulation ?? null])));
  h.update(JSON.stringify(checks.map((c) => [c.id, c.level])));
  return h.digest("hex").slice(0, 16);
}

/** `i/n` (1 <= i <= n), or an error message. */
export function parseShard(raw: string): { index: number; count: number } | string {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(raw);
  if (!m) return `--shard expects i/n (for example 2/4), got '${raw}'`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return `--shard ${raw}: i must be between 1 and n`;
  return { index, count };
}

/**
 * The mutants split into `count` shards, balanced by their recorded durations
 * (`durations`, ms by mutant id; a mutant not recorded counts as the median of
 * those that are): longest first, each to the shard with the least time so far
 * (the first such shard on a tie). Deterministic: the same catalogue and
 * durations give the same split; every mutant is in exactly one shard, and
 * each shard keeps the catalogue's order.
 */
export function splitShards(mutants: Mutant[], count: number, durations: Record<string, number> = {}): Mutant[][] {
  const known = Object.values(durations)
    .filter((x) => Number.isFinite(x) && x > 0)
    .sort((a, b) => a - b);
  const fallback = known.length ? known[Math.floor(known.length / 2)]! : 60_000;
  const cost = (m: Mutant) => (Number.isFinite(durations[m.id]) && durations[m.id]! > 0 ? durations[m.id]! : fallback);
  const order = mutants.map((m, i) => ({ m, i })).sort((a, b) => cost(b.m) - cost(a.m) || a.m.id.localeCompare(b.m.id));
  const load = new Array<number>(count).fill(0);
  const parts: Array<Array<{ m: Mutant; i: number }>> = Array.from({ length: count }, () => []);
  for (const x of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    parts[best]!.push(x);
    load[best]! += cost(x.m);
  }
  return parts.map((p) => p.sort((a, b) => a.i - b.i).map((x) => x.m));
}

export class MergeError extends Error {}

/**
 * Checks that `results` are the shards of one campaign: the same catalogue,
 * options and selection, shards 1..n each once, no mutant in two. Throws a
 * MergeError with one line otherwise.
 */
export function checkShards(results: ShardResult[], files: string[] = results.map((_, i) => `#${i + 1}`)): void {
  if (results.length === 0) throw new MergeError("no shard to merge");
  const first = results[0]!;
  for (const [i, r] of results.entries()) {
    if (r.format !== RESULT_FORMAT) throw new MergeError(`${files[i]} is of format ${r.format}, this campaign reads ${RESULT_FORMAT}`);
    if (r.catalogue !== first.catalogue) throw new MergeError(`${files[i]} ran another catalogue of mutants or checks (${r.catalogue}) than ${files[0]} (${first.catalogue})`);
    if (JSON.stringify(r.runArgs) !== JSON.stringify(first.runArgs))
      throw new MergeError(`${files[i]} ran with other options (${r.runArgs.join(" ")}) than ${files[0]} (${first.runArgs.join(" ")}): another seed?`);
    if (JSON.stringify(r.only) !== JSON.stringify(first.only))
      throw new MergeError(`${files[i]} ran another selection (--only ${r.only.join(" ") || "none"}) than ${files[0]} (--only ${first.only.join(" ") || "none"})`);
    if (r.shard.count !== first.shard.count) throw new MergeError(`${files[i]} is shard ${r.shard.index}/${r.shard.count}, ${files[0]} is of ${first.shard.count} shards`);
  }
  const seen = new Map<number, string>();
  for (const [i, r] of results.entries()) {
    const other = seen.get(r.shard.index);
    if (other !== undefined) throw new MergeError(`${files[i]} and ${other} are both shard ${r.shard.index}/${r.shard.count}`);
    seen.set(r.shard.index, files[i]!);
  }
  const missing = Array.from({ length: first.shard.count }, (_, k) => k + 1).filter((k) => !seen.has(k));
  if (missing.length > 0) throw new MergeError(`shard${missing.length > 1 ? "s" : ""} ${missing.map((k) => `${k}/${first.shard.count}`).join(", ")} missing`);
  const owner = new Map<string, string>();
  for (const [i, r] of results.entries()) {
    for (const id of r.mutants) {
      const o = owner.get(id);
      if (o !== undefined) throw new MergeError(`mutant '${id}' is in ${o} and in ${files[i]}: the shards were split from different durations`);
      owner.set(id, files[i]!);
    }
  }
}

// ------------------------------------------------------------------ the summary

export interface KindCounts {
  total: number;
  killed: number;
  elsewhere: number;
  survived: number;
  error: number;
  /** Equivalence mutants: verdicts changed. */
  changed: number;
}

export interface Summary {
  mutants: number;
  byKind: Partial<Record<MutantKind, KindCounts>>;
  /** Bugs whose expected catchers include a MUST check (or whose kill is a MUST finding), and those killed by an expected check. */
  must: { total: number; killed: number };
  /** The other bugs (SHOULD, MAY). */
  other: { total: number; killed: number };
  verdicts: MutantVerdict[];
  equivalence: { total: number; changed: number };
  checks: {
    total: number;
    /** Checks that passed on the base in every shard's baseline. */
    passing: string[];
    /** Passing on the base and named as an expected catcher of at least one bug. */
    tested: string[];
    /** Passing on the base and named by no bug as an expected catcher. */
    untested: string[];
    notPassing: BaselineSummary["notPassing"];
    flaky: BaselineSummary["flaky"];
    /** false when the baseline ran a part of the suite only (--only): the shares are of that part. */
    whole: boolean;
  };
  shards: Array<ShardResult["timing"] & { index: number; count: number; mutants: number }>;
  /** The first shard's options and catalogue fingerprint. */
  runArgs: string[];
  catalogue: string;
}

const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

/** The summary of one or more shards of one campaign (checkShards first). */
export function summarize(results: ShardResult[], catalogue: Mutant[]): Summary {
  const verdicts = results.flatMap((r) => r.verdicts);
  const order = new Map(catalogue.map((m, i) => [m.id, i]));
  verdicts.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const byKind: Summary["byKind"] = {};
  const must = { total: 0, killed: 0 };
  const other = { total: 0, killed: 0 };
  for (const v of verdicts) {
    const k = (byKind[v.kind] ??= { total: 0, killed: 0, elsewhere: 0, survived: 0, error: 0, changed: 0 });
    k.total++;
    if (v.status === "killed") k.killed++;
    else if (v.status === "elsewhere") k.elsewhere++;
    else if (v.status === "survived") k.survived++;
    else if (v.status === "changed") k.changed++;
    else if (v.status === "error") k.error++;
    if (v.kind === "equivalence") continue;
    const bucket = v.level === "MUST" ? must : other;
    bucket.total++;
    if (v.status === "killed") bucket.killed++;
  }
  const checks = results[0]!.checks;
  const whole = results.every((r) => r.baseline.scope.includes("*"));
  const passingEverywhere = results.map((r) => new Set(r.baseline.passing)).reduce((a, b) => new Set([...a].filter((x) => b.has(x))));
  const passing = checks.map((c) => c.id).filter((id) => passingEverywhere.has(id));
  const bugs = catalogue.filter((m) => m.kind !== "equivalence" && results.some((r) => r.mutants.includes(m.id)));
  const expected = new Set(
    bugs.flatMap((m) =>
      matching(
        expectedPatterns(m),
        checks.map((c) => c.id),
      ),
    ),
  );
  const notPassing = new Map<string, BaselineSummary["notPassing"][number]>();
  for (const r of results) for (const n of r.baseline.notPassing) if (!notPassing.has(n.id)) notPassing.set(n.id, n);
  const flaky = new Map<string, BaselineSummary["flaky"][number]>();
  for (const r of results) for (const f of r.baseline.flaky) if (!flaky.has(f.id)) flaky.set(f.id, f);
  return {
    mutants: verdicts.length,
    byKind,
    must,
    other,
    verdicts,
    equivalence: { total: byKind.equivalence?.total ?? 0, changed: verdicts.filter((v) => v.kind === "equivalence" && v.status === "changed").length },
    checks: {
      total: checks.length,
      passing,
      tested: passing.filter((id) => expected.has(id)),
      untested: passing.filter((id) => !expected.has(id)),
      notPassing: checks.map((c) => notPassing.get(c.id)).filter((x): x is NonNullable<typeof x> => x !== undefined),
      flaky: [...flaky.values()],
      whole,
    },
    shards: results.map((r) => ({ ...r.timing, index: r.shard.index, count: r.shard.count, mutants: r.mutants.length })).sort((a, b) => a.index - b.index),
    runArgs: results[0]!.runArgs,
    catalogue: results[0]!.catalogue,
  };
}

export interface Gate {
  ok: boolean;
  reasons: string[];
}

/**
 * Whether the campaign passes: no equivalence change, the MUST score at
 * `minMust` or above, no run broken. A shard of several (`score: false`) is not
 * judged on its score, which only the merge of all shards gives.
 */
export function gate(s: Summary, minMust = MIN_MUST_SCORE, opts: { score?: boolean } = {}): Gate {
  const reasons: string[] = [];
  if (s.equivalence.changed > 0) reasons.push(`${s.equivalence.changed} equivalence mutant(s) changed a verdict`);
  const mustScore = ratio(s.must.killed, s.must.total) * 100;
  if (opts.score !== false && s.must.total > 0 && mustScore < minMust) reasons.push(`the MUST score (killed by an expected check) is ${pct(mustScore / 100)}, under ${minMust}%`);
  const broken = s.verdicts.filter((v) => v.status === "error" || v.problems.length > 0);
  if (broken.length > 0) reasons.push(`${broken.length} run(s) broke or had harness problems: ${broken.map((v) => v.id).join(", ")}`);
  return { ok: reasons.length === 0, reasons };
}

// ------------------------------------------------------------------ rendering

export const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
const secs = (ms: number) => `${Math.round(ms / 1000)} s`;
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Why a bug survived: its own reason, else what the verdict shows (catchers that cannot pass on the base, or that skipped). */
export function survivalReason(v: MutantVerdict, m: Mutant | undefined, checks: Map<string, CheckInfo>, notPassing: Map<string, BaselineSummary["notPassing"][number]>): string {
  const parts: string[] = [];
  if (m?.survives) parts.push(m.survives);
  const testable = v.expected.filter((id) => !v.untestable.some((u) => u.id === id));
  if (v.untestable.length > 0) {
    const shown = v.untestable.slice(0, 4).map((u) => {
      const n = notPassing.get(u.id);
      return `${u.id} [${checks.get(u.id)?.level ?? "?"}] ${u.outcome}${n?.finding ? ` (${n.finding.id}: ${clip(n.finding.title, 100)})` : ""}`;
    });
    parts.push(
      `${testable.length === 0 ? "none of its expected catchers passes on the base" : `${v.untestable.length} of its expected catchers do not pass on the base`}: ${shown.join("; ")}${v.untestable.length > 4 ? `; +${v.untestable.length - 4}` : ""}`,
    );
  }
  if (v.skipped.length > 0) parts.push(`its expected catcher(s) ${v.skipped.join(", ")} skipped behind it (did not judge)`);
  if (parts.length === 0) parts.push(`no reason recorded: its expected catchers (${v.expected.join(", ")}) passed behind it; a weak check or a mutant to rewrite`);
  return parts.join("; ");
}

/** What a mutant killed elsewhere changed. */
export function elsewhereText(v: MutantVerdict): string {
  const parts = [
    ...v.elsewhere.checks.slice(0, 4).map((k) => `${k.id} ${k.outcome}: ${clip(k.message, 140)}`),
    ...v.elsewhere.findings.slice(0, 3).map((f) => `new finding ${f.id} [${f.level}] ${clip(f.title, 100)} (${f.checks.slice(0, 4).join(", ")})`),
  ];
  const more = v.elsewhere.checks.length + v.elsewhere.findings.length - parts.length;
  return `${parts.join("; ")}${more > 0 ? `; +${more}` : ""}`;
}

/** How an equivalence mutant changed verdicts. */
export function changesText(v: MutantVerdict, n = 6): string[] {
  return [
    ...v.changes
      .slice(0, n)
      .map((c) => `${c.check}: ${c.before.outcome}${c.before.message ? ` (${clip(c.before.message, 120)})` : ""} → ${c.after.outcome}${c.after.message ? ` (${clip(c.after.message, 160)})` : ""}`),
    ...v.findingsAdded.map((f) => `finding added ${f.id} [${f.level}] ${clip(f.title, 120)} (${f.checks.slice(0, 4).join(", ")})`),
    ...v.findingsRemoved.map((f) => `finding removed ${f.id} [${f.level}] ${clip(f.title, 120)}`),
    ...(v.changes.length > n ? [`+${v.changes.length - n} more checks`] : []),
  ];
}

/** The figures, as `npm run mutants` prints them. */
export function textSummary(s: Summary, catalogue: Mutant[], g: Gate): string[] {
  const byId = new Map(catalogue.map((m) => [m.id, m]));
  const L: string[] = [];
  const bugs = s.must.total + s.other.total;
  L.push(
    `mutants: ${s.mutants} (${Object.entries(s.byKind)
      .map(([k, v]) => `${k} ${v.total}`)
      .join(", ")})`,
  );
  L.push(
    `killed by an expected check: MUST ${s.must.killed}/${s.must.total} (${pct(ratio(s.must.killed, s.must.total))}), SHOULD/MAY ${s.other.killed}/${s.other.total} (${pct(ratio(s.other.killed, s.other.total))}); all ${s.must.killed + s.other.killed}/${bugs}`,
  );
  for (const [k, v] of Object.entries(s.byKind)) {
    if (k === "equivalence") continue;
    L.push(`  ${k.padEnd(9)} ${v.killed}/${v.total} killed, ${v.elsewhere} elsewhere, ${v.survived} survived${v.error ? `, ${v.error} error` : ""}`);
  }
  const elsewhere = s.verdicts.filter((v) => v.status === "elsewhere");
  L.push(`killed elsewhere (not counted) (${elsewhere.length}):`);
  for (const v of elsewhere) L.push(`  ${v.id}: ${elsewhereText(v)}`);
  const survivors = s.verdicts.filter((v) => v.status === "survived");
  const checks = new Map<string, CheckInfo>();
  const notPassing = new Map(s.checks.notPassing.map((n) => [n.id, n]));
  L.push(`survivors (${survivors.length}):`);
  for (const v of survivors) L.push(`  ${v.id}: ${survivalReason(v, byId.get(v.id), checks, notPassing)}`);
  L.push(`equivalence mutants: ${s.equivalence.total}, with verdict changes: ${s.equivalence.changed}`);
  for (const v of s.verdicts.filter((x) => x.status === "changed")) for (const line of changesText(v)) L.push(`  ${v.id}: ${line}`);
  const broken = s.verdicts.filter((v) => v.status === "error" || v.problems.length > 0);
  L.push(`runs with harness problems (${broken.length}): ${broken.map((v) => `${v.id} (${clip(v.problems.join("; "), 200)})`).join(", ") || "none"}`);
  L.push(
    `checks mutation-tested: ${s.checks.tested.length} of ${s.checks.total} (${pct(ratio(s.checks.tested.length, s.checks.total))}); ${s.checks.passing.length} pass on the base, ${s.checks.untested.length} of them named by no mutant${s.checks.whole ? "" : " (a part of the suite: --only)"}`,
  );
  for (const sh of s.shards)
    L.push(
      `shard ${sh.index}/${sh.count}: ${sh.mutants} mutants in ${secs(sh.wallMs)} (baseline ${secs(sh.baselineMs)}), ${sh.parallel} at a time on ${sh.servers} server(s), ${sh.cores} cores, load ${sh.load.map((x) => x.toFixed(1)).join(" → ")}`,
    );
  L.push(g.ok ? "PASSED" : `FAILED: ${g.reasons.join("; ")}`);
  return L;
}

/** docs/mutation-score.md. */
export function markdown(s: Summary, catalogue: Mutant[], checkList: CheckInfo[], g: Gate, notes: { unrepaired?: Record<string, string>; unkilled?: Record<string, string> } = {}): string {
  const byId = new Map(catalogue.map((m) => [m.id, m]));
  const checks = new Map(checkList.map((c) => [c.id, c]));
  const notPassing = new Map(s.checks.notPassing.map((n) => [n.id, n]));
  const L: string[] = [];
  const bugs = s.must.total + s.other.total;
  L.push("# Mutation score", "");
  L.push("Written by `npm run mutants` (scripts/mutants/campaign.ts; for shards, `npm run mutants -- --merge`); do not edit by hand.");
  L.push("The mutants are in [`scripts/mutants/catalogue.ts`](../scripts/mutants/catalogue.ts) and its `parts/`, the legal variations in");
  L.push("[`scripts/mutants/equivalence.ts`](../scripts/mutants/equivalence.ts), the proxy and the fault library next to them.", "");
  L.push(`**MUST: ${s.must.killed}/${s.must.total} killed by an expected check: ${pct(ratio(s.must.killed, s.must.total))}.**`, "");
  L.push(`**SHOULD/MAY: ${s.other.killed}/${s.other.total} killed by an expected check: ${pct(ratio(s.other.killed, s.other.total))}.**`, "");
  L.push(`**Equivalence mutants: ${s.equivalence.total}, with verdict changes: ${s.equivalence.changed}.**`, "");
  L.push(
    `**Checks mutation-tested: ${s.checks.tested.length} of ${s.checks.total} (${pct(ratio(s.checks.tested.length, s.checks.total))}).** ${s.checks.passing.length} pass on the base; ${s.checks.untested.length} of those are named by no mutant.`,
    "",
  );
  L.push(
    `Verdict: ${g.ok ? "passed" : `failed (${g.reasons.join("; ")})`}. The campaign fails on any equivalence change, an expected-catcher MUST score under ${MIN_MUST_SCORE}%, or a broken run.`,
    "",
  );
  L.push("| kind | mutants | killed by an expected check | killed elsewhere | survived | error | verdicts changed |", "|---|---:|---:|---:|---:|---:|---:|");
  for (const [k, v] of Object.entries(s.byKind)) {
    L.push(k === "equivalence" ? `| ${k} | ${v.total} | – | – | – | ${v.error} | ${v.changed} |` : `| ${k} | ${v.total} | ${v.killed} | ${v.elsewhere} | ${v.survived} | ${v.error} | – |`);
  }
  L.push(
    `| all bugs | ${bugs} | ${s.must.killed + s.other.killed} | ${s.verdicts.filter((v) => v.status === "elsewhere").length} | ${s.verdicts.filter((v) => v.status === "survived").length} | ${s.verdicts.filter((v) => v.kind !== "equivalence" && v.status === "error").length} | – |`,
    "",
  );
  const wall =
    s.shards.length === 1
      ? `Wall time: ${secs(s.shards[0]!.wallMs)}`
      : `Wall time: ${s.shards.length} shards, the longest ${secs(Math.max(...s.shards.map((x) => x.wallMs)))}, ${secs(s.shards.reduce((a, x) => a + x.wallMs, 0))} in all`;
  L.push(
    `${wall}; ${s.shards.map((x) => `shard ${x.index}/${x.count}: ${x.mutants} mutants in ${secs(x.wallMs)} (baseline ${secs(x.baselineMs)}), ${x.parallel} at a time on ${x.servers} server(s), ${x.cores} cores, load average ${x.load.map((l) => l.toFixed(1)).join(" → ")}`).join("; ")}.`,
    "",
  );

  L.push("## How it is measured", "");
  L.push("- **The server (the base).** The embedded reference server behind the fault proxy, with the deviations that keep checks from");
  L.push("  passing repaired where the proxy can (`repairs` in scripts/mutants/faults.ts), and crons, MCP and GET /metrics emulated as the");
  L.push("  contract describes them (`base()` in the catalogue). Each mutant breaks one thing on top of that.");
  L.push("- **The baseline.** The checks against the base with no mutant, twice at once, and once more amid the mutant runs (the control,");
  L.push("  under their load). A check *passes on the base* when it passed in all three; one that passed in some only is *flaky* and");
  L.push("  judges no mutant. A finding any of the three had is no mutant's.");
  L.push(`- **A bug's run** (kinds response, request, stream): only the checks its patterns name, with the options of every run (\`${s.runArgs.join(" ")}\`).`);
  L.push("  Each names its **expected catchers** (`catches`): the checks whose claim its bug breaks.");
  L.push("- **Killed by an expected check** when an expected catcher that passes on the base ends at its own level (fail for MUST, warn for");
  L.push("  SHOULD, notice for MAY), or when a finding no baseline run had appears that an expected catcher failed or met (a wire");
  L.push("  deviation: a dropped field, an error body as text/plain, reported as a finding by every check that meets it). A bug counts at");
  L.push("  **MUST** when its expected catchers include a MUST check or its kill is a MUST finding; the others count at SHOULD/MAY.");
  L.push("- **Killed elsewhere** when only other checks (or an expected one below its level) stopped passing, or only findings of other");
  L.push("  checks appeared: listed below with what changed, never counted (what was seen may be a side effect of the fault).");
  L.push("- `skip` is not a kill (the check did not judge) and `error` never is (a harness error is the suite's bug). A run that broke");
  L.push("  (no report, exit code 2, a harness error and no kill) is an *error*, and fails the campaign.");
  L.push("- **Equivalence mutants** run every check behind a legal variation (line endings, comments, key order, gzip, ...). Each must");
  L.push("  leave every stable check's outcome and failure reason (its message with ids, times and quoted data masked, and the");
  L.push("  finding it is an instance of) as the baseline had them, and add or remove no finding.");
  L.push("- **Mutation-tested**: a check that passes on the base and is named as an expected catcher of at least one bug.", "");

  const elsewhere = s.verdicts.filter((v) => v.status === "elsewhere");
  L.push(`## Killed elsewhere (${elsewhere.length}, not counted)`, "");
  L.push("Investigated: what changed behind each, though no expected catcher noticed. A side effect of the fault, or an expected");
  L.push("catcher to add (if the check that noticed judges the mutant's bug) or a weak expected check.", "");
  if (elsewhere.length === 0) L.push("None.");
  for (const v of elsewhere) L.push(`- **${v.id}** (${v.kind}, expects ${cell(v.expected.join(", "))}): ${cell(elsewhereText(v))}`);
  L.push("");

  const survivors = s.verdicts.filter((v) => v.status === "survived");
  L.push(`## Survivors (${survivors.length})`, "");
  if (survivors.length === 0) L.push("None.");
  for (const v of survivors) {
    const m = byId.get(v.id);
    L.push(`- **${v.id}** (${v.kind}, ${v.level}): ${cell(m?.description ?? "")}. ${cell(survivalReason(v, m, checks, notPassing))}.`);
  }
  L.push("");

  const changed = s.verdicts.filter((v) => v.status === "changed");
  L.push(`## Equivalence mutants (${s.equivalence.total}; verdicts changed by ${changed.length})`, "");
  for (const v of s.verdicts.filter((x) => x.kind === "equivalence")) {
    L.push(`- **${v.id}**: ${cell(byId.get(v.id)?.description ?? "")}: ${v.status === "equivalent" ? `no verdict changed (${v.candidates} checks compared)` : v.status}`);
    for (const line of changesText(v)) L.push(`  - ${cell(line)}`);
  }
  L.push("");

  const broken = s.verdicts.filter((v) => v.status === "error" || v.problems.length > 0);
  L.push(`## Runs with harness problems (${broken.length})`, "");
  if (broken.length === 0) L.push("None.");
  for (const v of broken)
    L.push(
      `- **${v.id}** (${v.status}): ${v.problems
        .slice(0, 5)
        .map((p) => cell(clip(p, 300)))
        .join("; ")}`,
    );
  L.push("");

  L.push(`## Checks that do not pass on the base (${s.checks.notPassing.length} of ${s.checks.total})`, "");
  L.push("No mutant can test these: each is a deviation of the reference server the proxy does not repair (the finding it is an");
  L.push("instance of, and why it is left), a prerequisite the base does not offer (a skip), or a check that fails on its own.", "");
  if (s.checks.notPassing.length === 0) L.push("None.");
  for (const n of s.checks.notPassing) {
    const c = checks.get(n.id);
    const why = notes.unrepaired?.[n.id] ?? (n.finding ? notes.unrepaired?.[n.finding.id] : undefined);
    L.push(`- **${n.id}** [${c?.level ?? "?"}] ${n.outcome}: ${n.finding ? `${n.finding.id} ${cell(clip(n.finding.title, 140))}` : cell(clip(n.message, 160))}${why ? `. ${cell(why)}` : ""}`);
  }
  L.push("");
  L.push(`## Checks that pass on the base and no mutant expects (${s.checks.untested.length})`, "");
  L.push("Each passes on the base and can be mutation-tested; no mutant names it as an expected catcher yet.", "");
  if (s.checks.untested.length === 0) L.push("None.");
  for (const id of s.checks.untested) L.push(`- **${id}** [${checks.get(id)?.level ?? "?"}] ${cell(checks.get(id)?.title ?? "")}${notes.unkilled?.[id] ? `. ${cell(notes.unkilled[id]!)}` : ""}`);
  L.push("");
  L.push(`## Flaky checks (${s.checks.flaky.length})`, "");
  L.push("Passed in some baseline runs and not in others; not used to judge mutants.", "");
  if (s.checks.flaky.length === 0) L.push("None.");
  for (const f of s.checks.flaky) L.push(`- **${f.id}**: ${f.outcomes.map((o) => cell(clip(o, 160))).join(" / ")}`);
  L.push("");

  L.push(`## Every mutant (${s.mutants})`, "");
  L.push("| mutant | kind | the bug | expected catchers | verdict | what noticed |", "|---|---|---|---|---|---|");
  for (const v of s.verdicts) {
    const m = byId.get(v.id);
    const first = v.killedBy[0];
    const fk = v.findingKills[0];
    const what =
      v.status === "killed"
        ? first
          ? `${first.id} ${first.outcome}${v.killedBy.length > 1 ? ` (+${v.killedBy.length - 1})` : ""}: ${clip(first.message)}`
          : `new finding ${fk!.id} [${fk!.level}] ${clip(fk!.title, 120)} (${fk!.checks.slice(0, 3).join(", ")})`
        : v.status === "elsewhere"
          ? elsewhereText(v)
          : v.status === "changed"
            ? changesText(v, 2).join("; ")
            : "";
    const verdict = v.kind === "equivalence" ? v.status : `${v.status}${v.level ? ` (${v.level})` : ""}`;
    L.push(`| ${v.id} | ${v.kind} | ${cell(m?.description ?? "")} | ${cell((m ? expectedPatterns(m) : []).join(" "))} | ${verdict} | ${cell(what)} |`);
  }
  L.push("");
  return L.join("\n");
}
