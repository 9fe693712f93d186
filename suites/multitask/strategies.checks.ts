// Double texting: what each multitask strategy does to a second run created on
// a thread that is busy with a first, slow one, for the three operations that
// create a run on a thread. Each check stages its own double text on threads of
// its own (see double-text.ts for how overlap is established without relying on
// a fixed sleep).

import { check } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { expectEqual, expectJsonObject, expectStatus } from "../../harness/expect";
import { assistantFor, createThread, expectDefaultStrategy, settleThread } from "../_support/runs";
import {
  DOUBLE_TEXT_TIMEOUT_MS,
  doubleText,
  expectAccepted,
  expectFirstDeleted,
  expectFirstInterrupted,
  expectFirstUntouched,
  expectFirstWorkGone,
  expectFirstWorkKept,
  expectNothingOfSecond,
  expectQueued,
  expectRanInOrder,
  expectRefusedWith409,
  expectSecondSucceeded,
  explainedBy,
  OPERATION,
  type CreateOp,
} from "./double-text";

const READS = ["GET /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs/{run_id}"];
const REQUIRES = ["graph:slow"];

const SPEC: Record<"reject" | "interrupt" | "rollback" | "enqueue" | "default", Citation[]> = {
  reject: [
    {
      source: "guide-reject-concurrent",
      section: "Reject concurrent",
      quote: "which rejects the new run of the graph by throwing an error and continues with the original run until completion",
      note: "its example prints a 409 Conflict",
    },
    { source: "openapi", section: "POST /threads/{thread_id}/runs, /runs/stream, /runs/wait: responses", quote: "Conflict", note: "409; the same in openapi-prev" },
    { source: "contract", section: "POST /threads/{thread_id}/runs, 409 x-decision", note: "reject on a busy thread answers 409 Conflict" },
  ],
  interrupt: [
    {
      source: "guide-interrupt-concurrent",
      section: "Interrupt concurrent",
      quote: "This option does not delete the first run, but rather keeps it in the database but sets its status to interrupted.",
    },
    { source: "guide-double-texting", section: "Interrupt", quote: "This option halts the current execution and preserves the progress made up to the interruption point." },
  ],
  rollback: [
    { source: "guide-rollback-concurrent", section: "Rollback concurrent", quote: "in this case the first run is completely deleted from the database and cannot be restarted" },
    {
      source: "guide-double-texting",
      section: "Rollback",
      quote: "This option halts the current execution and reverts all progress—including the initial run input—before processing the new user input.",
    },
    { source: "contract", section: "MultitaskStrategy", quote: "the running run is stopped and deleted" },
  ],
  enqueue: [
    {
      source: "guide-double-texting",
      section: "Enqueue",
      quote: "This option allows the current run to finish before processing any new input. Incoming requests are queued and executed sequentially once prior runs complete.",
    },
    { source: "contract", section: "RunStatus", quote: "pending: waiting to start (queued" },
  ],
  default: [
    { source: "guide-double-texting", section: "Enqueue", quote: "If not specified, enqueue is the default double texting (multi-tasking) strategy when creating runs in the Agent Server." },
    { source: "api-ref", section: "RunCreateStateful.multitask_strategy", note: 'default "enqueue"; api-ref-2024 gives "reject"' },
    { source: "contract", section: "RunCreateStateful.multitask_strategy x-decision", note: "the default changed from reject to enqueue: checks of it are no stronger than SHOULD" },
  ],
};

// ------------------------------------------------- POST /threads/{thread_id}/runs
// The canonical operation: each requirement of each strategy is a check of its own.

const RUNS = OPERATION.runs;
const base = { profile: "multitask" as const, requires: REQUIRES, timeoutMs: DOUBLE_TEXT_TIMEOUT_MS };

check(
  {
    ...base,
    id: "MTK-001",
    level: "MUST",
    operations: [RUNS, ...READS],
    spec: SPEC.reject,
    title: "POST /threads/{thread_id}/runs with multitask_strategy=reject on a thread busy with a run answers 409",
  },
  async (c) => {
    const d = await doubleText(c, "runs", "reject");
    await explainedBy(c, d, () => expectRefusedWith409(d, "runs"));
  },
);

