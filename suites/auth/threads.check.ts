// Another user's threads: not read (the thread, its state, its history, its
// runs), not listed or counted, not copied, not changed (metadata, state),
// not deleted, not run on, not streamed.

import { expectJsonArray, expectJsonObject, expectStatus } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor, createRun, createThread, pollRun } from "../_support/runs";
import { changeCheck, ownerWorldOf, readCheck } from "./cross";
import { ACCESS_BY_CREATOR, CREATE_RUN, FILTER, NOT_FOUND_OR_FORBIDDEN, OWNER_FILTER, THREADS_DELETE, THREADS_READ, THREADS_SEARCH, THREADS_UPDATE } from "./spec";
import { authCheck, leakOf, what, type AuthWorld } from "./support";

const world = ownerWorldOf("threads-world");
const THREAD_READ = { source: "sdk-py", section: "Auth, types.on.threads.read", quote: "Type for thread read parameters." };

readCheck(world, {
  id: "AUT-020",
  title: "GET /threads/{thread_id} of another user's thread is refused and answers nothing of it",
  families: ["thread-get"],
  operations: ["GET /threads/{thread_id}"],
  spec: [THREAD_READ, ACCESS_BY_CREATOR],
});

readCheck(world, {
  id: "AUT-021",
  title: "Another user's threads are never listed by POST /threads/search (by metadata, ids or values) nor counted by POST /threads/count",
  families: ["thread-search"],
  operations: ["POST /threads/search", "POST /threads/count"],
  spec: [THREADS_SEARCH, OWNER_FILTER],
});

readCheck(world, {
  id: "AUT-025",
  title: "The state of another user's thread, now or at a checkpoint, is refused and answers nothing of it",
  families: ["thread-state"],
  operations: ["GET /threads/{thread_id}/state", "GET /threads/{thread_id}/state/{checkpoint_id}", "POST /threads/{thread_id}/state/checkpoint"],
  spec: [THREADS_READ],
});

readCheck(world, {
  id: "AUT-026",
  title: "The history of another user's thread (GET and POST) is refused and answers nothing of it",
  families: ["thread-history"],
  operations: ["GET /threads/{thread_id}/history", "POST /threads/{thread_id}/history"],
  spec: [THREADS_READ],
});

readCheck(world, {
  id: "AUT-029",
  title: "GET /threads/{thread_id}/runs of another user's thread is refused and lists none of its runs",
  families: ["thread-runs"],
  operations: ["GET /threads/{thread_id}/runs"],
  spec: [THREADS_SEARCH],
});

readCheck(world, {
  id: "AUT-030",
  title: "POST /threads with the thread_id of another user's thread (if_exists=do_nothing) never answers that thread",
  families: ["thread-create-existing"],
  operations: ["POST /threads"],
  spec: [{ source: "sdk-py", section: "Auth, types.on.threads.create", quote: "Type for thread creation parameters." }, OWNER_FILTER],
});

authCheck(
  {
    id: "AUT-024",
    level: "MUST",
    operations: ["POST /threads/{thread_id}/copy", "POST /threads/search"],
    spec: [THREAD_READ, FILTER, NOT_FOUND_OR_FORBIDDEN],
    title: "POST /threads/{thread_id}/copy of another user's thread is refused and makes no copy of it",
    requires: ["graph:echo"],
  },
  async (w) => {
    const o = await world(w.c);
    const res = await w.other.api.post(`/threads/${o.threadId}/copy`);
    if (res.status >= 200 && res.status < 300 && typeof res.json?.thread_id === "string") w.other.created.thread(res.json.thread_id);
    w.tally.add(what(res), leakOf(res, [o.marker]), res);
    // A copy would carry the owner's metadata (the marker) into a thread of the other user's.
    const found = await w.other.api.post("/threads/search", { metadata: { secret: o.marker }, limit: 10 });
    expectStatus(found, 200, "the other user searches for a copy");
    for (const t of expectJsonArray(found)) {
      if (typeof t?.thread_id === "string") w.other.created.thread(t.thread_id);
      w.tally.changed(what(res), `made a copy the other user holds: ${t?.thread_id}`, found);
    }
    w.tally.expectNone(`${w.other.name} copied ${w.owner.name}'s thread`);
  },
);

/** The owner's thread, run once to its end (state holds the marker). */
async function ownThread(w: AuthWorld) {
  const marker = `lgc-secret-${uuid()}`;
  const assistantId = await assistantFor(w.owner.c, "echo");
  const t = await createThread(w.owner.c, { metadata: { secret: marker } });
  const run = await createRun(w.owner.c, t.thread_id, { assistant_id: assistantId, input: { value: marker } });
  await pollRun(w.owner.c, t.thread_id, run.run_id, undefined, { timeoutMs: 30_000, what: "an end status" });
  return { id: t.thread_id as string, marker };
}

