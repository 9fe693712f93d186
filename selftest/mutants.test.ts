// The mutation score's machinery (scripts/mutants/, `npm run mutants`): the
// catalogue is valid against the suite's catalog of checks and covers what the
// issues list; the engine's judgement (killed by an expected check, killed
// elsewhere, a kill by a new finding, an equivalence mutant that changed a
// verdict) on made-up runs; the split into shards and the merge of their
// verdicts; and a few mutants end to end through the same engine as the
// campaign.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckMeta, Level } from "../harness/model";
import type { Finding, Report } from "../reporters/model";
import { startReferenceServer, type StartedServer } from "../harness/targets/reference";
import { CATALOGUE, mutant, type Mutant } from "../scripts/mutants/catalogue";
import { baselineOf, confirmEquivalence, judge, runBaseline, runMutant, skeleton, validateCatalogue, type CampaignOptions, type RunOutcome } from "../scripts/mutants/engine";
import { checkShards, fingerprint, gate, MergeError, RESULT_FORMAT, splitShards, summarize, type ShardResult } from "../scripts/mutants/score";
import { dropField, editOk, route } from "../scripts/mutants/faults";
import { runCli } from "./support/cli";

// ------------------------------------------------------------------ made-up runs

type C = { id: string; level?: Level; outcome: string; message?: string; finding?: string };
const LEVELS = new Map<string, Level>([
  ["A-1", "MUST"],
  ["A-2", "MUST"],
  ["B-1", "SHOULD"],
  ["B-2", "MUST"],
]);
const finding = (id: string, failed: string[], met: string[], level: Level = "MUST"): Finding =>
  ({
    id,
    signature: id,
    title: `finding ${id}`,
    level,
    seenBy: [],
    operations: [],
    occurrences: 1,
    failed: failed.map((x) => ({ id: x, level: LEVELS.get(x) ?? "MUST", outcome: "fail" })),
    met,
    words: [],
    example: { check: "", message: "" },
  }) as Finding;
const report = (checks: C[], findings: Finding[] = []): Report =>
  ({ checks: checks.map((c) => ({ level: LEVELS.get(c.id) ?? "MUST", message: "", ...c })), findings, problems: [] }) as unknown as Report;
const run = (r: Report, code = 1): RunOutcome => ({ name: "m", code, report: r, stderr: "", ms: 1000 });
const bug = (catches: string[], checks = ["A-*", "B-*"]): Pick<Mutant, "id" | "kind" | "checks" | "catches"> => ({ id: "m", kind: "response", checks, catches });
const allPass = () => [
  { id: "A-1", outcome: "pass" },
  { id: "A-2", outcome: "pass" },
  { id: "B-1", outcome: "pass" },
  { id: "B-2", outcome: "fail", message: "answered 400, expected 422", finding: "F-base" },
];
const BASE = baselineOf([report(allPass(), [finding("F-base", ["B-2"], [])]), report(allPass(), [finding("F-base", ["B-2"], [])])]);

