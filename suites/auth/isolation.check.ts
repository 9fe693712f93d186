// The isolation property: generated interleavings of two users' create, get,
// search, count, patch, delete and run steps on threads, assistants and store
// items, held after every step against a model in which each user sees their
// own resources and never the other's. A step of one user about the other's
// resource must be refused and change nothing; a search or count must hold the
// user's own resources only. The shortest sequence that leaks is reported,
// with the curl lines of its replay (each user's credentials read from
// $AUTHORIZATION_<NAME>).

import { createHash } from "node:crypto";
import fc from "fast-check";
import { ensure, expectJsonObject, fail } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";
import { runContext } from "../../harness/run-context";
import { DEFAULT_RUNS, propertyCheckTimeoutMs, runProperty, type CaseApi } from "../property/engine";
import { COMBINED, FILTER, NOT_FOUND_OR_FORBIDDEN, OWNER_FILTER, STORE_NAMESPACE } from "./spec";
import { authCheck, authConnection, leakOf, type Answer, type AuthWorld, type Tally } from "./support";

const runs = runContext().propertyRuns ?? DEFAULT_RUNS;
const MAX_COMMANDS = 12;

type Kind = "thread" | "assistant" | "item";
type Who = 0 | 1;

interface Res {
  kind: Kind;
  owner: Who;
  /** The id (threads, assistants) or key (store items). */
  id: string;
  k: string;
  deleted: boolean;
}

interface Model {
  all: Res[];
}

interface Real {
  apis: CaseApi[];
  /** The kinds of resource the target offers (store items only when it stores one). */
  kinds: Kind[];
  w: AuthWorld;
  seq: string;
  names: [string, string];
  tally: Tally;
}

type Cmd = fc.AsyncCommand<Model, Real>;
let sequence = 0;