async function ownerState(w: AuthWorld, id: string) {
  const res = await w.owner.api.get(`/threads/${id}/state`);
  expectStatus(res, 200, "the owner reads the state of their thread after the other user's attempts");
  return { res, values: expectJsonObject(res).values ?? {} };
}

changeCheck({
  id: "AUT-022",
  title: "PATCH /threads/{thread_id} of another user's thread is refused and changes nothing",
  operations: ["PATCH /threads/{thread_id}"],
  spec: [{ source: "sdk-py", section: "Auth, types.on.threads.update", quote: "Type for thread update parameters." }, THREADS_UPDATE],
  setup: ownThread,
  async attempt(w, s) {
    const res = await w.other.api.patch(`/threads/${s.id}`, { metadata: { touched_by: w.other.name } });
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
  },
  async verify(w, s) {
    const res = await w.owner.api.get(`/threads/${s.id}`);
    expectStatus(res, 200, "the owner reads their thread after the other user's attempt");
    const m = expectJsonObject(res).metadata ?? {};
    if (m.touched_by !== undefined || m.secret !== s.marker || m.owner !== w.owner.name) w.tally.changed("PATCH /threads/{thread_id}", `changed its metadata: ${JSON.stringify(m)}`, res);
  },
});

changeCheck({
  id: "AUT-023",
  title: "DELETE /threads/{thread_id} of another user's thread is refused and the thread stays",
  operations: ["DELETE /threads/{thread_id}"],
  spec: [{ source: "sdk-py", section: "Auth, types.on.threads.delete", quote: "Type for thread deletion parameters." }, THREADS_DELETE],
  setup: ownThread,
  async attempt(w, s) {
    const res = await w.other.api.delete(`/threads/${s.id}`);
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
  },
  async verify(w, s) {
    const res = await w.owner.api.get(`/threads/${s.id}`);
    if (res.status !== 200) w.tally.changed("DELETE /threads/{thread_id}", `deleted it: the owner's GET now answers ${res.status}`, res);
  },
});

changeCheck({
  id: "AUT-027",
  title: "POST /threads/{thread_id}/state on another user's thread is refused and its state stays",
  operations: ["POST /threads/{thread_id}/state", "GET /threads/{thread_id}/state"],
  spec: [THREADS_UPDATE],
  setup: ownThread,
  async attempt(w, s) {
    const res = await w.other.api.post(`/threads/${s.id}/state`, { values: { value: `overwritten-by-${w.other.name}` } });
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
  },
  async verify(w, s) {
    const { res, values } = await ownerState(w, s.id);
    if (values.value !== s.marker) w.tally.changed("POST /threads/{thread_id}/state", `changed its state: value is now ${JSON.stringify(values.value)}`, res);
  },
});

changeCheck({
  id: "AUT-028",
  title: "Runs on another user's thread (POST /threads/{thread_id}/runs, /runs/wait, /runs/stream) are refused: no run is added, its state stays, no event is sent",
  operations: ["POST /threads/{thread_id}/runs", "POST /threads/{thread_id}/runs/wait", "POST /threads/{thread_id}/runs/stream", "GET /threads/{thread_id}/runs"],
  spec: [CREATE_RUN, ACCESS_BY_CREATOR],
  timeoutMs: 150_000,
  async setup(w) {
    const s = await ownThread(w);
    // The other user runs an assistant of their own: only the thread is the owner's.
    const assistantId = await assistantFor(w.other.c, "echo");
    const before = await w.owner.api.get(`/threads/${s.id}/runs`);
    expectStatus(before, 200, "the owner lists the runs of their thread");
    return { ...s, assistantId, runs: expectJsonArray(before).length };
  },
  async attempt(w, s) {
    const body = { assistant_id: s.assistantId, input: { value: `run-by-${w.other.name}` } };
    const created = await w.other.api.post(`/threads/${s.id}/runs`, body);
    w.tally.add(what(created), leakOf(created, [s.marker]), created);
    const waited = await w.other.api.post(`/threads/${s.id}/runs/wait`, body, { timeoutMs: 30_000 });
    w.tally.add(what(waited), leakOf(waited, [s.marker]), waited);
    const streamed = await w.other.api.stream({ method: "POST", path: `/threads/${s.id}/runs/stream`, json: body }, { limits: { timeoutMs: 15_000 } });
    w.tally.add(what(streamed), leakOf(streamed, [s.marker]), streamed);
  },
  async verify(w, s) {
    const after = await w.owner.api.get(`/threads/${s.id}/runs`);
    expectStatus(after, 200, "the owner lists the runs of their thread after the other user's attempts");
    const n = expectJsonArray(after).length;
    if (n !== s.runs) w.tally.changed("a run on the thread", `added ${n - s.runs} run(s) to it`, after);
    const { res, values } = await ownerState(w, s.id);
    if (values.value !== s.marker) w.tally.changed("a run on the thread", `changed its state: value is now ${JSON.stringify(values.value)}`, res);
  },
});
