// The owner's world (what the first identity creates: an assistant, a thread
// that ran to its end, a store item) and the requests the other identity makes
// against it that read and change nothing when refused: the read attempts,
// by family. The family checks run their rows; AUT-090 (no error body echoes
// the owner's data) and AUT-098 (refusals answer 404 or 403) run them all.

import { expectJsonObject, expectStatus, ensure } from "../../harness/expect";
import { uuid } from "../_support/resources";
import { assistantFor, createRun, createThread, pollRun } from "../_support/runs";
import { leakOf, unsent, type Answer, type AuthWorld, type User } from "./support";

export interface OwnerWorld {
  /** Only the owner's resources carry it (metadata `secret`, state `value`, the store item's value). */
  marker: string;
  assistantId: string;
  threadId: string;
  runId: string;
  /** The checkpoint of the thread's state; undefined when the state names none. */
  checkpointId?: string;
  /** The store item; undefined when the target would not store it. */
  item?: { namespace: string[]; key: string };
  /** The owner's identity. */
  owner: string;
}

/**
 * The owner's assistant (of `echo`), a thread that ran it to its end (state,
 * history, a run, a checkpoint), and a store item whose namespace names the
 * other user too (a namespace check by substring lets the other in).
 */
export async function buildOwnerWorld(w: AuthWorld): Promise<OwnerWorld> {
  const { owner, other } = w;
  const marker = `lgc-secret-${uuid()}`;
  const assistantId = await assistantFor(owner.c, "echo", { metadata: { secret: marker } });
  const thread = await createThread(owner.c, { metadata: { secret: marker } });
  const run = await createRun(owner.c, thread.thread_id, { assistant_id: assistantId, input: { value: marker } });
  const runId = run.run_id as string;
  await pollRun(owner.c, thread.thread_id, runId, undefined, { timeoutMs: 30_000, what: "an end status" });
  // What a part of the world needs and the target does not give leaves out the attempts that need it (said in the notes).
  const state = await owner.api.get(`/threads/${thread.thread_id}/state`);
  expectStatus(state, 200, "the owner reads the state of their thread");
  const checkpointId = expectJsonObject(state).checkpoint?.checkpoint_id;
  const item = { namespace: owner.namespace(`with-${other.name}`), key: "doc" };
  owner.created.storeItem(item.namespace, item.key);
  const put = await owner.api.put("/store/items", { ...item, value: { secret: marker } });
  const stored = put.status >= 200 && put.status < 300;
  return {
    marker,
    assistantId,
    threadId: thread.thread_id,
    runId,
    ...(typeof checkpointId === "string" ? { checkpointId } : {}),
    ...(stored ? { item } : {}),
    owner: owner.name,
  };
}

/** Why the owner's world lacks what `a` needs, or undefined. */
export function missing(a: Attempt, o: OwnerWorld): string | undefined {
  if (a.needs === "checkpoint" && !o.checkpointId) return "the owner's thread state names no checkpoint (checkpoint.checkpoint_id)";
  if (a.needs === "item" && !o.item) return "the target would not store the owner's item (PUT /store/items was refused)";
  return undefined;
}

/** What an answer to the other user must not carry: the marker, and the owner's ids the request did not name. */
export const secretsOf = (res: Answer, o: OwnerWorld): string[] => unsent(res, [o.marker], [o.assistantId, o.threadId, o.runId, o.checkpointId ?? ""]);

/** A request of the other user about the owner's world. */
export interface Attempt {
  /** The operation, as the contract writes it. */
  op: string;
  send(other: User, o: OwnerWorld): Promise<Answer>;
  /** A search or count: a 2xx is expected, and must hold nothing of the owner's. */
  listing?: boolean;
  /** Refusal statuses the contract takes here (default 404 or 403). */
  refusal?: number[];
  /** A part of the owner's world the request names. */
  needs?: "checkpoint" | "item";
}

