// Mutants of the auth profile: authorization bugs made by the proxy in front of
// the reference server with the fixture auth (the campaign's auth upstream).
// The proxy knows the fixture's tokens, so it can tell who sends a request,
// and learns from the answers it sees who owns which thread, assistant and run;
// a check that is "missing" on an operation is made by sending another user's
// request about an owner's resource with the owner's token (the server then
// does what it would do without the check).

import { FIXTURE_USERS } from "../../../fixtures/auth";
import { ID, json, pathOf, queryOf, type Match } from "../faults";
import { m, type Mutant } from "../mutant";
import { parseJson, type Fault, type ProxiedRequest, type ProxiedResponse } from "../proxy";

// ------------------------------------------------------------------ who sends, who owns

const tokenOf = (identity: string) => FIXTURE_USERS.find((u) => u.identity === identity)!.token;

/** The fixture user a request authenticates as, or undefined. */
export function identityOf(r: ProxiedRequest): string | undefined {
  const token = /^Bearer +(\S+)$/i.exec(r.headers.authorization ?? "")?.[1];
  return FIXTURE_USERS.find((u) => u.token === token)?.identity;
}

/** The request sent as `identity` instead. */
const as = (r: ProxiedRequest, identity: string): ProxiedRequest => ({ ...r, headers: { ...r.headers, authorization: `Bearer ${tokenOf(identity)}`, [MARK]: identity } });

/** Marks a request the mutant sent as another user (its answer may be rewritten). */
const MARK = "x-lgc-auth-fault-as";

interface Known {
  kind: "thread" | "assistant";
  owner: string;
  metadata: Record<string, unknown>;
}

/** What the proxy learns from the answers it passes: the owner (and metadata) of each thread and assistant, the thread of each run. */
function ownership() {
  const known = new Map<string, Known>();
  const learn = (kind: Known["kind"], x: any) => {
    const id = kind === "thread" ? x?.thread_id : x?.assistant_id;
    const owner = x?.metadata?.owner;
    if (typeof id === "string" && typeof owner === "string") known.set(id, { kind, owner, metadata: x.metadata });
  };
  return {
    known,
    observe(q: ProxiedRequest, s: ProxiedResponse): void {
      const path = pathOf(q);
      if (s.status >= 200 && s.status < 300 && q.method === "DELETE") {
        const id = new RegExp(`^/(?:threads|assistants)/(${ID})$`).exec(path)?.[1];
        if (id) known.delete(id);
        return;
      }
      if (s.status !== 200) return;
      const body = parseJson(s.body);
      const list = Array.isArray(body) ? body : [body];
      if (/^\/threads(\/search|\/[^/]+|\/[^/]+\/copy)?$/.test(path)) for (const x of list) learn("thread", x);
      if (/^\/assistants(\/search|\/[^/]+)?$/.test(path)) for (const x of list) learn("assistant", x);
      for (const x of list)
        if (typeof x?.run_id === "string" && typeof x?.thread_id === "string" && typeof x?.metadata?.owner === "string")
          known.set(x.thread_id, { kind: "thread", owner: x.metadata.owner, metadata: known.get(x.thread_id)?.metadata ?? {} });
    },
    /** The owner of the thread or assistant the request's path (or body's thread_id) names. */
    ownerOf(q: ProxiedRequest): string | undefined {
      const id = new RegExp(`^/(?:threads|assistants)/(${ID})`).exec(pathOf(q))?.[1] ?? parseJson(q.body)?.thread_id;
      return typeof id === "string" ? known.get(id)?.owner : undefined;
    },
  };
}

/**
 * The owner check is missing on matching requests: one user's request about
 * another's resource is carried out as if the owner had sent it. `answer`
 * rewrites what the owner's request got (a refusal made after the fact).
 */
function unchecked(match: Match, answer?: (s: ProxiedResponse) => ProxiedResponse): Omit<Fault, "name"> {
  const o = ownership();
  return {
    observe: (q, s) => o.observe(q, s),
    request(r) {
      if (!match(r)) return r;
      const me = identityOf(r);
      const owner = o.ownerOf(r);
      return me && owner && owner !== me ? as(r, owner) : r;
    },
    ...(answer ? { response: (q: ProxiedRequest, s: ProxiedResponse) => (q.headers[MARK] ? answer(s) : s) } : {}),
  };
}

