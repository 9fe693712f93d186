// Serves @langgraph-js/pure-graph, an independent implementation of this API
// (on Hono, by another author), with the fixture graphs of this repo, so that
// the suite can be run against a second implementation:
//
//   node --import tsx scripts/maintainer/pure-graph-server.ts [--fixtures DIR] [--host H] [--port N] [--storage memory|sqlite] [--stop-on-stdin-eof]
//
// It prints one line with its URL once it listens (port 0, the default, lets
// the OS pick a free one) and stops on SIGINT or SIGTERM (and, with
// --stop-on-stdin-eof, when its standard input closes: what a suite that
// started it as `run --command` holds open until it ends, however it ends).
//
// Storage: pure-graph reads it from the environment (DATABASE_URL, REDIS_URL,
// SQLITE_DATABASE_URI, CHECKPOINT_TYPE). The launcher drops whatever of these
// the user has set, so that nothing of the user's is read or written:
// - `memory` (default): what pure-graph does with no configuration, all state
//   in the process (its in-memory thread store, a shallow in-memory
//   checkpointer); nothing is written to disk.
// - `sqlite`: its SQLite thread store and full SQLite checkpointer, in a
//   database in a temporary directory that is removed when the server stops.
//   In 3.3.3 this store answers every history read with 500 (it queries a
//   `checkpoints` table with a `created_at` column that its checkpointer does
//   not create), so the memory store is the one the committed reports judge.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { failLauncher, launcherPort, serveUntilStopped } from "../../harness/targets/server-env";

const DEFAULT_FIXTURES = fileURLToPath(new URL("../../fixtures", import.meta.url));
const STORAGE_ENV = ["DATABASE_URL", "DATABASE_INIT", "REDIS_URL", "SQLITE_DATABASE_URI", "CHECKPOINT_TYPE", "DISABLE_BUN_SQLITE"];

export interface PureGraphOptions {
  fixturesDir?: string;
  host?: string;
  port?: number;
  storage?: "sqlite" | "memory";
}

export interface PureGraphServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts pure-graph in this process. It keeps its state in process-wide globals
 * (its graph registry, its storage), so one process serves one instance.
 */
export async function startPureGraph(opts: PureGraphOptions = {}): Promise<PureGraphServer> {
  const fixturesDir = resolve(opts.fixturesDir ?? DEFAULT_FIXTURES);
  for (const k of STORAGE_ENV) delete process.env[k];
  const home = opts.storage === "sqlite" ? await mkdtemp(join(tmpdir(), "langgraph-conformance-pure-graph-")) : undefined;
  if (home) {
    process.env.SQLITE_DATABASE_URI = join(home, "langgraph.db");
    process.env.CHECKPOINT_TYPE = "sqlite";
  }
  // Imported only now: the package reads its storage from the environment.
  const { registerGraph } = await import("@langgraph-js/pure-graph");
  const { handleRequest } = await import("@langgraph-js/pure-graph/dist/adapter/fetch/index.js");
  const { getRequestListener } = await import("@hono/node-server");

  const config = JSON.parse(await readFile(join(fixturesDir, "langgraph.json"), "utf8"));
  for (const [id, spec] of Object.entries<string>(config.graphs ?? {})) {
    const [file, symbol = "default"] = spec.split(":");
    const mod = await import(pathToFileURL(resolve(fixturesDir, file!)).href);
    if (!mod[symbol]) throw new Error(`${spec}: the module exports no '${symbol}'`);
    await registerGraph(id, mod[symbol]);
  }

  const server: Server = createServer(getRequestListener((req: Request) => handleRequest(req)));
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => ok());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    stop: () =>
      (stopped ??= (async () => {
        // Streams that never end would hold close() forever: cut them.
        server.closeAllConnections();
        await new Promise<void>((ok) => server.close(() => ok()));
        if (home) await rm(home, { recursive: true, force: true }).catch(() => undefined);
      })()),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fixtures: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      storage: { type: "string" },
      "stop-on-stdin-eof": { type: "boolean" },
    },
    strict: true,
  });
  const storage = values.storage ?? "memory";
  if (storage !== "sqlite" && storage !== "memory") throw new Error(`--storage expects memory or sqlite, got '${storage}'`);
  const port = launcherPort(values.port);
  const server = await startPureGraph({
    ...(values.fixtures ? { fixturesDir: values.fixtures } : {}),
    ...(values.host ? { host: values.host } : {}),
    port,
    storage,
  });
  process.stdout.write(`pure-graph listening on ${server.url}\n`);
  // pure-graph leaves some promises of its background run tasks unhandled (a
  // stream queue that was already removed, say). Node would end the process on
  // the first one, and every check after it would fail for want of a server.
  // The hosts pure-graph is written for (Next.js, Bun, Hono on edge runtimes)
  // log them and go on serving, and so does this one: the requests that met
  // the fault are still judged by their answers.
  process.on("unhandledRejection", (reason) => {
    process.stderr.write(`pure-graph-server: unhandled rejection (serving on): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
  });
  serveUntilStopped(server, { stdinEof: values["stop-on-stdin-eof"], graceMs: 5_000 });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch(failLauncher("pure-graph-server"));
}