/** How the answer leaked, or undefined. */
export function judge(a: Attempt, res: Answer, o: OwnerWorld): string | undefined {
  if (!a.listing || res.status < 200 || res.status >= 300) return leakOf(res, secretsOf(res, o));
  if (typeof res.json === "number") return res.json > 0 ? `counted ${res.json} of the owner's (filtered by the owner's marker)` : undefined;
  // A list of resources, of store items or of namespaces: nothing in it may be the owner's.
  const b = res.json;
  const list: any[] = Array.isArray(b) ? b : Array.isArray(b?.items) ? b.items : Array.isArray(b?.namespaces) ? b.namespaces : [];
  const owners = list.filter((x) => x?.metadata?.owner === o.owner || (Array.isArray(x?.namespace) && x.namespace[0] === o.owner) || (Array.isArray(x) && x[0] === o.owner));
  if (owners.length > 0) return `listed ${owners.length} of the owner's (${JSON.stringify(owners[0]).slice(0, 120)})`;
  const carried = [o.marker, o.assistantId, o.threadId].find((s) => res.text.includes(s));
  return carried ? `listed the owner's resource ('${carried}')` : undefined;
}

const T = (o: OwnerWorld) => `/threads/${o.threadId}`;
const A = (o: OwnerWorld) => `/assistants/${o.assistantId}`;
const byMarker = (o: OwnerWorld) => ({ secret: o.marker });

