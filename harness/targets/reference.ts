// The embedded reference server: the official JS implementation
// (@langchain/langgraph-api) with the fixture graphs, started when no URL is
// given. Its state lives in a temporary directory; it listens on a port the OS
// picks on loopback; it is stopped (and its directory removed) when the run
// ends, on Ctrl-C, or when this process dies (the child watches its IPC channel).

import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync, rmSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serverEnv } from "./server-env";

export const FIXTURES_DIR = fileURLToPath(new URL("../../fixtures", import.meta.url));

export interface StartedServer {
  url: string;
  /** Name and version of what was started, for the report. */
  description: string;
  pid: number;
  stop(): Promise<void>;
  logTail(lines?: number): string;
}

const require = createRequire(import.meta.url);
const running = new Set<ChildProcess>();
/** Each running server's temporary directory, removed however the server is stopped. */
const homes = new Map<ChildProcess, string>();

/** Kills every server this process started. Synchronous: safe in an 'exit' handler. */
export function killAllServersSync(): void {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {
      /* already gone */
    }
  }
  running.clear();
  for (const home of homes.values()) rmSync(home, { recursive: true, force: true });
  homes.clear();
}

/** Stops every server this process started, waiting for each to exit (bounded), and removes their directories. */
export async function stopAllServers(graceMs = 3_000): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
  running.clear();
  const left = [...homes.values()];
  homes.clear();
  await Promise.all(left.map((home) => rm(home, { recursive: true, force: true }).catch(() => undefined)));
}

/** The langgraph config of the fixture auth (fixtures/langgraph.auth.json), for the auth profile. */
export const AUTH_CONFIG = "langgraph.auth.json";

/** The users of the fixture auth (fixtures/auth.ts) as identities: what the embedded reference's auth profile runs as. */
export async function fixtureIdentities(): Promise<Array<{ name: string; headers: Record<string, string> }>> {
  const { FIXTURE_USERS } = await import("../../fixtures/auth");
  return FIXTURE_USERS.map((u) => ({ name: u.identity, headers: { authorization: `Bearer ${u.token}` } }));
}

export function referenceVersion(): string {
  const pkg = JSON.parse(readFileSync(require.resolve("@langchain/langgraph-api/package.json"), "utf8"));
  return `${pkg.name}@${pkg.version}`;
}

export interface ReferenceServerOptions {
  fixturesDir?: string;
  /**
   * The langgraph config in fixturesDir to serve (default `langgraph.json`);
   * `langgraph.auth.json` adds the fixture auth (`auth.path`), for the auth profile.
   */
  config?: string;
  readyTimeoutMs?: number;
  workers?: number;
  /** Where to listen: loopback and a port the OS picks unless given (the container image listens on 0.0.0.0:8000). */
  host?: string;
  port?: number;
  /** Gets the server's output as it comes (the container image prints it as its own log). */
  onLog?: (chunk: Buffer) => void;
  /** Called when the server process ends, whoever ended it. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export async function startReferenceServer(opts: ReferenceServerOptions = {}): Promise<StartedServer> {
  const fixturesDir = resolve(opts.fixturesDir ?? FIXTURES_DIR);
  const readyTimeoutMs = opts.readyTimeoutMs ?? 90_000;
  const config = JSON.parse(await readFile(join(fixturesDir, opts.config ?? "langgraph.json"), "utf8"));
  const home = await mkdtemp(join(tmpdir(), "langgraph-conformance-ref-"));

  // Graph paths are given relative to the server's cwd (the temp dir): the
  // package's module hooks resolve @langchain/langgraph from them.
  const graphs: Record<string, string> = {};
  for (const [id, spec] of Object.entries<string>(config.graphs ?? {})) {
    const [file, symbol] = spec.split(":");
    graphs[id] = `${relative(home, resolve(fixturesDir, file!))}${symbol ? `:${symbol}` : ""}`;
  }
  // The auth module's path too, relative to the server's cwd like the graphs'.
  const auth =
    typeof config.auth?.path === "string"
      ? (() => {
          const [file, symbol] = String(config.auth.path).split(":");
          return { ...config.auth, path: `${relative(home, resolve(fixturesDir, file!))}${symbol ? `:${symbol}` : ""}` };
        })()
      : undefined;
  const payload = JSON.stringify({ port: opts.port ?? 0, nWorkers: opts.workers ?? 10, host: opts.host ?? "127.0.0.1", cwd: home, graphs, ...(auth ? { auth } : {}) });

  const apiDir = dirname(require.resolve("@langchain/langgraph-api/package.json"));
  const preload = pathToFileURL(join(apiDir, "dist", "preload.mjs")).href;
  // The child's cwd is the temp dir: loaders are given as absolute URLs.
  const tsx = pathToFileURL(require.resolve("tsx")).href;
  const entry = fileURLToPath(new URL("./reference-entry.mjs", import.meta.url));
  const logPath = join(home, "server.log");
  const log = createWriteStream(logPath);
  const logLines: string[] = [];
  const env = serverEnv();

  const child = spawn(process.execPath, ["--import", tsx, "--import", preload, entry, payload], {
    cwd: home,
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  running.add(child);
  homes.set(child, home);
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    opts.onLog?.(chunk);
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) logLines.push(line);
    if (logLines.length > 400) logLines.splice(0, logLines.length - 400);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);

  const logTail = (n = 20) => logLines.slice(-n).join("\n");
  let exited = false;
  const exitPromise = new Promise<void>((r) =>
    child.once("exit", (code, signal) => {
      exited = true;
      running.delete(child);
      opts.onExit?.(code, signal);
      r();
    }),
  );

  async function stop() {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exitPromise;
      clearTimeout(timer);
    }
    log.end();
    homes.delete(child);
    await rm(home, { recursive: true, force: true }).catch(() => undefined);
  }

  const host = await new Promise<string>((resolveHost, reject) => {
    const timer = setTimeout(() => reject(new Error(`the reference server did not start within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    child.on("message", (m: any) => {
      if (m?.type === "ready") {
        clearTimeout(timer);
        resolveHost(m.host);
      } else if (m?.type === "failed") {
        clearTimeout(timer);
        reject(new Error(`the reference server failed to start: ${String(m.message).split("\n")[0]}`));
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the reference server exited before it was ready (${signal ?? `code ${code}`})`));
    });
  }).catch(async (e: Error) => {
    await stop();
    throw new Error(`${e.message}\n--- last lines of its log ---\n${logTail()}`);
  });

  return { url: `http://${host}`, description: `${referenceVersion()}${auth ? " with the fixture auth" : ""}`, pid: child.pid!, stop, logTail };
}