const route = (method: string, path: string): Match => {
  const re = new RegExp(`^${path.replace(/\{id\}/g, ID)}$`);
  return (r) => r.method === method && re.test(pathOf(r));
};
const any =
  (...ms: Match[]): Match =>
  (r) =>
    ms.some((x) => x(r));

/** A refusal made after the owner's request was carried out. */
const refusedAfter = (s: ProxiedResponse): ProxiedResponse => (s.status < 300 ? json(404, { detail: "Not found" }) : s);

// ------------------------------------------------------------------ the store

/** The namespace a store request names (body, or the query's dotted form), or undefined. */
function namespaceOf(r: ProxiedRequest): string[] | undefined {
  if (!pathOf(r).startsWith("/store/")) return undefined;
  if (r.method === "GET") return queryOf(r).get("namespace")?.split(".");
  const b = parseJson(r.body);
  const ns = b?.namespace ?? b?.namespace_prefix ?? b?.prefix;
  return Array.isArray(ns) ? ns : undefined;
}

const identities = new Set(FIXTURE_USERS.map((u) => u.identity));

// ------------------------------------------------------------------ the mutants

const AUT = (...ids: string[]) => ids.map((n) => `AUT-${n}`);

export const AUTH_MUTANTS: Mutant[] = [
  m(
    "auth-anonymous-default-user",
    "request",
    "a request without credentials, or with a token no user has, is served as a default user instead of 401",
    AUT("001", "002", "003", "004", "005", "006", "007"),
    () => ({
      request: (r) => (identityOf(r) ? r : as(r, FIXTURE_USERS[0]!.identity)),
    }),
    { catches: ["AUT-001", "AUT-002", "AUT-003", "AUT-004", "AUT-005", "AUT-006", "AUT-007"] },
  ),
  m(
    "auth-count-ignores-filter",
    "response",
    "POST /threads/count and /assistants/count ignore the owner filter (searches keep it): other users' matching resources are counted",
    AUT("011", "021", "100"),
    () => {
      const o = ownership();
      return {
        observe: (q, s) => o.observe(q, s),
        response(q, s) {
          const kind = pathOf(q) === "/threads/count" ? "thread" : pathOf(q) === "/assistants/count" ? "assistant" : undefined;
          const me = identityOf(q);
          if (!kind || !me || q.method !== "POST" || s.status !== 200) return s;
          const filter: Record<string, unknown> = parseJson(q.body)?.metadata ?? {};
          const extra = [...o.known.values()].filter(
            (k) => k.kind === kind && k.owner !== me && Object.entries(filter).every(([key, v]) => JSON.stringify(k.metadata[key]) === JSON.stringify(v)),
          ).length;
          return { ...s, body: String(Number(s.body) + extra) };
        },
      };
    },
    { catches: ["AUT-011", "AUT-021", "AUT-100"] },
  ),
  m("auth-assistant-get-unchecked", "request", "GET /assistants/{assistant_id} does not check the owner", AUT("010", "100"), () => unchecked(route("GET", "/assistants/{id}")), {
    catches: ["AUT-010", "AUT-100"],
  }),
  m(
    "auth-assistant-patch-checked-after-write",
    "request",
    "PATCH /assistants/{assistant_id} checks the owner after the write: another user's patch is applied, then refused with 404",
    AUT("012", "100"),
    () => unchecked(route("PATCH", "/assistants/{id}"), refusedAfter),
    { catches: ["AUT-012", "AUT-100"] },
  ),
  m("auth-assistant-delete-unchecked", "request", "DELETE /assistants/{assistant_id} does not check the owner", AUT("013", "100"), () => unchecked(route("DELETE", "/assistants/{id}")), {
    catches: ["AUT-013", "AUT-100"],
  }),
  m(
    "auth-assistant-parts-unchecked",
    "request",
    "the graph, schemas, subgraphs and versions of an assistant do not check its owner",
    AUT("014"),
    () => unchecked(any(route("GET", "/assistants/{id}/graph"), route("GET", "/assistants/{id}/schemas"), route("GET", "/assistants/{id}/subgraphs"), route("POST", "/assistants/{id}/versions"))),
    { catches: ["AUT-014"] },
  ),
  m("auth-assistant-latest-unchecked", "request", "POST /assistants/{assistant_id}/latest does not check the owner", AUT("015"), () => unchecked(route("POST", "/assistants/{id}/latest")), {
    catches: ["AUT-015"],
  }),
  m(
    "auth-thread-403-carries-resource",
    "response",
    "a refused GET /threads/{thread_id} answers 403 with the thread in its body",
    AUT("020", "046", "090", "100"),
    () => unchecked(route("GET", "/threads/{id}"), (s) => ({ status: 403, headers: { "content-type": "application/json" }, body: JSON.stringify({ detail: "Forbidden", thread: parseJson(s.body) }) })),
    { catches: ["AUT-020", "AUT-046", "AUT-090", "AUT-100"] },
  ),
  m(
    "auth-thread-patch-checked-after-write",
    "request",
    "PATCH /threads/{thread_id} checks the owner after the write: another user's patch is applied, then refused with 404",
    AUT("022", "100"),
    () => unchecked(route("PATCH", "/threads/{id}"), refusedAfter),
    { catches: ["AUT-022", "AUT-100"] },
  ),
  m("auth-thread-delete-unchecked", "request", "DELETE /threads/{thread_id} does not check the owner", AUT("023", "100"), () => unchecked(route("DELETE", "/threads/{id}")), {
    catches: ["AUT-023", "AUT-100"],
  }),
  m("auth-copy-unchecked", "request", "POST /threads/{thread_id}/copy does not check the owner of the thread it copies", AUT("024"), () => unchecked(route("POST", "/threads/{id}/copy")), {
    catches: ["AUT-024"],
  }),
  m(
    "auth-state-404-echoes-state",
    "response",
    "a refused read of a thread's state answers 404 with the state in its body",
    AUT("025", "090"),
    () =>
      unchecked(any(route("GET", "/threads/{id}/state"), route("GET", `/threads/{id}/state/[^/]+`), route("POST", "/threads/{id}/state/checkpoint")), (s) =>
        json(404, { detail: `Thread not found (state: ${s.body.slice(0, 2000)})` }),
      ),
    { catches: ["AUT-025", "AUT-090"] },
  ),
  m(
    "auth-history-unchecked",
    "request",
    "GET and POST /threads/{thread_id}/history do not check the owner",
    AUT("026"),
    () => unchecked(any(route("GET", "/threads/{id}/history"), route("POST", "/threads/{id}/history"))),
    { catches: ["AUT-026"] },
  ),
  m("auth-state-update-unchecked", "request", "POST /threads/{thread_id}/state does not check the owner", AUT("027"), () => unchecked(route("POST", "/threads/{id}/state")), { catches: ["AUT-027"] }),
  m(
    "auth-create-run-unchecked",
    "request",
    "runs on a thread (create, wait, stream; resume too) do not check the thread's owner",
    AUT("028", "045", "100"),
    () => unchecked(any(route("POST", "/threads/{id}/runs"), route("POST", "/threads/{id}/runs/wait"), route("POST", "/threads/{id}/runs/stream"))),
    { catches: ["AUT-028", "AUT-045", "AUT-100"] },
  ),
  m("auth-run-list-unchecked", "request", "GET /threads/{thread_id}/runs does not check the owner", AUT("029"), () => unchecked(route("GET", "/threads/{id}/runs")), { catches: ["AUT-029"] }),
  m(
    "auth-create-existing-answers-it",
    "request",
    "POST /threads with an existing thread_id and if_exists=do_nothing answers that thread whoever owns it",
    AUT("030"),
    () => unchecked(route("POST", "/threads")),
    { catches: ["AUT-030"] },
  ),
  m("auth-run-get-unchecked", "request", "GET /threads/{thread_id}/runs/{run_id} does not check the owner", AUT("040"), () => unchecked(route("GET", "/threads/{id}/runs/{id}")), {
    catches: ["AUT-040"],
  }),
  m("auth-join-unchecked", "request", "GET /threads/{thread_id}/runs/{run_id}/join does not check the owner", AUT("041"), () => unchecked(route("GET", "/threads/{id}/runs/{id}/join")), {
    catches: ["AUT-041"],
  }),
  m(
    "auth-run-stream-unchecked",
    "request",
    "GET /threads/{thread_id}/runs/{run_id}/stream does not check the owner: another user joins the run's events",
    AUT("042"),
    () => unchecked(route("GET", "/threads/{id}/runs/{id}/stream")),
    { catches: ["AUT-042"] },
  ),
  m(
    "auth-cancel-unchecked",
    "request",
    "cancelling a run (one, or by POST /runs/cancel) does not check the owner",
    AUT("043"),
    () => unchecked(any(route("POST", "/threads/{id}/runs/{id}/cancel"), route("POST", "/runs/cancel"))),
    { catches: ["AUT-043"] },
  ),
  m("auth-run-delete-unchecked", "request", "DELETE /threads/{thread_id}/runs/{run_id} does not check the owner", AUT("044"), () => unchecked(route("DELETE", "/threads/{id}/runs/{id}")), {
    catches: ["AUT-044"],
  }),
  m(
    "auth-store-prefix-by-substring",
    "request",
    "the store's namespace check matches the user's identity anywhere in the joined namespace, not as its first label",
    AUT("050", "051", "052", "053"),
    () => ({
      request(r) {
        const me = identityOf(r);
        const ns = namespaceOf(r);
        const first = ns?.[0];
        if (!me || !ns || !first || first === me || !identities.has(first) || !ns.join(".").includes(me)) return r;
        return as(r, first);
      },
    }),
    { catches: ["AUT-050", "AUT-051", "AUT-052", "AUT-053"] },
  ),
  m(
    "auth-namespaces-prefix-unchecked",
    "request",
    "POST /store/namespaces does not check that the prefix is the user's",
    AUT("054"),
    () => ({
      request(r) {
        const me = identityOf(r);
        const first = namespaceOf(r)?.[0];
        return pathOf(r) === "/store/namespaces" && me && first && first !== me && identities.has(first) ? as(r, first) : r;
      },
    }),
    { catches: ["AUT-054"] },
  ),
  m(
    "auth-store-own-namespace-refused",
    "response",
    "the store's namespace check compares the wrong label: a user's own namespace is refused with 403",
    AUT("055"),
    () => ({
      response: (q, s) => (identityOf(q) && namespaceOf(q)?.[0] === identityOf(q) ? json(403, { detail: "Not authorized" }) : s),
    }),
    { catches: ["AUT-055"] },
  ),
  m(
    "auth-permission-ignored",
    "request",
    "the assistants' write permission is not checked: a user without it creates and deletes assistants",
    AUT("070", "071"),
    () => {
      const o = ownership();
      return {
        observe: (q, s) => o.observe(q, s),
        request(r) {
          const me = identityOf(r);
          const user = FIXTURE_USERS.find((u) => u.identity === me);
          const write = any(route("POST", "/assistants"), route("PATCH", "/assistants/{id}"), route("DELETE", "/assistants/{id}"));
          if (!user || user.permissions.includes("assistants:write") || !write(r)) return r;
          // Carried out for a user who has the permission: the owner where there is one.
          return as(r, o.ownerOf(r) ?? FIXTURE_USERS.find((u) => u.permissions.includes("assistants:write"))!.identity);
        },
      };
    },
    { catches: ["AUT-070", "AUT-071"] },
  ),
  m(
    "auth-stamp-missing-in-answer",
    "response",
    "the owner the handler stamps is left out of the create answer's metadata",
    AUT("080"),
    () => ({
      response(q, s) {
        if (q.method !== "POST" || !["/threads", "/assistants"].includes(pathOf(q)) || s.status !== 200) return s;
        const b = parseJson(s.body);
        if (!b?.metadata) return s;
        const { owner: _owner, ...metadata } = b.metadata;
        return { ...s, body: JSON.stringify({ ...b, metadata }) };
      },
    }),
    { catches: ["AUT-080"] },
  ),
  m(
    "auth-filter-replaces-search-filter",
    "request",
    "the owner filter replaces the search's own metadata filter instead of combining with it",
    AUT("081", "100"),
    () => ({
      request(r) {
        if (r.method !== "POST" || pathOf(r) !== "/threads/search" || !identityOf(r)) return r;
        const b = parseJson(r.body);
        return b && typeof b === "object" && b.metadata ? { ...r, body: JSON.stringify({ ...b, metadata: {} }) } : r;
      },
    }),
    { catches: ["AUT-081", "AUT-100"] },
  ),
  m(
    "auth-webhook-run-as-other-user",
    "request",
    "a run with a webhook is run as another identity than its user's",
    AUT("095"),
    () => ({
      request(r) {
        const me = identityOf(r);
        if (!me || r.method !== "POST" || !/\/runs(\/wait|\/stream)?$/.test(pathOf(r)) || !parseJson(r.body)?.webhook) return r;
        return as(r, FIXTURE_USERS.find((u) => u.identity !== me)!.identity);
      },
    }),
    { catches: ["AUT-095"] },
  ),
];
