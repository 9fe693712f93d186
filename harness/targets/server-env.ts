// Shared by the launchers of the servers the suite starts (the embedded
// reference, the maintainers' langgraph-api 2.0.0 and pure-graph): their
// environment, their --port, and how they stop. Kept free of imports so that a
// launcher with node_modules of its own can load it.

/**
 * The environment of a @langchain/langgraph-api server the suite starts: only
 * what it needs (no keys of the user's), tracing and analytics off.
 */
export function serverEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ["PATH", "HOME", "TMPDIR", "LANG", "SystemRoot"]) if (process.env[k]) env[k] = process.env[k];
  return {
    ...env,
    NODE_ENV: "development",
    LANGSMITH_TRACING: "false",
    LANGCHAIN_TRACING_V2: "false",
    LANGSMITH_TRACING_V2: "false",
    LANGCHAIN_TRACING: "false",
    LANGGRAPH_CLI_NO_ANALYTICS: "1",
    LOG_LEVEL: "info",
    // The server derives graph schemas with the TypeScript compiler and gives up
    // after 30 s by default, answering 500: on a loaded 2-core machine that would
    // make the verdict depend on the load. The suite allows these requests 180 s.
    LANGGRAPH_SCHEMA_RESOLVE_TIMEOUT_MS: "170000",
    LOG_COLOR: "false",
    ...extra,
  };
}

/** The --port of a launcher's command line: a TCP port, or 0 (the default) for one the OS picks. */
export function launcherPort(raw: string | undefined): number {
  const port = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port expects a TCP port, got '${raw}'`);
  return port;
}

/**
 * Keeps a launcher's server up until SIGINT, SIGTERM or, with `stdinEof`, the
 * end of its standard input (what `langgraph-conformance run --command` holds
 * open until it ends, however it ends); then stops it and exits 0, after
 * `graceMs` at the most.
 */
export function serveUntilStopped(server: { stop(): Promise<void> }, opts: { stdinEof?: boolean; graceMs: number }): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), opts.graceMs).unref();
    void server.stop().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (opts.stdinEof) {
    process.stdin.on("end", stop);
    process.stdin.on("error", stop);
    process.stdin.resume();
  }
}

/** A launcher's failure: one line on standard error, exit code 2. */
export function failLauncher(name: string): (e: unknown) => never {
  return (e) => {
    process.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  };
}
