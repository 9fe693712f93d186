// Runs inside the child process that serves @langchain/langgraph-api 2.0.0 (the
// copy installed in this folder) with the fixture graphs: the entry of the
// embedded reference server (harness/targets/reference-entry.mjs), importing
// this folder's package, and removing its directory as it ends. The parent (server.ts) learns the address over IPC; the
// child exits as soon as the parent goes away (IPC channel closed).
//
// argv: [..., payloadJSON]  (last, as @langchain/langgraph-api's preload expects)

import { rmSync } from "node:fs";
import { startServer } from "@langchain/langgraph-api/server";

const options = JSON.parse(process.argv.at(-1));

// The server's state is thrown away with the run, and so is its directory (the
// cwd server.ts made for it): removed here, as the process ends. A suite that
// started this by --command signals the whole process group and kills it as
// soon as the shell is gone, so the parent may not live long enough to do it;
// nor is there time for the server's flush to disk, which nobody would read.
process.on("exit", () => {
  try {
    rmSync(options.cwd, { recursive: true, force: true });
  } catch {
    /* gone already */
  }
});
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));

try {
  const started = await startServer(options);
  process.send?.({ type: "ready", host: started.host });
} catch (e) {
  process.send?.({ type: "failed", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
}
