// Races: several clients create runs on one thread at the same moment. With
// reject, exactly one may be accepted; with enqueue, all run, one at a time, in
// the order the server accepted them. The order and the absence of overlap are
// read from what the server recorded (the thread's history, one-read snapshots
// of its runs), never from when responses arrived.

import { check, type CheckContext } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { ensure, expectEqual, fail } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";
import { uuid } from "../_support/resources";
import { assistantFor, createThread, settleThread } from "../_support/runs";
import { executionOrder, explained, historyOldestFirst, Inconclusive, isInFlight, readRun, snapshotRuns, Timeline, watchRuns, withLongerRuns, watched } from "./timeline";

const OPS = ["POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs/{run_id}"];
const CLIENTS = 5;
const QUEUED = 4;
/** Each queued run sleeps this long: long enough for a poll to see it running, short enough to keep the check quick. */
const QUEUED_MS = 1_200;

check(
  {
    id: "MTK-022",
    level: "MUST",
    profile: "multitask",
    operations: OPS,
    spec: [
      {
        source: "guide-double-texting",
        section: "Reject",
        quote: "This option rejects any additional incoming runs while a current run is in progress and prevents concurrent execution or double texting.",
      },
      { source: "contract", section: "MultitaskStrategy", quote: "reject (the new run is refused with 409)", note: "while the thread is running one" },
    ],
    title: `Of ${CLIENTS} runs created at the same moment with multitask_strategy=reject on an idle thread, exactly one is accepted and the others are refused`,
    requires: ["graph:slow"],
    timeoutMs: 150_000,
  },
  async (c) => {
    const assistantId = await assistantFor(c, "slow");
    await withLongerRuns(c, [20_000, 60_000], async (sleepMs, tl, c) => {
      const thread = await createThread(c);
      const threadId: string = thread.thread_id;
      try {
        const tag = uuid().slice(0, 8);
        tl.event(`${CLIENTS} requests sent at once, each with multitask_strategy=reject and a run of ${sleepMs} ms`);
        const answers: HttpResponse[] = await Promise.all(
          Array.from({ length: CLIENTS }, (_, i) =>
            c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: `R${i}-${tag}`, sleep_ms: sleepMs }, multitask_strategy: "reject" }),
          ),
        );
        const answeredAt = tl.event(`all answered: ${answers.map((a) => a.status).join(", ")}`);
        const accepted = answers.filter((a) => a.status >= 200 && a.status < 300);
        accepted.forEach((a, i) => typeof a.json?.run_id === "string" && tl.label(a.json.run_id, `accepted #${i + 1} (${a.json?.status})`));
        // Every accepted run still in flight after the last answer was in flight when
        // every request was processed: the requests really did meet a busy thread.
        const live = [];
        for (const a of accepted) if (typeof a.json?.run_id === "string") live.push((await readRun(c, tl, threadId, a.json.run_id)).run);
        if (accepted.length > 0 && !live.some((r) => r && isInFlight(r.status) && tl.inFlightAtOrAfter(r.run_id, answeredAt))) {
          throw new Inconclusive("no accepted run was still in flight once every request had been answered");
        }
        const server = answers.find((a) => a.status >= 500);
        if (server) fail(`one of the ${CLIENTS} requests answered ${server.status}, a server error`, server);
        ensure(
          accepted.length === 1,
          `${accepted.length} of ${CLIENTS} runs created at once with multitask_strategy=reject were accepted (answers: ${answers.map((a) => a.status).join(", ")}); exactly one may be`,
          accepted[1] ?? answers[0],
        );
        const listed = Object.keys((await snapshotRuns(c, tl, threadId)).statuses);
        ensure(listed.length === 1, `the thread lists ${listed.length} runs after ${CLIENTS} requests with multitask_strategy=reject, of which one was accepted`);
      } finally {
        await settleThread(c, threadId);
      }
    });
  },
);

interface QueueRace {
  tl: Timeline;
  answers: HttpResponse[];
  /** marker -> run id, for the accepted runs. */
  ids: Map<string, string>;
  created: Map<string, string>;
  final: Map<string, string | undefined>;
  order: string[];
  trail: unknown;
  clash?: string;
}

