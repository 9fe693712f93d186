// Webhooks: a run created with `webhook` makes the server post the finished run
// to that URL. The suite runs its own receiver on a free loopback port (each
// check on a path of its own), waits for the delivery, bounded, and then waits a
// grace period to see that no second delivery follows.

import { check, type CheckContext } from "../../harness/check";
import type { Citation } from "../../harness/model";
import { ensure, expectEqual, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import { startWebhookReceiver, type Delivery, type WebhookReceiver } from "../../harness/webhook";
import { uuid } from "../_support/resources";
import { assistantFor, createThread, settleThread, type FixtureGraph } from "../_support/runs";
import { explained, isInFlight, pollRunUntil, Timeline, watched } from "./timeline";

/** How long after its run has ended a delivery may take to arrive. */
const DELIVERY_MS = 15_000;
/** How long the check listens for a second delivery after the first. */
const GRACE_MS = 3_000;

const WEBHOOK_SPEC: Citation[] = [
  {
    source: "guide-webhooks",
    section: "Use webhooks",
    quote: "If this parameter is specified by an endpoint that can accept POST requests, LangSmith will send a request at the completion of a run.",
  },
  {
    source: "guide-webhooks",
    section: "Webhook payload",
    quote: "LangSmith sends webhook notifications in the format of a Run. … In addition to the standard run fields, the webhook payload also includes values, webhook_sent_at, and error fields.",
  },
  { source: "guide-webhooks", section: "Webhook payload, values", quote: "The state values from the latest checkpoint of the thread. Only present for stateful runs." },
  { source: "contract", section: "Webhook", quote: "A URL the server calls when the run ends" },
];

type Via = "runs" | "stream" | "wait" | "stateless-wait";
const OPERATION: Record<Via, string> = {
  runs: "POST /threads/{thread_id}/runs",
  stream: "POST /threads/{thread_id}/runs/stream",
  wait: "POST /threads/{thread_id}/runs/wait",
  "stateless-wait": "POST /runs/wait",
};

/** Where the receiver listens and the address the target is given; skips when the target cannot reach this machine. */
function receiverAddress(c: CheckContext): { listen: string; advertise: string } {
  const w = c.run.webhook;
  if (!w) {
    const host = new URL(c.run.target.url).hostname;
    c.skip(`the target at ${host} cannot reach the suite's webhook receiver on this machine's loopback; give --webhook-host with an address of this machine the target can reach`);
  }
  return w;
}

interface Delivered {
  tl: Timeline;
  receiver: WebhookReceiver;
  path: string;
  runId?: string;
  threadId?: string;
  /** The run's final values: the thread's state, or (stateless) the wait's body. */
  values: unknown;
  status: string;
  first?: Delivery;
  /** Every delivery to the path (with `grace`, once the grace period after the first has passed). */
  all: Delivery[];
}

/** Creates a run with a webhook through `via`, waits for its end, then for the delivery, then a grace period. */
async function deliver(c: CheckContext, via: Via, graph: FixtureGraph = "echo", opts: { grace?: boolean } = {}): Promise<Delivered> {
  const at = receiverAddress(c);
  const receiver = await startWebhookReceiver(at.listen, at.advertise);
  const tl = new Timeline();
  c = watched(c, tl);
  const path = `/${c.meta.id}-${uuid().slice(0, 8)}`;
  const webhook = receiver.url(path);
  let threadId: string | undefined;
  try {
    return await explained(
      c,
      tl,
      async () => {
        const assistantId = await assistantFor(c, graph);
        const input = { value: `W-${uuid().slice(0, 8)}` };
        let runId: string | undefined;
        let values: unknown;
        if (via === "stateless-wait") {
          tl.event("POST /runs/wait sent with a webhook");
          const res = await c.api.post("/runs/wait", { assistant_id: assistantId, input, webhook }, { timeoutMs: 30_000 });
          expectStatus(res, 200, "a stateless run with a webhook");
          tl.event("the stateless run answered");
          runId = /\/runs\/([^/?#]+)\/?$/.exec(res.headers["content-location"] ?? "")?.[1];
          values = res.json;
        } else {
          threadId = (await createThread(c)).thread_id as string;
          const sub = via === "runs" ? "runs" : via === "stream" ? "runs/stream" : "runs/wait";
          tl.event(`${OPERATION[via]} sent with a webhook`);
          if (via === "stream") {
            const res = await c.api.stream({ method: "POST", path: `/threads/${threadId}/${sub}`, json: { assistant_id: assistantId, input, webhook } }, { limits: { timeoutMs: 30_000 } });
            expectStatus(res, 200, "a streamed run with a webhook");
          } else {
            const res = await c.api.post(`/threads/${threadId}/${sub}`, { assistant_id: assistantId, input, webhook }, { timeoutMs: 30_000 });
            expectStatus(res, 200, "a run with a webhook");
            if (via === "runs") runId = expectJsonObject(res).run_id;
          }
          const list = await c.api.get(`/threads/${threadId}/runs`);
          expectStatus(list, 200, "listing the thread's runs");
          runId ??= Array.isArray(list.json) && list.json.length === 1 ? list.json[0]?.run_id : undefined;
          ensure(typeof runId === "string", "the run with the webhook could not be identified among the thread's runs", list);
          tl.label(runId!, "W");
          await pollRunUntil(c, tl, threadId, runId!, (r) => r === undefined || !isInFlight(r.status), { timeoutMs: 30_000, what: "end" });
          const st = await c.api.get(`/threads/${threadId}/state`);
          expectStatus(st, 200);
          values = expectJsonObject(st).values;
        }
        const endedAt = tl.event("the run has ended; waiting for the delivery");
        const got = await receiver.waitFor((d) => d.path === path, { timeoutMs: DELIVERY_MS });
        const first = got?.[0];
        if (first) {
          tl.event(`delivery received ${tl.now() - endedAt} ms after the run was seen ended`);
          if (opts.grace) await receiver.waitFor((d) => d.path === path, { count: 2, timeoutMs: GRACE_MS });
        }
        const all = receiver.deliveries.filter((d) => d.path === path);
        tl.event(`${all.length} deliveries to ${path}`);
        return { tl, receiver, path, ...(runId ? { runId } : {}), ...(threadId ? { threadId } : {}), values, status: graph === "error" ? "error" : "success", ...(first ? { first } : {}), all };
      },
      { onlyWhenThrown: true },
    ); // the checks judge the delivery, and note the timeline, themselves
  } finally {
    await receiver.close();
    if (threadId) await settleThread(c, threadId);
  }
}

function describeDelivery(d: Delivery): string {
  return `${d.method} ${d.path} content-type ${d.headers["content-type"] ?? "(none)"}: ${d.body.slice(0, 400)}`;
}

/** The delivery is a POST whose JSON body names the run, its thread, its final status and values. */
function expectRunPosted(w: Delivered, via: Via): void {
  const d = w.first;
  if (!d) fail(`no webhook delivery reached ${w.path} within ${DELIVERY_MS} ms after the run ended`);
  w.tl.event(`the delivery: ${describeDelivery(d)}`);
  expectEqual(d.method, "POST", "the method of the webhook delivery");
  const body = d.json;
  ensure(body !== null && typeof body === "object" && !Array.isArray(body), "the webhook delivery's body is not a JSON object (the finished run)");
  if (w.runId) expectEqual(body.run_id, w.runId, "run_id of the delivered run");
  else ensure(typeof body.run_id === "string", `the delivered run has no run_id: ${JSON.stringify(body.run_id)}`);
  if (w.threadId) expectEqual(body.thread_id, w.threadId, "thread_id of the delivered run");
  else ensure(typeof body.thread_id === "string", `the delivered run has no thread_id: ${JSON.stringify(body.thread_id)}`);
  expectEqual(body.status, w.status, "status of the delivered run");
  // The guide gives values "only present for stateful runs": a stateless run's delivery is not asked for them.
  if (w.status === "success" && via !== "stateless-wait") expectEqual(body.values, w.values, "values of the delivered run (its final values, as the thread's state shows them)");
}

for (const [id, via] of [
  ["MTK-090", "runs"],
  ["MTK-093", "stream"],
  ["MTK-094", "wait"],
  ["MTK-096", "stateless-wait"],
] as Array<[string, Via]>) {
  check(
    {
      id,
      level: "MUST",
      profile: via === "stateless-wait" ? "stateless" : "runs",
      operations: [OPERATION[via]],
      spec: WEBHOOK_SPEC,
      title: `${OPERATION[via]} with a webhook: once the run has ended the server posts it there (run_id, thread_id, status${via === "stateless-wait" ? "" : ", values"})`,
      requires: ["graph:echo"],
      timeoutMs: 60_000,
    },
    async (c) => {
      const w = await deliver(c, via);
      await explained(c, w.tl, async () => expectRunPosted(w, via));
    },
  );
}

check(
  {
    id: "MTK-091",
    level: "SHOULD",
    profile: "runs",
    operations: [OPERATION.runs],
    spec: [
      ...WEBHOOK_SPEC,
      {
        source: "guide-webhooks",
        section: "Use webhooks",
        quote: "LangSmith will send a request at the completion of a run",
        note: "one request; webhooks are often delivered at least once, so a duplicate is a SHOULD",
      },
    ],
    title: `A run's webhook is delivered once: no second delivery within ${GRACE_MS} ms of the first`,
    requires: ["graph:echo"],
    timeoutMs: 60_000,
  },
  async (c) => {
    const w = await deliver(c, "runs", "echo", { grace: true });
    await explained(c, w.tl, async () => {
      if (!w.first) fail(`no webhook delivery reached ${w.path} within ${DELIVERY_MS} ms after the run ended (MTK-090 judges the delivery)`);
      ensure(w.all.length === 1, `${w.all.length} deliveries reached ${w.path} for one run: ${w.all.map((d) => `@${d.atMs}ms ${d.body.slice(0, 120)}`).join(" | ")}`);
    });
  },
);

check(
  {
    id: "MTK-092",
    level: "SHOULD",
    profile: "runs",
    operations: [OPERATION.runs],
    spec: [
      ...WEBHOOK_SPEC,
      { source: "rfc8259", section: "11 IANA Considerations", quote: "The media type for JSON text is application/json.", note: "the payload is a JSON Run; the documents name no media type: SHOULD" },
    ],
    title: "A run's webhook delivery is sent with Content-Type application/json",
    requires: ["graph:echo"],
    timeoutMs: 60_000,
  },
  async (c) => {
    const w = await deliver(c, "runs");
    await explained(c, w.tl, async () => {
      if (!w.first) fail(`no webhook delivery reached ${w.path} within ${DELIVERY_MS} ms after the run ended (MTK-090 judges the delivery)`);
      const ct = (w.first.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      ensure(
        ct === "application/json",
        `the webhook delivery was sent with Content-Type '${w.first.headers["content-type"] ?? "(none)"}'; a JSON body is application/json (receivers that parse by media type ignore it otherwise)`,
      );
    });
  },
);

check(
  {
    id: "MTK-095",
    level: "MUST",
    profile: "runs",
    operations: [OPERATION.runs],
    spec: [...WEBHOOK_SPEC, { source: "guide-webhooks", section: "Webhook payload, error", quote: "Present only if the run failed.", note: "a run that fails has completed too" }],
    title: "A run that fails posts its webhook too, with status error",
    requires: ["graph:error"],
    timeoutMs: 60_000,
  },
  async (c) => {
    const w = await deliver(c, "runs", "error");
    await explained(c, w.tl, async () => expectRunPosted(w, "runs"));
  },
);
