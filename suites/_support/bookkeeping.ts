// What the bookkeeping checks of every resource (assistants, threads, crons)
// share: a list answered by a search, resources created one after the other,
// and metadata whose values are not strings, with the filters the data sets
// apart (a boolean is not its string, a nested object is compared as a value).

import type { CheckContext } from "../../harness/check";
import { expectJsonArray, expectStatus } from "../../harness/expect";

/** POST `path` with `body`: a 200 answering a JSON array. */
export async function listAnswer(c: CheckContext, path: string, body: Record<string, unknown>) {
  const res = await c.api.post(path, body);
  expectStatus(res, 200);
  return { res, list: expectJsonArray(res) };
}

/**
 * `n` resources made one after the other, each `create(i)` awaited and 3 ms
 * apart, so that creation times of millisecond precision differ.
 */
export async function oneAfterAnother<T>(n: number, create: (i: number) => Promise<T>): Promise<T[]> {
  const made: T[] = [];
  for (let i = 0; i < n; i++) {
    made.push(await create(i));
    if (i < n - 1) await new Promise((r) => setTimeout(r, 3));
  }
  return made;
}

/** The metadata of the first three of twelve, whose values are not strings. */
export const TYPED: ReadonlyArray<Record<string, unknown>> = [
  { flag: true, owner: { team: "a" } },
  { flag: "true", owner: { team: "b" } },
  { flag: false, owner: { team: "b" } },
];

/** The TYPED metadata of the i-th of twelve (none past the third). */
export const typedMetadata = (i: number): Record<string, unknown> => TYPED[i] ?? {};

/** Filters on TYPED metadata, and the indexes of the resources each matches. */
export const TYPED_FILTERS: ReadonlyArray<{ filter: Record<string, unknown>; matches: number[]; what: string }> = [
  { filter: { flag: true }, matches: [0], what: 'flag=true (the boolean; one has the string "true", one false)' },
  { filter: { flag: false }, matches: [2], what: "flag=false" },
  { filter: { flag: "true" }, matches: [1], what: 'flag="true" (the string)' },
  { filter: { owner: { team: "b" } }, matches: [1, 2], what: 'owner={"team":"b"} (a nested object)' },
];
