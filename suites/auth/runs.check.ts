// Another user's runs: not read, joined or streamed, not cancelled, deleted or
// resumed; and the thread a stateless run keeps is its user's alone.

import { expectJsonObject, expectStatus } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor, createRun, createThread, isTerminalRunStatus, pollRun, SLOW_RUN_MS } from "../_support/runs";
import { changeCheck, ownerWorldOf, readCheck } from "./cross";
import { ACCESS_BY_CREATOR, CREATE_RUN, THREADS_DELETE, THREADS_READ, THREADS_UPDATE } from "./spec";
import { authCheck, carried, leakOf, what, type AuthWorld } from "./support";

const world = ownerWorldOf("runs-world");

readCheck(world, {
  id: "AUT-040",
  title: "GET /threads/{thread_id}/runs/{run_id} of another user's run is refused and answers nothing of it",
  families: ["run-get"],
  operations: ["GET /threads/{thread_id}/runs/{run_id}"],
  spec: [THREADS_READ],
});

readCheck(world, {
  id: "AUT-041",
  title: "GET /threads/{thread_id}/runs/{run_id}/join of another user's run is refused and answers nothing of its output",
  families: ["run-join"],
  operations: ["GET /threads/{thread_id}/runs/{run_id}/join"],
  spec: [THREADS_READ],
});

/** The owner's run of the slow graph, still running when the other user tries. */
async function ownRunning(w: AuthWorld) {
  const marker = `lgc-secret-${uuid()}`;
  const assistantId = await assistantFor(w.owner.c, "slow");
  const t = await createThread(w.owner.c, { metadata: { secret: marker } });
  const run = await createRun(w.owner.c, t.thread_id, { assistant_id: assistantId, input: { value: marker, sleep_ms: SLOW_RUN_MS } });
  return { threadId: t.thread_id as string, runId: run.run_id as string, marker };
}

changeCheck({
  id: "AUT-042",
  title: "GET /threads/{thread_id}/runs/{run_id}/stream of another user's running run sends no event of it",
  operations: ["GET /threads/{thread_id}/runs/{run_id}/stream"],
  spec: [THREADS_READ],
  requires: ["graph:slow"],
  setup: ownRunning,
  async attempt(w, s) {
    const res = await w.other.api.stream({ method: "GET", path: `/threads/${s.threadId}/runs/${s.runId}/stream` }, { limits: { timeoutMs: SLOW_RUN_MS + 10_000 } });
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
  },
  async verify() {
    /* a read: nothing to look at */
  },
});

changeCheck({
  id: "AUT-043",
  title: "Cancelling another user's running run (POST /threads/{thread_id}/runs/{run_id}/cancel, POST /runs/cancel) is refused and the run ends as it would have",
  operations: ["POST /threads/{thread_id}/runs/{run_id}/cancel", "POST /runs/cancel", "GET /threads/{thread_id}/runs/{run_id}"],
  spec: [THREADS_UPDATE],
  requires: ["graph:slow"],
  setup: ownRunning,
  async attempt(w, s) {
    const one = await w.other.api.post(`/threads/${s.threadId}/runs/${s.runId}/cancel`, undefined, { query: { action: "interrupt" } });
    w.tally.add(what(one), leakOf(one, [s.marker]), one);
    const many = await w.other.api.post("/runs/cancel", { thread_id: s.threadId, run_ids: [s.runId] }, { query: { action: "interrupt" } });
    w.tally.add(what(many), leakOf(many, [s.marker]), many);
  },
  async verify(w, s) {
    const { run } = await pollRun(w.owner.c, s.threadId, s.runId, (r) => isTerminalRunStatus(r.status), { timeoutMs: 60_000, what: "an end status" });
    if (run.status !== "success") w.tally.changed("cancel", `stopped it: the owner's run ended '${run.status}', not 'success'`);
  },
});