describe("the judgement of a bug", () => {
  it("counts a kill by an expected check at its level, and a kill by another check as elsewhere", () => {
    const r = report([
      { id: "A-1", outcome: "fail", message: "broken" },
      { id: "A-2", outcome: "pass" },
      { id: "B-1", outcome: "warn", message: "side effect" },
      { id: "B-2", outcome: "fail" },
    ]);
    const expected = judge(bug(["A-1"]), BASE, run(r), LEVELS);
    expect(expected.status).toBe("killed");
    expect(expected.killedBy.map((k) => k.id)).toEqual(["A-1"]);
    expect(expected.elsewhere.checks.map((k) => k.id)).toEqual(["B-1"]);
    expect(expected.level).toBe("MUST");
    const elsewhere = judge(bug(["A-2"]), BASE, run(r), LEVELS);
    expect(elsewhere.status).toBe("elsewhere");
    expect(elsewhere.killedBy).toEqual([]);
    expect(elsewhere.elsewhere.checks.map((k) => k.id)).toEqual(["A-1", "B-1"]);
  });

  it("counts a check only at its own level: a MUST check that warns is no kill; a SHOULD check that warns is", () => {
    const warnMust = judge(
      bug(["A-1"]),
      BASE,
      run(
        report([
          { id: "A-1", outcome: "warn" },
          { id: "B-1", outcome: "pass" },
        ]),
      ),
      LEVELS,
    );
    expect(warnMust.status).toBe("elsewhere");
    const warnShould = judge(
      bug(["B-1"]),
      BASE,
      run(
        report([
          { id: "A-1", outcome: "pass" },
          { id: "B-1", outcome: "warn" },
        ]),
      ),
      LEVELS,
    );
    expect(warnShould.status).toBe("killed");
    expect(warnShould.level).toBe("other");
  });

  it("counts a new finding an expected check met as a kill (a wire deviation no check fails on), at the finding's level", () => {
    const r = report(allPass(), [finding("F-base", ["B-2"], []), finding("F-new", [], ["B-1", "A-2"])]);
    const v = judge(bug(["B-1"]), BASE, run(r), LEVELS);
    expect(v.status).toBe("killed");
    expect(v.findingKills).toEqual([{ id: "F-new", title: "finding F-new", level: "MUST", checks: ["B-1"] }]);
    // Its expected catcher is SHOULD, but the kill is a MUST finding: it counts at MUST.
    expect(v.level).toBe("MUST");
    // A finding the baseline had is nobody's kill, even when an expected check now meets it.
    const old = judge(bug(["A-1"]), BASE, run(report(allPass(), [finding("F-base", ["B-2"], ["A-1"])])), LEVELS);
    expect(old.status).toBe("survived");
    // A new finding only other checks met: killed elsewhere.
    const other = judge(bug(["A-1"]), BASE, run(r), LEVELS);
    expect(other.status).toBe("elsewhere");
    expect(other.elsewhere.findings.map((f) => f.id)).toEqual(["F-new"]);
  });

  it("reports expected catchers that do not pass on the base, never counts a skip or a harness error as a kill", () => {
    const v = judge(bug(["B-2"]), BASE, run(report(allPass())), LEVELS);
    expect(v.status).toBe("survived");
    expect(v.untestable).toEqual([{ id: "B-2", outcome: "fail", finding: "F-base" }]);
    expect(judge(bug(["A-1"]), BASE, run(report([{ id: "A-1", outcome: "skip" }])), LEVELS)).toMatchObject({ status: "survived", skipped: ["A-1"] });
    expect(judge(bug(["A-1"]), BASE, run(report([{ id: "A-1", outcome: "error", message: "oops" }]), 2), LEVELS).status).toBe("error");
    expect(judge(bug(["A-1"]), BASE, { name: "m", code: null, error: "timed out", stderr: "", ms: 1 }, LEVELS).status).toBe("error");
  });
});

