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
});