check(
  {
    ...base,
    id: "MTK-002",
    level: "MUST",
    operations: [RUNS, ...READS],
    spec: SPEC.reject,
    title: "A run refused with multitask_strategy=reject leaves the running run untouched: it goes on and ends success with its own output",
  },
  async (c) => {
    const d = await doubleText(c, "runs", "reject");
    await explainedBy(c, d, () => expectFirstUntouched(d));
  },
);

check(
  {
    ...base,
    id: "MTK-003",
    level: "MUST",
    operations: [RUNS, ...READS],
    spec: SPEC.reject,
    title: "A run refused with multitask_strategy=reject leaves nothing on the thread: no run listed, no trace of its input in state or history",
  },
  async (c) => {
    const d = await doubleText(c, "runs", "reject");
    await explainedBy(c, d, () => expectNothingOfSecond(d));
  },
);

check(
  {
    ...base,
    id: "MTK-004",
    level: "MUST",
    operations: [RUNS, ...READS],
    spec: SPEC.interrupt,
    title: "POST /threads/{thread_id}/runs with multitask_strategy=interrupt on a busy thread is accepted, and the running run ends interrupted and stays readable",
  },
  async (c) => {
    const d = await doubleText(c, "runs", "interrupt");
    await explainedBy(c, d, () => {
      expectAccepted(d, "runs", "interrupt");
      expectFirstInterrupted(d);
    });
  },
);

check(
  {
    ...base,
    id: "MTK-005",
    level: "MUST",
    operations: [RUNS, ...READS],
    spec: SPEC.interrupt,
    title: "With multitask_strategy=interrupt the new run succeeds on top of what the interrupted run had checkpointed",
  },
  async (c) => {
    const d = await doubleText(c, "runs", "interrupt");
    await explainedBy(c, d, () => {
      expectAccepted(d, "runs", "interrupt");
      expectSecondSucceeded(d, "runs");
      expectFirstWorkKept(d);
    });
  },
);

check(
  {
    ...base,
    id: "MTK-006",
    level: "MUST",
    operations: [RUNS, ...READS],
    spec: SPEC.rollback,
    title: "POST /threads/{thread_id}/runs with multitask_strategy=rollback on a busy thread is accepted, and the running run is deleted (GET answers 404)",
  },
  async (c) => {
    const d = await doubleText(c, "runs", "rollback");
    await explainedBy(c, d, async () => {
      expectAccepted(d, "runs", "rollback");
      await expectFirstDeleted(c, d);
    });
  },
);

check(
  {
    ...base,
    id: "MTK-007",
    level: "MUST",
    operations: [RUNS, ...READS],
    spec: SPEC.rollback,
    title: "With multitask_strategy=rollback the new run succeeds and nothing of the rolled-back run is left in state or history",
  },
  async (c) => {
    const d = await doubleText(c, "runs", "rollback");
    await explainedBy(c, d, () => {
      expectAccepted(d, "runs", "rollback");
      expectSecondSucceeded(d, "runs");
      expectFirstWorkGone(d);
    });
  },
);

check(
  {
    ...base,
    id: "MTK-008",
    level: "MUST",
    operations: [RUNS, ...READS],
    spec: SPEC.enqueue,
    title: "POST /threads/{thread_id}/runs with multitask_strategy=enqueue on a busy thread creates a pending run that waits until the running run has ended",
  },
  async (c) => {
    const d = await doubleText(c, "runs", "enqueue");
    await explainedBy(c, d, () => {
      expectAccepted(d, "runs", "enqueue");
      expectQueued(d, "runs");
    });
  },
);

check(
  {
    ...base,
    id: "MTK-009",
    level: "MUST",
    operations: [RUNS, ...READS],
    spec: SPEC.enqueue,
    title: "Runs queued with multitask_strategy=enqueue both succeed, one after the other, in the order they were created",
  },
  async (c) => {
    const d = await doubleText(c, "runs", "enqueue");
    await explainedBy(c, d, () => {
      expectAccepted(d, "runs", "enqueue");
      expectRanInOrder(d);
    });
  },
);

check(
  {
    ...base,
    id: "MTK-010",
    level: "SHOULD",
    operations: [RUNS, ...READS],
    spec: SPEC.default,
    title: "POST /threads/{thread_id}/runs without multitask_strategy on a busy thread enqueues the run (the contract's default)",
  },
  async (c) => {
    const d = await doubleText(c, "runs", undefined);
    await explainedBy(c, d, () => {
      expectAccepted(d, "runs", undefined);
      expectQueued(d, "runs");
      expectRanInOrder(d);
    });
  },
);

