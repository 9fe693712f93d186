// What the auth profile's checks stand on: the users (identities) of the run
// as clients of their own, each with a cleanup registry of their own; a
// check's tally of cross-user attempts and of those that leaked; and the
// judgement of an answer given to a user about another user's resource.
//
// The users: the first identity creates ("the owner"), the second tries to
// reach what the first created ("the other"), the third, when given, is the
// fixture auth's user without the permission assistants:write.

import { canonicalData } from "../../harness/sse";
import { afterAll } from "vitest";
import { check, scenario, type CheckContext, type CheckDef } from "../../harness/check";
import { createRegistry, STORE_ROOT, type Created } from "../../harness/cleanup";
import { isSecretHeader } from "../../harness/evidence";
import { fail } from "../../harness/expect";
import { createApi, newRecorder, type Api, type HttpResponse, type StreamResponse, type TargetConnection } from "../../harness/http";
import type { Citation } from "../../harness/model";
import type { Identity, RunContext } from "../../harness/run-context";

export type Answer = HttpResponse | StreamResponse;

export interface User {
  name: string;
  api: Api;
  created: Created;
  /** The check's context with this user's client and registry: the helpers of suites/_support work with it. */
  c: CheckContext;
  /** A store namespace of this user's: [identity, "conformance", run id, ...parts] (the fixture auth wants the identity first). */
  namespace(...parts: string[]): string[];
}

/** The connection of the auth profile: where it runs, as `identity` (none: no credentials at all). */
export function authConnection(run: RunContext, identity?: Identity): TargetConnection {
  const auth = run.auth;
  if (!auth) throw new Error("the auth profile is claimed without identities");
  // The target's other headers are kept; its credentials (secret headers, the API key) are not: a user is who their identity says.
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(run.target.headers)) if (!isSecretHeader(k)) headers[k] = v;
  return {
    url: auth.url,
    headers: { ...headers, ...(identity?.headers ?? {}) },
    requestTimeoutMs: run.target.requestTimeoutMs,
    streamTimeoutMs: run.target.streamTimeoutMs,
    ...(identity ? { identity: identity.name } : {}),
  };
}

/** Credentials of the identities' header names with values no server issued: "bad credentials". */
export function badCredentials(run: RunContext): Identity {
  const headers: Record<string, string> = {};
  for (const id of run.auth?.identities ?? []) {
    for (const [k, v] of Object.entries(id.headers)) {
      const scheme = /^([A-Za-z][A-Za-z0-9-]*)\s+\S/.exec(v)?.[1];
      headers[k] = `${scheme ? `${scheme} ` : ""}lgc-not-a-credential-${run.runId}`;
    }
  }
  return { name: "nobody", headers };
}

/** A user of the check: a client on their connection (recorded with the check), a registry deleting as them. */
export function userOf(c: CheckContext, identity: Identity, registries: Created[]): User {
  const target = authConnection(c.run, identity);
  const api = c.connect(target);
  const created = createRegistry(createApi({ target, recorder: newRecorder("check") }));
  registries.push(created);
  const uc: CheckContext = { ...c, api, created };
  return {
    name: identity.name,
    api,
    created,
    c: uc,
    // Labels of letters, digits and '-' only (a shared world's id is `setup:<name>`).
    namespace: (...parts) => [identity.name, STORE_ROOT, c.run.runId, c.meta.id.toLowerCase().replace(/[^a-z0-9_-]+/g, "-"), ...parts],
  };
}

/** Cross-user attempts of one check, and those that leaked (an attempt leaks once, however many ways). */
export class Tally {
  attempts = 0;
  /** Attempts that leaked: answered, carried out, or found to have changed the owner's resource. */
  leaked = 0;
  readonly leaks: Array<{ what: string; how: string; res?: Answer }> = [];
  /** One attempt; `leak` says how it leaked, undefined when it did not. */
  add(what: string, leak: string | undefined, res?: Answer): void {
    this.attempts++;
    if (leak) {
      this.leaked++;
      this.leaks.push({ what, how: leak, ...(res ? { res } : {}) });
    }
  }
  /**
   * A change of the owner's resource the owner found after the attempts: the
   * doing of an attempt, counted as leaked unless every attempt leaked already.
   */
  changed(what: string, how: string, res?: Answer): void {
    if (this.leaked < this.attempts) this.leaked++;
    this.leaks.push({ what, how, ...(res ? { res } : {}) });
  }
  line(): string {
    return `cross-user: ${this.attempts} attempts, ${this.leaked} leaked`;
  }
  /** Fails with every leak, the first one's exchange in focus. */
  expectNone(claim: string): void {
    if (this.leaks.length === 0) return;
    const first = this.leaks[0]!;
    fail(`${claim}: ${this.leaks.map((l) => `${l.what} ${l.how}`).join("; ")}`, first.res);
  }
}

