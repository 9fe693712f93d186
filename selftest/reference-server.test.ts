// The embedded reference server leaves no trace: its temporary directory is
// removed however it is stopped (its own stop(), every server at the end of a
// run, or killed at once when the process exits).

import { existsSync } from "node:fs";
import { readlink } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { killAllServersSync, startReferenceServer, stopAllServers } from "../harness/targets/reference";

/** The server's directory: the child process's working directory (Linux). */
const homeOf = (pid: number) => readlink(`/proc/${pid}/cwd`);

afterAll(() => stopAllServers());

describe("the embedded reference server", () => {
  it("removes its directory when stopped by stop(), by stopAllServers() and by killAllServersSync()", { timeout: 240_000 }, async () => {
    const one = await startReferenceServer();
    const home1 = await homeOf(one.pid);
    expect(home1).toMatch(/langgraph-conformance-ref-/);
    await one.stop();
    expect(existsSync(home1), "stop()").toBe(false);

    const [two, three] = await Promise.all([startReferenceServer(), startReferenceServer()]);
    const homes = [await homeOf(two.pid), await homeOf(three.pid)];
    await stopAllServers();
    for (const h of homes) expect(existsSync(h), `stopAllServers(): ${h}`).toBe(false);

    const four = await startReferenceServer();
    const home4 = await homeOf(four.pid);
    killAllServersSync();
    expect(existsSync(home4), "killAllServersSync()").toBe(false);
  });
});
