// Runs the conformance suites through vitest's Node API: the CLI's one way in.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Reporter, TestModule } from "vitest/node";
import type { RunContext } from "../../harness/run-context";

export const PKG_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SUITE_VERSION: string = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;

async function vitestFor(reporters: Reporter[], provide?: RunContext) {
  const { createVitest } = await import("vitest/node");
  return createVitest(
    "test",
    {
      root: PKG_ROOT,
      config: `${PKG_ROOT}vitest.config.ts`,
      project: ["conformance"],
      watch: false,
      reporters,
      ...(provide ? { provide: { lgc: provide } } : {}),
    },
    // Keep the suite's own cache out of the user's tree.
    { cacheDir: `${PKG_ROOT}node_modules/.vite` },
  );
}

/** Runs the suite files (`files`, relative to the package: some of them; none runs nothing), or all of them. */
export async function runSuites(ctx: RunContext, reporter: Reporter, files?: string[]): Promise<void> {
  if (files && files.length === 0) return;
  const vitest = await vitestFor([reporter], ctx);
  try {
    await vitest.start(files?.map((f) => `${PKG_ROOT}${f}`));
  } finally {
    await vitest.close();
  }
}

export async function collectSuites(): Promise<ReadonlyArray<TestModule>> {
  const vitest = await vitestFor([]);
  try {
    const { testModules } = await vitest.collect();
    return testModules;
  } finally {
    await vitest.close();
  }
}
