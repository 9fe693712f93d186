// The auth profile's plumbing: --identity (parsed, merged, never echoed), the
// profile's claim (two identities at least), when the embedded reference
// starts its instance with the fixture auth, the fixture auth itself (what each
// handler answers), and the redaction gate: a server that echoes the users'
// credentials everywhere leaves no token in any report, nor on the console;
// the reports sum the cross-user attempts and leaks every check counts.

import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSISTANTS_WRITE, auth, FIXTURE_USERS, OWNER_KEY } from "../fixtures/auth";
import { AUTH_NEEDS_IDENTITIES, decideClaims, parseIdentities, UsageError } from "../harness/target";
import { selectsAuth } from "../scripts/cli/run";
import { runCli } from "./support/cli";
import { json, listen, type Local } from "./support/servers";
import type { Report } from "../reporters/model";
import { formatSummary } from "../reporters/terminal/summary";

describe("--identity", () => {
  it('parses NAME="Header: value", in order, a name given twice getting both headers', () => {
    const ids = parseIdentities(["alice=Authorization: Bearer a-token", "bob=Authorization: Bearer b-token", "alice=X-Tenant: t1"]);
    expect(ids).toEqual([
      { name: "alice", headers: { authorization: "Bearer a-token", "x-tenant": "t1" } },
      { name: "bob", headers: { authorization: "Bearer b-token" } },
    ]);
  });

  it('refuses what is not NAME="Header: value", without ever showing the value', () => {
    for (const raw of ["Authorization: Bearer hidden-value-1", "al ice=Authorization: Bearer hidden-value-1", "alice=Bearer hidden-value-1", "alice=Authorization:"]) {
      let err: unknown;
      try {
        parseIdentities([raw]);
      } catch (e) {
        err = e;
      }
      expect(err, raw).toBeInstanceOf(UsageError);
      expect((err as Error).message).not.toContain("hidden-value-1");
    }
  });
});

describe("the auth profile's claim", () => {
  it("is claimed with two identities or more, and never without (not even with --claim)", () => {
    expect(decideClaims({}, {}, { auth: { identities: 2, source: "--identity" } }).auth).toEqual({ claimed: true, reason: "2 identities (--identity)" });
    expect(decideClaims({}, {}).auth).toEqual({ claimed: false, reason: AUTH_NEEDS_IDENTITIES });
    expect(decideClaims({}, { claim: ["auth"] }, { auth: { identities: 1, source: "--identity" } }).auth).toMatchObject({ claimed: false, reason: expect.stringMatching(/one was given/) });
    expect(decideClaims({}, { disclaim: ["auth"] }, { auth: { identities: 3, source: "--identity" } }).auth).toEqual({ claimed: false, reason: "not claimed, by --disclaim" });
  });

  it("starts the embedded reference's instance with the fixture auth only when an auth check can run", () => {
    expect(selectsAuth({})).toBe(true);
    expect(selectsAuth({ profiles: ["auth"] })).toBe(true);
    expect(selectsAuth({ ids: ["AUT-02*"] })).toBe(true);
    expect(selectsAuth({ profiles: ["threads"] })).toBe(false);
    expect(selectsAuth({ ids: ["THR-*"] })).toBe(false);
    expect(selectsAuth({}, ["auth"])).toBe(false);
  });
});

