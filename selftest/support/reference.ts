// The embedded reference server and a temporary directory, for the test files
// that run the suite against it: started before their tests, stopped and
// removed after them.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startReferenceServer, type StartedServer } from "../../harness/targets/reference";

export interface Reference {
  /** The running server (read inside tests and hooks, once beforeAll has run). */
  server: StartedServer;
  /** A fresh directory for the file's reports. */
  dir: string;
}

/** Registers the hooks in the current scope (a file or a describe block); `prefix` names the directory. */
export function useReferenceServer(prefix: string): Reference {
  const ref = {} as Reference;
  beforeAll(async () => {
    ref.dir = await mkdtemp(join(tmpdir(), prefix));
    ref.server = await startReferenceServer();
  });
  afterAll(async () => {
    await ref.server?.stop();
    if (ref.dir) await rm(ref.dir, { recursive: true, force: true });
  });
  return ref;
}