/** A UUID of the run, the sequence and the generated name: sequences never meet. */
function realId(r: Real, generated: string): string {
  const h = createHash("sha256").update(`${r.w.c.run.runId}/${r.seq}/${generated}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ns = (r: Real, who: Who) => [r.names[who], "conformance", r.w.c.run.runId, "aut-100", r.seq];
/** What marks the sequence's resources (the run's tag too: runs at once on one server number their sequences alike). */
const own = (r: Real) => ({ ...r.w.c.tag(), pbt: r.seq });
const meta = (r: Real, k: string) => ({ ...own(r), k });
const base = (kind: Kind) => (kind === "thread" ? "/threads" : "/assistants");
const ok = (s: number) => s >= 200 && s < 300;
const who = fc.constantFrom<Who>(0, 1);
const small = fc.constantFrom("a", "b");

/** A step of `u` about `target`, owned by the other user: refused, and answers nothing of it. */
function crossUser(r: Real, u: Who, res: Answer, target: Res, step: string): void {
  const sent = `${res.record.request.url} ${res.record.request.body ?? ""}`;
  const how = leakOf(
    res,
    [`${r.seq}-secret`, target.id].filter((s) => !sent.includes(s)),
  );
  r.tally.add(step, how, res);
  if (how) fail(`${step}: ${r.names[u]} reached ${r.names[target.owner]}'s ${target.kind} ${target.id}: ${how}`, res);
}

const path = (t: Res): string => (t.kind === "item" ? "/store/items" : `${base(t.kind)}/${t.id}`);

/**
 * The resource a step of `u` is about: with `cross`, one of the other user's
 * when there is one (most steps are drawn so: they are what the property
 * looks for), else one of the user's own; `kinds` narrows the choice.
 */
function pick(m: Model, u: Who, i: number, cross: boolean, kinds: Kind[]): Res {
  const of = (x: Res) => kinds.includes(x.kind);
  const theirs = m.all.filter((x) => of(x) && x.owner !== u);
  const mine = m.all.filter((x) => of(x) && x.owner === u);
  const from = cross ? (theirs.length ? theirs : mine) : mine.length ? mine : theirs;
  return from[i % from.length]!;
}
/** Three steps in four are about the other user's resources. */
const cross = fc.constantFrom(true, true, true, false);

/** The create step (generated, and the prelude of every sequence). */
function createCmd({ u, kind: kd, n, k }: { u: Who; kind: Kind; n: string; k: string }): Cmd {
  return {
    check: () => true,
    async run(m, r) {
      const api = r.apis[u]!;
      const user = u === 0 ? r.w.owner : r.w.other;
      const id = kd === "item" ? `${n}` : realId(r, `${u}-${kd}-${n}`);
      const existing = m.all.find((x) => x.kind === kd && x.id === id && x.owner === u && !x.deleted);
      let res: HttpResponse;
      if (kd === "item") {
        user.created.storeItem(ns(r, u), id);
        res = await api.put("/store/items", { namespace: ns(r, u), key: id, value: { k, secret: `${r.seq}-secret` } });
      } else if (kd === "thread") {
        user.created.thread(id);
        res = await api.post("/threads", { thread_id: id, metadata: { ...meta(r, k), secret: `${r.seq}-secret` } });
      } else {
        user.created.assistant(id);
        res = await api.post("/assistants", { assistant_id: id, graph_id: "echo", metadata: { ...meta(r, k), secret: `${r.seq}-secret` } });
      }
      if (existing && kd !== "item") {
        ensure(res.status === 409, `${r.names[u]} created a second ${kd} with the id of their own: answered ${res.status}, not 409`, res);
        return;
      }
      ensure(ok(res.status), `${r.names[u]} could not create a ${kd} of their own: ${res.status}`, res);
      const prev = m.all.find((x) => x.kind === kd && x.id === id && x.owner === u);
      if (prev) Object.assign(prev, { k, deleted: false });
      else m.all.push({ kind: kd, owner: u, id, k, deleted: false });
    },
    toString: () => `create(${["u0", "u1"][u]}, ${kd} ${n}, k=${k})`,
  };
}

/** Both users' first resources, made before the generated steps (not part of the shrunk sequence: the same for all). */
const prelude = (kinds: Kind[]): Cmd[] => ([0, 1] as Who[]).flatMap((u) => kinds.map((kd) => createCmd({ u, kind: kd, n: "n0", k: "a" })));

function commands(kinds: Kind[]): fc.Arbitrary<Cmd>[] {
  const kind = fc.constantFrom<Kind>(...kinds);
  const create = fc.record({ u: who, kind, n: fc.constantFrom("n0", "n1", "n2", "n3"), k: small }).map(createCmd);

  const get = fc.record({ u: who, i: fc.nat({ max: 9 }), x: cross }).map(({ u, i, x }): Cmd => ({
    check: (m) => m.all.length > 0,
    async run(m, r) {
      const t = pick(m, u, i, x, r.kinds);
      const api = r.apis[u]!;
      const res = t.kind === "item" ? await api.get("/store/items", { query: { namespace: ns(r, t.owner).join("."), key: t.id } }) : await api.get(path(t));
      if (t.owner !== u) return crossUser(r, u, res, t, `get(${t.kind})`);
      // Gone: a refusal (a missing store item's 200 `null` is the store profile's finding, STO-004, not this property's).
      if (t.deleted)
        return ensure((res.status >= 400 && res.status < 500) || (t.kind === "item" && res.status === 200 && res.json === null), `${r.names[u]}'s deleted ${t.kind} still answers ${res.status}`, res);
      ensure(res.status === 200, `${r.names[u]} cannot read their own ${t.kind}: ${res.status}`, res);
      const body = expectJsonObject(res);
      const k = t.kind === "item" ? body.value?.k : body.metadata?.k;
      ensure(k === t.k, `${r.names[u]}'s ${t.kind} reads k=${JSON.stringify(k)}, the model holds ${t.k}`, res);
    },
    toString: () => `get(u${u}, ${x ? "theirs" : "own"} #${i})`,
  }));

  const patch = fc.record({ u: who, i: fc.nat({ max: 9 }), k: small, x: cross }).map(({ u, i, k, x }): Cmd => ({
    check: (m) => m.all.some((y) => y.kind !== "item"),
    async run(m, r) {
      const t = pick(m, u, i, x, ["thread", "assistant"]);
      const res = await r.apis[u]!.patch(path(t), { metadata: { k } });
      if (t.owner !== u) return crossUser(r, u, res, t, `patch(${t.kind})`);
      if (t.deleted) return ensure(res.status >= 400 && res.status < 500, `PATCH of ${r.names[u]}'s deleted ${t.kind} answered ${res.status}`, res);
      ensure(res.status === 200, `${r.names[u]} cannot patch their own ${t.kind}: ${res.status}`, res);
      t.k = k;
    },
    toString: () => `patch(u${u}, ${x ? "theirs" : "own"} #${i}, k=${k})`,
  }));

  const del = fc.record({ u: who, i: fc.nat({ max: 9 }), x: cross }).map(({ u, i, x }): Cmd => ({
    check: (m) => m.all.length > 0,
    async run(m, r) {
      const t = pick(m, u, i, x, r.kinds);
      const api = r.apis[u]!;
      const res = t.kind === "item" ? await api.request({ method: "DELETE", path: "/store/items", json: { namespace: ns(r, t.owner), key: t.id } }) : await api.delete(path(t));
      if (t.owner !== u) return crossUser(r, u, res, t, `delete(${t.kind})`);
      if (t.deleted && t.kind !== "item") return ensure(res.status >= 400 && res.status < 500, `DELETE of ${r.names[u]}'s deleted ${t.kind} answered ${res.status}`, res);
      ensure(ok(res.status), `${r.names[u]} cannot delete their own ${t.kind}: ${res.status}`, res);
      t.deleted = true;
    },
    toString: () => `delete(u${u}, ${x ? "theirs" : "own"} #${i})`,
  }));

  const search = fc.record({ u: who, kind, k: fc.option(small, { nil: undefined }) }).map(({ u, kind: kd, k }): Cmd => ({
    check: () => true,
    async run(m, r) {
      const api = r.apis[u]!;
      const mine = m.all
        .filter((x) => x.kind === kd && x.owner === u && !x.deleted && (k === undefined || x.k === k))
        .map((x) => x.id)
        .sort();
      if (kd === "item") {
        for (const owner of [0, 1] as Who[]) {
          const res = await api.post("/store/items/search", { namespace_prefix: ns(r, owner), limit: 100 });
          if (owner !== u) {
            const listed = ok(res.status) && Array.isArray(res.json?.items) && res.json.items.length > 0;
            r.tally.add("search(item) in the other's namespace", listed ? `listed ${res.json.items.length} of their items` : undefined, res);
            if (listed) fail(`${r.names[u]}'s search of ${r.names[owner]}'s namespace listed their items`, res);
            continue;
          }
          ensure(res.status === 200, `${r.names[u]} cannot search their own namespace: ${res.status}`, res);
          const keys = (res.json?.items ?? []).map((x: any) => x?.key).sort();
          const own = m.all
            .filter((x) => x.kind === "item" && x.owner === u && !x.deleted)
            .map((x) => x.id)
            .sort();
          ensure(JSON.stringify(keys) === JSON.stringify(own), `${r.names[u]}'s search of their namespace found ${JSON.stringify(keys)}, the model holds ${JSON.stringify(own)}`, res);
        }
        return;
      }
      const res = await api.post(`${base(kd)}/search`, { metadata: { ...own(r), ...(k ? { k } : {}) }, limit: 100 });
      ensure(res.status === 200, `${r.names[u]}'s search of ${kd}s answered ${res.status}`, res);
      const got: string[] = (Array.isArray(res.json) ? res.json : []).map((x: any) => x?.[kd === "thread" ? "thread_id" : "assistant_id"]);
      const foreign = got.filter((id) => m.all.some((x) => x.id === id && x.owner !== u));
      r.tally.add(`search(${kd})`, foreign.length ? `listed ${foreign.length} of the other's` : undefined, res);
      if (foreign.length) fail(`${r.names[u]}'s search of ${kd}s listed ${foreign.length} of ${r.names[u === 0 ? 1 : 0]}'s: ${foreign.join(", ")}`, res);
      ensure(JSON.stringify(got.sort()) === JSON.stringify(mine), `${r.names[u]}'s search of ${kd}s found ${JSON.stringify(got)}, the model holds ${JSON.stringify(mine)}`, res);
    },
    toString: () => `search(u${u}, ${kd}${k ? `, k=${k}` : ""})`,
  }));

  const count = fc.record({ u: who, kind: fc.constantFrom<Kind>("thread", "assistant") }).map(({ u, kind: kd }): Cmd => ({
    check: () => true,
    async run(m, r) {
      const res = await r.apis[u]!.post(`${base(kd)}/count`, { metadata: own(r) });
      const mine = m.all.filter((x) => x.kind === kd && x.owner === u && !x.deleted).length;
      const theirs = m.all.filter((x) => x.kind === kd && x.owner !== u && !x.deleted).length;
      ensure(res.status === 200 && typeof res.json === "number", `${r.names[u]}'s count of ${kd}s answered ${res.status} ${res.text.slice(0, 80)}`, res);
      const over = res.json > mine && theirs > 0;
      r.tally.add(`count(${kd})`, over ? `counted ${res.json - mine} of the other's` : undefined, res);
      if (over) fail(`${r.names[u]}'s count of ${kd}s is ${res.json}: they own ${mine}, the other user ${theirs}`, res);
      ensure(res.json === mine, `${r.names[u]}'s count of ${kd}s is ${res.json}, the model holds ${mine}`, res);
    },
    toString: () => `count(u${u}, ${kd})`,
  }));

  const run = fc.record({ u: who, i: fc.nat({ max: 9 }), x: cross }).map(({ u, i, x }): Cmd => ({
    // A run needs an assistant of the runner's own (the fixture's filter hides the graphs' system assistants).
    check: (m) => m.all.some((y) => y.kind === "thread") && m.all.some((y) => y.kind === "assistant" && y.owner === u && !y.deleted),
    async run(m, r) {
      const t = pick(m, u, i, x, ["thread"]);
      const assistant = m.all.find((y) => y.kind === "assistant" && y.owner === u && !y.deleted)!;
      const res = await r.apis[u]!.post(`/threads/${t.id}/runs/wait`, { assistant_id: assistant.id, input: { value: `${r.seq}-u${u}` } }, { timeoutMs: 30_000 });
      if (t.owner !== u) return crossUser(r, u, res, t, "run(thread)");
      if (t.deleted) return ensure(res.status >= 400 && res.status < 500, `a run on ${r.names[u]}'s deleted thread answered ${res.status}`, res);
      ensure(res.status === 200, `${r.names[u]} cannot run on their own thread: ${res.status}`, res);
    },
    toString: () => `run(u${u}, ${x ? "their" : "own"} thread #${i})`,
  }));

  return [create, get, patch, del, search, count, run];
}

const OPERATIONS = [
  "POST /threads",
  "GET /threads/{thread_id}",
  "PATCH /threads/{thread_id}",
  "DELETE /threads/{thread_id}",
  "POST /threads/search",
  "POST /threads/count",
  "POST /threads/{thread_id}/runs/wait",
  "POST /assistants",
  "GET /assistants/{assistant_id}",
  "PATCH /assistants/{assistant_id}",
  "DELETE /assistants/{assistant_id}",
  "POST /assistants/search",
  "POST /assistants/count",
  "PUT /store/items",
  "GET /store/items",
  "DELETE /store/items",
  "POST /store/items/search",
];

authCheck(
  {
    id: "AUT-100",
    level: "MUST",
    operations: OPERATIONS,
    spec: [FILTER, OWNER_FILTER, COMBINED, STORE_NAMESPACE, NOT_FOUND_OR_FORBIDDEN],
    title: "Two users' generated interleavings of create, get, search, count, patch, delete and run agree with a model where neither ever sees the other's threads, assistants or store items",
    requires: ["graph:echo"],
    timeoutMs: propertyCheckTimeoutMs(runs),
  },
  async (w) => {
    const ids = w.c.run.auth!.identities;
    const names: [string, string] = [ids[0]!.name, ids[1]!.name];
    // Store items join the sequences when the target stores one of the owner's.
    const probe = { namespace: [names[0], "conformance", w.c.run.runId, "aut-100", "probe"], key: "probe" };
    w.owner.created.storeItem(probe.namespace, probe.key);
    const stored = await w.owner.api.put("/store/items", { ...probe, value: { probe: true } });
    const kinds: Kind[] = stored.status >= 200 && stored.status < 300 ? ["thread", "assistant", "item"] : ["thread", "assistant"];
    if (!kinds.includes("item")) w.c.note(`store items left out of the sequences: PUT /store/items of the owner's own item answered ${stored.status}`);
    let n = 0;
    await runProperty({
      c: w.c,
      operation: { key: OPERATIONS.join(", "), profile: "auth" },
      arbitrary: fc.commands(commands(kinds), { maxCommands: MAX_COMMANDS }),
      targets: [authConnection(w.c.run, ids[0]), authConnection(w.c.run, ids[1])],
      mask: [w.c.run.runId],
      digestOf: (cmds) => [...cmds].map(String).join(";"),
      show: (cmds) => `sequence ${String(cmds)} after the prelude (each user creates a thread, an assistant and a store item n0, k=a; u0 = ${names[0]}, u1 = ${names[1]})`,
      // The claim is isolation: how an answer is shaped on the wire is the findings' business.
      run: async ({ apis, value }) => {
        const seq = `s${++sequence}-${++n}`;
        const real: Real = { apis, kinds, w, seq, names, tally: w.tally };
        // Each user starts with a thread, an assistant and a store item: from the first step on, there is another's to reach.
        const model: Model = { all: [] };
        for (const c of prelude(kinds)) await c.run(model, real);
        await fc.asyncModelRun(() => ({ model, real }), value);
      },
    });
  },
);
