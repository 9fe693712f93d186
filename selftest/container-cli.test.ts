// The container target's command line and the report comparison, without a
// Docker engine: what `--image` says when no engine can be reached, the options
// that only make sense with --image, and that the comparison of two reports
// finds every difference (the container self-test relies on it).

import { describe, expect, it } from "vitest";
import { compareReports } from "../scripts/maintainer/compare-reports";
import { runCli } from "./support/cli";

function expectOneLineUsageError(r: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^langgraph-conformance: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("--image without a Docker engine", () => {
  it("says so in one line and exits 2, without falling back to another engine", async () => {
    // DOCKER_HOST names an engine that is not there; /var/run/docker.sock may well be (in CI it is).
    const r = await runCli(["run", "--image", "langgraph-conformance/reference:local"], {
      env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" },
      timeoutMs: 60_000,
    });
    // With a local engine running, testcontainers would find it: the message says the named one does not answer.
    // With none at all, nothing can be reached. Either way, the named engine is the one reported.
    expectOneLineUsageError(r, /no Docker engine (answers at |can be reached \()DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock/);
    expect(r.stdout).not.toMatch(/^target /m);
  });
});

describe("container options", () => {
  it.each([
    [["--port", "8000"], /--port applies to a container target: give --image too/],
    [["--env", "A=1"], /--env applies to a container target/],
    [["--mount-fixtures"], /--mount-fixtures applies to a container target/],
    [["--startup-timeout-ms", "1000"], /--startup-timeout-ms applies to a container target/],
    [["--image", "x:1", "--url", "http://127.0.0.1:1"], /--image and --url name two different targets/],
    [["--image", " "], /--image expects an image name/],
    [["--image", "x:1", "--env", "NOEQUALS"], /--env 'NOEQUALS' is not of the form NAME=value/],
    [["--image", "x:1", "--env", "1A=b"], /--env '1A' is not of the form NAME=value/],
    [["--image", "x:1", "--port", "70000"], /--port expects a TCP port/],
    [["--image", "x:1", "--port", "http"], /--port expects a positive integer/],
    [["--image", "x:1", "--startup-timeout-ms", "0"], /--startup-timeout-ms expects a positive integer/],
  ])("%j is refused in one line", async (args, pattern) => {
    expectOneLineUsageError(await runCli(["run", ...args], { env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" } }), pattern);
  });

  it("--help documents them", async () => {
    const r = await runCli(["--help"]);
    for (const flag of ["--image IMAGE", "--port N", "--env K=V", "--mount-fixtures", "--startup-timeout-ms"]) expect(r.stdout).toContain(flag);
  });
});

describe("compareReports", () => {
  const rep = (pairs: Array<[string, string]>) => ({ checks: pairs.map(([id, outcome]) => ({ id, outcome, message: outcome === "pass" ? "" : `${id} ${outcome}s` })) }) as never;

  it("finds nothing between equal reports, whatever the order", () => {
    expect(
      compareReports(
        rep([
          ["A-1", "pass"],
          ["A-2", "fail"],
        ]),
        rep([
          ["A-2", "fail"],
          ["A-1", "pass"],
        ]),
      ),
    ).toEqual([]);
  });

  it("finds a changed outcome and a check present on one side only", () => {
    expect(
      compareReports(
        rep([
          ["A-1", "pass"],
          ["A-2", "fail"],
        ]),
        rep([
          ["A-1", "warn"],
          ["A-3", "skip"],
        ]),
      ),
    ).toEqual([
      { id: "A-1", a: "pass", b: "warn", why: "A-1 warns" },
      { id: "A-2", a: "fail", why: "A-2 fails" },
      { id: "A-3", b: "skip", why: "A-3 skips" },
    ]);
  });
});
