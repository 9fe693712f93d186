// What is the user's own: the owner the handler stamps is visible to them, the
// owner filter combines with their own search filters (and leaves their own
// resources to them), and a webhook of their run carries their run. And,
// across every read attempt of the other user: no refusal's body echoes the
// owner's data, and refusals answer 404 or 403 (the contract's choice).

import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import { startWebhookReceiver } from "../../harness/webhook";
import { uuid } from "../_support/resources";
import { assistantFor, createThread } from "../_support/runs";
import { attemptAll, missing, READS, secretsOf, type Attempt, type ReadFamily } from "./attempts";
import { ownerWorldOf } from "./cross";
import { COMBINED, FILTER, FIXTURE_AUTH, NOT_FOUND_OR_FORBIDDEN, OWNER_FILTER, REJECT_403 } from "./spec";
import { authCheck, carried, what, type Answer } from "./support";

const world = ownerWorldOf("owner-world");
const ALL = Object.keys(READS) as ReadFamily[];

const STAMP = {
  source: "contract",
  section: "the fixture auth (fixtures/auth.ts)",
  note: 'the documents show the owner in the metadata a handler sees (ThreadsCreate, RunsCreate, AssistantsCreate examples: metadata {"owner": ...}) and filter on it, and say that a handler gets "The data being authorized"; that what a handler writes into it is what is stored, they do not say: SHOULD',
};

authCheck(
  {
    id: "AUT-080",
    level: "SHOULD",
    operations: ["POST /threads", "GET /threads/{thread_id}", "POST /threads/search", "POST /assistants"],
    spec: [OWNER_FILTER, STAMP, FIXTURE_AUTH],
    title: "The owner a handler stamps into the metadata of what a user creates is what that user reads back (answer, GET, search), over an owner the request named",
    requires: ["graph:echo"],
  },
  async (w) => {
    const marker = `lgc-secret-${uuid()}`;
    // The request names the other user as owner: the handler's stamp wins.
    const t = await createThread(w.owner.c, { metadata: { secret: marker, owner: w.other.name } });
    expectEqual(t.metadata?.owner, w.owner.name, "metadata.owner of the created thread in the create answer");
    const got = await w.owner.api.get(`/threads/${t.thread_id}`);
    expectStatus(got, 200, "the owner reads their thread");
    expectEqual(expectJsonObject(got).metadata?.owner, w.owner.name, "metadata.owner of the thread as GET answers it", got);
    const found = await w.owner.api.post("/threads/search", { metadata: { secret: marker }, limit: 10 });
    expectStatus(found, 200, "the owner searches their thread");
    expectEqual(
      expectJsonArray(found).map((x) => x?.metadata?.owner),
      [w.owner.name],
      "metadata.owner of the thread as search lists it",
      found,
    );
    const a = await w.owner.api.post("/assistants", { graph_id: "echo", metadata: { ...w.c.tag(), owner: w.other.name } });
    if (typeof a.json?.assistant_id === "string") w.owner.created.assistant(a.json.assistant_id);
    expectStatus(a, 200, "the owner creates an assistant");
    expectEqual(expectJsonObject(a).metadata?.owner, w.owner.name, "metadata.owner of the created assistant", a);
  },
);

authCheck(
  {
    id: "AUT-081",
    level: "MUST",
    operations: ["POST /threads/search", "POST /threads/count", "GET /threads/{thread_id}", "PATCH /threads/{thread_id}", "DELETE /threads/{thread_id}", "POST /assistants/search"],
    spec: [FILTER, COMBINED, OWNER_FILTER, FIXTURE_AUTH],
    title: "A user's own resources are theirs under the owner filter: searches combine it with the user's own filters, counts count them, and they read, patch and delete them",
    requires: ["graph:echo"],
  },
  async (w) => {
    const marker = `lgc-secret-${uuid()}`;
    const a = await createThread(w.owner.c, { metadata: { secret: marker, k: "a" } });
    const b = await createThread(w.owner.c, { metadata: { secret: marker, k: "b" } });
    // The other user's thread with the same marker: the filter leaves it out of the owner's answers.
    await createThread(w.other.c, { metadata: { secret: marker, k: "a" } });
    const onlyA = await w.owner.api.post("/threads/search", { metadata: { secret: marker, k: "a" }, limit: 10 });
    expectStatus(onlyA, 200);
    expectEqual(
      expectJsonArray(onlyA).map((x) => x?.thread_id),
      [a.thread_id],
      "the owner's search by marker and k=a: their one thread with k=a",
      onlyA,
    );
    const all = await w.owner.api.post("/threads/search", { metadata: { secret: marker }, limit: 10 });
    expectStatus(all, 200);
    expectEqual(
      expectJsonArray(all)
        .map((x) => x?.thread_id)
        .sort(),
      [a.thread_id, b.thread_id].sort(),
      "the owner's search by marker: their two threads",
      all,
    );
    const count = await w.owner.api.post("/threads/count", { metadata: { secret: marker } });
    expectStatus(count, 200);
    expectEqual(count.json, 2, "the owner's count by marker", count);
    const patched = await w.owner.api.patch(`/threads/${a.thread_id}`, { metadata: { k: "c" } });
    expectStatus(patched, 200, "the owner patches their thread");
    const del = await w.owner.api.delete(`/threads/${b.thread_id}`);
    ensure(del.status >= 200 && del.status < 300, `the owner's DELETE of their thread answered ${del.status}`, del);
    const gone = await w.owner.api.get(`/threads/${b.thread_id}`);
    expectStatus(gone, 404, "the owner deleted the thread");
    const assistant = await assistantFor(w.owner.c, "echo", { metadata: { secret: marker } });
    const asst = await w.owner.api.post("/assistants/search", { metadata: { secret: marker }, limit: 10 });
    expectStatus(asst, 200);
    expectEqual(
      expectJsonArray(asst).map((x) => x?.assistant_id),
      [assistant],
      "the owner's assistant search by marker",
      asst,
    );
  },
);

