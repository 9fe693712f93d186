// The mutation score's machinery (scripts/mutants/, scripts/mutants/campaign.ts): the
// catalogue is valid against the suite's catalog and covers the kinds of bug
// the issue lists, and a few mutants run end to end through the same engine
// as `npm run mutants`: each is killed by the checks it names, and a mutant
// that changes nothing survives (a kill is never taken for granted).

import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckMeta } from "../harness/model";
import { startReferenceServer, type StartedServer } from "../harness/targets/reference";
import { CATALOGUE, mutant, type Mutant } from "../scripts/mutants/catalogue";
import { judge, outcomesOf, runBaseline, runMutant, validateCatalogue, type CampaignOptions } from "../scripts/mutants/engine";
import { runCli } from "./support/cli";

describe("the mutant catalogue", () => {
  let checks: CheckMeta[];
  beforeAll(async () => {
    const r = await runCli(["list", "--json"], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    checks = JSON.parse(r.stdout);
  }, 150_000);

  it("is valid: kebab-case ids declared once, one-line descriptions, patterns that match checks", () => {
    expect(validateCatalogue(CATALOGUE, checks)).toEqual([]);
  });

  it("has at least 50 mutants, of each kind", () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(50);
    for (const kind of ["response", "stream", "request"]) expect(CATALOGUE.filter((m) => m.kind === kind).length, kind).toBeGreaterThanOrEqual(10);
  });

  it("is the one docs/mutation-score.md measured (rerun `npm run mutants` after changing it), with a score of at least 90%", () => {
    const md = readFileSync(new URL("../docs/mutation-score.md", import.meta.url), "utf8");
    const figure = /\*\*(\d+)\/(\d+) mutants killed: ([\d.]+)%\.\*\*/.exec(md);
    expect(figure, "the score line").not.toBeNull();
    expect(Number(figure![2])).toBe(CATALOGUE.length);
    expect(Number(figure![3])).toBeGreaterThanOrEqual(90);
    for (const x of CATALOGUE) expect(md, x.id).toContain(`| ${x.id} | ${x.kind} |`);
    expect(readFileSync(new URL("../README.md", import.meta.url), "utf8")).toContain("(docs/mutation-score.md)");
  });

  it("covers every kind of bug the issue lists", () => {
    // Issue 9, item 1: one mutant at least for each.
    const listed = [
      "assistant-create-409-as-422", "thread-get-404-as-500", "thread-create-200-as-201", "assistant-create-drops-graph_id",
      "assistant-version-as-string", "thread-get-other-id", "assistant-get-as-html", "thread-errors-as-text",
      "thread-search-one-more", "thread-search-reversed",
      "stream-mixed-line-endings", "stream-blank-line-missing", "stream-last-unterminated", "stream-metadata-missing",
      "stream-metadata-not-first", "stream-event-duplicated", "stream-events-reordered", "stream-last-event-dropped",
      "stream-id-backwards", "stream-data-not-json", "stream-never-ends", "stream-cut-midway",
      "thread-search-limit-ignored", "thread-search-offset-ignored", "thread-search-metadata-ignored", "multitask_strategy-ignored",
      "thread-if_exists-ignored", "stream_mode-ignored", "stream_subgraphs-ignored", "run-after_seconds-ignored",
      "stateless-on_completion-ignored", "cancel-action-ignored", "last-event-id-dropped",
    ];
    for (const id of listed) expect(() => mutant(id), id).not.toThrow();
  });
});

describe("mutants run end to end", () => {
  let server: StartedServer;
  let dir: string;
  let opts: CampaignOptions;
  let passing: Set<string>;
  const chosen = ["ok-says-false", "thread-search-limit-ignored", "stream-metadata-missing"].map(mutant);
  // A mutant that changes nothing: it must survive, or kills are not what they seem.
  const inert: Mutant = { id: "inert", kind: "response", description: "changes nothing", checks: ["SYS-001", "THR-053"], fault: () => ({}) };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lgc-mutants-"));
    server = await startReferenceServer();
    opts = { upstream: server.url, dir, args: ["--seed", "1", "--stream-timeout-ms", "15000"], timeoutMs: 150_000 };
    const b = await runBaseline("baseline", [...new Set([...chosen, inert].flatMap((m) => m.checks))], opts);
    expect(b.report, b.error).toBeDefined();
    passing = new Set([...outcomesOf(b.report!)].filter(([, o]) => o.outcome === "pass").map(([id]) => id));
  }, 200_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("kills each chosen mutant by a check it names, at the check's level, with no harness problem", { timeout: 200_000 }, async () => {
    const verdicts = await Promise.all(chosen.map(async (m) => judge(m.id, passing, await runMutant(m, opts))));
    for (const v of verdicts) {
      expect(v.status, `${v.id}: ${JSON.stringify(v)}`).toBe("killed");
      expect(v.problems, v.id).toEqual([]);
      for (const k of v.killedBy) expect(["fail", "warn", "notice"], `${v.id} ${k.id}`).toContain(k.outcome);
    }
    expect(verdicts.find((v) => v.id === "stream-metadata-missing")!.killedBy.map((k) => k.id)).toContain("STR-001");
    expect(verdicts.find((v) => v.id === "thread-search-limit-ignored")!.killedBy.map((k) => k.id)).toEqual(["THR-053"]);
  });

  it("lets a mutant that changes nothing survive", { timeout: 200_000 }, async () => {
    const v = judge(inert.id, passing, await runMutant(inert, opts));
    expect(v.status, JSON.stringify(v)).toBe("survived");
    expect(v.candidates).toBe(2);
  });

  it("never counts a harness error or a skip as a kill", () => {
    const report = (outcome: string) => ({ checks: [{ id: "SYS-001", outcome, message: "x" }], problems: [] }) as never;
    expect(judge("m", new Set(["SYS-001"]), { name: "m", code: 2, report: report("error"), stderr: "", ms: 0 }).status).toBe("error");
    expect(judge("m", new Set(["SYS-001"]), { name: "m", code: 0, report: report("skip"), stderr: "", ms: 0 }).status).toBe("survived");
    expect(judge("m", new Set(["SYS-001"]), { name: "m", code: 0, report: report("notice"), stderr: "", ms: 0 }).status).toBe("killed");
    // A check that did not pass before cannot kill.
    expect(judge("m", new Set(), { name: "m", code: 1, report: report("fail"), stderr: "", ms: 0 }).status).toBe("error");
  });
});
