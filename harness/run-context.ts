// What the CLI hands to every worker for one run: the target, the selection,
// what the target claims and offers. Provided through vitest's `provide`.

import { inject } from "vitest";
import { isSecretHeader, registerCredential, registerSecret } from "./evidence";
import type { TargetConnection } from "./http";
import type { Level, Profile } from "./model";

export interface Claim {
  claimed: boolean;
  /** Why: what the target declared, or the command-line flag that decided. */
  reason: string;
}

export interface Selection {
  profiles?: Profile[];
  /** Check ids or patterns with `*`. */
  ids?: string[];
  levels?: Level[];
}

/** A user of the auth profile: a name and the headers that authenticate it (secrets). */
export interface Identity {
  /** The identity the server's authenticate handler answers for these credentials (the fixture auth: alice, bob, carol). */
  name: string;
  headers: Record<string, string>;
}

/** The auth profile's users, and where their requests go. */
export interface AuthContext {
  /** The server the auth profile talks to: the target, or a deployment with the fixture auth (--auth-url, the embedded reference's second instance). */
  url: string;
  /** In the order given: the first creates, the second tries to reach what the first created. */
  identities: Identity[];
  /** Where the identities come from (--identity, or the embedded reference's fixture auth). */
  source: string;
}

export interface RunContext {
  mode: "run" | "list";
  target: TargetConnection;
  runId: string;
  seed: number;
  /** Path or URL of the contract used for wire validation. */
  contract: string;
  selection: Selection;
  claims: Partial<Record<Profile, Claim>>;
  /** Graph ids the target offers (from its system assistants); undefined when unknown. */
  graphs?: string[];
  /**
   * Where the suite's own receivers (webhooks) listen and the address the target
   * is given to reach them; undefined when the target cannot reach this machine
   * (a remote URL without --webhook-host).
   */
  webhook?: { listen: string; advertise: string; why: string };
  /** Cases per property for property-based checks. */
  propertyRuns?: number;
  /** The auth profile's identities; undefined when none were given. */
  auth?: AuthContext;
}

declare module "vitest" {
  export interface ProvidedContext {
    lgc: RunContext;
  }
}

const LIST_CONTEXT: RunContext = {
  mode: "list",
  target: { url: "http://invalid.invalid", headers: {}, requestTimeoutMs: 1, streamTimeoutMs: 1 },
  runId: "list",
  seed: 0,
  contract: "",
  selection: {},
  claims: {},
};

let secretsRegistered = false;

/** The run context in a worker; the listing context when no run provided one. */
export function runContext(): RunContext {
  let ctx: RunContext | undefined;
  try {
    ctx = inject("lgc");
  } catch {
    ctx = undefined;
  }
  if (ctx && !secretsRegistered) {
    // Workers are other threads: the CLI's registrations do not reach them, and a
    // server may echo a key in a body. Every worker redacts the run's secrets itself.
    secretsRegistered = true;
    registerSecret(ctx.target.apiKey);
    for (const [name, value] of Object.entries(ctx.target.headers)) if (isSecretHeader(name)) registerSecret(value);
    for (const id of ctx.auth?.identities ?? []) for (const value of Object.values(id.headers)) registerCredential(value);
  }
  return ctx ?? LIST_CONTEXT;
}

/** A check id pattern (`*` for any characters) as a regular expression, as `--id` reads it. */
export function globToRegex(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
}

export function isSelected(meta: { id: string; profile: Profile; level: Level }, sel: Selection): boolean {
  if (sel.profiles && sel.profiles.length > 0 && !sel.profiles.includes(meta.profile)) return false;
  if (sel.levels && sel.levels.length > 0 && !sel.levels.includes(meta.level)) return false;
  if (sel.ids && sel.ids.length > 0 && !sel.ids.some((p) => globToRegex(p).test(meta.id))) return false;
  return true;
}