changeCheck({
  id: "AUT-044",
  title: "DELETE /threads/{thread_id}/runs/{run_id} of another user's run is refused and the run stays",
  operations: ["DELETE /threads/{thread_id}/runs/{run_id}", "GET /threads/{thread_id}/runs/{run_id}"],
  spec: [THREADS_DELETE],
  async setup(w) {
    const marker = `lgc-secret-${uuid()}`;
    const assistantId = await assistantFor(w.owner.c, "echo");
    const t = await createThread(w.owner.c);
    const run = await createRun(w.owner.c, t.thread_id, { assistant_id: assistantId, input: { value: marker } });
    await pollRun(w.owner.c, t.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status" });
    return { threadId: t.thread_id as string, runId: run.run_id as string, marker };
  },
  async attempt(w, s) {
    const res = await w.other.api.delete(`/threads/${s.threadId}/runs/${s.runId}`);
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
  },
  async verify(w, s) {
    const res = await w.owner.api.get(`/threads/${s.threadId}/runs/${s.runId}`);
    if (res.status !== 200) w.tally.changed("DELETE /threads/{thread_id}/runs/{run_id}", `deleted it: the owner's GET now answers ${res.status}`, res);
  },
});

changeCheck({
  id: "AUT-045",
  title: "Resuming another user's interrupted thread (a run with command.resume) is refused and the thread stays interrupted",
  operations: ["POST /threads/{thread_id}/runs/wait", "GET /threads/{thread_id}"],
  spec: [CREATE_RUN, ACCESS_BY_CREATOR],
  requires: ["graph:interrupt"],
  async setup(w) {
    const marker = `lgc-secret-${uuid()}`;
    const assistantId = await assistantFor(w.owner.c, "interrupt");
    const t = await createThread(w.owner.c);
    const run = await createRun(w.owner.c, t.thread_id, { assistant_id: assistantId, input: { value: marker } });
    await pollRun(w.owner.c, t.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status" });
    const got = await w.owner.api.get(`/threads/${t.thread_id}`);
    expectStatus(got, 200, "the owner reads their interrupted thread");
    const status = expectJsonObject(got).status;
    if (status !== "interrupted") w.c.skip(`the owner's run of the interrupt graph left the thread '${status}', not interrupted: nothing to resume`);
    const other = await assistantFor(w.other.c, "interrupt");
    return { threadId: t.thread_id as string, marker, other };
  },
  async attempt(w, s) {
    const res = await w.other.api.post(`/threads/${s.threadId}/runs/wait`, { assistant_id: s.other, command: { resume: `answer-of-${w.other.name}` } }, { timeoutMs: 30_000 });
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
  },
  async verify(w, s) {
    const res = await w.owner.api.get(`/threads/${s.threadId}`);
    expectStatus(res, 200, "the owner reads their thread after the other user's attempt");
    const t = expectJsonObject(res);
    if (t.status !== "interrupted" || t.values?.answer !== undefined) w.tally.changed("resume", `resumed it: the thread is '${t.status}', answer ${JSON.stringify(t.values?.answer)}`, res);
  },
});

authCheck(
  {
    id: "AUT-046",
    level: "MUST",
    operations: ["POST /runs", "GET /threads/{thread_id}", "POST /threads/search"],
    spec: [CREATE_RUN, ACCESS_BY_CREATOR, THREADS_READ],
    title: "The thread a stateless run keeps (on_completion=keep) is its user's: another user can neither read it nor find it",
    requires: ["graph:echo"],
  },
  async (w) => {
    const marker = `lgc-secret-${uuid()}`;
    const assistantId = await assistantFor(w.owner.c, "echo");
    const res = await w.owner.api.post("/runs", { assistant_id: assistantId, input: { value: marker }, on_completion: "keep", metadata: { ...w.c.tag(), secret: marker } });
    expectStatus(res, 200, "the owner starts a stateless run that keeps its thread");
    const run = expectJsonObject(res);
    w.owner.created.thread(run.thread_id);
    await pollRun(w.owner.c, run.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status" });
    const got = await w.other.api.get(`/threads/${run.thread_id}`);
    w.tally.add(what(got), leakOf(got, [marker]), got);
    const found = await w.other.api.post("/threads/search", { metadata: { secret: marker }, limit: 10 });
    const listed = found.text.includes(run.thread_id) || carried(found, [marker]) !== undefined;
    w.tally.add(what(found), listed ? "listed the kept thread" : undefined, found);
    w.tally.expectNone(`${w.other.name} reached the thread ${w.owner.name}'s stateless run kept`);
  },
);
