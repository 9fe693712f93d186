// The shapes of the cross-user checks, shared by the family files: a check
// that runs read attempts against the owner's shared world, and a check that
// makes a fresh world of the owner's, lets the other user try to change it,
// and then has the owner look: nothing may have changed.

import type { CheckContext } from "../../harness/check";
import type { Citation, Level } from "../../harness/model";
import { attemptAll, buildOwnerWorld, type OwnerWorld, type ReadFamily } from "./attempts";
import { FILTER, NOT_FOUND_OR_FORBIDDEN } from "./spec";
import { authCheck, sharedWorld, type AuthWorld } from "./support";

/** The owner's world every read check of a file shares. */
export function ownerWorldOf(name: string): (c: CheckContext) => Promise<OwnerWorld> {
  return sharedWorld(name, buildOwnerWorld);
}

export interface ReadCheck {
  id: string;
  level?: Level;
  title: string;
  families: ReadFamily[];
  operations: string[];
  spec: Citation[];
  requires?: string[];
}

/** The other user's read attempts of `families`: none answers anything of the owner's. */
export function readCheck(world: (c: CheckContext) => Promise<OwnerWorld>, def: ReadCheck): void {
  authCheck(
    {
      id: def.id,
      level: def.level ?? "MUST",
      operations: def.operations,
      spec: [...def.spec, FILTER, NOT_FOUND_OR_FORBIDDEN],
      title: def.title,
      requires: def.requires ?? ["graph:echo"],
      timeoutMs: 120_000,
    },
    async (w) => {
      const o = await world(w.c);
      await attemptAll(w, o, def.families);
      w.tally.expectNone(`the other user (${w.other.name}) reached the owner's (${w.owner.name}) resources`);
    },
  );
}

export interface ChangeCheck<S> {
  id: string;
  level?: Level;
  title: string;
  operations: string[];
  spec: Citation[];
  requires?: string[];
  timeoutMs?: number;
  /** The owner's fresh world for this check alone. */
  setup(w: AuthWorld): Promise<S>;
  /** The other user's attempts: each answer judged and tallied (w.tally.add). */
  attempt(w: AuthWorld, s: S): Promise<void>;
  /** The owner looks: what changed is tallied (w.tally.changed). */
  verify(w: AuthWorld, s: S): Promise<void>;
}

/** The other user tries to change the owner's resource: refused, and the owner finds it as it was. */
export function changeCheck<S>(def: ChangeCheck<S>): void {
  authCheck(
    {
      id: def.id,
      level: def.level ?? "MUST",
      operations: def.operations,
      spec: [...def.spec, FILTER, NOT_FOUND_OR_FORBIDDEN],
      title: def.title,
      requires: def.requires ?? ["graph:echo"],
      timeoutMs: def.timeoutMs ?? 120_000,
    },
    async (w) => {
      const s = await def.setup(w);
      await def.attempt(w, s);
      await def.verify(w, s);
      w.tally.expectNone(`the other user (${w.other.name}) changed or reached the owner's (${w.owner.name}) resource`);
    },
  );
}