describe("the judgement of an equivalence mutant", () => {
  const eqm = { id: "eq", kind: "equivalence" as const, checks: ["*"] };
  const withIds = (m: string) => [
    { id: "A-1", outcome: "pass" },
    { id: "A-2", outcome: "pass" },
    { id: "B-1", outcome: "pass" },
    { id: "B-2", outcome: "fail", message: m, finding: "F-base" },
  ];
  const base = baselineOf([
    report(withIds('thread 1b4e28ba-2fa1-11d2-883f-0016d3cca427 answered 400 at 2024-06-01T10:00:00.000Z after 120 ms: {"detail":"x"}'), [finding("F-base", ["B-2"], [])]),
    report(withIds('thread 6ba7b810-9dad-11d1-80b4-00c04fd430c8 answered 400 at 2024-06-01T10:00:03.010Z after 95 ms: {"detail":"x"}'), [finding("F-base", ["B-2"], [])]),
  ]);
  it("sees no change where only ids, times, durations and the spelling of quoted data differ", () => {
    const r = report(withIds('thread 00000000-0000-4000-8000-000000000000 answered 400 at 2025-01-01T00:00:00Z after 3 ms: {"detail":"\\u0078","x_extra":1}'), [finding("F-base", ["B-2"], [])]);
    expect(judge(eqm, base, run(r), LEVELS)).toMatchObject({ status: "equivalent", changes: [] });
  });
  it("sees an outcome changed (pass to fail, fail to pass, pass to skip), a failure reason changed, a finding added or removed", () => {
    const outcome = report(
      [
        { id: "A-1", outcome: "fail", message: "now fails" },
        { id: "A-2", outcome: "skip" },
        { id: "B-1", outcome: "pass" },
        { id: "B-2", outcome: "pass" },
      ],
      [],
    );
    const v = judge(eqm, base, run(outcome), LEVELS);
    expect(v.status).toBe("changed");
    expect(v.changes.map((c) => `${c.check} ${c.before.outcome}->${c.after.outcome}`)).toEqual(["A-1 pass->fail", "A-2 pass->skip", "B-2 fail->pass"]);
    expect(v.findingsRemoved.map((f) => f.id)).toEqual(["F-base"]);
    const reason = judge(
      eqm,
      base,
      run(report(withIds("thread 1b4e28ba-2fa1-11d2-883f-0016d3cca427 answered 415 at 2024-06-01T10:00:00.000Z after 120 ms"), [finding("F-base", ["B-2"], []), finding("F-added", [], ["A-1"])])),
      LEVELS,
    );
    expect(reason.status).toBe("changed");
    expect(reason.changes.map((c) => c.check)).toEqual(["B-2"]);
    expect(reason.findingsAdded.map((f) => f.id)).toEqual(["F-added"]);
  });
  it("counts a change only when a second run shows it too (a check a loaded machine slowed once is no false positive)", () => {
    const first = judge(
      eqm,
      base,
      run(
        report(
          [
            { id: "A-1", outcome: "fail", message: "slow" },
            { id: "A-2", outcome: "fail", message: "wrong" },
          ],
          [finding("F-base", ["B-2"], [])],
        ),
      ),
      LEVELS,
    );
    const second = judge(
      eqm,
      base,
      run(
        report(
          [
            { id: "A-1", outcome: "pass" },
            { id: "A-2", outcome: "fail", message: "wrong" },
          ],
          [finding("F-base", ["B-2"], [])],
        ),
      ),
      LEVELS,
    );
    const v = confirmEquivalence(first, second);
    expect(v.status).toBe("changed");
    expect(v.changes.map((c) => c.check)).toEqual(["A-2"]);
    const gone = confirmEquivalence(
      first,
      judge(eqm, base, run(report(withIds("thread 1b4e28ba-2fa1-11d2-883f-0016d3cca427 answered 400 at 2024-06-01T10:00:00.000Z after 1 ms: {}"), [finding("F-base", ["B-2"], [])])), LEVELS),
    );
    expect(gone.status).toBe("equivalent");
  });
  it("leaves out a check whose outcome the baseline runs disagree on", () => {
    const flaky = baselineOf([report([{ id: "A-1", outcome: "pass" }]), report([{ id: "A-1", outcome: "fail", message: "slow" }])]);
    expect(flaky.flaky.map((f) => f.id)).toEqual(["A-1"]);
    expect(judge(eqm, flaky, run(report([{ id: "A-1", outcome: "fail" }])), LEVELS).status).toBe("equivalent");
  });
  it("masks data in a failure message, never the reason in the check's words", () => {
    expect(skeleton('POST /threads answered 400, expected 422: {"detail": "bad"} [case: {"a": [1, 2]}]')).toBe("POST /threads answered 400, expected 422: {…} […]");
    expect(skeleton("answered 400")).not.toBe(skeleton("answered 422"));
    expect(skeleton("answered 404 application/json; charset=utf-8 {}")).toBe(skeleton("answered 404 application/json {}"));
    expect(skeleton("answered 404 application/json")).not.toBe(skeleton("answered 404 text/plain"));
  });
});

// ------------------------------------------------------------------ shards

const MUTANTS = Array.from({ length: 23 }, (_, i): Mutant => ({
  id: `mut-${String(i).padStart(2, "0")}`,
  kind: i % 5 === 4 ? "equivalence" : "response",
  description: "x",
  checks: ["A-*"],
  ...(i % 5 === 4 ? {} : { catches: ["A-1"] }),
  fault: () => ({}),
}));
const DURATIONS = Object.fromEntries(MUTANTS.map((m, i) => [m.id, 1000 * ((i * 7) % 11) + 500]));

