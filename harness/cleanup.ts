// Leave no trace: everything the suite creates is tagged with the run's id, each
// check deletes what it registered when it ends, and a final sweep finds what is
// still tagged (a crashed check, a server that ignored a delete) and deletes it.
// Nothing untagged is ever touched.

import type { Api, HttpResponse } from "./http";
import { describeError } from "./sse";

export const TAG_RUN = "conformance_run";
export const TAG_CHECK = "conformance_check";
/** Store items have no metadata: they live under this namespace root. */
export const STORE_ROOT = "conformance";

export function tagFor(runId: string, checkId?: string): Record<string, string> {
  return { [TAG_RUN]: runId, ...(checkId ? { [TAG_CHECK]: checkId } : {}) };
}

export interface Leftover {
  kind: string;
  id: string;
  reason: string;
}

interface Item {
  kind: string;
  id: string;
  remove: (api: Api) => Promise<HttpResponse>;
}

export interface Created {
  thread(threadId: string): void;
  assistant(assistantId: string): void;
  cron(cronId: string): void;
  storeItem(namespace: string[], key: string): void;
  /** Deletes what was registered, newest first; returns what could not be deleted. */
  cleanup(): Promise<Leftover[]>;
}

const GONE = new Set([200, 202, 204, 404]);

/**
 * Ends what still runs on a thread, bounded in time: each pending or running run
 * is cancelled (action interrupt) until none is left. Deleting a thread under a
 * running run is asking for trouble the suite must not cause (the embedded
 * reference server loses the worker that ran it, and every later run waits).
 * Housekeeping: it never throws, and a server without runs is left alone.
 */
