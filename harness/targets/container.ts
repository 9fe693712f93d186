// A container target: `langgraph-conformance run --image IMAGE`. The image is
// started with testcontainers on the Docker engine this machine reaches
// (DOCKER_HOST, else the local socket), its API port is published on a port the
// engine picks, and the run waits (bounded) until GET /ok answers 200. The
// container is removed when the run ends, on Ctrl-C or a failure.
//
// testcontainers' own reaper (Ryuk, a helper container pulled from a registry)
// is switched off: TESTCONTAINERS_RYUK_DISABLED=true unless the user set it.
// Removal is ours instead, in four layers: the run's `finally`, the CLI's
// signal handler (stopAllContainers), a synchronous last resort on process exit
// (removeAllContainersSync), and, for a run that was killed outright
// (SIGKILL), the next --image run on the same host removes containers whose
// labelled owner process is gone (reapOrphans).

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { hostname } from "node:os";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { registerSecret, redactText } from "../evidence";
import { askedAs } from "../target";

/** The API port inside the container: the one the LangGraph server images listen on. `--port` overrides. */
export const DEFAULT_CONTAINER_PORT = 8000;
/** Where `--mount-fixtures` mounts the fixture graphs inside the container (read-only). */
export const CONTAINER_FIXTURES_PATH = "/fixtures";
/** How long the container may take until GET /ok answers 200. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 180_000;
/** How long the engine may take to answer at all. */
const ENGINE_TIMEOUT_MS = 15_000;
/** How long pulling an image that is not in the engine may take. */
const PULL_TIMEOUT_MS = 600_000;
/** Every container we start carries this label; its value is `<hostname>:<pid>` of the run that owns it. */
export const OWNER_LABEL = "org.langgraph-conformance.owner";

/** No Docker engine could be reached: `--image` cannot run (exit code 2). */
export class NoContainerEngine extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoContainerEngine";
  }
}

/** The container could not be started or never became ready: the message carries its last log lines. */
export class ContainerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContainerStartError";
  }
}

export interface ContainerTargetOptions {
  image: string;
  /** The API port inside the container (default 8000). */
  port?: number;
  env?: Record<string, string>;
  /** A host directory to mount read-only at /fixtures. */
  mountFixtures?: string;
  startupTimeoutMs?: number;
  /** Sent with the readiness probe (GET /ok): the run's API key and extra headers, for servers that want them everywhere. */
  headers?: Record<string, string>;
  /** Sent with the probe when `headers` are refused (401, 403): the first user of the auth profile, for an image whose auth guards /ok too. */
  userHeaders?: Record<string, string>;
  log?: (line: string) => void;
}

export interface StartedContainer {
  url: string;
  image: string;
  /** The image as the report names it: the reference given and the engine's image id. */
  started: string;
  /** The container's name (also its handle for removal). */
  name: string;
  id: string;
  /**
   * This machine's address as the container sees it (the gateway of its
   * network), when the engine runs here: where the container reaches a server
   * of the suite's own, such as the webhook receiver. Undefined otherwise.
   */
  hostAddress?: string;
  stop(): Promise<void>;
  logTail(lines?: number): string;
}

type Tc = typeof import("testcontainers");
type Client = Awaited<ReturnType<Tc["getContainerRuntimeClient"]>>;

const require = createRequire(import.meta.url);
/** Names of containers this process created (or is creating) and has not removed yet. */
const running = new Set<string>();
/** Set once the process is stopping: a start still under way gives up and removes what it made. */
let cancelled = false;

async function loadTestcontainers(): Promise<Tc> {
  // Ryuk would be pulled from a registry and needs the engine's socket mounted
  // into it; removal is ours (see above). A user who set the variable keeps it.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
  // Where a file /.dockerenv exists (this machine has one without being in a
  // container), testcontainers guesses that published ports are reached through
  // the bridge's gateway, a private address, and may run a helper container
  // (pulled from a registry) to find it. An engine on a local socket publishes
  // on this machine: its ports are on 127.0.0.1. A user who runs the suite in a
  // container beside the engine sets TESTCONTAINERS_HOST_OVERRIDE themselves.
  const dockerHost = process.env.DOCKER_HOST;
  if (!dockerHost || dockerHost.startsWith("unix://")) {
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "localhost";
  }
  return import("testcontainers");
}

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      timer.unref();
    }),
  ]);
}

