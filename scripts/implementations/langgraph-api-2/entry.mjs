// Runs inside the child process that serves @langchain/langgraph-api 2.0.0 (the
// copy installed in this folder) with the fixture graphs: the same entry as the
// embedded reference server's (harness/targets/reference-entry.mjs), importing
// this folder's package. The parent (server.ts) learns the address over IPC; the
// child exits as soon as the parent goes away (IPC channel closed).
//
// argv: [..., payloadJSON]  (last, as @langchain/langgraph-api's preload expects)

import { startServer } from "@langchain/langgraph-api/server";

const options = JSON.parse(process.argv.at(-1));

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
  process.send?.({ type: "failed", message: e instanceof Error ? e.stack ?? e.message : String(e) });
  process.exit(1);
}
