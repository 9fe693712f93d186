// A target started by a command: `langgraph-conformance run --command "CMD"`.
// The suite runs CMD through the shell, in a process group of its own, and
// takes the first http(s) URL the command prints on its standard output as the
// target's base URL; the target is ready once that URL answers HTTP at all (any
// status: the probe and the checks judge what it answers). When the run ends,
// fails or is stopped, the whole process group gets SIGTERM, then SIGKILL.
//
// The command's standard input is a pipe the suite holds open and never writes
// to: it closes when the suite's process ends, however it ends (SIGKILL too),
// so a command that stops at the end of its input never outlives the run
// (scripts/maintainer/pure-graph-server.ts --stop-on-stdin-eof does).

import { spawn, type ChildProcess } from "node:child_process";
import { redactText } from "../evidence";

/** How long the command may take to print its URL and answer on it. */
export const DEFAULT_COMMAND_STARTUP_TIMEOUT_MS = 120_000;
/** How long the command's processes get between SIGTERM and SIGKILL. */
const GRACE_MS = 5_000;

export interface CommandTargetOptions {
  command: string;
  startupTimeoutMs?: number;
  cwd?: string;
  log?: (line: string) => void;
}

export interface StartedCommand {
  url: string;
  /** What the report names as started: the command. */
  started: string;
  pid: number;
  stop(): Promise<void>;
  logTail(lines?: number): string;
}

const running = new Set<ChildProcess>();

/** Signals the process group of a command (its pid is the group's id, as it was spawned detached). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Stops one command: SIGTERM to its group, SIGKILL after the grace period; resolves once the shell has exited. */
function stopChild(child: ChildProcess, graceMs = GRACE_MS): Promise<void> {
  running.delete(child);
  child.stdin?.destroy();
  if (exited(child)) {
    signalGroup(child, "SIGKILL"); // what the shell left behind, if anything
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      // The shell may exit before a child it started: the group goes too.
      signalGroup(child, "SIGKILL");
      resolve();
    });
    signalGroup(child, "SIGTERM");
  });
}

/** Stops every command this process started (bounded). */
export async function stopAllCommands(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}

/** Kills every command's process group at once. Synchronous: safe in an 'exit' handler. */
export function killAllCommandsSync(): void {
  for (const child of running) signalGroup(child, "SIGKILL");
  running.clear();
}

const URL_IN_LINE = /\bhttps?:\/\/[^\s"'<>()]+/;
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Starts the command and resolves with the URL it printed, once that URL answers. */
export async function startCommandTarget(opts: CommandTargetOptions): Promise<StartedCommand> {
  const startupTimeoutMs = opts.startupTimeoutMs ?? DEFAULT_COMMAND_STARTUP_TIMEOUT_MS;
  const log = opts.log ?? (() => undefined);
  const child = spawn(opts.command, {
    shell: true,
    detached: true,
    cwd: opts.cwd ?? process.cwd(),
    env: process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.add(child);
  child.stdin!.on("error", () => undefined);

  const lines: string[] = [];
  const logTail = (n = 20) => redactText(lines.slice(-n).join("\n"));
  let announced: string | undefined;
  let onUrl: ((url: string) => void) | undefined;
  const consume = (stream: NodeJS.ReadableStream, isStdout: boolean) => {
    let partial = "";
    stream.on("data", (chunk: Buffer) => {
      const parts = (partial + chunk.toString("utf8")).split("\n");
      partial = parts.pop() ?? "";
      for (const raw of parts) {
        const line = raw.replace(ANSI, "").trimEnd();
        if (line.trim()) lines.push(line);
        if (isStdout && announced === undefined) {
          const m = URL_IN_LINE.exec(line);
          if (m) {
            announced = m[0].replace(/[.,;:!?]+$/, "");
            onUrl?.(announced);
          }
        }
      }
      if (lines.length > 400) lines.splice(0, lines.length - 400);
    });
    stream.on("error", () => undefined);
  };
  consume(child.stdout!, true);
  consume(child.stderr!, false);

  const fail = async (why: string): Promise<never> => {
    await stopChild(child, 1_000);
    const tail = logTail();
    throw new Error(`the command did not start a server: ${why}${tail ? `\n--- last lines of its output ---\n${tail}` : "\n(it printed nothing)"}`);
  };

  const deadline = Date.now() + startupTimeoutMs;
  log(`starting the command: ${redactText(opts.command)}`);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`it printed no http(s) URL on its standard output within ${startupTimeoutMs} ms`)), startupTimeoutMs);
    onUrl = (u) => {
      clearTimeout(timer);
      resolve(u);
    };
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`it exited (${signal ?? `code ${code}`}) before printing a URL`));
    });
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  }).catch((e: Error) => fail(e.message));

  // Printed is not yet listening for every command: wait until the URL answers HTTP.
  let last = "no answer yet";
  for (;;) {
    if (exited(child)) await fail(`it exited (${child.signalCode ?? `code ${child.exitCode}`}) after printing ${url}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel().catch(() => undefined);
      break;
    } catch (e) {
      last = (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message;
    }
    if (Date.now() >= deadline) await fail(`${url} did not answer within ${startupTimeoutMs} ms (last: ${last})`);
    await new Promise((r) => setTimeout(r, 250));
  }

  child.once("exit", (code, signal) => {
    if (running.has(child)) log(`the command exited (${signal ?? `code ${code}`}) while the run was going on`);
  });
  return {
    url: url.replace(/\/+$/, ""),
    started: `command: ${redactText(opts.command)}`,
    pid: child.pid!,
    logTail,
    stop: () => stopChild(child),
  };
}
