// The runs and stateless checks against the embedded reference server, and
// against the same server behind a fault that breaks exactly what a check
// states: each check used here passes on the server and fails behind its fault.

import { describe } from "vitest";
import { itKills } from "./support/kills";
import { useReferenceServer } from "./support/reference";

const ref = useReferenceServer("lgc-selftest-runs-");

describe("runs and stateless checks fail when the server breaks what they state", () => {
  // Mutants of the catalogue (scripts/mutants/catalogue.ts), and the checks each must fail.
  itKills(
    [
      ["run-list-limit-ignored", ["RUN-041"]],
      ["run-list-status-ignored", ["RUN-044"]],
      ["run-running-as-success", ["RUN-011"]],
      ["run-error-as-success", ["RUN-013"]],
      ["run-join-empty", ["RUN-030", "RUN-031"]],
      ["run-content-location-other-run", ["RUN-005", "SRN-003"]],
      ["run-after_seconds-ignored", ["RUN-014"]],
      ["stateless-on_completion-ignored", ["SRN-004"]],
    ],
    { campaign: () => ({ upstream: ref.server.url, dir: ref.dir, args: [], timeoutMs: 120_000 }) },
  );
});
