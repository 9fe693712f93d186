// Shared by every launcher of a @langchain/langgraph-api server (the embedded
// reference and the maintainers' 2.0.0): kept free of imports so that a launcher
// with node_modules of its own can load it.

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