/** Several clients create runs with enqueue on one idle thread at once; everything is watched until every run has ended. */
async function queueRace(c: CheckContext): Promise<QueueRace> {
  const assistantId = await assistantFor(c, "slow");
  const tl = new Timeline();
  c = watched(c, tl);
  return explained(
    c,
    tl,
    async () => {
      const thread = await createThread(c);
      const threadId: string = thread.thread_id;
      try {
        const tag = uuid().slice(0, 8);
        const markers = Array.from({ length: QUEUED }, (_, i) => `Q${i}-${tag}`);
        tl.event(`${QUEUED} requests sent at once, each with multitask_strategy=enqueue and a run of ${QUEUED_MS} ms`);
        const answers = await Promise.all(
          markers.map((m) => c.api.post(`/threads/${threadId}/runs`, { assistant_id: assistantId, input: { value: m, sleep_ms: QUEUED_MS }, multitask_strategy: "enqueue" })),
        );
        tl.event(`all answered: ${answers.map((a) => a.status).join(", ")}`);
        const ids = new Map<string, string>();
        const created = new Map<string, string>();
        answers.forEach((a, i) => {
          if (a.status === 200 && typeof a.json?.run_id === "string") {
            ids.set(markers[i]!, a.json.run_id);
            created.set(markers[i]!, String(a.json.created_at));
            tl.label(a.json.run_id, markers[i]!);
            tl.observe(a.json);
          }
        });
        const snaps = await watchRuns(c, tl, threadId, (s) => !Object.values(s.statuses).some(isInFlight), {
          timeoutMs: QUEUED * QUEUED_MS + 60_000,
          what: "the end of every queued run",
          intervalMs: 100,
        });
        const clashAt = snaps.find((s) => Object.values(s.statuses).filter((st) => st === "running").length > 1);
        const final = new Map<string, string | undefined>();
        for (const [m, id] of ids) final.set(m, snaps.at(-1)!.statuses[id]);
        const history = await historyOldestFirst(c, threadId);
        const st = await c.api.get(`/threads/${threadId}/state`);
        return {
          tl,
          answers,
          ids,
          created,
          final,
          order: executionOrder(history),
          trail: st.json?.values?.trail,
          ...(clashAt
            ? {
                clash: `at +${clashAt.atMs} ms the thread's runs read ${Object.entries(clashAt.statuses)
                  .map(([id, s]) => `${tl.labelOf(id)} ${s}`)
                  .join(", ")}`,
              }
            : {}),
        };
      } finally {
        await settleThread(c, threadId);
      }
    },
    { onlyWhenThrown: true },
  ); // the checks judge the race, and note the timeline, themselves
}

const ENQUEUE_SPEC: Citation[] = [
  { source: "guide-double-texting", section: "Enqueue", quote: "Incoming requests are queued and executed sequentially once prior runs complete." },
  { source: "contract", section: "MultitaskStrategy", quote: "enqueue (the new run waits its turn)" },
];

check(
  {
    id: "MTK-023",
    level: "MUST",
    profile: "multitask",
    operations: OPS,
    spec: ENQUEUE_SPEC,
    title: `${QUEUED} runs created at the same moment with multitask_strategy=enqueue on one thread are all accepted and all succeed, never two at a time`,
    requires: ["graph:slow"],
    timeoutMs: 120_000,
  },
  async (c) => {
    const q = await queueRace(c);
    await explained(c, q.tl, async () => {
      const refused = q.answers.find((a) => a.status !== 200);
      if (refused) fail(`one of ${QUEUED} runs created at once with multitask_strategy=enqueue answered ${refused.status}; every one is accepted and queued`, refused);
      for (const [m, s] of q.final) ensure(s === "success", `queued run ${m} ended '${s}', not 'success' (statuses seen: ${q.tl.statusesOf(q.ids.get(m)!).join(" → ")})`);
      if (q.clash) fail(`two queued runs ran at once: ${q.clash}`);
      expectEqual([...q.order].sort(), [...q.ids.keys()].sort(), "the runs that began, read from the thread's history (each once)");
      expectEqual(q.trail, Array.from({ length: QUEUED }, () => ["start", "sleep"]).flat(), "the thread's `trail` (one run after the other; interleaved entries would mean runs overlapped)");
    });
  },
);

check(
  {
    id: "MTK-024",
    level: "MUST",
    profile: "multitask",
    operations: OPS,
    spec: [
      ...ENQUEUE_SPEC,
      {
        source: "api-ref",
        section: "Run.created_at",
        quote: "The time the run was created.",
        note: "the order of acceptance is the runs' created_at (runs created within the same clock tick may run in either order)",
      },
    ],
    title: `${QUEUED} runs created at the same moment with multitask_strategy=enqueue run in the order the server accepted them (their created_at)`,
    requires: ["graph:slow"],
    timeoutMs: 120_000,
  },
  async (c) => {
    const q = await queueRace(c);
    await explained(c, q.tl, async () => {
      ensure(q.ids.size === QUEUED, `${QUEUED - q.ids.size} of ${QUEUED} runs were not accepted (answers: ${q.answers.map((a) => a.status).join(", ")})`);
      const at = (m: string) => Date.parse(q.created.get(m)!);
      for (const m of q.ids.keys()) ensure(Number.isFinite(at(m)), `run ${m} has no created_at to order it by: ${JSON.stringify(q.created.get(m))}`);
      // Each run that began before another must not have been accepted after it.
      for (let i = 0; i < q.order.length; i++) {
        for (let j = i + 1; j < q.order.length; j++) {
          const [early, late] = [q.order[i]!, q.order[j]!];
          if (q.ids.has(early) && q.ids.has(late) && at(early) > at(late)) {
            fail(
              `run ${early} (created_at ${q.created.get(early)}) began before run ${late} (created_at ${q.created.get(late)}), which the server accepted first; ` +
                `order in which they began (from the history): ${q.order.join(", ")}`,
            );
          }
        }
      }
    });
  },
);
