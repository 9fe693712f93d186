import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // The suite's own tests: `npm test`.
        test: {
          name: "selftest",
          include: ["selftest/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks",
        },
      },
      {
        // The conformance checks, run by `langgraph-conformance run` against a target.
        test: {
          name: "conformance",
          include: ["suites/**/*.check.ts"],
          // Checks end themselves (each has its own deadline); these are backstops.
          testTimeout: 600_000,
          hookTimeout: 120_000,
          pool: "threads",
          // One contract cache per worker, shared by the files it runs.
          isolate: false,
          maxConcurrency: 8,
          // Checks mostly wait on the target: four workers run files side by side
          // even on 2 cores (measured: 100 s with vitest's one default worker, 26-39 s
          // with four, the same outcomes check for check).
          maxWorkers: 4,
          // Outcomes are reported by the suite's reporter, never retried into a pass.
          retry: 0,
        },
      },
    ],
  },
});
