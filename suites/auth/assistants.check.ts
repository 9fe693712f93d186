// Another user's assistants: not read, not listed or counted, not changed, not
// deleted, not run; and what the fixture auth denies (carol may not write
// assistants) answers 403 and creates nothing.

import { ensure, expectJsonObject, expectStatus } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor } from "../_support/runs";
import { changeCheck, ownerWorldOf, readCheck } from "./cross";
import { FIXTURE_AUTH, NOT_FOUND_OR_FORBIDDEN, OWNER_FILTER, REJECT_403 } from "./spec";
import { authCheck, carried, leakOf, what, type AuthWorld } from "./support";

const world = ownerWorldOf("assistants-world");

const READ: { source: string; section: string; quote: string } = { source: "sdk-py", section: "Auth, types.on.assistants.read", quote: "Type for assistant read parameters." };

readCheck(world, {
  id: "AUT-010",
  title: "GET /assistants/{assistant_id} of another user's assistant is refused and answers nothing of it",
  families: ["assistant-get"],
  operations: ["GET /assistants/{assistant_id}"],
  spec: [READ, OWNER_FILTER],
});

readCheck(world, {
  id: "AUT-011",
  title: "Another user's assistants are never listed by POST /assistants/search nor counted by POST /assistants/count, whatever the search's own filters",
  families: ["assistant-search"],
  operations: ["POST /assistants/search", "POST /assistants/count"],
  spec: [{ source: "sdk-py", section: "Auth, types.on.assistants.search", quote: "Type for assistant search parameters." }, OWNER_FILTER],
});

readCheck(world, {
  id: "AUT-014",
  title: "The graph, schemas, subgraphs and versions of another user's assistant are refused and answer nothing of it",
  families: ["assistant-parts"],
  operations: ["GET /assistants/{assistant_id}/graph", "GET /assistants/{assistant_id}/schemas", "GET /assistants/{assistant_id}/subgraphs", "POST /assistants/{assistant_id}/versions"],
  spec: [READ],
});

/** The owner's assistant, as the owner reads it. */
async function ownAssistant(w: AuthWorld) {
  const marker = `lgc-secret-${uuid()}`;
  const id = await assistantFor(w.owner.c, "echo", { metadata: { secret: marker }, name: "owned" });
  return { id, marker };
}

async function ownerReads(w: AuthWorld, id: string) {
  const res = await w.owner.api.get(`/assistants/${id}`);
  expectStatus(res, 200, "the owner reads their assistant after the other user's attempts");
  return { res, a: expectJsonObject(res) };
}

changeCheck({
  id: "AUT-012",
  title: "PATCH /assistants/{assistant_id} of another user's assistant is refused and changes nothing",
  operations: ["PATCH /assistants/{assistant_id}"],
  spec: [{ source: "sdk-py", section: "Auth, types.on.assistants.update", quote: "Type for assistant update parameters." }],
  setup: ownAssistant,
  async attempt(w, s) {
    const res = await w.other.api.patch(`/assistants/${s.id}`, { metadata: { touched_by: w.other.name }, name: "taken" });
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
  },
  async verify(w, s) {
    const { res, a } = await ownerReads(w, s.id);
    if (a.metadata?.touched_by !== undefined || a.name !== "owned" || a.version !== 1)
      w.tally.changed("PATCH /assistants/{assistant_id}", `changed it: the owner now reads name '${a.name}', version ${a.version}, metadata ${JSON.stringify(a.metadata)}`, res);
  },
});

changeCheck({
  id: "AUT-013",
  title: "DELETE /assistants/{assistant_id} of another user's assistant is refused and the assistant stays",
  operations: ["DELETE /assistants/{assistant_id}"],
  spec: [{ source: "sdk-py", section: "Auth, types.on.assistants.delete", quote: "Type for assistant deletion parameters." }],
  setup: ownAssistant,
  async attempt(w, s) {
    const res = await w.other.api.delete(`/assistants/${s.id}`);
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
  },
  async verify(w, s) {
    const res = await w.owner.api.get(`/assistants/${s.id}`);
    if (res.status !== 200) w.tally.changed("DELETE /assistants/{assistant_id}", `deleted it: the owner's GET now answers ${res.status}`, res);
  },
});

changeCheck({
  id: "AUT-015",
  title: "POST /assistants/{assistant_id}/latest of another user's assistant is refused and its latest version stays",
  operations: ["POST /assistants/{assistant_id}/latest"],
  spec: [{ source: "sdk-py", section: "Auth, types.AssistantsUpdate.version", quote: "typing.Optional version to update." }],
  async setup(w) {
    const s = await ownAssistant(w);
    // A second version, the latest: the other user tries to make the first one latest again.
    const p = await w.owner.api.patch(`/assistants/${s.id}`, { metadata: { v: 2 } });
    expectStatus(p, 200, "the owner makes a second version of their assistant");
    return s;
  },
  async attempt(w, s) {
    const res = await w.other.api.post(`/assistants/${s.id}/latest`, { version: 1 });
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
  },
  async verify(w, s) {
    const { res, a } = await ownerReads(w, s.id);
    if (a.version !== 2) w.tally.changed("POST /assistants/{assistant_id}/latest", `changed the latest version: the owner now reads version ${a.version}`, res);
  },
});