/** The read attempts by family: each row is one request of the other user. */
export const READS = {
  "assistant-get": [{ op: "GET /assistants/{assistant_id}", send: (u, o) => u.api.get(A(o)) }],
  "assistant-search": [
    { op: "POST /assistants/search", listing: true, send: (u, o) => u.api.post("/assistants/search", { metadata: byMarker(o), limit: 100 }) },
    { op: "POST /assistants/search", listing: true, send: (u, o) => u.api.post("/assistants/search", { graph_id: "echo", metadata: byMarker(o), limit: 100 }) },
    { op: "POST /assistants/count", listing: true, send: (u, o) => u.api.post("/assistants/count", { metadata: byMarker(o) }) },
  ],
  "assistant-parts": [
    { op: "GET /assistants/{assistant_id}/graph", send: (u, o) => u.api.get(`${A(o)}/graph`) },
    { op: "GET /assistants/{assistant_id}/schemas", send: (u, o) => u.api.get(`${A(o)}/schemas`, { timeoutMs: 60_000 }) },
    { op: "GET /assistants/{assistant_id}/subgraphs", send: (u, o) => u.api.get(`${A(o)}/subgraphs`, { timeoutMs: 60_000 }) },
    { op: "POST /assistants/{assistant_id}/versions", send: (u, o) => u.api.post(`${A(o)}/versions`, { limit: 10 }) },
  ],
  "thread-get": [{ op: "GET /threads/{thread_id}", send: (u, o) => u.api.get(T(o)) }],
  "thread-search": [
    { op: "POST /threads/search", listing: true, send: (u, o) => u.api.post("/threads/search", { metadata: byMarker(o), limit: 100 }) },
    { op: "POST /threads/search", listing: true, send: (u, o) => u.api.post("/threads/search", { ids: [o.threadId], limit: 100 }) },
    { op: "POST /threads/search", listing: true, send: (u, o) => u.api.post("/threads/search", { values: { value: o.marker }, limit: 100 }) },
    { op: "POST /threads/count", listing: true, send: (u, o) => u.api.post("/threads/count", { metadata: byMarker(o) }) },
  ],
  "thread-state": [
    { op: "GET /threads/{thread_id}/state", send: (u, o) => u.api.get(`${T(o)}/state`) },
    { op: "GET /threads/{thread_id}/state/{checkpoint_id}", needs: "checkpoint", send: (u, o) => u.api.get(`${T(o)}/state/${o.checkpointId}`) },
    { op: "POST /threads/{thread_id}/state/checkpoint", needs: "checkpoint", send: (u, o) => u.api.post(`${T(o)}/state/checkpoint`, { checkpoint: { checkpoint_id: o.checkpointId } }) },
  ],
  "thread-history": [
    { op: "GET /threads/{thread_id}/history", send: (u, o) => u.api.get(`${T(o)}/history`) },
    { op: "POST /threads/{thread_id}/history", send: (u, o) => u.api.post(`${T(o)}/history`, { limit: 10 }) },
  ],
  "thread-copy": [
    {
      op: "POST /threads/{thread_id}/copy",
      send: async (u, o) => {
        const res = await u.api.post(`${T(o)}/copy`);
        // A copy made for the other user is theirs to delete.
        if (res.status >= 200 && res.status < 300 && typeof res.json?.thread_id === "string") u.created.thread(res.json.thread_id);
        return res;
      },
    },
  ],
  "thread-runs": [{ op: "GET /threads/{thread_id}/runs", send: (u, o) => u.api.get(`${T(o)}/runs`) }],
  "thread-create-existing": [
    // An existing id is a conflict whoever owns it (409, declared): taken as a refusal here.
    { op: "POST /threads", refusal: [409, 404, 403], send: (u, o) => u.api.post("/threads", { thread_id: o.threadId, if_exists: "do_nothing" }) },
  ],
  "run-get": [{ op: "GET /threads/{thread_id}/runs/{run_id}", send: (u, o) => u.api.get(`${T(o)}/runs/${o.runId}`) }],
  "run-join": [{ op: "GET /threads/{thread_id}/runs/{run_id}/join", send: (u, o) => u.api.get(`${T(o)}/runs/${o.runId}/join`, { timeoutMs: 30_000 }) }],
  "run-stream": [{ op: "GET /threads/{thread_id}/runs/{run_id}/stream", send: (u, o) => u.api.stream({ method: "GET", path: `${T(o)}/runs/${o.runId}/stream` }, { limits: { timeoutMs: 5_000 } }) }],
  "store-get": [{ op: "GET /store/items", needs: "item", send: (u, o) => u.api.get("/store/items", { query: { namespace: o.item!.namespace.join("."), key: o.item!.key } }) }],
  "store-search": [
    { op: "POST /store/items/search", needs: "item", listing: true, send: (u, o) => u.api.post("/store/items/search", { namespace_prefix: o.item!.namespace, limit: 100 }) },
    { op: "POST /store/items/search", needs: "item", listing: true, send: (u, o) => u.api.post("/store/items/search", { namespace_prefix: [o.owner], limit: 100 }) },
    { op: "POST /store/items/search", needs: "item", listing: true, send: (u, o) => u.api.post("/store/items/search", { namespace_prefix: [], filter: byMarker(o), limit: 100 }) },
  ],
  "store-namespaces": [
    { op: "POST /store/namespaces", needs: "item", listing: true, send: (u, o) => u.api.post("/store/namespaces", { prefix: [o.owner], limit: 100 }) },
    { op: "POST /store/namespaces", needs: "item", listing: true, send: (u) => u.api.post("/store/namespaces", { limit: 1000 }) },
  ],
} satisfies Record<string, Attempt[]>;

export type ReadFamily = keyof typeof READS;

/** Runs the rows of `families` as the other user: each answer judged and tallied; returns the answers. */
export async function attemptAll(w: AuthWorld, o: OwnerWorld, families: ReadFamily[]): Promise<Array<{ attempt: Attempt; res: Answer }>> {
  const out: Array<{ attempt: Attempt; res: Answer }> = [];
  const left: string[] = [];
  for (const f of families) {
    for (const a of READS[f] as Attempt[]) {
      const why = missing(a, o);
      if (why) {
        left.push(`${a.op} (${why})`);
        continue;
      }
      const res = await a.send(w.other, o);
      w.tally.add(a.op, judge(a, res, o), res);
      out.push({ attempt: a, res });
    }
  }
  if (left.length > 0) w.c.note(`left out: ${[...new Set(left)].join("; ")}`);
  if (out.length === 0) w.c.skip(`the owner's world lacks what every attempt of this check needs: ${[...new Set(left)].join("; ")}`);
  return out;
}
