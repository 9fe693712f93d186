// The container target for real: the reference server's image
// (scripts/maintainer/build-reference-image.sh; LGC_REFERENCE_IMAGE, else built here) is
// started with testcontainers, tested, and removed, and its report equals the
// embedded server's check for check.
//
// Without a Docker engine these tests are reported as skipped, with the reason.
// With LGC_REQUIRE_DOCKER=1 (set by .ci/run, which installs and starts one) a
// missing engine fails them instead: CI never passes them by skipping.

import { spawn, spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { CONTAINER_FIXTURES_PATH, containerEngine, startContainerTarget, stopAllContainers } from "../harness/targets/container";
import type { Report } from "../reporters/model";
import { compareReports, formatDifference } from "../scripts/maintainer/compare-reports";
import { BIN, runCli } from "./support/cli";

// Given (CI builds it first), or built here from this tree on every run: an
// image left from an older tree would compare an older server.
const GIVEN_IMAGE = process.env.LGC_REFERENCE_IMAGE;
const IMAGE = GIVEN_IMAGE || "langgraph-conformance/reference:local";
const REQUIRED = process.env.LGC_REQUIRE_DOCKER === "1";
const REPO = fileURLToPath(new URL("..", import.meta.url));
const engine = await containerEngine();

/** Skips the test, with the reason shown, when no engine can be reached; fails it instead where one is required. */
function needEngine(ctx: TestContext): void {
  if (engine.ok) return;
  if (REQUIRED) throw new Error(`LGC_REQUIRE_DOCKER=1, but ${engine.reason}`);
  ctx.skip(`no Docker engine: ${engine.reason}`);
}

/** Whether the engine still has a container of this name (the suite must have removed it). */
async function containerExists(name: string): Promise<boolean> {
  const { getContainerRuntimeClient } = await import("testcontainers");
  const client = await getContainerRuntimeClient();
  return client.container.dockerode
    .getContainer(name)
    .inspect()
    .then(
      () => true,
      (e: { statusCode?: number }) => (e?.statusCode === 404 ? false : Promise.reject(e)),
    );
}

function startingName(stdout: string): string {
  const name = /^starting container (langgraph-conformance-[0-9a-f]+) of /m.exec(stdout)?.[1];
  expect(name, stdout).toBeDefined();
  return name!;
}

function containerName(stdout: string): string {
  const name = /\(container (langgraph-conformance-[0-9a-f]+) of /.exec(stdout)?.[1];
  expect(name, stdout).toBeDefined();
  return name!;
}

let dir: string;
let imageProblem: string | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lgc-container-"));
  if (!engine.ok) {
    // Visible in the output of `npm test`, next to the skipped tests.
    console.warn(`container self-tests: ${REQUIRED ? "FAILING" : "skipped"}: ${engine.reason}`);
    return;
  }
  const { getContainerRuntimeClient, ImageName } = await import("testcontainers");
  const client = await getContainerRuntimeClient();
  if (!GIVEN_IMAGE || !(await client.image.exists(ImageName.fromString(IMAGE)))) {
    const b = spawnSync("bash", [join(REPO, "scripts/maintainer/build-reference-image.sh"), IMAGE], { encoding: "utf8", timeout: 600_000 });
    if (b.status !== 0) imageProblem = `building ${IMAGE} failed: ${b.stderr || b.stdout || b.error?.message}`;
  }
}, 660_000);

afterAll(async () => {
  await stopAllContainers();
  await rm(dir, { recursive: true, force: true });
});

async function report(path: string): Promise<Report> {
  return JSON.parse(await readFile(join(path, "report.json"), "utf8"));
}