describe("shards", () => {
  it("split the catalogue deterministically, each mutant in exactly one shard, balanced by the recorded durations", () => {
    for (const n of [1, 2, 3, 4, 7]) {
      const a = splitShards(MUTANTS, n, DURATIONS);
      const b = splitShards([...MUTANTS], n, { ...DURATIONS });
      expect(a.map((p) => p.map((m) => m.id))).toEqual(b.map((p) => p.map((m) => m.id)));
      const ids = a.flat().map((m) => m.id);
      expect(ids.length).toBe(MUTANTS.length);
      expect(new Set(ids)).toEqual(new Set(MUTANTS.map((m) => m.id)));
      const loads = a.map((p) => p.reduce((s, m) => s + DURATIONS[m.id]!, 0));
      // Greedy longest-first: no shard is longer than the average by more than the longest mutant.
      expect(Math.max(...loads) - loads.reduce((x, y) => x + y, 0) / n).toBeLessThanOrEqual(Math.max(...Object.values(DURATIONS)));
      // Each shard keeps the catalogue's order.
      for (const p of a) expect(p.map((m) => m.id)).toEqual([...p.map((m) => m.id)].sort());
    }
    // Without durations: by count.
    expect(
      splitShards(MUTANTS, 4)
        .map((p) => p.length)
        .sort(),
    ).toEqual([5, 6, 6, 6]);
  });

  const CHECKS = [
    { id: "A-1", level: "MUST" as Level, title: "a1" },
    { id: "A-2", level: "MUST" as Level, title: "a2" },
  ];
  const shard = (index: number, count: number, mutants: Mutant[], over: Partial<ShardResult> = {}): ShardResult => ({
    format: RESULT_FORMAT,
    catalogue: fingerprint(MUTANTS, CHECKS),
    runArgs: ["--seed", "1"],
    shard: { index, count },
    only: [],
    mutants: mutants.map((m) => m.id),
    verdicts: mutants.map((m) => ({
      ...judge(
        m,
        baselineOf([
          report([
            { id: "A-1", outcome: "pass" },
            { id: "A-2", outcome: "pass" },
          ]),
        ]),
        run(
          report([
            { id: "A-1", outcome: Number(m.id.slice(4)) % 3 === 0 ? "pass" : "fail" },
            { id: "A-2", outcome: "pass" },
          ]),
        ),
        new Map(CHECKS.map((c) => [c.id, c.level])),
      ),
      ms: 10,
    })),
    baseline: { scope: ["*"], passing: ["A-1", "A-2"], flaky: [], notPassing: [] },
    checks: CHECKS,
    timing: { wallMs: 1, baselineMs: 1, parallel: 1, servers: 1, load: [0, 0], cores: 2 },
    ...over,
  });

  it("merge into the score the unsharded campaign gives", () => {
    const whole = summarize([shard(1, 1, MUTANTS)], MUTANTS);
    const parts = splitShards(MUTANTS, 3, DURATIONS).map((p, i) => shard(i + 1, 3, p));
    checkShards(parts);
    const merged = summarize([parts[2]!, parts[0]!, parts[1]!], MUTANTS);
    expect(merged.verdicts.map((v) => [v.id, v.status])).toEqual(whole.verdicts.map((v) => [v.id, v.status]));
    expect([merged.must, merged.other, merged.equivalence, merged.byKind]).toEqual([whole.must, whole.other, whole.equivalence, whole.byKind]);
    expect(merged.checks.tested).toEqual(whole.checks.tested);
    expect(gate(merged).ok).toBe(gate(whole).ok);
  });

  it("refuse shards of another catalogue or seed, a shard twice, a missing shard, a mutant in two shards: each with one line", () => {
    const [a, b] = splitShards(MUTANTS, 2, DURATIONS);
    const one = (over: Partial<ShardResult>) => [shard(1, 2, a!), shard(2, 2, b!, over)];
    const refused = (results: ShardResult[]) => {
      try {
        checkShards(results, ["a.json", "b.json"]);
      } catch (e) {
        expect(e).toBeInstanceOf(MergeError);
        expect((e as Error).message).not.toContain("\n");
        return (e as Error).message;
      }
      return "accepted";
    };
    expect(refused(one({ catalogue: "0123456789abcdef" }))).toMatch(/another catalogue/);
    expect(refused(one({ runArgs: ["--seed", "2"] }))).toMatch(/another seed/);
    expect(refused([shard(1, 2, a!), shard(1, 2, b!)])).toMatch(/both shard 1\/2/);
    expect(refused([shard(1, 2, a!)])).toMatch(/shard 2\/2 missing/);
    expect(refused([shard(1, 2, a!), shard(2, 2, [...b!, a![0]!])])).toMatch(/is in a\.json and in b\.json/);
    expect(refused(one({}))).toBe("accepted");
  });

  it("`npm run mutants -- --merge` refuses shards of different seeds with one line and exit code 2", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "lgc-merge-"));
    try {
      const [a, b] = splitShards(MUTANTS, 2, DURATIONS);
      await writeFile(join(dir, "a.json"), JSON.stringify(shard(1, 2, a!)));
      await writeFile(join(dir, "b.json"), JSON.stringify(shard(2, 2, b!, { runArgs: ["--seed", "2"] })));
      const campaign = fileURLToPath(new URL("../scripts/mutants/campaign.ts", import.meta.url));
      const r = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", campaign, "--merge", join(dir, "a.json"), join(dir, "b.json"), "--out", "-"], { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
      });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^mutants: .*b\.json ran with other options .*another seed\?/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// ------------------------------------------------------------------ the catalogue

