// Serves @langchain/langgraph-api 2.0.0 with the fixture graphs of this repo,
// started exactly as the embedded reference server starts 1.5.1
// (harness/targets/reference.ts): its in-memory server in a child process, in a
// temporary directory, on loopback, the graphs given relative to that
// directory, tsx and the package's preload as loaders, the same environment
// (tracing and analytics off, the schema timeout raised). 2.0.0's peer
// dependencies conflict with the root's pins, so it lives in this folder with
// its own package.json and lockfile (`npm ci` here; `npm run implementations`
// does it when node_modules is missing).
//
//   node --import tsx scripts/maintainer/langgraph-api-2/server.ts [--fixtures DIR] [--host H] [--port N] [--runtime fixtures|own] [--stop-on-stdin-eof]
//
// It prints one line with its URL once the server listens and stops on SIGINT,
// SIGTERM, and with --stop-on-stdin-eof when its standard input closes (what
// `langgraph-conformance run --command` holds open until it ends).
//
// One runtime for graphs and server. The fixture graphs import
// @langchain/langgraph 1.7.3 and @langchain/core 1.4.0 from the root's
// node_modules (fixtures/package.json pins them), and the embedded 1.5.1
// shares those copies with its graphs: so that the comparison of the two
// releases changes the server alone, 2.0.0 runs on them too, not on the
// @langchain/langgraph 1.1.5 it was built with. For
// 2.0.0, the package's own module hook (dist/graph/load.hooks.mjs, the same
// file as 1.5.1's) already resolves the server's @langchain/langgraph and
// @langchain/langgraph-checkpoint as the graphs do (the root's 1.7.3 and
// 1.2.2; the server warns at start that 1.2.2 is outside its peer range
// ~1.0.0); its @langchain/core it would load from this folder, a second copy
// beside the graphs'. One more loader, shared-langgraph.mjs, resolves the peer
// packages imported from this folder as the graphs resolve them, so that
// server and graphs run on one copy of each, as in a project that installs
// 2.0.0 beside its own @langchain/langgraph. The 1.1.5 and 1.0.0 of this
// folder's lockfile satisfy 2.0.0's peer ranges for `npm ci`; they are not
// loaded. @langchain/langgraph-sdk is 2.0.0's own (~2.0.0, this folder's).
//
// --runtime own turns it round: the graphs' imports of those packages are
// resolved from this folder, so that server and graphs run on the versions
// 2.0.0 was built with (@langchain/langgraph 1.1.5, -checkpoint 1.0.0). It
// tells a deviation of 2.0.0 itself from one it shows only on the graphs'
// newer runtime; the committed report uses the default, `fixtures`.

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { failLauncher, launcherPort, serveUntilStopped, serverEnv } from "../../../harness/targets/server-env";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = resolve(HERE, "../../..");
const DEFAULT_FIXTURES = join(ROOT, "fixtures");

/** Resolves from this folder (2.0.0 and its dependencies) and from the root (tsx, the graphs' runtime). */
const here = createRequire(join(HERE, "package.json"));
const root = createRequire(join(ROOT, "package.json"));

export function apiVersion(): string {
  const pkg = JSON.parse(readFileSync(here.resolve("@langchain/langgraph-api/package.json"), "utf8"));
  return `${pkg.name}@${pkg.version}`;
}

export interface Options {
  fixturesDir?: string;
  host?: string;
  port?: number;
  readyTimeoutMs?: number;
  /** Whose copies of the shared packages server and graphs load: the fixtures' (default) or this folder's. */
  runtime?: "fixtures" | "own";
}

export interface Started {
  url: string;
  stop(): Promise<void>;
}

/**
 * Removes `dir` once every process of `pids` has ended: a detached watcher in
 * a process group of its own, so that it outlives a SIGKILL of ours. A suite
 * that started this launcher by --command signals its process group and kills
 * it as soon as the shell is gone, before this process or the server could
 * remove their directory themselves.
 */
function sweepWhenGone(dir: string, pids: number[]): void {
  const watcher = `
const [dir, ...pids] = process.argv.slice(1);
const alive = (p) => { try { process.kill(Number(p), 0); return true; } catch (e) { return e.code === "EPERM"; } };
const timer = setInterval(() => {
  if (pids.some(alive)) return;
  clearInterval(timer);
  require("node:fs").rmSync(dir, { recursive: true, force: true });
}, 500);`;
  spawn(process.execPath, ["-e", watcher, dir, ...pids.map(String)], { detached: true, stdio: "ignore" }).unref();
}

