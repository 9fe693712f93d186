// Every way of calling the suite wrongly, or at the wrong thing, ends with one
// clear line on stderr and exit code 2: never a stack trace, never a hang.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closedPort, hangingServer, htmlServer, json, listen, type Local } from "./support/servers";

let html: Local;
let hang: Local;
beforeAll(async () => {
  html = await htmlServer();
  hang = await hangingServer();
});
afterAll(async () => {
  await html.close();
  await hang.close();
});

function expectOneLineUsageError(r: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^langgraph-conformance: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("bad input", () => {
  it("a URL that is not one", async () => {
    expectOneLineUsageError(await runCli(["run", "--url", "localhost:8123"]), /not an http\(s\) URL|not a URL/);
  });

  it("a refused connection", async () => {
    expectOneLineUsageError(await runCli(["run", "--url", await closedPort()]), /cannot reach the target .*ECONNREFUSED/);
  });

  it("a server that answers HTML", async () => {
    expectOneLineUsageError(
      await runCli(["run", "--url", html.url]),
      /not a LangGraph server: GET \/ok answered 200 text\/html \("Welcome to nginx!"\), not JSON, and POST \/assistants\/search does not answer a JSON list/,
    );
  });

  it("a server that hangs, within the request time limit", async () => {
    const r = await runCli(["run", "--url", hang.url, "--timeout-ms", "500"]);
    expectOneLineUsageError(r, /cannot reach the target .*no complete response within 500 ms/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it("a malformed --header", async () => {
    expectOneLineUsageError(await runCli(["run", "--url", html.url, "--header", "no colon here"]), /--header 'no colon here' is not of the form "Name: value"/);
    expectOneLineUsageError(await runCli(["run", "--url", html.url, "--header", "bad name: v"]), /not a valid header name/);
  });

  it("an unknown profile", async () => {
    expectOneLineUsageError(await runCli(["run", "--profile", "assistants,wizardry"]), /unknown profile 'wizardry'/);
  });

  it("an unknown option or command, or a malformed number", async () => {
    expectOneLineUsageError(await runCli(["run", "--frobnicate"]), /Unknown option '--frobnicate'/);
    expectOneLineUsageError(await runCli(["explode"]), /unknown command 'explode'/);
    expectOneLineUsageError(await runCli(["run", "--timeout-ms", "soon"]), /--timeout-ms expects a positive integer/);
    expectOneLineUsageError(await runCli(["run", "--runs", "0"]), /--runs expects a positive integer/);
    expectOneLineUsageError(await runCli(["run", "--level", "MAYBE"]), /unknown level 'MAYBE'/);
  });

  it("a server of the API that lacks GET /ok is still tested, with a warning, and fails the /ok check", async () => {
    const noOk = await listen((req, res) => {
      if (req.method === "POST" && req.url === "/assistants/search") return json(res, 200, []);
      json(res, 404, "Not Found", "text/plain");
    });
    try {
      const dir = await mkdtemp(join(tmpdir(), "lgc-nook-"));
      const r = await runCli(["run", "--url", noOk.url, "--profile", "system", "--report-dir", dir]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toMatch(/warning: GET \/ok answered 404 text\/plain; going on because POST \/assistants\/search answers a JSON list/);
      const rep = JSON.parse(await readFile(join(dir, "report.json"), "utf8"));
      expect(rep.checks.find((c: { id: string }) => c.id === "SYS-001").outcome).toBe("fail");
      await rm(dir, { recursive: true, force: true });
    } finally {
      await noOk.close();
    }
  });

  it("the URL from the environment is used, and the API key is never printed", async () => {
    const r = await runCli(["run"], { env: { LANGGRAPH_CONFORMANCE_URL: html.url, LANGGRAPH_API_KEY: "super-secret-key-value" } });
    expectOneLineUsageError(r, /not a LangGraph server/);
    expect(html.seen.at(-1)!.headers["x-api-key"]).toBe("super-secret-key-value");
    expect(r.stdout + r.stderr).not.toContain("super-secret-key-value");
  });
});