export async function settleRuns(api: Api, threadId: string, timeoutMs = 20_000): Promise<void> {
  const started = performance.now();
  const cancelled = new Set<string>();
  try {
    while (performance.now() - started < timeoutMs) {
      const res = await api.get(`/threads/${encodeURIComponent(threadId)}/runs`, { query: { limit: 100 } });
      if (res.status !== 200 || !Array.isArray(res.json)) return;
      const live = res.json.filter((r: any) => r?.status === "pending" || r?.status === "running");
      if (live.length === 0) return;
      for (const r of live) {
        if (typeof r.run_id !== "string" || cancelled.has(r.run_id)) continue;
        cancelled.add(r.run_id);
        await api.post(`/threads/${encodeURIComponent(threadId)}/runs/${encodeURIComponent(r.run_id)}/cancel`, undefined, { query: { action: "interrupt" } });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch {
    // Housekeeping: what could not be settled is deleted as it is.
  }
}

async function removeThread(api: Api, threadId: string): Promise<HttpResponse> {
  await settleRuns(api, threadId);
  return api.delete(`/threads/${encodeURIComponent(threadId)}`);
}

export function createRegistry(api: Api): Created {
  const items: Item[] = [];
  const add = (item: Item) => {
    if (!items.some((i) => i.kind === item.kind && i.id === item.id)) items.push(item);
  };
  return {
    thread: (id) => add({ kind: "thread", id, remove: (a) => removeThread(a, id) }),
    assistant: (id) => add({ kind: "assistant", id, remove: (a) => a.delete(`/assistants/${encodeURIComponent(id)}`) }),
    cron: (id) => add({ kind: "cron", id, remove: (a) => a.delete(`/runs/crons/${encodeURIComponent(id)}`) }),
    storeItem: (namespace, key) =>
      add({
        kind: "store item",
        id: `${namespace.join(".")}/${key}`,
        remove: (a) => a.request({ method: "DELETE", path: "/store/items", json: { namespace, key } }),
      }),
    async cleanup() {
      const leftovers: Leftover[] = [];
      for (const item of items.splice(0).reverse()) {
        try {
          const res = await item.remove(api);
          if (!GONE.has(res.status)) leftovers.push({ kind: item.kind, id: item.id, reason: `delete answered ${res.status}` });
        } catch (e) {
          leftovers.push({ kind: item.kind, id: item.id, reason: describeError(e) });
        }
      }
      return leftovers;
    },
  };
}

export interface SweepResult {
  deleted: number;
  leftovers: Leftover[];
}

/**
 * Finds everything still tagged with the run's id and deletes it. Each search is
 * bounded; a target that keeps returning the same items is reported, not looped on.
 */
export async function sweep(api: Api, runId: string): Promise<SweepResult> {
  const leftovers: Leftover[] = [];
  let deleted = 0;
  const kinds: Array<{
    kind: string;
    search: () => Promise<HttpResponse>;
    idOf: (x: any) => string | undefined;
    /** Does the item carry the run's tag? A search that ignores its filter lists others' items too. */
    ours: (x: any) => boolean;
    remove: (x: any) => Promise<HttpResponse>;
  }> = [
    {
      kind: "thread",
      search: () => api.post("/threads/search", { metadata: tagFor(runId), limit: 100 }),
      idOf: (x) => x?.thread_id,
      ours: (x) => x?.metadata?.[TAG_RUN] === runId,
      remove: (x) => removeThread(api, x.thread_id),
    },
    {
      kind: "assistant",
      search: () => api.post("/assistants/search", { metadata: tagFor(runId), limit: 100 }),
      idOf: (x) => x?.assistant_id,
      ours: (x) => x?.metadata?.[TAG_RUN] === runId,
      remove: (x) => api.delete(`/assistants/${encodeURIComponent(x.assistant_id)}`),
    },
    {
      kind: "store item",
      search: () => api.post("/store/items/search", { namespace_prefix: [STORE_ROOT, runId], limit: 100 }),
      idOf: (x) => (x && Array.isArray(x.namespace) ? `${x.namespace.join(".")}/${x.key}` : undefined),
      ours: (x) => Array.isArray(x?.namespace) && x.namespace[0] === STORE_ROOT && x.namespace[1] === runId,
      remove: (x) => api.request({ method: "DELETE", path: "/store/items", json: { namespace: x.namespace, key: x.key } }),
    },
  ];
  for (const k of kinds) {
    // An id seen twice was deleted once already: the target kept it.
    const attempted = new Set<string>();
    for (let round = 0; round < 20; round++) {
      let res: HttpResponse;
      try {
        res = await k.search();
      } catch (e) {
        leftovers.push({ kind: k.kind, id: "*", reason: `search failed: ${describeError(e)}` });
        break;
      }
      if (res.status === 404 || res.status === 405 || res.status === 501) break; // the target does not offer it
      const list: any[] = Array.isArray(res.json) ? res.json : Array.isArray(res.json?.items) ? res.json.items : [];
      const todo = [];
      let foreign = 0;
      for (const x of list) {
        const id = k.idOf(x);
        if (id === undefined) continue;
        if (!k.ours(x)) {
          foreign++;
          continue;
        }
        if (!attempted.has(id)) todo.push(x);
        else if (!leftovers.some((l) => l.kind === k.kind && l.id === id)) {
          leftovers.push({ kind: k.kind, id, reason: "still listed after it was deleted" });
        }
      }
      if (foreign > 0 && !leftovers.some((l) => l.kind === k.kind && l.id === "*")) {
        // Never deleted: nothing untagged is touched. Said, because the run's own may hide behind them.
        leftovers.push({
          kind: k.kind,
          id: "*",
          reason: `the search for the run's ${k.kind}s also answered ${foreign} that do not carry the run's tag (it ignores its filter?); those were left alone`,
        });
      }
      if (todo.length === 0) break;
      for (const x of todo) {
        const id = k.idOf(x)!;
        attempted.add(id);
        try {
          const del = await k.remove(x);
          if (GONE.has(del.status)) deleted++;
          else leftovers.push({ kind: k.kind, id, reason: `delete answered ${del.status}` });
        } catch (e) {
          leftovers.push({ kind: k.kind, id, reason: describeError(e) });
        }
      }
    }
  }
  return { deleted, leftovers };
}