function whereTheEngineShouldBe(): string {
  if (process.env.DOCKER_HOST) return `DOCKER_HOST=${process.env.DOCKER_HOST}`;
  return "DOCKER_HOST is not set and /var/run/docker.sock does not answer";
}

/**
 * The engine testcontainers finds. When DOCKER_HOST is set, it must be the
 * engine that answers: testcontainers would otherwise fall back to the local
 * socket, and the run would test an image on an engine the user did not name.
 */
async function engineClient(tc: Tc): Promise<Client> {
  let client: Client;
  try {
    client = await withDeadline(tc.getContainerRuntimeClient(), ENGINE_TIMEOUT_MS, "reaching the Docker engine");
  } catch (e) {
    throw new NoContainerEngine(`no Docker engine can be reached (${whereTheEngineShouldBe()}): --image needs one; start it or set DOCKER_HOST`);
  }
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost) {
    const modem = (client.container.dockerode as unknown as { modem: { socketPath?: string; host?: string; port?: string | number } }).modem;
    let wanted: URL | undefined;
    try {
      wanted = new URL(dockerHost);
    } catch {
      throw new NoContainerEngine(`DOCKER_HOST=${dockerHost} is not a URL (expected e.g. unix:///var/run/docker.sock or tcp://host:2375)`);
    }
    const same = wanted.protocol === "unix:" ? modem.socketPath === wanted.pathname : modem.host === wanted.hostname && String(modem.port ?? "") === (wanted.port || String(modem.port ?? ""));
    if (!same) throw new NoContainerEngine(`no Docker engine answers at DOCKER_HOST=${dockerHost}: --image needs one; start it or fix DOCKER_HOST`);
  }
  return client;
}