const RUN_ON_ASSISTANT = {
  source: "contract",
  section: "components.responses.Forbidden x-decision",
  note: "the documents call the threads' create_run handler for a run (\"Type for creating or streaming a run.\"), and say nothing of the assistant it names: that a run may not use an assistant its user cannot read is the contract's reading of the assistants' filter, hence SHOULD",
};

authCheck(
  {
    id: "AUT-016",
    level: "SHOULD",
    operations: ["POST /runs/wait"],
    spec: [READ, OWNER_FILTER, RUN_ON_ASSISTANT, NOT_FOUND_OR_FORBIDDEN],
    title: "A run that names another user's assistant is refused, as for an assistant that does not exist",
    requires: ["graph:echo"],
  },
  async (w) => {
    const o = await world(w.c);
    const res = await w.other.api.post("/runs/wait", { assistant_id: o.assistantId, input: { value: "borrowed" } }, { timeoutMs: 30_000 });
    const accepted = res.status >= 200 && res.status < 300;
    w.tally.add(what(res), accepted ? `answered ${res.status}: the run used the owner's assistant` : undefined, res);
    w.tally.expectNone(`${w.other.name} ran ${w.owner.name}'s assistant`);
  },
);

authCheck(
  {
    id: "AUT-017",
    level: "SHOULD",
    operations: ["POST /runs", "POST /threads/{thread_id}/runs"],
    spec: [READ, OWNER_FILTER, RUN_ON_ASSISTANT],
    title: "The answer to a run that names another user's assistant carries nothing of that assistant (its metadata, its id where not sent)",
    requires: ["graph:echo"],
  },
  async (w) => {
    const o = await world(w.c);
    const thread = await w.other.api.post("/threads", { metadata: w.c.tag() });
    expectStatus(thread, 200, "the other user creates a thread of their own");
    const tid = expectJsonObject(thread).thread_id;
    w.other.created.thread(tid);
    for (const path of ["/runs", `/threads/${tid}/runs`]) {
      const res = await w.other.api.post(path, { assistant_id: o.assistantId, input: { value: "borrowed" }, metadata: w.c.tag() });
      const found = carried(res, [o.marker]);
      w.tally.add(what(res), found ? `answered ${res.status} carrying the assistant's metadata ('${found}')` : undefined, res);
    }
    w.tally.expectNone(`an answer to ${w.other.name} carries ${w.owner.name}'s assistant`);
  },
);

// ------------------------------------------------------------------ what the fixture auth denies

function third(w: AuthWorld) {
  if (!w.third) w.c.skip("needs a third identity, the fixture auth's user without assistants:write (carol): give --identity three times");
  return w.third!;
}

authCheck(
  {
    id: "AUT-070",
    level: "MUST",
    operations: ["POST /assistants", "POST /assistants/search"],
    spec: [REJECT_403, FIXTURE_AUTH],
    title: "POST /assistants by a user whose handler denies it (the fixture's carol) answers 403 and creates nothing",
    requires: ["graph:echo"],
  },
  async (w) => {
    const carol = third(w);
    const marker = `lgc-denied-${uuid()}`;
    const id = uuid();
    const res = await carol.api.post("/assistants", { assistant_id: id, graph_id: "echo", metadata: { ...w.c.tag(), secret: marker } });
    if (res.status >= 200 && res.status < 300) carol.created.assistant(id);
    const found = await carol.api.post("/assistants/search", { metadata: { secret: marker }, limit: 10 });
    expectStatus(res, 403, "the handler returns false for this user and action");
    expectStatus(found, 200, "the user searches for what the denied request might have created");
    ensure(Array.isArray(found.json) && found.json.length === 0, `the denied POST /assistants still created the assistant: ${found.text.slice(0, 200)}`, found);
  },
);

authCheck(
  {
    id: "AUT-071",
    level: "MUST",
    operations: ["DELETE /assistants/{assistant_id}", "GET /assistants/{assistant_id}"],
    spec: [REJECT_403, FIXTURE_AUTH, NOT_FOUND_OR_FORBIDDEN],
    title: "DELETE /assistants/{assistant_id} by a user whose handler denies it (the fixture's carol) is refused (403, or 404 for another's) and deletes nothing",
    requires: ["graph:echo"],
  },
  async (w) => {
    const carol = third(w);
    const s = await ownAssistant(w);
    const res = await carol.api.delete(`/assistants/${s.id}`);
    w.tally.add(what(res), leakOf(res, [s.marker]), res);
    const after = await w.owner.api.get(`/assistants/${s.id}`);
    if (after.status !== 200) w.tally.changed(what(res), `deleted it: the owner's GET now answers ${after.status}`, after);
    w.tally.expectNone(`${carol.name}'s denied delete went through`);
    expectStatus(res, [403, 404], "the handler denies this user's deletes (403); another user's assistant may also read as not found (404)");
  },
);