describe("the mutant catalogue", () => {
  let checks: CheckMeta[];
  beforeAll(async () => {
    const r = await runCli(["list", "--json"], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    checks = JSON.parse(r.stdout);
  }, 150_000);

  it("is valid: kebab-case ids declared once, one-line descriptions, patterns that match checks, every bug with expected catchers among the checks it runs", () => {
    expect(validateCatalogue(CATALOGUE, checks)).toEqual([]);
  });

  it("has at least 50 mutants, of each kind of bug, and the equivalence mutants the issue lists", () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(50);
    for (const kind of ["response", "stream", "request"]) expect(CATALOGUE.filter((m) => m.kind === kind).length, kind).toBeGreaterThanOrEqual(10);
    const eqs = [
      "eq-sse-crlf",
      "eq-sse-cr",
      "eq-sse-comments",
      "eq-sse-bom",
      "eq-one-byte-chunks",
      "eq-sse-no-space",
      "eq-sse-multiline-data",
      "eq-json-key-order",
      "eq-json-escapes",
      "eq-json-extra-fields",
      "eq-json-numbers",
      "eq-charset",
      "eq-connection-close",
      "eq-content-length",
      "eq-header-order",
      "eq-keep-alive",
      "eq-gzip",
    ];
    for (const id of eqs) expect(mutant(id).kind, id).toBe("equivalence");
  });

  it("is the one docs/mutation-score.md measured (rerun `npm run mutants` after changing it): MUST score of 95% at least, no equivalence change", () => {
    const md = readFileSync(new URL("../docs/mutation-score.md", import.meta.url), "utf8");
    const must = /\*\*MUST: (\d+)\/(\d+) killed by an expected check: ([\d.]+)%\.\*\*/.exec(md);
    expect(must, "the MUST score line").not.toBeNull();
    expect(Number(must![3])).toBeGreaterThanOrEqual(95);
    expect(md).toMatch(/\*\*Equivalence mutants: \d+, with verdict changes: 0\.\*\*/);
    for (const x of CATALOGUE) expect(md, x.id).toContain(`| ${x.id} | ${x.kind} |`);
    expect(readFileSync(new URL("../README.md", import.meta.url), "utf8")).toContain("(docs/mutation-score.md)");
  });

  it("covers every kind of bug the issue lists", () => {
    // Issue 9, item 1: one mutant at least for each.
    const listed = [
      "assistant-create-409-as-422",
      "thread-get-404-as-500",
      "thread-create-200-as-201",
      "assistant-create-drops-graph_id",
      "assistant-version-as-string",
      "thread-get-other-id",
      "assistant-get-as-html",
      "thread-errors-as-text",
      "thread-search-one-more",
      "thread-search-reversed",
      "stream-mixed-line-endings",
      "stream-blank-line-missing",
      "stream-last-unterminated",
      "stream-metadata-missing",
      "stream-metadata-not-first",
      "stream-event-duplicated",
      "stream-events-reordered",
      "stream-last-event-dropped",
      "stream-id-backwards",
      "stream-data-not-json",
      "stream-never-ends",
      "stream-cut-midway",
      "thread-search-limit-ignored",
      "thread-search-offset-ignored",
      "thread-search-metadata-ignored",
      "multitask_strategy-ignored",
      "thread-if_exists-ignored",
      "stream_mode-ignored",
      "stream_subgraphs-ignored",
      "run-after_seconds-ignored",
      "stateless-on_completion-ignored",
      "cancel-action-ignored",
      "last-event-id-dropped",
    ];
    for (const id of listed) expect(() => mutant(id), id).not.toThrow();
  });
});

// ------------------------------------------------------------------ end to end