export interface AuthWorld {
  c: CheckContext;
  owner: User;
  other: User;
  /** The fixture auth's user without assistants:write (a third identity), when given. */
  third?: User;
  /** No credentials at all. */
  anonymous: Api;
  /** The identities' header names with values no server issued. */
  bad: Api;
  tally: Tally;
}

function world(c: CheckContext, registries: Created[]): AuthWorld {
  const ids = c.run.auth?.identities ?? [];
  if (ids.length < 2) c.skip("the auth profile needs two identities");
  return {
    c,
    owner: userOf(c, ids[0]!, registries),
    other: userOf(c, ids[1]!, registries),
    ...(ids[2] ? { third: userOf(c, ids[2], registries) } : {}),
    anonymous: c.connect(authConnection(c.run)),
    bad: c.connect({ ...authConnection(c.run, badCredentials(c.run)), identity: "nobody" }),
    tally: new Tally(),
  };
}

/** The time limit of an auth check that does not say otherwise. */
export const AUTH_CHECK_TIMEOUT_MS = 120_000;

export interface AuthCheckDef extends Omit<CheckDef, "profile" | "spec"> {
  spec: Citation[];
}

/**
 * A check of the auth profile: its users made, its tally noted (passed or
 * not), what its users created deleted (each as its owner) when it ends.
 */
export function authCheck(def: AuthCheckDef, fn: (w: AuthWorld) => Promise<void>): void {
  // Several users, their setups and the other's attempts: more time than a single-request check.
  check({ timeoutMs: AUTH_CHECK_TIMEOUT_MS, ...def, profile: "auth" }, async (c) => {
    const registries: Created[] = [];
    const w = world(c, registries);
    try {
      await fn(w);
    } finally {
      c.note(w.tally.line());
      // The report sums these over the profile: the figure of issue "no reads across users".
      c.tally("cross-user attempts", w.tally.attempts);
      c.tally("cross-user leaks", w.tally.leaked);
      for (const r of registries.reverse()) await r.cleanup().catch(() => []);
    }
  });
}

/**
 * A world several checks of a file share (the owner's resources, made once),
 * with what its users created deleted after the file's checks.
 */
export function sharedWorld<T>(name: string, build: (w: AuthWorld) => Promise<T>, timeoutMs = 90_000): (c: CheckContext) => Promise<T> {
  const registries: Created[] = [];
  afterAll(async () => {
    for (const r of registries.reverse()) await r.cleanup().catch(() => []);
  });
  return scenario(name, (sc) => build(world(sc, registries)), timeoutMs);
}

// ------------------------------------------------------------------ judging an answer to the other user

const isOk = (status: number) => status >= 200 && status < 300;

/**
 * How an answer to a request about another user's resource leaked, or
 * undefined: a 2xx (the request was carried out or answered), a body that
 * carries one of `secrets` (what only the owner knows), a stream that sent an
 * event of the owner's run (anything but `error`).
 */
export function leakOf(res: Answer, secrets: string[]): string | undefined {
  const sse = (res as StreamResponse).sse;
  if (sse) {
    const own = sse.events.filter((e) => e.event !== "error");
    if (own.length > 0) return `streamed ${own.length} event(s) of it (${[...new Set(own.map((e) => e.event))].slice(0, 5).join(", ")})`;
    const carried = secrets.find((s) => sse.events.some((e) => canonicalData(e.data).includes(s)));
    return carried ? `sent an error event that carries '${carried}'` : undefined;
  }
  const carried = secrets.find((s) => s && res.text.includes(s));
  if (isOk(res.status)) return `answered ${res.status}${carried ? `, with '${carried}' in the body` : ""}`;
  return carried ? `answered ${res.status} with '${carried}' (the owner's data) in the body` : undefined;
}

/** The first of `secrets` the answer carries (its body, its events), or undefined. */
export function carried(res: Answer, secrets: string[]): string | undefined {
  const sse = (res as StreamResponse).sse;
  return secrets.find((s) => s && (canonicalData(res.text).includes(s) || (sse?.events ?? []).some((e) => canonicalData(e.data).includes(s))));
}

/** The secrets an answer must not carry: `values`, and the ids the request did not name itself. */
export function unsent(res: Answer, values: string[], ids: string[]): string[] {
  const sent = `${res.record.request.url} ${res.record.request.body ?? ""}`;
  return [...values, ...ids.filter((id) => id && !sent.includes(id))];
}

/** A short name of the request for messages: `GET /threads/{id}` with its path. */
export const what = (res: Answer): string => res.record.operation ?? `${res.record.request.method} ${new URL(res.record.request.url).pathname}`;
