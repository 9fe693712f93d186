// Creating the suite's own resources, tagged and registered for deletion, and
// the negative-path helpers every resource suite needs.

import { randomUUID } from "node:crypto";
import type { CheckContext } from "../../harness/check";
import { ensure, expectJsonObject, expectStatus } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";

export const uuid = (): string => randomUUID();

/** A fixture graph every target deploys (fixtures/langgraph.json). */
export const ECHO = "echo";

export async function createAssistant(c: CheckContext, body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  if (typeof body.assistant_id === "string") c.created.assistant(body.assistant_id);
  const res = await c.api.post("/assistants", {
    graph_id: ECHO,
    ...body,
    metadata: { ...c.tag(), ...((body.metadata as object) ?? {}) },
  });
  expectStatus(res, 200, "creating an assistant the check needs");
  const a = expectJsonObject(res);
  if (typeof a.assistant_id === "string") c.created.assistant(a.assistant_id);
  return a;
}

/**
 * The request, which breaks `rule`, was refused as the contract says (a 4xx
 * from `statuses`); the error body is judged by wire validation.
 */
export function expectRefused(res: HttpResponse, statuses: number[], rule: string): void {
  const op = res.record.operation ?? res.record.request.url;
  const want = statuses.join(" or ");
  ensure(res.status < 500, `${op} answered ${res.status}, a server error, to a request that breaks '${rule}'; the contract wants ${want}`, res, {
    status: { wanted: statuses, got: res.status },
  });
  // Each rule a server does not enforce is a cause of its own, whichever operation takes it.
  ensure(res.status < 200 || res.status >= 300, `${op} accepted with ${res.status} a request that breaks '${rule}'; the contract wants ${want}`, res, {
    cause: { signature: `accepts requests that break '${rule}'`, title: `Requests that break '${rule}' are accepted` },
  });
  expectStatus(res, statuses, `the request breaks '${rule}'`);
}

/**
 * The results of a search are in the order sort_by and sort_order ask for. One
 * cause whichever field was asked: a search that does not sort as asked.
 */
export function expectSortedBy(res: HttpResponse, list: Array<Record<string, any>>, sortBy: string, order: "asc" | "desc"): void {
  const key = (x: Record<string, any>) => (sortBy.endsWith("_at") ? Date.parse(x[sortBy]) : String(x[sortBy]));
  const bad = firstOutOfOrder(list, key, order);
  const op = res.record.operation ?? res.record.request.url;
  ensure(bad === -1, `results are not in ${order} order of ${sortBy}: ${JSON.stringify(list[bad - 1]?.[sortBy])} comes before ${JSON.stringify(list[bad]?.[sortBy])}`, res, {
    cause: { signature: `${op} does not sort as sort_by and sort_order ask`, title: `${op} does not return its results in the order sort_by and sort_order ask for` },
  });
}

/** Is `list` ordered by `key` (ties allowed)? Returns the first offending index. */
export function firstOutOfOrder<T>(list: T[], key: (x: T) => string | number, order: "asc" | "desc"): number {
  for (let i = 1; i < list.length; i++) {
    const a = key(list[i - 1]!);
    const b = key(list[i]!);
    if (order === "asc" ? a > b : a < b) return i;
  }
  return -1;
}

/** No thread has this id: a refused request that named it created nothing. */
export async function expectNoThread(c: CheckContext, threadId: string): Promise<void> {
  const res = await c.api.get(`/threads/${threadId}`);
  if (res.status === 200) c.created.thread(threadId);
  expectStatus(res, 404, "a refused request must not have created the thread it named");
}

/** Stores an item under the run's own namespace root, registered for deletion. */
export async function putItem(c: CheckContext, namespace: string[], key: string, value: Record<string, unknown>): Promise<void> {
  c.created.storeItem(namespace, key);
  const res = await c.api.put("/store/items", { namespace, key, value });
  expectStatus(res, 204, "storing an item the check needs");
}

/** GET /store/items for one item (the namespace sent as its labels joined with `.`, as the contract says). */
export function getItem(c: CheckContext, namespace: string[], key: string) {
  return c.api.get("/store/items", { query: { namespace: namespace.join("."), key } });
}