export async function startLangGraphApi2(opts: Options = {}): Promise<Started> {
  const fixturesDir = resolve(opts.fixturesDir ?? DEFAULT_FIXTURES);
  const readyTimeoutMs = opts.readyTimeoutMs ?? 90_000;
  const config = JSON.parse(readFileSync(join(fixturesDir, "langgraph.json"), "utf8"));
  const home = await mkdtemp(join(tmpdir(), "langgraph-conformance-api2-"));

  const graphs: Record<string, string> = {};
  for (const [id, spec] of Object.entries<string>(config.graphs ?? {})) {
    const [file, symbol] = spec.split(":");
    graphs[id] = `${relative(home, resolve(fixturesDir, file!))}${symbol ? `:${symbol}` : ""}`;
  }
  const payload = JSON.stringify({ port: opts.port ?? 0, nWorkers: 10, host: opts.host ?? "127.0.0.1", cwd: home, graphs });

  let apiDir: string;
  try {
    apiDir = dirname(here.resolve("@langchain/langgraph-api/package.json"));
  } catch {
    throw new Error(`@langchain/langgraph-api is not installed in ${relative(ROOT, HERE) || "."}: run \`npm ci\` there (npm run implementations does)`);
  }
  const preload = pathToFileURL(join(apiDir, "dist", "preload.mjs")).href;
  const tsx = pathToFileURL(root.resolve("tsx")).href;
  const shared = pathToFileURL(join(HERE, "shared-langgraph.mjs")).href;
  const entry = join(HERE, "entry.mjs");
  const env = serverEnv({
    // Read by shared-langgraph.mjs: where the graphs' runtime is resolved from, and whose imports it redirects.
    ...(opts.runtime === "own"
      ? { LGC_SHARED_LANGGRAPH_FROM: pathToFileURL(join(HERE, "package.json")).href, LGC_SHARED_LANGGRAPH_FOR: `${pathToFileURL(fixturesDir).href}/` }
      : { LGC_SHARED_LANGGRAPH_FROM: pathToFileURL(join(fixturesDir, "langgraph.json")).href, LGC_SHARED_LANGGRAPH_FOR: pathToFileURL(HERE).href }),
  });

  const child: ChildProcess = spawn(process.execPath, ["--import", tsx, "--import", shared, "--import", preload, entry, payload], {
    cwd: home,
    env,
    // Its log goes to standard error: standard output carries the URL alone.
    stdio: ["ignore", 2, 2, "ipc"],
  });
  sweepWhenGone(home, [process.pid, child.pid!]);
  let exited = false;
  const exit = new Promise<void>((r) => child.once("exit", () => ((exited = true), r())));
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exit;
      clearTimeout(timer);
    }
    await rm(home, { recursive: true, force: true }).catch(() => undefined);
  };
  const host = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    child.on("message", (m: any) => {
      if (m?.type === "ready") {
        clearTimeout(timer);
        ok(m.host);
      } else if (m?.type === "failed") {
        clearTimeout(timer);
        fail(new Error(`the server failed to start: ${String(m.message).split("\n")[0]}`));
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the server exited before it was ready (${signal ?? `code ${code}`})`));
    });
  }).catch(async (e: Error) => {
    await stop();
    throw e;
  });
  return { url: `http://${host}`, stop };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { fixtures: { type: "string" }, host: { type: "string" }, port: { type: "string" }, runtime: { type: "string" }, "stop-on-stdin-eof": { type: "boolean" } },
    strict: true,
  });
  const port = launcherPort(values.port);
  const runtime = values.runtime ?? "fixtures";
  if (runtime !== "fixtures" && runtime !== "own") throw new Error(`--runtime expects fixtures or own, got '${runtime}'`);
  const server = await startLangGraphApi2({ ...(values.fixtures ? { fixturesDir: values.fixtures } : {}), ...(values.host ? { host: values.host } : {}), port, runtime });
  process.stdout.write(`${apiVersion()} listening on ${server.url}\n`);
  serveUntilStopped(server, { stdinEof: values["stop-on-stdin-eof"], graceMs: 8_000 });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch(failLauncher("langgraph-api-2-server"));
}
