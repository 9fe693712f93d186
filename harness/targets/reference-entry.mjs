// Runs inside the child process that serves the embedded reference server:
// @langchain/langgraph-api's in-memory server with the fixture graphs, no file
// watcher, on the port the OS picks. The parent learns the address over IPC, and
// the child exits as soon as the parent goes away (IPC channel closed).
//
// argv: [..., payloadJSON]  (last, as @langchain/langgraph-api's preload expects)

import { rmSync } from "node:fs";
import { basename } from "node:path";
import { startServer } from "@langchain/langgraph-api/server";

const options = JSON.parse(process.argv.at(-1));

// The server's state lives in its temporary directory, gone with the child however it ends
// (the parent may be gone already; a SIGKILL the parent sends is followed by the parent's own removal).
process.on("exit", () => {
  if (basename(String(options.cwd ?? "")).startsWith("langgraph-conformance-ref-")) rmSync(options.cwd, { recursive: true, force: true });
});

process.on("disconnect", () => process.exit(0));

let cleanup = async () => {};
async function shutdown(code) {
  try {
    await Promise.race([cleanup(), new Promise((r) => setTimeout(r, 3000))]);
  } finally {
    process.exit(code);
  }
}
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));

try {
  const started = await startServer(options);
  cleanup = started.cleanup;
  process.send?.({ type: "ready", host: started.host });
} catch (e) {
  process.send?.({ type: "failed", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
}
