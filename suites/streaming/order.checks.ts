// What a stream carries by default, and the order of one step's events across
// modes: without stream_mode a run streams `values` (the stated default); with
// `updates` and `values` together, each step's updates come before that step's
// values (streams.yaml x-order updates-before-values, a decision: SHOULD).

import { check } from "../../harness/check";
import { fail } from "../../harness/expect";
import { streamCheckTimeout } from "../_support/runs";
import { events, expectExactlyModes, streamThreadRun } from "./support";

const THREAD_STREAM = "POST /threads/{thread_id}/runs/stream";
const TIMEOUT = streamCheckTimeout(1);

check(
  {
    id: "STR-063",
    level: "MUST",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      { source: "api-ref", section: "RunCreateStateful.stream_mode", quote: "The stream mode(s) to use.", note: "default values" },
      { source: "streams", section: "x-stream-modes.values", note: "values → values" },
    ],
    title: "A run streamed without stream_mode streams `values` events and no event of another mode (the default is values)",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    const { res } = await streamThreadRun(c, "echo", { input: { value: "default mode" } });
    expectExactlyModes(res, ["values"], "the stream of a run created without stream_mode");
  },
);

check(
  {
    id: "STC-022",
    level: "SHOULD",
    profile: "streaming",
    operations: [THREAD_STREAM],
    spec: [
      { source: "guide-streaming", section: "Supported stream modes, values", quote: "Stream the full graph state after each super-step." },
      { source: "guide-streaming", section: "Supported stream modes, updates", quote: "Streams the updates to the state after each step of the graph." },
      { source: "streams", section: "x-order.updates-before-values", quote: "the `updates` events of a step come before that step's `values` event" },
    ],
    title: "With stream_mode [updates, values], each step's updates event comes before the values event that holds its writes",
    requires: ["graph:echo"],
    timeoutMs: TIMEOUT,
  },
  async (c) => {
    // The echo graph appends each node's name to `trail`: the values event of
    // the step where node N ran is the first whose trail holds N's entry.
    const { res } = await streamThreadRun(c, "echo", { input: { value: "order" }, stream_mode: ["updates", "values"] });
    const evs = events(res).filter((e) => e.event === "updates" || e.event === "values");
    const updates = evs.filter((e) => e.event === "updates" && e.data && typeof e.data === "object" && !("__interrupt__" in e.data));
    if (updates.length === 0) c.skip("the stream carries no updates event to order (STR-011 judges the mode)");
    for (const [k, u] of updates.entries()) {
      const node = Object.keys(u.data)[0];
      // The values event of this step: the first whose trail has k + 1 entries.
      const v = evs.find((e) => e.event === "values" && Array.isArray(e.data?.trail) && e.data.trail.length === k + 1);
      if (!v) fail(`no values event holds the write of node '${node}' (the ${k + 1}th step: trail of ${k + 1} entries)`, res);
      if (v.index < u.index) {
        fail(`the values event #${v.index} of the step where '${node}' ran (trail ${JSON.stringify(v.data.trail)}) comes before that step's updates event #${u.index}`, res);
      }
    }
  },
);
