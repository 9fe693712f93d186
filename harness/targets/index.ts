// Targets: the server under test, however it comes to be. A run talks to this
// interface only: it starts the target (for a URL, that only names it), tests
// what answers at its URL, and stops it. Each kind lives in a file of its own
// beside this one; adding a kind is one file and one function here.

import { UsageError } from "../target";
import { killAllCommandsSync, startCommandTarget, stopAllCommands, type CommandTargetOptions } from "./command";
import { removeAllContainersSync, startContainerTarget, stopAllContainers, type ContainerTargetOptions } from "./container";
import type { Identity } from "../run-context";
import { AUTH_CONFIG, fixtureIdentities, killAllServersSync, startReferenceServer, stopAllServers, type ReferenceServerOptions } from "./reference";

/** How the target came to be, as the report says it. */
export type StartedBy = "url" | "embedded" | "container" | "command";

export interface StartedTarget {
  startedBy: StartedBy;
  url: string;
  /** What the suite started, as the report names it (a URL given by the user starts nothing). */
  started?: string;
  /** One line for the log: what runs, and where. */
  describe: string;
  /** This machine's address as the target sees it (a local container's gateway), for the suite's receivers. */
  hostAddress?: string;
  /** Stops what was started; a no-op for a URL. */
  stop(): Promise<void>;
  /**
   * A second instance of the same server with the fixture auth, and its users:
   * what the embedded reference offers the auth profile (others are given
   * --identity and, where auth runs elsewhere, --auth-url).
   */
  startAuth?(log: (line: string) => void): Promise<{ started: StartedTarget; identities: Identity[] }>;
}

export interface Target {
  /** Starts the target; a target that cannot start throws a UsageError of one line. */
  start(log: (line: string) => void): Promise<StartedTarget>;
}

const oneLine = (e: unknown) => new UsageError(String((e as Error)?.message ?? e).split("\n")[0]!);

/** A server the user runs, at a URL. */
export function urlTarget(url: string): Target {
  return { start: async () => ({ startedBy: "url", url, describe: "", stop: async () => undefined }) };
}

/** The embedded reference server (the official JS implementation with the fixture graphs). */
export function referenceTarget(opts: ReferenceServerOptions = {}): Target {
  return {
    async start(log) {
      log("starting the embedded reference server…");
      const s = await startReferenceServer(opts).catch((e) => {
        throw oneLine(e);
      });
      return {
        startedBy: "embedded",
        url: s.url,
        started: s.description,
        describe: `embedded ${s.description}, pid ${s.pid}`,
        stop: () => s.stop(),
        async startAuth() {
          const a = await startReferenceServer({ ...opts, config: AUTH_CONFIG }).catch((e) => {
            throw oneLine(e);
          });
          const started: StartedTarget = { startedBy: "embedded", url: a.url, started: a.description, describe: `embedded, with the fixture auth, pid ${a.pid}`, stop: () => a.stop() };
          return { started, identities: await fixtureIdentities() };
        },
      };
    },
  };
}

/** A container image, started on a Docker engine. */
export function containerTarget(opts: Omit<ContainerTargetOptions, "log">): Target {
  return {
    async start(log) {
      // One line that says why; a container that did not start adds its last log lines.
      const c = await startContainerTarget({ ...opts, log }).catch((e: Error) => {
        throw new UsageError(e.message);
      });
      return {
        startedBy: "container",
        url: c.url,
        started: c.started,
        describe: `container ${c.name} of ${c.started}`,
        ...(c.hostAddress ? { hostAddress: c.hostAddress } : {}),
        stop: () => c.stop(),
      };
    },
  };
}

/** A server started by a shell command that prints its URL. */
export function commandTarget(opts: Omit<CommandTargetOptions, "log">): Target {
  return {
    async start(log) {
      const c = await startCommandTarget({ ...opts, log }).catch((e: Error) => {
        throw new UsageError(e.message);
      });
      return { startedBy: "command", url: c.url, started: c.started, describe: `${c.started}, pid ${c.pid}`, stop: () => c.stop() };
    },
  };
}

/** Stops every target this process started (on a signal), never for long. */
export async function stopAllTargets(): Promise<void> {
  await Promise.all([stopAllServers(), stopAllContainers(), stopAllCommands()]);
}

/** The same, synchronous: for an 'exit' handler. */
export function killAllTargetsSync(): void {
  killAllServersSync();
  killAllCommandsSync();
  removeAllContainersSync();
}