/** Whether a Docker engine can be reached, and if not, why (one line). Used by the self-tests to skip with a reason. */
export async function containerEngine(): Promise<{ ok: true; description: string } | { ok: false; reason: string }> {
  try {
    const client = await engineClient(await loadTestcontainers());
    const rt = client.info.containerRuntime;
    return { ok: true, description: `${rt.operatingSystem} ${rt.architecture}, engine API ${rt.serverVersion}` };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

function isLocal(host: string): boolean {
  return host === "localhost" || host.startsWith("127.") || host === "::1";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes containers of earlier runs on this host whose owner process is gone (a run killed with SIGKILL). */
async function reapOrphans(client: Client, log: (line: string) => void): Promise<void> {
  const me = hostname();
  const list = await client.container.dockerode.listContainers({ all: true, filters: { label: [OWNER_LABEL] } });
  for (const c of list) {
    const owner = c.Labels?.[OWNER_LABEL] ?? "";
    const sep = owner.lastIndexOf(":");
    const host = owner.slice(0, sep);
    const pid = Number(owner.slice(sep + 1));
    if (host !== me || !Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    log(`removing container ${c.Names?.[0]?.replace(/^\//, "") ?? c.Id} left by an earlier run (process ${pid} is gone)`);
    await client.container.dockerode
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
}

async function removeContainer(client: Client, name: string, graceSeconds: number): Promise<void> {
  const c = client.container.dockerode.getContainer(name);
  if (graceSeconds > 0) await c.stop({ t: graceSeconds }).catch(() => undefined);
  await c.remove({ force: true, v: true }).catch((e: { statusCode?: number }) => {
    // 404: already gone; 409: removal already in progress.
    if (e?.statusCode !== 404 && e?.statusCode !== 409) throw e;
  });
  running.delete(name);
}

function parseEngineError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  // dockerode: "(HTTP code 404) no such container - ..." → the part after the code.
  return msg.replace(/^\(HTTP code \d+\)\s*/, "").split("\n")[0]!;
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export async function startContainerTarget(opts: ContainerTargetOptions): Promise<StartedContainer> {
  const log = opts.log ?? (() => undefined);
  const port = opts.port ?? DEFAULT_CONTAINER_PORT;
  const startupTimeoutMs = opts.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const env = opts.env ?? {};
  for (const [k, v] of Object.entries(env)) if (/KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH|CREDENTIAL/i.test(k)) registerSecret(v);

  let mount: string | undefined;
  if (opts.mountFixtures !== undefined) {
    mount = resolve(opts.mountFixtures);
    let isDir = false;
    try {
      isDir = statSync(mount).isDirectory();
    } catch {
      /* reported below */
    }
    if (!isDir) throw new ContainerStartError(`--mount-fixtures: ${mount} is not a directory`);
  }

  const tc = await loadTestcontainers();
  const client = await engineClient(tc);
  await reapOrphans(client, log).catch(() => undefined);

  // An image that is not in the engine is pulled (a vendor's CI may use a
  // registry); without a registry that fails, and says so.
  const imageName = tc.ImageName.fromString(opts.image);
  if (!(await client.image.exists(imageName).catch(() => false))) {
    log(`image ${opts.image} is not in the engine; pulling it…`);
    await withDeadline(client.image.pull(imageName, { force: false, platform: undefined }), PULL_TIMEOUT_MS, `pulling ${opts.image}`).catch(() => undefined);
    if (!(await client.image.exists(imageName).catch(() => false))) {
      throw new ContainerStartError(`the image ${opts.image} is not in the Docker engine and could not be pulled (build it, or docker load it, first)`);
    }
  }

  const imageId = await client.image
    .inspect(imageName)
    .then((i) => i.Id)
    .catch(() => "");

  const lines: string[] = [];
  const logTail = (n = 20) => redactText(lines.slice(-n).join("\n"));
  const consume = (stream: Readable) => {
    let partial = "";
    stream.on("data", (chunk: string | Buffer) => {
      const parts = (partial + chunk.toString()).split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) if (line.trim()) lines.push(line.replace(ANSI, "").trimEnd());
      if (lines.length > 400) lines.splice(0, lines.length - 400);
    });
    stream.on("end", () => {
      if (partial.trim()) lines.push(partial.replace(ANSI, "").trimEnd());
      partial = "";
    });
    stream.on("error", () => undefined);
  };

  const local = isLocal(client.info.containerRuntime.host);
  // Connect by address, not by name: "localhost" may resolve to ::1 first.
  const host = local ? "127.0.0.1" : client.info.containerRuntime.host;
  const name = `langgraph-conformance-${randomBytes(5).toString("hex")}`;

  // Waits until GET /ok answers 200 on the published port, gives up at once
  // when the container stops, and when the run is being cancelled.
  const ready: import("testcontainers").WaitStrategy & { startupTimeoutMs: number } = {
    startupTimeoutMs,
    withStartupTimeout(ms: number) {
      this.startupTimeoutMs = ms;
      return this;
    },
    isStartupTimeoutSet: () => true,
    getStartupTimeout() {
      return this.startupTimeoutMs;
    },
    async waitUntilReady(container, boundPorts) {
      const url = `http://${host}:${boundPorts.getBinding(port)}/ok`;
      const deadline = Date.now() + this.startupTimeoutMs;
      let last = "no answer yet";
      for (;;) {
        if (cancelled) throw new ContainerStartError("the run was stopped while the container was starting");
        const state = await container
          .inspect()
          .then((i) => i.State)
          .catch(() => undefined);
        if (state && !state.Running) {
          await new Promise((r) => setTimeout(r, 300)); // let the last log lines arrive
          throw new ContainerStartError(`the container exited (code ${state.ExitCode}) before GET /ok answered`);
        }
        try {
          const res = await askedAs(async (user) => {
            const r = await fetch(url, { headers: { ...opts.headers, ...user }, signal: AbortSignal.timeout(2_000) });
            await r.body?.cancel().catch(() => undefined);
            return r;
          }, opts.userHeaders);
          if (res.status === 200) return;
          last = `GET /ok answered ${res.status}`;
        } catch (e) {
          last = `GET /ok: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`;
        }
        if (Date.now() >= deadline) {
          throw new ContainerStartError(`GET /ok did not answer 200 within ${this.startupTimeoutMs} ms (last: ${last})`);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    },
  };

  // Published on loopback only when the engine is on this machine: the server
  // under test has no authentication and need not be reachable from elsewhere.
  class Target extends tc.GenericContainer {
    protected override async beforeContainerCreated(): Promise<void> {
      if (!local) return;
      const bindings = this.hostConfig.PortBindings as Record<string, Array<{ HostIp?: string; HostPort: string }>> | undefined;
      for (const list of Object.values(bindings ?? {})) for (const b of list) b.HostIp = "127.0.0.1";
    }
  }
  const container = new Target(opts.image)
    .withName(name)
    .withLabels({ [OWNER_LABEL]: `${hostname()}:${process.pid}` })
    .withExposedPorts(port)
    .withEnvironment(env)
    .withWaitStrategy(ready)
    .withStartupTimeout(startupTimeoutMs)
    .withLogConsumer(consume);
  if (mount) container.withBindMounts([{ source: mount, target: CONTAINER_FIXTURES_PATH, mode: "ro" }]);

  running.add(name);
  log(`starting container ${name} of ${opts.image} (API port ${port}${mount ? `, ${mount} at ${CONTAINER_FIXTURES_PATH}` : ""})…`);
  let started: import("testcontainers").StartedTestContainer;
  try {
    // Bounded: every step in it is (engine calls, the ready wait); this is the backstop.
    started = await withDeadline(container.start(), startupTimeoutMs + 60_000, `starting ${opts.image}`);
  } catch (e) {
    // testcontainers removes a container that failed its wait; make sure of it.
    await removeContainer(client, name, 0).catch(() => undefined);
    const tail = logTail();
    const why = e instanceof ContainerStartError ? e.message : parseEngineError(e);
    throw new ContainerStartError(`the container of ${opts.image} did not start: ${why}${tail ? `\n--- last lines of its log ---\n${tail}` : "\n(it wrote no log)"}`);
  }
  if (cancelled) {
    await removeContainer(client, name, 0).catch(() => undefined);
    throw new ContainerStartError("the run was stopped while the container was starting");
  }

  let hostAddress: string | undefined;
  if (local) {
    const info = await (client.container as unknown as { dockerode: { getContainer(id: string): { inspect(): Promise<any> } } }).dockerode
      .getContainer(started.getId())
      .inspect()
      .catch(() => undefined);
    const nets = Object.values<any>(info?.NetworkSettings?.Networks ?? {});
    hostAddress = info?.NetworkSettings?.Gateway || nets.map((n) => n?.Gateway).find((g: unknown) => typeof g === "string" && g.length > 0) || undefined;
  }

  return {
    url: `http://${host}:${started.getMappedPort(port)}`,
    ...(hostAddress ? { hostAddress } : {}),
    image: opts.image,
    started: imageId ? `${opts.image} ${imageId}` : opts.image,
    name,
    id: started.getId(),
    logTail,
    // A graceful stop first (the server may flush), then removal with its volumes.
    stop: () => removeContainer(client, name, 3),
  };
}

/** Removes every container this process started, without grace; a start under way gives up. */
export async function stopAllContainers(): Promise<void> {
  cancelled = true;
  if (running.size === 0) return;
  const tc = await loadTestcontainers();
  const client = await tc.getContainerRuntimeClient().catch(() => undefined);
  if (!client) return;
  await Promise.all([...running].map((name) => removeContainer(client, name, 0).catch(() => undefined)));
}

/**
 * The last resort, for a process that exits with containers still listed
 * (an 'exit' handler cannot wait for a promise): a short-lived node process
 * removes them, bounded in time.
 */
export function removeAllContainersSync(): void {
  if (running.size === 0) return;
  const script = `const [tc, ...names] = process.argv.slice(1);
require(tc).getContainerRuntimeClient()
  .then((c) => Promise.all(names.map((n) => c.container.dockerode.getContainer(n).remove({ force: true, v: true }).catch(() => {}))))
  .catch(() => {}).finally(() => process.exit(0));`;
  spawnSync(process.execPath, ["-e", script, require.resolve("testcontainers"), ...running], {
    stdio: "ignore",
    timeout: 15_000,
    env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED ?? "true" },
  });
  running.clear();
}
