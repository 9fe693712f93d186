// The multitask and run-lifecycle checks against the embedded reference server
// behind a fault: checks that pass against the server must fail once a proxy
// makes it ignore what they state (a strategy, a delay, a breakpoint, a command,
// a checkpoint, `wait` on cancel, a webhook).
//
// Where one proxy applies two mutants, each removes a field that only its own
// checks send, so every expected failure has one cause.

import { describe } from "vitest";
import { itKills } from "./support/kills";
import { useReferenceServer } from "./support/reference";

const ref = useReferenceServer("lgc-selftest-mtk-");

// The unmodified server and each fault run at once (each CLI run on its own
// threads, each fault behind its own proxy): these checks mostly wait on runs.
describe.concurrent("multitask checks fail when the server breaks what they state", () => {
  // Mutants of the catalogue (scripts/mutants/catalogue.ts), and the checks they must fail.
  itKills(
    [
      [["multitask_strategy-ignored"], ["MTK-004", "MTK-008", "MTK-013", "MTK-023"]],
      [
        ["run-after_seconds-ignored", "run-checkpoint-ignored"],
        ["MTK-060", "MTK-069"],
      ],
      [
        ["run-breakpoints-ignored", "run-command-ignored"],
        ["MTK-080", "MTK-083", "MTK-087"],
      ],
      [
        ["cancel-wait-ignored", "webhook-ignored"],
        ["MTK-031", "MTK-090"],
      ],
    ],
    { campaign: () => ({ upstream: ref.server.url, dir: ref.dir, args: [], timeoutMs: 240_000 }), timeoutMs: 300_000 },
  );
});