describe("mutants run end to end", () => {
  let server: StartedServer;
  let dir: string;
  let opts: CampaignOptions;
  let levels: Map<string, Level>;
  let baseline: ReturnType<typeof baselineOf>;
  const chosen = ["ok-says-false", "thread-search-limit-ignored", "stream-metadata-missing"].map(mutant);
  // A mutant that changes nothing: it must survive, or kills are not what they seem.
  const inert: Mutant = { id: "inert", kind: "response", description: "changes nothing", checks: ["SYS-001", "THR-053"], catches: ["SYS-001", "THR-053"], fault: () => ({}) };
  // A real bug judged against a check that does not judge it: killed elsewhere, not counted.
  const misattributed: Mutant = { ...mutant("ok-says-false"), id: "ok-says-false-misattributed", checks: ["SYS-001", "SYS-002", "THR-053"], catches: ["THR-053"] };
  // A wire-only fault (a required field dropped): no check fails on it, a new finding shows it.
  const wireOnly: Mutant = {
    id: "thread-drops-created_at-wire",
    kind: "response",
    description: "threads lack created_at",
    checks: ["THR-001"],
    catches: ["THR-001"],
    fault: () => ({ response: dropField(route("POST", "/threads"), "created_at") }),
  };
  // Legal variations on a few checks (JSON and streams), and a "variation" that is none.
  const keyOrder: Mutant = { ...mutant("eq-json-key-order"), checks: ["THR-001", "THR-053", "STR-001", "SYS-001"] };
  const crlf: Mutant = { ...mutant("eq-sse-crlf"), checks: ["THR-001", "THR-053", "STR-001", "SYS-001"] };
  const notLegal: Mutant = {
    id: "eq-not-legal",
    kind: "equivalence",
    description: "GET /ok says false",
    checks: ["THR-001", "THR-053", "STR-001", "SYS-001"],
    fault: () => ({ response: editOk(route("GET", "/ok"), () => ({ ok: false })) }),
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lgc-mutants-"));
    server = await startReferenceServer();
    opts = { upstream: server.url, dir, args: ["--seed", "1", "--stream-timeout-ms", "15000"], timeoutMs: 150_000 };
    const scope = [...new Set([...chosen, inert, misattributed, wireOnly, keyOrder].flatMap((m) => m.checks))];
    const b = await runBaseline("baseline", scope, opts);
    expect(b.report, b.error).toBeDefined();
    baseline = baselineOf([b.report!]);
    levels = new Map(b.report!.checks.map((c) => [c.id, c.level]));
  }, 200_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("kills each chosen mutant by an expected check, at the check's level, with no harness problem", { timeout: 200_000 }, async () => {
    const verdicts = await Promise.all(chosen.map(async (m) => judge(m, baseline, await runMutant(m, opts), levels)));
    for (const v of verdicts) {
      expect(v.status, `${v.id}: ${JSON.stringify(v)}`).toBe("killed");
      expect(v.problems, v.id).toEqual([]);
    }
    expect(verdicts.find((v) => v.id === "stream-metadata-missing")!.killedBy.map((k) => k.id)).toContain("STR-001");
    expect(verdicts.find((v) => v.id === "thread-search-limit-ignored")!.killedBy.map((k) => k.id)).toEqual(["THR-053"]);
  });

  it("lets a mutant that changes nothing survive, reports a kill by a check it does not expect as elsewhere, and kills a wire-only fault by its new finding", { timeout: 200_000 }, async () => {
    const [a, b, c] = await Promise.all([inert, misattributed, wireOnly].map(async (m) => judge(m, baseline, await runMutant(m, opts), levels)));
    expect(a!.status, JSON.stringify(a)).toBe("survived");
    expect(a!.candidates).toBe(2);
    expect(b!.status, JSON.stringify(b)).toBe("elsewhere");
    expect(b!.elsewhere.checks.map((k) => k.id)).toContain("SYS-001");
    expect(c!.status, JSON.stringify(c)).toBe("killed");
    expect(c!.killedBy).toEqual([]);
    expect(c!.findingKills[0]!.checks).toEqual(["THR-001"]);
    expect(c!.findingKills[0]!.title).toMatch(/created_at/);
  });

  it("finds no verdict changed behind legal variations, and every change behind one that is not", { timeout: 200_000 }, async () => {
    const [k, r, n] = await Promise.all([keyOrder, crlf, notLegal].map(async (m) => judge(m, baseline, await runMutant(m, opts), levels)));
    expect(k!.status, JSON.stringify(k!.changes)).toBe("equivalent");
    expect(r!.status, JSON.stringify(r!.changes)).toBe("equivalent");
    expect(n!.status).toBe("changed");
    expect(n!.changes.map((c) => c.check)).toContain("SYS-001");
  });
});
