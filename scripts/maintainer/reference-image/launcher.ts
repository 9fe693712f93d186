// The entry of the reference image (scripts/maintainer/build-reference-image.sh): PID 1 of
// the container. It starts the embedded reference server exactly as
// `langgraph-conformance run` does without a URL (same module, same child
// process, same options), except that it listens on 0.0.0.0 and a fixed port
// so that the engine can publish it, and reads the fixture graphs from
// LGC_FIXTURES_DIR (default /fixtures, where `--mount-fixtures` mounts them).
// LGC_CONFIG names the langgraph config there (default langgraph.json;
// langgraph.auth.json serves the same graphs with the fixture auth, which is how
// the auth profile is run against this image: --env LGC_CONFIG=langgraph.auth.json
// and the fixture users as --identity).
// The server's output is this container's log. It ends when the server ends,
// and stops the server on SIGTERM/SIGINT (`docker stop`).

import { startReferenceServer } from "../../../harness/targets/reference";

const fixturesDir = process.env.LGC_FIXTURES_DIR || "/fixtures";
const config = process.env.LGC_CONFIG || "langgraph.json";
const port = Number(process.env.PORT || 8000);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write(`launcher: PORT must be a TCP port, got '${process.env.PORT}'\n`);
  process.exit(2);
}

let stopping = false;
try {
  const server = await startReferenceServer({
    fixturesDir,
    config,
    host: "0.0.0.0",
    port,
    onLog: (chunk) => process.stdout.write(chunk),
    onExit: (code, signal) => {
      if (stopping) return;
      process.stderr.write(`launcher: the reference server ended (${signal ?? `code ${code}`})\n`);
      process.exit(1);
    },
  });
  process.stdout.write(`launcher: ${server.description} listening on ${server.url} with the graphs of ${fixturesDir}/${config}\n`);
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.stop().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} catch (e) {
  process.stderr.write(`launcher: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