check(
  {
    id: "MTK-011",
    level: "SHOULD",
    profile: "multitask",
    operations: [RUNS],
    spec: SPEC.default,
    title: "A run created without multitask_strategy records multitask_strategy enqueue (the contract's default)",
    requires: ["graph:echo"],
  },
  async (c) => {
    const assistantId = await assistantFor(c, "echo");
    const thread = await createThread(c);
    try {
      const res = await c.api.post(`/threads/${thread.thread_id}/runs`, { assistant_id: assistantId, input: { value: "default" } });
      expectStatus(res, 200, "a run on an idle thread");
      expectDefaultStrategy(res);
    } finally {
      await settleThread(c, thread.thread_id);
    }
  },
);

// ------------------------------------------- the streaming and waiting forms
// The same requirements, one check per strategy, through the operations that
// answer with a stream of the run or with its final output.

// The ids of each form's checks: reject, interrupt, rollback, enqueue, default.
const FORMS: Array<{ op: CreateOp; ids: [string, string, string, string, string]; what: string }> = [
  { op: "stream", ids: ["MTK-012", "MTK-013", "MTK-014", "MTK-015", "MTK-016"], what: "its event stream" },
  { op: "wait", ids: ["MTK-017", "MTK-018", "MTK-019", "MTK-020", "MTK-021"], what: "its final output" },
];

for (const { op, ids, what } of FORMS) {
  const OP = OPERATION[op];

  check(
    {
      ...base,
      id: ids[0],
      level: "MUST",
      operations: [OP, ...READS],
      spec: SPEC.reject,
      title: `${OP} with multitask_strategy=reject on a busy thread answers 409, and the running run ends success untouched with nothing of the refused run on the thread`,
    },
    async (c) => {
      const d = await doubleText(c, op, "reject");
      await explainedBy(c, d, () => {
        expectRefusedWith409(d, op);
        expectFirstUntouched(d);
        expectNothingOfSecond(d);
      });
    },
  );

  check(
    {
      ...base,
      id: ids[1],
      level: "MUST",
      operations: [OP, ...READS],
      spec: SPEC.interrupt,
      title: `${OP} with multitask_strategy=interrupt on a busy thread answers with ${what}: the running run ends interrupted, its work kept, the new run succeeds`,
    },
    async (c) => {
      const d = await doubleText(c, op, "interrupt");
      await explainedBy(c, d, () => {
        expectAccepted(d, op, "interrupt");
        expectFirstInterrupted(d);
        expectSecondSucceeded(d, op);
        expectFirstWorkKept(d);
      });
    },
  );

  check(
    {
      ...base,
      id: ids[2],
      level: "MUST",
      operations: [OP, ...READS],
      spec: SPEC.rollback,
      title: `${OP} with multitask_strategy=rollback on a busy thread answers with ${what}: the running run is deleted with its work, the new run succeeds`,
    },
    async (c) => {
      const d = await doubleText(c, op, "rollback");
      await explainedBy(c, d, async () => {
        expectAccepted(d, op, "rollback");
        expectSecondSucceeded(d, op);
        expectFirstWorkGone(d);
        await expectFirstDeleted(c, d);
      });
    },
  );

  check(
    {
      ...base,
      id: ids[3],
      level: "MUST",
      operations: [OP, ...READS],
      spec: SPEC.enqueue,
      title: `${OP} with multitask_strategy=enqueue on a busy thread answers with ${what} once the queued run has run, after the running one`,
    },
    async (c) => {
      const d = await doubleText(c, op, "enqueue");
      await explainedBy(c, d, () => {
        expectAccepted(d, op, "enqueue");
        expectQueued(d, op);
        expectRanInOrder(d);
        expectSecondSucceeded(d, op);
      });
    },
  );

  check(
    { ...base, id: ids[4], level: "SHOULD", operations: [OP, ...READS], spec: SPEC.default, title: `${OP} without multitask_strategy on a busy thread enqueues the run (the contract's default)` },
    async (c) => {
      const d = await doubleText(c, op, undefined);
      await explainedBy(c, d, () => {
        expectAccepted(d, op, undefined);
        expectQueued(d, op);
        expectRanInOrder(d);
        expectSecondSucceeded(d, op);
      });
    },
  );
}