describe("a container target", () => {
  it("runs the whole suite against the reference image, removes the container, and gets the embedded server's verdicts check for check", async (ctx) => {
    needEngine(ctx);
    expect(imageProblem).toBeUndefined();
    // One after the other, the same seed: the machine is small, and the outcomes must not depend on load.
    const embedded = await runCli(["run", "--report-dir", join(dir, "embedded"), "--seed", "1234"], { timeoutMs: 300_000 });
    expect([0, 1], embedded.stderr).toContain(embedded.code);
    const container = await runCli(["run", "--image", IMAGE, "--mount-fixtures", "--report-dir", join(dir, "container"), "--seed", "1234"], { timeoutMs: 300_000 });
    expect([0, 1], container.stderr).toContain(container.code);
    expect(await containerExists(containerName(container.stdout)), "the container is still there after the run").toBe(false);

    const a = await report(join(dir, "embedded"));
    const b = await report(join(dir, "container"));
    expect(b.target.startedBy).toBe("container");
    expect(b.target.started).toContain(IMAGE);
    expect(b.target.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(b.target.declared).toEqual(a.target.declared);
    expect(b.summary.error, JSON.stringify(b.checks.filter((c) => c.outcome === "error").map((c) => [c.id, c.message]))).toBe(0);
    expect(b.cleanup.leftovers).toEqual([]);
    expect(b.checks.length).toBeGreaterThan(0);
    // Given no identities, the container target does not claim the auth profile (the
    // next test runs it there): each of its checks is skipped, saying so.
    const isAuth = (c: Report["checks"][number]) => c.profile === "auth";
    const authSkips = b.checks.filter(isAuth);
    expect(authSkips.length).toBeGreaterThan(0);
    for (const c of authSkips) expect(`${c.id}: ${c.outcome} ${c.message}`).toMatch(/: skip .*profile 'auth' not claimed/);
    const unauthed = (r: Report) => ({ checks: r.checks.filter((c) => !isAuth(c)) });
    let diffs = compareReports(unauthed(a), unauthed(b));
    // A check that ran into one of the suite's time limits on one side only says
    // how loaded the machine was at that moment, not how the two servers differ:
    // such checks are run again, on both, one after the other, and must agree
    // then. They are printed either way: a check that keeps doing this is a flake.
    const timed = diffs.filter((d) => /within \d+ ms/.test(d.why ?? ""));
    if (timed.length > 0) {
      console.warn(`container self-test: load-dependent outcomes, run again:\n  ${timed.map((d) => formatDifference(d, "embedded", "container")).join("\n  ")}`);
      const ids = timed.flatMap((d) => ["--id", d.id]);
      await runCli(["run", "--report-dir", join(dir, "embedded-again"), "--seed", "1234", ...ids], { timeoutMs: 300_000 });
      await runCli(["run", "--image", IMAGE, "--mount-fixtures", "--report-dir", join(dir, "container-again"), "--seed", "1234", ...ids], { timeoutMs: 300_000 });
      const again = compareReports(unauthed(await report(join(dir, "embedded-again"))), unauthed(await report(join(dir, "container-again"))));
      diffs = [...diffs.filter((d) => !timed.includes(d)), ...again];
    }
    expect(
      diffs.map((d) => formatDifference(d, "embedded", "container")),
      "checks whose outcome differs between the embedded server and its container",
    ).toEqual([]);
    if (timed.length === 0) expect(container.code).toBe(embedded.code);
  }, 900_000);

  it("runs the auth profile against the image started with the fixture auth, as the fixture users given with --identity, and gets the embedded server's verdicts", async (ctx) => {
    needEngine(ctx);
    expect(imageProblem).toBeUndefined();
    const { FIXTURE_USERS } = await import("../fixtures/auth");
    const identities = FIXTURE_USERS.flatMap((u) => ["--identity", `${u.identity}=Authorization: Bearer ${u.token}`]);
    const embedded = await runCli(["run", "--profile", "auth", "--report-dir", join(dir, "auth-embedded"), "--seed", "1234"], { timeoutMs: 300_000 });
    expect([0, 1], embedded.stderr).toContain(embedded.code);
    const args = ["run", "--image", IMAGE, "--mount-fixtures", "--env", "LGC_CONFIG=langgraph.auth.json", ...identities, "--profile", "auth"];
    const container = await runCli([...args, "--report-dir", join(dir, "auth-container"), "--seed", "1234"], { timeoutMs: 300_000 });
    expect([0, 1], container.stderr).toContain(container.code);
    for (const u of FIXTURE_USERS) expect(container.stdout + container.stderr, "a token in the output").not.toContain(u.token);
    const a = await report(join(dir, "auth-embedded"));
    const b = await report(join(dir, "auth-container"));
    expect(b.target.startedBy).toBe("container");
    expect(b.checks.filter((c) => c.outcome === "skip").map((c) => `${c.id}: ${c.message}`)).toEqual(a.checks.filter((c) => c.outcome === "skip").map((c) => `${c.id}: ${c.message}`));
    expect(b.checks.filter((c) => c.outcome === "pass").length).toBeGreaterThan(0);
    expect(compareReports(a, b).map((d) => formatDifference(d, "embedded", "container"))).toEqual([]);
    expect(JSON.stringify(b)).not.toContain(FIXTURE_USERS[0]!.token);
  }, 700_000);

  it("mounts the fixture graphs read-only at /fixtures, where the image loads them from", async (ctx) => {
    needEngine(ctx);
    expect(imageProblem).toBeUndefined();
    // A fixtures directory with one graph only: the server must offer exactly that one.
    const fixtures = join(dir, "one-graph");
    await cp(join(REPO, "fixtures"), fixtures, { recursive: true });
    const config = JSON.parse(await readFile(join(fixtures, "langgraph.json"), "utf8"));
    config.graphs = { echo: config.graphs.echo };
    await writeFile(join(fixtures, "langgraph.json"), JSON.stringify(config));

    const started = await startContainerTarget({ image: IMAGE, mountFixtures: fixtures, startupTimeoutMs: 120_000 });
    try {
      const res = await fetch(`${started.url}/assistants/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ limit: 100 }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(200);
      const graphs = new Set(((await res.json()) as Array<{ graph_id: string }>).map((a) => a.graph_id));
      expect([...graphs]).toEqual(["echo"]);
      expect(started.logTail(50)).toContain(`with the graphs of ${CONTAINER_FIXTURES_PATH}`);
    } finally {
      await started.stop();
    }
    expect(await containerExists(started.name)).toBe(false);
  }, 300_000);

  it("a container that never answers GET /ok: the error says so with its last log lines, exit 2, the container removed", async (ctx) => {
    needEngine(ctx);
    expect(imageProblem).toBeUndefined();
    // Nothing listens on 9999 in the reference image.
    const r = await runCli(["run", "--image", IMAGE, "--port", "9999", "--startup-timeout-ms", "15000", "--report-dir", join(dir, "never")], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(2);
    const [first, ...rest] = r.stderr.trim().split("\n");
    expect(first).toMatch(/^langgraph-conformance: the container of .* did not start: GET \/ok did not answer 200 within 15000 ms/);
    expect(rest[0]).toBe("--- last lines of its log ---");
    expect(rest.join("\n")).toMatch(/launcher: .* listening on http:\/\/0\.0\.0\.0:8000/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await containerExists(startingName(r.stdout)), "the container is still there").toBe(false);
  }, 180_000);

  it("a container that exits while starting: the error says so at once, with its last log lines", async (ctx) => {
    needEngine(ctx);
    expect(imageProblem).toBeUndefined();
    const r = await runCli(["run", "--image", IMAGE, "--env", "LGC_FIXTURES_DIR=/no/such/dir", "--report-dir", join(dir, "exits")], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /^langgraph-conformance: the container of .* did not start: the container exited \(code 1\) before GET \/ok answered\n--- last lines of its log ---\n.*\/no\/such\/dir\/langgraph\.json/,
    );
    expect(await containerExists(startingName(r.stdout)), "the container is still there").toBe(false);
  }, 180_000);

  it("an image the engine does not have, and cannot pull, is one line and exit 2", async (ctx) => {
    needEngine(ctx);
    const r = await runCli(["run", "--image", "langgraph-conformance/no-such-image:0", "--report-dir", join(dir, "missing")], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/the image langgraph-conformance\/no-such-image:0 is not in the Docker engine and could not be pulled/);
  }, 180_000);

  it("Ctrl-C removes the container and exits 130", async (ctx) => {
    needEngine(ctx);
    expect(imageProblem).toBeUndefined();
    const child = spawn(process.execPath, [BIN, "run", "--image", IMAGE, "--report-dir", join(dir, "interrupted")], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on("exit", r));
    const name = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no target line: ${out}`)), 150_000);
      child.stdout.on("data", () => {
        const m = /\(container (langgraph-conformance-[0-9a-f]+) of /.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    expect(await containerExists(name)).toBe(true);
    child.kill("SIGINT");
    expect(await exited, out).toBe(130);
    expect(await containerExists(name), "the container survived Ctrl-C").toBe(false);
  }, 240_000);
});
