// The documentation of reports and CI stays true: every option of `run` is in
// the README's table, every --reporter is documented, and the CI example
// parses and uses only options the command line has.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPORTERS } from "../reporters/terminal";
import { runCli } from "./support/cli";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const workflowText = readFileSync(new URL("../docs/ci/github-actions.yml", import.meta.url), "utf8");
const shardsText = readFileSync(new URL("../docs/ci/github-actions-shards.yml", import.meta.url), "utf8");
const nightlyText = readFileSync(new URL("../docs/ci/nightly.yml", import.meta.url), "utf8");

type Step = { name?: string; run?: string; uses?: string; if?: string; with?: Record<string, string> };

describe("the documentation of reports and CI", () => {
  it("lists every option of `run` and `compare` in the README, and every --reporter in docs/reports.md", async () => {
    const help = (await runCli(["--help"])).stdout;
    const options = [...new Set(help.match(/--[a-z][a-z-]+/g) ?? [])].filter((o) => o !== "--help");
    expect(options).toEqual(expect.arrayContaining(["--reporter", "--baseline", "--update-baseline", "--label", "--out"]));
    for (const o of options) expect(readme, o).toMatch(new RegExp(`[\`\\[]${o}\\b`));
    // Every terminal style, in the page on reports the README links.
    const reports = readFileSync(new URL("../docs/reports.md", import.meta.url), "utf8");
    expect(readme).toContain("(docs/reports.md)");
    for (const r of REPORTERS) expect(reports, r).toMatch(new RegExp(`^\\| \`${r}\` \\|`, "m"));
    expect(readme).toContain("(docs/ci/github-actions.yml)");
    expect(readme).toContain("(docs/ci/github-actions-shards.yml)");
    expect(readme).toContain("(docs/ci/nightly.yml)");
    expect(readme).toMatch(/`langgraph-conformance merge /);
  });

  it("`run --help` and `compare --help` print the usage (as `npm run conformance -- --help` asks), exit 0", async () => {
    for (const args of [["run", "--help"], ["compare", "-h"], ["--help"]]) {
      const r = await runCli(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).toContain("Usage:");
    }
  });

  it("the GitHub Actions example parses, runs the suite with options it has, writes the summary and uploads the reports", async () => {
    const wf = parse(workflowText);
    const steps: Array<{ name?: string; run?: string; uses?: string; if?: string; with?: Record<string, string> }> = wf.jobs.conformance.steps;
    const run = steps.find((s) => s.run?.includes("bin/langgraph-conformance.mjs run"))!;
    const help = (await runCli(["--help"])).stdout;
    for (const flag of run.run!.match(/--[a-z][a-z-]+/g) ?? []) expect(help, flag).toContain(flag);
    expect(run.run).toContain("--reporter github");
    const summary = steps.find((s) => s.run?.includes("GITHUB_STEP_SUMMARY"))!;
    expect(summary.if).toBe("always()");
    expect(summary.run).toContain("conformance-report/report.md");
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
    expect(upload.if).toBe("always()");
    expect(upload.with?.path).toBe("conformance-report/");
  });

  it("the sharded example runs a matrix of parts with one seed, merges them, writes the summary and uploads the reports", async () => {
    const wf = parse(shardsText);
    const help = (await runCli(["--help"])).stdout;
    const matrix: number[] = wf.jobs.shard.strategy.matrix.shard;
    expect(matrix).toEqual(Array.from({ length: matrix.length }, (_, i) => i + 1));
    expect(Number(wf.env.SHARDS)).toBe(matrix.length);
    expect(wf.jobs.shard.strategy["fail-fast"]).toBe(false);
    const shardSteps: Step[] = wf.jobs.shard.steps;
    const run = shardSteps.find((s) => s.run?.includes("bin/langgraph-conformance.mjs run"))!;
    for (const flag of run.run!.match(/--[a-z][a-z-]+/g) ?? []) expect(help, flag).toContain(flag);
    expect(run.run).toContain('--shard "${{ matrix.shard }}/$SHARDS"');
    expect(run.run).toMatch(/--seed "\$\{\{ github\.run_number \}\}"/);
    const partUpload = shardSteps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
    expect(partUpload.if).toBe("always()");
    expect(partUpload.with?.name).toContain("${{ matrix.shard }}");

    expect(wf.jobs.merge.needs).toBe("shard");
    expect(wf.jobs.merge.if).toContain("!cancelled()");
    const mergeSteps: Step[] = wf.jobs.merge.steps;
    const download = mergeSteps.find((s) => s.uses?.startsWith("actions/download-artifact"))!;
    expect(download.with?.pattern).toBe("conformance-shard-*");
    const merge = mergeSteps.find((s) => s.run?.includes("bin/langgraph-conformance.mjs merge"))!;
    for (const flag of merge.run!.match(/--[a-z][a-z-]+/g) ?? []) expect(help, flag).toContain(flag);
    expect(merge.run).toContain(`${download.with!.path}/*/report.json`);
    const summary = mergeSteps.find((s) => s.run?.includes("GITHUB_STEP_SUMMARY"))!;
    expect(summary.if).toBe("always()");
    expect(summary.run).toContain("conformance-report/report.md");
    const upload = mergeSteps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
    expect(upload.if).toBe("always()");
    expect(upload.with?.path).toBe("conformance-report/");
  });

  it("the nightly example calls the sharded workflow with --runs 200 on a schedule", () => {
    const wf = parse(nightlyText);
    expect(wf.on.schedule[0].cron).toMatch(/^[0-9*,\/ -]+$/);
    const job = wf.jobs.conformance;
    expect(job.uses).toBe("./.github/workflows/conformance-shards.yml");
    expect(job.with.runs).toBe(200);
    const called = parse(shardsText);
    expect(called.on.workflow_call.inputs.runs.type).toBe("number");
    expect(shardsText).toContain('--runs "${{ inputs.runs || 12 }}"');
    expect(shardsText).toContain("Copy it to .github/workflows/conformance-shards.yml");
  });
});