describe("the fixture auth (fixtures/auth.ts)", () => {
  const cache = (auth as any)["~handlerCache"];
  const handler = (event: string) => cache.callbacks[event] ?? cache.callbacks[event.split(":")[0]!] ?? cache.callbacks["*"];
  const user = (identity: string) => {
    const u = FIXTURE_USERS.find((x) => x.identity === identity)!;
    return { user: { identity }, permissions: u.permissions };
  };
  const call = (event: string, who: string, value: Record<string, unknown>) => handler(event)({ event, value, ...user(who) });

  it("is served by the same graphs as fixtures/langgraph.json, with auth.path naming this module", async () => {
    const plain = JSON.parse(await readFile(new URL("../fixtures/langgraph.json", import.meta.url), "utf8"));
    const withAuth = JSON.parse(await readFile(new URL("../fixtures/langgraph.auth.json", import.meta.url), "utf8"));
    expect(withAuth.graphs).toEqual(plain.graphs);
    expect(withAuth.auth).toEqual({ path: "./auth.ts:auth", disable_studio_auth: true });
    expect(plain.auth).toBeUndefined();
  });

  it("authenticates each user's bearer token and refuses anything else with 401", async () => {
    for (const u of FIXTURE_USERS) {
      const got = await cache.authenticate(new Request("http://x/threads", { headers: { authorization: `Bearer ${u.token}` } }));
      expect(got).toMatchObject({ identity: u.identity, permissions: u.permissions });
    }
    for (const header of [undefined, "Bearer nope", `Basic ${FIXTURE_USERS[0]!.token}`, "Bearer __proto__", "Bearer constructor"]) {
      const req = new Request("http://x/threads", { headers: header ? { authorization: header } : {} });
      await expect(cache.authenticate(req), String(header)).rejects.toMatchObject({ status: 401 });
    }
  });

  it("stamps the owner over what the request said, and filters reads by it", () => {
    const value: Record<string, any> = { metadata: { [OWNER_KEY]: "bob", x: 1 } };
    expect(call("threads:create", "alice", value)).toEqual({ [OWNER_KEY]: "alice" });
    expect(value.metadata).toEqual({ [OWNER_KEY]: "alice", x: 1 });
    const patch: Record<string, any> = { metadata: { [OWNER_KEY]: "bob" } };
    expect(call("threads:update", "alice", patch)).toEqual({ [OWNER_KEY]: "alice" });
    expect(patch.metadata[OWNER_KEY]).toBe("alice");
    for (const e of ["threads:read", "threads:search", "threads:delete", "assistants:read", "assistants:search", "crons:search"]) expect(call(e, "bob", {}), e).toEqual({ [OWNER_KEY]: "bob" });
  });

  it("denies assistant writes to the user without assistants:write (carol), and anything it does not name", () => {
    expect(FIXTURE_USERS.find((u) => u.identity === "carol")!.permissions).not.toContain(ASSISTANTS_WRITE);
    for (const e of ["assistants:create", "assistants:update", "assistants:delete"]) {
      expect(call(e, "carol", { metadata: {} }), e).toBe(false);
      expect(call(e, "alice", { metadata: {} }), e).toEqual({ [OWNER_KEY]: "alice" });
    }
    expect(call("runs:create", "alice", {})).toBe(false);
  });

  it("confines the store to namespaces that start with the user's identity", () => {
    expect(call("store:put", "alice", { namespace: ["alice", "x"] })).toBe(true);
    for (const ns of [["bob", "alice"], ["alice-x"], [], undefined]) expect(call("store:search", "alice", { namespace: ns }), JSON.stringify(ns)).toBe(false);
  });
});

describe("credentials in the reports", () => {
  const TOKENS = ["lgc-selftest-alice-token-5d1", "lgc-selftest-bob-token-9c2"];
  let echo: Local;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lgc-auth-redaction-"));
    // A hostile server: every answer carries the credentials it was sent, whole and without the scheme.
    echo = await listen((req, res) => {
      const sent = String(req.headers.authorization ?? "");
      const token = sent.replace(/^Bearer /, "");
      if (req.url === "/ok") return json(res, 200, { ok: true });
      if (req.url?.startsWith("/assistants/search")) return json(res, 200, []);
      json(res, 401, { detail: `unknown credentials '${sent}' (token ${token})`, token });
    });
  });
  afterAll(async () => {
    await echo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("never shows a token, whole or without its scheme, in any report or on the console", async () => {
    const r = await runCli(
      [
        "run",
        "--url",
        echo.url,
        "--report-dir",
        dir,
        "--identity",
        `alice=Authorization: Bearer ${TOKENS[0]}`,
        "--identity",
        `bob=Authorization: Bearer ${TOKENS[1]}`,
        "--id",
        "AUT-001",
        "--id",
        "AUT-020",
      ],
      { timeoutMs: 120_000 },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(echo.seen.some((s) => s.headers.authorization === `Bearer ${TOKENS[0]}`)).toBe(true); // sent for real
    const files = await readdir(dir);
    expect(files).toEqual(expect.arrayContaining(["report.json", "report.md", "report.html", "junit.xml"]));
    const all = [r.stdout, r.stderr, ...(await Promise.all(files.map((f) => readFile(join(dir, f), "utf8"))))].join("\n");
    for (const t of TOKENS) expect(all).not.toContain(t);
    // The curl lines name each user's credentials by a variable of their own.
    expect(all).toContain("$AUTHORIZATION_ALICE");
  });

  it("counts every check's cross-user attempts and leaks, passed or not, and sums them in every report", async () => {
    const rep = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as Report;
    const names = ["cross-user attempts", "cross-user leaks"];
    for (const c of rep.checks) expect(Object.keys(c.tallies ?? {}).sort(), c.id).toEqual(names);
    const sum = (name: string) => rep.checks.reduce((n, c) => n + (c.tallies?.[name] ?? 0), 0);
    expect(rep.tallies).toEqual({ [names[0]!]: sum(names[0]!), [names[1]!]: sum(names[1]!) });
    // This server refuses everyone, so the figures are 0 here; docs/implementations shows them against the reference.
    const line = `cross-user attempts ${sum(names[0]!)}, cross-user leaks ${sum(names[1]!)}`;
    expect(await readFile(join(dir, "report.md"), "utf8")).toContain(`| counted by the checks | ${line} |`);
    expect(await readFile(join(dir, "report.html"), "utf8")).toContain(line);
    expect(formatSummary(rep)).toContain(`Counted by the checks: ${line}`);
  });
});
