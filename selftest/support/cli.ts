import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/langgraph-conformance.mjs", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const running = new Set<ReturnType<typeof spawn>>();

/** Kills every CLI run this process started and that has not ended (a campaign interrupted with Ctrl-C). Synchronous. */
export function killRunningClis(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

/** Runs the CLI as a user would, bounded in time. */
export function runCli(args: string[], opts: { env?: Record<string, string | undefined>; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  const t0 = performance.now();
  const env = { ...process.env, ...opts.env };
  delete env.LANGGRAPH_CONFORMANCE_URL;
  delete env.LANGGRAPH_API_KEY;
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the CLI did not finish within ${opts.timeoutMs ?? 60_000} ms: ${args.join(" ")}\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on("exit", (code) => {
      running.delete(child);
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}