authCheck(
  {
    id: "AUT-090",
    level: "MUST",
    operations: [...new Set(ALL.flatMap((f) => (READS[f] as Attempt[]).map((a) => a.op)))],
    spec: [FILTER, REJECT_403, NOT_FOUND_OR_FORBIDDEN],
    title: "No refusal of a request about another user's resource echoes that user's data (metadata, state values, ids the request did not name)",
    requires: ["graph:echo"],
    timeoutMs: 150_000,
  },
  async (w) => {
    const o = await world(w.c);
    const echoed: Array<{ line: string; res: Answer }> = [];
    for (const f of ALL) {
      for (const a of READS[f] as Attempt[]) {
        if (missing(a, o)) continue;
        const res = await a.send(w.other, o);
        const refused = res.status < 200 || res.status >= 300;
        const found = refused ? carried(res, secretsOf(res, o)) : undefined;
        w.tally.add(a.op, found ? `answered ${res.status} echoing '${found}'` : undefined, res);
        if (found) echoed.push({ line: `${what(res)} answered ${res.status} with '${found}' in its body`, res });
      }
    }
    if (echoed.length > 0) fail(`refusals echo the owner's data: ${echoed.map((e) => e.line).join("; ")}`, echoed[0]!.res);
  },
);

authCheck(
  {
    id: "AUT-098",
    level: "SHOULD",
    operations: [...new Set(ALL.flatMap((f) => (READS[f] as Attempt[]).filter((a) => !a.listing).map((a) => a.op)))],
    spec: [NOT_FOUND_OR_FORBIDDEN, FILTER, REJECT_403],
    title: "A request about another user's resource is refused with 404 (as for an unknown id) or 403, the contract's choice",
    requires: ["graph:echo"],
    timeoutMs: 150_000,
  },
  async (w) => {
    const o = await world(w.c);
    const wrong: Array<{ line: string; res: Answer }> = [];
    const families = ALL.filter((f) => (READS[f] as Attempt[]).some((a) => !a.listing));
    for (const { attempt, res } of await attemptAll(w, o, families)) {
      if (attempt.listing) continue;
      const allowed = attempt.refusal ?? [404, 403];
      if (!allowed.includes(res.status)) wrong.push({ line: `${what(res)} answered ${res.status}${(res as { sse?: unknown }).sse ? " (an event stream)" : ""}`, res });
    }
    if (wrong.length > 0) fail(`refusals other than 404 or 403: ${wrong.map((x) => x.line).join("; ")}`, wrong[0]!.res);
  },
);

authCheck(
  {
    id: "AUT-095",
    level: "SHOULD",
    operations: ["POST /runs"],
    spec: [OWNER_FILTER, STAMP, { source: "sdk-py", section: "RunsClient.create, webhook", quote: "Webhook to call after LangGraph API call is done." }],
    title: "The webhook of a user's run posts that user's run: its metadata names them as owner",
    requires: ["graph:echo"],
  },
  async (w) => {
    const at = w.c.run.webhook;
    if (!at) return w.c.skip("the target cannot reach the suite's webhook receiver (give --webhook-host)");
    const receiver = await startWebhookReceiver(at.listen, at.advertise);
    try {
      const path = `/${w.c.meta.id}-${uuid().slice(0, 8)}`;
      const assistantId = await assistantFor(w.owner.c, "echo");
      const res = await w.owner.api.post("/runs", { assistant_id: assistantId, input: { value: "hooked" }, webhook: receiver.url(path), metadata: w.c.tag() });
      expectStatus(res, 200, "the owner's stateless run with a webhook");
      const got = await receiver.waitFor((d) => d.path === path, { timeoutMs: 30_000 });
      const d = got?.[0];
      if (!d) fail(`no webhook delivery reached ${path} within 30 s after the owner's run was created`, res);
      w.c.note(`the delivery: ${d.body.slice(0, 300)}`);
      expectEqual(d.json?.metadata?.owner, w.owner.name, "metadata.owner of the delivered run");
    } finally {
      await receiver.close();
    }
  },
);
