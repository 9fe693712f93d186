// Mutants of the bookkeeping checks (issue 15, area 5) and of the blind-spot
// classes of issue 19, each class suite-wide: a default page or order other
// than the documents', a limit capped at the default page, an offset past the
// first page ignored, an order reversed where the documents give one, an
// optional field lost on the way back, count not held to search's filters,
// values compared as strings, namespaces matched as strings, a JSON-RPC error
// without the request's id, a step's values before its updates; and the
// bookkeeping of issue 15: versions, deletes that take (or keep) what they
// should not, the server's own assistants, a graph's drawing, copies, supersteps,
// forks, crons that never fire.
//
// Each mutant names, in a comment, the check(s) expected to catch it.

import { randomUUID } from "node:crypto";
import { ROUND_TRIPS, type RoundTrip } from "../../../suites/_support/roundtrip.checks";
import { ASSISTANT, createsRun, editEach, editOk, ignoreFields, json, KEPT, pathOf, route, THREAD, type Match } from "../faults";
import { m, type Mutant } from "../mutant";
import { editEvents, rewriteRequestJson, type Fault, type ProxiedRequest, type ProxiedResponse, type StreamTransform, parseJson } from "../proxy";

const ID = "[0-9a-fA-F-]{36}";
const exact = (path: string) => new RegExp(`^${path.replace(/\{id\}/g, ID)}$`);
const get = (path: string | RegExp): Match => route("GET", typeof path === "string" ? exact(path) : path);
const post = (path: string | RegExp): Match => route("POST", typeof path === "string" ? exact(path) : path);

const ASSISTANT_SEARCH = post("/assistants/search");
const ASSISTANT_COUNT = post("/assistants/count");
const VERSIONS = post("/assistants/{id}/versions");
const LATEST = post("/assistants/{id}/latest");
const GRAPH = get("/assistants/{id}/graph");
const THREAD_SEARCH = post("/threads/search");
const THREAD_COUNT = post("/threads/count");
const HISTORY_GET = get("/threads/{id}/history");
const HISTORY_POST = post("/threads/{id}/history");
const HISTORY: Match = (r) => HISTORY_GET(r) || HISTORY_POST(r);
const STATE_GET = get("/threads/{id}/state");
const STATE_POST = post("/threads/{id}/state");
const COPY = post("/threads/{id}/copy");
const RUN_LIST = get("/threads/{id}/runs");
const RUN_GET = get("/threads/{id}/runs/{id}");
const CANCEL = post("/threads/{id}/runs/{id}/cancel");
const STORE_SEARCH = post("/store/items/search");
const NAMESPACES = post("/store/namespaces");
const CRON_SEARCH = post("/runs/crons/search");
const CRON_CREATE: Match = (r) => r.method === "POST" && (pathOf(r) === "/runs/crons" || exact("/threads/{id}/runs/crons").test(pathOf(r)));
const MCP: Match = (r) => pathOf(r) === "/mcp/" || pathOf(r) === "/mcp";

/** A JSON object request body edited. */
const editBody = (match: Match, edit: (b: Record<string, any>) => Record<string, any>): Fault["request"] =>
  rewriteRequestJson(match, (b) => (b && typeof b === "object" && !Array.isArray(b) ? edit(b) : b));

/** A request's query edited. */
const editQuery =
  (match: Match, edit: (q: URLSearchParams) => void): NonNullable<Fault["request"]> =>
  (r) => {
    if (!match(r)) return r;
    const u = new URL(r.path, "http://proxy.invalid");
    edit(u.searchParams);
    return { ...r, path: `${u.pathname}${u.search}` };
  };

/** Where an operation takes its paging parameters. */
type In = "body" | "query";

/** limit above `cap` sent as `cap`: a server whose pages stop at the default. */
function limitCapped(match: Match, cap: number, where: In): Fault["request"] {
  if (where === "query") return editQuery(match, (q) => void (Number(q.get("limit")) > cap && q.set("limit", String(cap))));
  return editBody(match, (b) => (typeof b.limit === "number" && b.limit > cap ? { ...b, limit: cap } : b));
}

/** No limit sent as limit=`n`: a server whose default page is another. */
function defaultLimit(match: Match, n: number, where: In): Fault["request"] {
  if (where === "query") return editQuery(match, (q) => void (!q.has("limit") && q.set("limit", String(n))));
  return editBody(match, (b) => (b.limit === undefined ? { ...b, limit: n } : b));
}

/** An offset of `page` or more sent as 0: a server that pages only within the first page. */
function offsetPastPageIgnored(match: Match, page: number, where: In): Fault["request"] {
  if (where === "query") return editQuery(match, (q) => void (Number(q.get("offset")) >= page && q.set("offset", "0")));
  return editBody(match, (b) => (typeof b.offset === "number" && b.offset >= page ? { ...b, offset: 0 } : b));
}

/**
 * Without sort_by, each request answered in an order of its own (the whole
 * list shuffled, then the page cut from it): a server whose unsorted order is
 * not stable from one request to the next, so that its pages overlap.
 */
function unstableWithoutSort(match: Match): Omit<Fault, "name"> {
  const PAGE = "x-lgc-fault-page";
  return {
    request(r) {
      if (!match(r)) return r;
      const b = parseJson(r.body);
      if (!b || typeof b !== "object" || b.sort_by !== undefined) return r;
      const page = { limit: b.limit ?? 10, offset: b.offset ?? 0 };
      return { ...r, body: JSON.stringify({ ...b, limit: 1000, offset: 0 }), headers: { ...r.headers, [PAGE]: JSON.stringify(page) } };
    },
    response: editOk(
      (q) => match(q) && q.headers[PAGE] !== undefined,
      (b, q) => {
        if (!Array.isArray(b)) return b;
        const { limit, offset } = JSON.parse(q.headers[PAGE]!);
        const list = [...b];
        for (let i = list.length - 1; i > 0; i--) {
          const j = Math.floor(Math.random() * (i + 1));
          [list[i], list[j]] = [list[j], list[i]];
        }
        return list.slice(offset, offset + limit);
      },
    ),
  };
}

/** Values of the object at `key` that are not strings sent as strings: a store that compares text. */
const stringified = (match: Match, key: string): Fault["request"] =>
  editBody(match, (b) => {
    const o = b[key];
    if (!o || typeof o !== "object" || Array.isArray(o)) return b;
    return { ...b, [key]: Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "string" ? v : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)])) };
  });

/** A list answer reversed when `when` holds for the request. */
const reversedWhen = (match: Match, when: (q: ProxiedRequest) => boolean) =>
  editOk(
    (r) => match(r) && when(r),
    (b) => (Array.isArray(b) ? [...b].reverse() : b),
  );

/** The thread id of a path under /threads/{thread_id}. */
const threadOf = (r: ProxiedRequest): string | undefined => new RegExp(`^/threads/(${ID})`).exec(pathOf(r))?.[1];
const assistantOf = (r: ProxiedRequest): string | undefined => new RegExp(`^/assistants/(${ID})`).exec(pathOf(r))?.[1];

// ------------------------------------------------------------------ bigger faults

/** Versions paged from the oldest: the page is cut from the oldest end, then listed newest first. */
function versionsPagedFromOldest(): Omit<Fault, "name"> {
  const PAGE = "x-lgc-fault-page";
  return {
    request(r) {
      if (!VERSIONS(r)) return r;
      const b = parseJson(r.body) ?? {};
      const page = { limit: b.limit ?? 10, offset: b.offset ?? 0 };
      const { limit: _l, offset: _o, ...rest } = b;
      return { ...r, body: JSON.stringify({ ...rest, limit: 1000 }), headers: { ...r.headers, [PAGE]: JSON.stringify(page) } };
    },
    response: editOk(
      (q) => VERSIONS(q) && q.headers[PAGE] !== undefined,
      (b, q) => {
        if (!Array.isArray(b)) return b;
        const { limit, offset } = JSON.parse(q.headers[PAGE]!);
        return [...b]
          .reverse()
          .slice(offset, offset + limit)
          .reverse();
      },
    ),
  };
}

/** A PATCH after set-latest numbers its version from the current one, not from the highest. */
function patchNumbersFromCurrent(): Omit<Fault, "name"> {
  const current = new Map<string, number>();
  return {
    observe(q, s) {
      const a = assistantOf(q);
      if (a && LATEST(q) && s.status === 200) {
        const v = parseJson(s.body)?.version;
        if (typeof v === "number") current.set(a, v);
      }
    },
    response: editOk(
      (q) => q.method === "PATCH" && ASSISTANT.test(pathOf(q)),
      (b, q) => {
        const v = current.get(assistantOf(q) ?? "");
        if (v === undefined || !b || typeof b !== "object") return b;
        current.delete(assistantOf(q)!);
        return { ...b, version: v + 1 };
      },
    ),
  };
}

/** The versions of a deleted assistant answered as an empty list. */
function deletedVersionsEmpty(): Omit<Fault, "name"> {
  const deleted = new Set<string>();
  return {
    observe(q, s) {
      if (q.method === "DELETE" && ASSISTANT.test(pathOf(q)) && s.status === 200) deleted.add(assistantOf(q)!);
    },
    response: (q, s) => (VERSIONS(q) && s.status === 404 && deleted.has(assistantOf(q) ?? "") ? json(200, []) : s),
  };
}

/** The runs of a deleted assistant stay readable (their last answer, served again). */
function deleteKeepsRuns(): Omit<Fault, "name"> {
  const runs = new Map<string, { assistant: string; body: string }>();
  const deleted = new Set<string>();
  return {
    observe(q, s) {
      if (s.status !== 200) return;
      if (q.method === "DELETE" && ASSISTANT.test(pathOf(q))) deleted.add(assistantOf(q)!);
      if (RUN_GET(q) || (q.method === "POST" && exact("/threads/{id}/runs").test(pathOf(q)))) {
        const run = parseJson(s.body);
        if (typeof run?.run_id === "string" && typeof run.assistant_id === "string") runs.set(run.run_id, { assistant: run.assistant_id, body: s.body });
      }
    },
    response(q, s) {
      if (!RUN_GET(q) || s.status !== 404) return s;
      const run = runs.get(pathOf(q).split("/")[4]!);
      return run && deleted.has(run.assistant) ? { status: 200, headers: { "content-type": "application/json" }, body: run.body } : s;
    },
  };
}

/** A thread with a run created in the last seconds (still going) cannot be deleted: 409, and it stays. */
function busyThreadUndeletable(): Omit<Fault, "name"> {
  const started = new Map<string, number>();
  return {
    observe(q, s) {
      const t = threadOf(q);
      if (t && s.status === 200 && q.method === "POST" && exact("/threads/{id}/runs").test(pathOf(q))) started.set(t, Date.now());
    },
    request: (r) => {
      const t = r.method === "DELETE" && THREAD.test(pathOf(r)) ? threadOf(r) : undefined;
      return t && Date.now() - (started.get(t) ?? 0) < 10_000 ? { ...r, method: "GET", headers: { ...r.headers, [KEPT]: "1" } } : r;
    },
    response: (q, s) => (q.headers[KEPT] && THREAD.test(pathOf(q)) ? json(409, { detail: "Thread is busy: cancel its runs first" }) : s),
  };
}

/** A copy's history and state answered with checkpoint ids of its own (one new id for each of the original's). */
function copyRenumbersCheckpoints(): Omit<Fault, "name"> {
  const copies = new Set<string>();
  const ids = new Map<string, string>();
  const renamed = (id: unknown) => {
    if (typeof id !== "string") return id;
    if (!ids.has(id)) ids.set(id, randomUUID());
    return ids.get(id);
  };
  const renumber = (st: any) => {
    if (!st || typeof st !== "object") return st;
    const out = { ...st };
    if (st.checkpoint?.checkpoint_id) out.checkpoint = { ...st.checkpoint, checkpoint_id: renamed(st.checkpoint.checkpoint_id) };
    if (st.parent_checkpoint?.checkpoint_id) out.parent_checkpoint = { ...st.parent_checkpoint, checkpoint_id: renamed(st.parent_checkpoint.checkpoint_id) };
    return out;
  };
  return {
    observe(q, s) {
      if (COPY(q) && s.status === 200) {
        const id = parseJson(s.body)?.thread_id;
        if (typeof id === "string") copies.add(id);
      }
    },
    response: editEach((q) => (HISTORY(q) || STATE_GET(q)) && copies.has(threadOf(q) ?? ""), renumber),
  };
}

/** A run on a copied thread starts from an empty state: once a run has been made on a copy, its state lacks the copied values. */
function copyRunsFromScratch(): Omit<Fault, "name"> {
  const copies = new Set<string>();
  const ran = new Set<string>();
  return {
    observe(q, s) {
      if (COPY(q) && s.status === 200) {
        const id = parseJson(s.body)?.thread_id;
        if (typeof id === "string") copies.add(id);
      }
      const t = threadOf(q);
      if (t && copies.has(t) && createsRun(q)) ran.add(t);
    },
    response: editOk(
      (q) => STATE_GET(q) && ran.has(threadOf(q) ?? ""),
      (b) => (b?.values && Array.isArray(b.values.trail) ? { ...b, values: { ...b.values, trail: b.values.trail.slice(-2) } } : b),
    ),
  };
}

/** After a run from an earlier checkpoint, the history lists the newest branch only: the states the fork left behind are gone. */
function forkTruncatesHistory(): Omit<Fault, "name"> {
  const forked = new Set<string>();
  return {
    request(r) {
      const t = threadOf(r);
      if (t && createsRun(r)) {
        const b = parseJson(r.body);
        if (b?.checkpoint?.checkpoint_id || b?.checkpoint_id) forked.add(t);
      }
      return r;
    },
    response: editOk(
      (q) => HISTORY(q) && forked.has(threadOf(q) ?? ""),
      (list) => {
        if (!Array.isArray(list) || list.length === 0) return list;
        const byId = new Map(list.map((s: any) => [s?.checkpoint?.checkpoint_id, s]));
        const chain: any[] = [];
        for (let s: any = list[0]; s && chain.length <= list.length; s = byId.get(s?.parent_checkpoint?.checkpoint_id)) chain.push(s);
        return chain;
      },
    ),
  };
}

/** A stateless run stays readable after its thread was deleted (its last answer, served again, ended). */
function statelessRunLingers(): Omit<Fault, "name"> {
  const runs = new Map<string, string>();
  return {
    observe(q, s) {
      if (q.method === "POST" && pathOf(q) === "/runs" && s.status === 200) {
        const run = parseJson(s.body);
        if (typeof run?.run_id === "string") runs.set(run.run_id, JSON.stringify({ ...run, status: "success" }));
      }
    },
    response(q, s) {
      if (!RUN_GET(q) || s.status !== 404) return s;
      const body = runs.get(pathOf(q).split("/")[4]!);
      return body ? { status: 200, headers: { "content-type": "application/json" }, body } : s;
    },
  };
}

/** Store namespaces matched as strings: the prefix's last label matches any label it starts (or, for suffixes, ends). */
function namespacesAsStrings(match: Match, field: "namespace_prefix" | "prefix" | "suffix"): Omit<Fault, "name"> {
  const WANT = "x-lgc-fault-string-match";
  return {
    request(r) {
      if (!match(r)) return r;
      const b = parseJson(r.body);
      const labels = b?.[field];
      if (!Array.isArray(labels) || labels.length === 0) return r;
      const rest = field === "suffix" ? (({ suffix: _s, ...x }) => x)(b) : { ...b, [field]: labels.slice(0, -1), limit: 1000 };
      return { ...r, body: JSON.stringify(rest), headers: { ...r.headers, [WANT]: JSON.stringify({ text: labels.join("."), limit: b.limit ?? (field === "namespace_prefix" ? 10 : 100) }) } };
    },
    response: editOk(
      (q) => match(q) && q.headers[WANT] !== undefined,
      (b, q) => {
        const { text, limit } = JSON.parse(q.headers[WANT]!);
        const joined = (ns: unknown) => (Array.isArray(ns) ? ns.join(".") : "");
        const keep = (ns: unknown) => (field === "suffix" ? joined(ns).endsWith(text) : joined(ns).startsWith(text));
        if (field === "namespace_prefix") return Array.isArray(b?.items) ? { ...b, items: b.items.filter((it: any) => keep(it?.namespace)).slice(0, limit) } : b;
        const list = Array.isArray(b) ? b : b?.namespaces;
        if (!Array.isArray(list)) return b;
        const kept = list.filter(keep).slice(0, limit);
        return Array.isArray(b) ? kept : { ...b, namespaces: kept };
      },
    ),
  };
}

/** Store search answers the value an item had when first stored: a search index never refreshed. */
function staleSearchValues(): Omit<Fault, "name"> {
  const first = new Map<string, unknown>();
  const key = (ns: unknown, k: unknown) => JSON.stringify([ns, k]);
  return {
    request(r) {
      if (r.method === "PUT" && pathOf(r) === "/store/items") {
        const b = parseJson(r.body);
        if (b && !first.has(key(b.namespace, b.key))) first.set(key(b.namespace, b.key), b.value);
      }
      return r;
    },
    response: editOk(STORE_SEARCH, (b) =>
      Array.isArray(b?.items) ? { ...b, items: b.items.map((it: any) => (first.has(key(it?.namespace, it?.key)) ? { ...it, value: first.get(key(it.namespace, it.key)) } : it)) } : b,
    ),
  };
}

/** POST /store/namespaces lists the prefix asked for as a namespace too, whether or not it holds items. */
const namespacesListPrefix = (): Omit<Fault, "name"> => ({
  response: editOk(NAMESPACES, (b, q) => {
    const prefix = parseJson(q.body)?.prefix;
    const list = Array.isArray(b) ? b : b?.namespaces;
    if (!Array.isArray(prefix) || !Array.isArray(list) || list.some((ns: unknown) => JSON.stringify(ns) === JSON.stringify(prefix))) return b;
    const more = [prefix, ...list];
    return Array.isArray(b) ? more : { ...b, namespaces: more };
  }),
});

/** Each step's updates event sent after the values event that follows it, in streams that carry both modes. */
function valuesBeforeUpdates(): StreamTransform {
  const isUpdates = (ev: string) => /^event: updates$/m.test(ev);
  const isValues = (ev: string) => /^event: values$/m.test(ev);
  return (req, head, body, signal) => {
    const modes = [parseJson(req.body)?.stream_mode].flat();
    if (!modes.includes("updates") || !modes.includes("values")) return body;
    // An updates event waits for the next event: a values event goes out before it.
    let held: string | undefined;
    /** The held updates event, if any, let go. */
    const release = (): string[] => {
      const h = held;
      held = undefined;
      return h === undefined ? [] : [h];
    };
    const swap = editEvents(
      (ev) => {
        if (isValues(ev)) return [ev, ...release()];
        const before = release();
        if (isUpdates(ev)) held = ev;
        else before.push(ev);
        return before;
      },
      release,
      (rest) => [...release(), rest],
    );
    return swap(req, head, body, signal);
  };
}

/** The search answers of `field` on assistants lose the field (one reader per row, in turn). */
function roundTripMutant(row: RoundTrip, i: number): Mutant {
  const drop = (o: any) => {
    if (!o || typeof o !== "object") return o;
    if (row.at.length === 1) {
      const { [row.at[0]!]: _gone, ...rest } = o;
      return rest;
    }
    const [outer, inner] = row.at as [string, string];
    if (!o[outer] || typeof o[outer] !== "object") return o;
    const { [inner]: _gone, ...rest } = o[outer];
    return { ...o, [outer]: rest };
  };
  if (row.schema === "AssistantPatch") {
    return m(`roundtrip-${row.id.toLowerCase()}-patch-${row.field}-ignored`, "request", `PATCH /assistants/{assistant_id} answers 200 but does not store ${row.field}`, [row.id], () => ({
      // expected catcher: the row's check
      request: ignoreFields((r) => r.method === "PATCH" && ASSISTANT.test(pathOf(r)), row.field),
    }));
  }
  if (row.schema === "ThreadCronCreate" || row.schema === "CronCreate") {
    return m(`roundtrip-${row.id.toLowerCase()}-cron-${row.field}-ignored`, "request", `Cron creation accepts ${row.field} but does not keep it`, [row.id], () => ({
      // expected catcher: the row's check
      request: ignoreFields(CRON_CREATE, row.field),
    }));
  }
  const readers: Record<string, Match> = {
    get: row.schema === "ThreadCreate" ? get(THREAD) : get(ASSISTANT),
    search: row.schema === "ThreadCreate" ? THREAD_SEARCH : ASSISTANT_SEARCH,
    versions: VERSIONS,
  };
  const reader = row.readers[i % row.readers.length]!;
  return m(
    `roundtrip-${row.id.toLowerCase()}-${row.field}-lost-by-${reader}`,
    "response",
    `${reader} answers ${row.schema === "ThreadCreate" ? "threads" : "assistants"} without their ${row.field}`,
    [row.id],
    () => ({
      // expected catcher: the row's check
      response: editEach(readers[reader]!, drop),
    }),
  );
}

// Each mutant here runs only the check written to catch it (the comment above it names it), so that check is its expected catcher.
const BUGS: Mutant[] = [
  // ================================================================ assistants
  // expected catcher: AST-147
  m("assistant-search-limit-capped-at-10", "request", "POST /assistants/search answers at most 10, whatever limit asks", ["AST-147"], () => ({ request: limitCapped(ASSISTANT_SEARCH, 10, "body") })),
  // expected catcher: AST-148
  m("assistant-search-offset-past-page-ignored", "request", "POST /assistants/search ignores an offset of 10 or more (answers the first page)", ["AST-148"], () => ({
    request: offsetPastPageIgnored(ASSISTANT_SEARCH, 10, "body"),
  })),
  // expected catcher: AST-149
  m("assistant-search-default-oldest-first", "response", "POST /assistants/search without sort_by lists the oldest first", ["AST-149"], () => ({
    response: reversedWhen(ASSISTANT_SEARCH, (q) => parseJson(q.body)?.sort_by === undefined),
  })),
  // expected catcher: AST-150
  m("assistant-search-unstable-without-sort", "response", "POST /assistants/search without sort_by orders each request differently, so its pages overlap", ["AST-150"], () =>
    unstableWithoutSort(ASSISTANT_SEARCH),
  ),
  // expected catcher: AST-151
  m("assistant-search-metadata-as-text", "request", 'POST /assistants/search compares metadata values as text (true matches "true")', ["AST-151"], () => ({
    request: stringified(ASSISTANT_SEARCH, "metadata"),
  })),
  // expected catcher: AST-152
  m("assistant-count-metadata-as-text", "request", "POST /assistants/count compares metadata values as text, unlike search", ["AST-152"], () => ({
    request: stringified(ASSISTANT_COUNT, "metadata"),
  })),
  // expected catcher: AST-153
  m("assistant-count-name-ignored", "request", "POST /assistants/count ignores name, which search honours", ["AST-153"], () => ({ request: ignoreFields(ASSISTANT_COUNT, "name") })),
  // expected catcher: AST-062 (strengthened: a substring in the middle of the name)
  m("assistant-search-name-prefix-only", "response", "POST /assistants/search matches name only at the start of the assistant's name", ["AST-062"], () => ({
    response: editOk(
      (q) => ASSISTANT_SEARCH(q) && typeof parseJson(q.body)?.name === "string",
      (b, q) => {
        const name = String(parseJson(q.body).name).toLowerCase();
        return Array.isArray(b)
          ? b.filter((a: any) =>
              String(a?.name ?? "")
                .toLowerCase()
                .startsWith(name),
            )
          : b;
      },
    ),
  })),
  // expected catcher: AST-154
  m("assistant-versions-oldest-first", "response", "POST /assistants/{assistant_id}/versions lists the oldest version first", ["AST-154"], () => ({ response: reversedWhen(VERSIONS, () => true) })),
  // expected catcher: AST-155
  m("assistant-versions-paged-from-oldest", "request", "POST /assistants/{assistant_id}/versions cuts its pages from the oldest version", ["AST-155"], versionsPagedFromOldest),
  // expected catcher: AST-156
  m("assistant-versions-default-limit-5", "request", "POST /assistants/{assistant_id}/versions without limit lists 5 versions", ["AST-156"], () => ({ request: defaultLimit(VERSIONS, 5, "body") })),
  // expected catcher: AST-157
  m("assistant-versions-limit-capped-at-10", "request", "POST /assistants/{assistant_id}/versions lists at most 10, whatever limit asks", ["AST-157"], () => ({
    request: limitCapped(VERSIONS, 10, "body"),
  })),
  // expected catcher: AST-158
  m("assistant-versions-offset-past-page-ignored", "request", "POST /assistants/{assistant_id}/versions ignores an offset of 10 or more", ["AST-158"], () => ({
    request: offsetPastPageIgnored(VERSIONS, 10, "body"),
  })),
  // expected catcher: AST-159
  m("assistant-versions-metadata-ignored", "request", "POST /assistants/{assistant_id}/versions ignores its metadata filter", ["AST-159"], () => ({ request: ignoreFields(VERSIONS, "metadata") })),
  // expected catcher: AST-160
  m(
    "assistant-patch-after-latest-numbers-from-current",
    "response",
    "A PATCH after set-latest numbers the new version from the current one (2 after 1), not from the highest",
    ["AST-160"],
    patchNumbersFromCurrent,
  ),
  // expected catcher: AST-161
  m("assistant-deleted-versions-empty", "response", "The versions of a deleted assistant answer 200 [] instead of 404", ["AST-161"], deletedVersionsEmpty),
  // expected catcher: AST-162
  m("assistant-delete-keeps-runs", "response", "Deleting an assistant leaves its runs readable", ["AST-162"], deleteKeepsRuns),
  // expected catcher: AST-163
  m("assistant-delete-threads-by-default", "request", "DELETE /assistants/{assistant_id} deletes the assistant's threads also without delete_threads", ["AST-163"], () => ({
    request: editQuery(
      (r) => r.method === "DELETE" && ASSISTANT.test(pathOf(r)),
      (q) => void (!q.has("delete_threads") && q.set("delete_threads", "true")),
    ),
  })),
  // expected catcher: AST-164
  m("assistant-delete_threads-ignored", "request", "DELETE /assistants/{assistant_id} ignores delete_threads=true", ["AST-164"], () => ({
    request: editQuery(
      (r) => r.method === "DELETE" && ASSISTANT.test(pathOf(r)),
      (q) => q.delete("delete_threads"),
    ),
  })),
  // expected catcher: AST-165
  m("assistant-search-hides-system", "response", "POST /assistants/search does not list the assistants the server made for its graphs", ["AST-165"], () => ({
    response: editOk(ASSISTANT_SEARCH, (b) => (Array.isArray(b) ? b.filter((a: any) => a?.metadata?.created_by !== "system") : b)),
  })),
  // expected catcher: AST-166
  m("graph-xray-by-default", "request", "GET /assistants/{assistant_id}/graph draws subgraphs when xray is not given", ["AST-166"], () => ({
    request: editQuery(GRAPH, (q) => void (!q.has("xray") && q.set("xray", "true"))),
  })),
  // expected catcher: AST-167
  m("graph-start-end-undrawn", "response", "GET /assistants/{assistant_id}/graph leaves out the __start__ and __end__ nodes and their edges", ["AST-167"], () => ({
    response: editOk(GRAPH, (g) => {
      const special = (id: unknown) => id === "__start__" || id === "__end__";
      return g && typeof g === "object"
        ? { ...g, nodes: (g.nodes ?? []).filter((n: any) => !special(n?.id)), edges: (g.edges ?? []).filter((e: any) => !special(e?.source) && !special(e?.target)) }
        : g;
    }),
  })),
  // expected catcher: AST-168
  m("graph-conditional-unflagged", "response", "GET /assistants/{assistant_id}/graph marks no edge conditional", ["AST-168"], () => ({
    response: editOk(GRAPH, (g) => (g && Array.isArray(g.edges) ? { ...g, edges: g.edges.map((e: any) => ({ ...e, conditional: false })) } : g)),
  })),
  // expected catcher: AST-178
  m("assistant-description-defaults-empty", "response", 'An assistant created without a description has the description ""', ["AST-178"], () => ({
    response: editEach(
      (q) => get(ASSISTANT)(q) || (q.method === "POST" && pathOf(q) === "/assistants"),
      (a) => ("description" in a && a.description === null ? { ...a, description: "" } : a),
    ),
  })),

  // ================================================================ threads
  // expected catcher: THR-247
  m("thread-search-limit-capped-at-10", "request", "POST /threads/search answers at most 10, whatever limit asks", ["THR-247"], () => ({ request: limitCapped(THREAD_SEARCH, 10, "body") })),
  // expected catcher: THR-248
  m("thread-search-offset-past-page-ignored", "request", "POST /threads/search ignores an offset of 10 or more", ["THR-248"], () => ({ request: offsetPastPageIgnored(THREAD_SEARCH, 10, "body") })),
  // expected catcher: THR-249
  m("thread-search-default-oldest-first", "response", "POST /threads/search without sort_by lists the oldest first", ["THR-249"], () => ({
    response: reversedWhen(THREAD_SEARCH, (q) => parseJson(q.body)?.sort_by === undefined),
  })),
  // expected catcher: THR-250
  m("thread-search-unstable-without-sort", "response", "POST /threads/search without sort_by orders each request differently, so its pages overlap", ["THR-250"], () =>
    unstableWithoutSort(THREAD_SEARCH),
  ),
  // expected catcher: THR-251
  m("thread-search-metadata-as-text", "request", 'POST /threads/search compares metadata values as text (true matches "true")', ["THR-251"], () => ({
    request: stringified(THREAD_SEARCH, "metadata"),
  })),
  // expected catcher: THR-252
  m("thread-count-metadata-as-text", "request", "POST /threads/count compares metadata values as text, unlike search", ["THR-252"], () => ({ request: stringified(THREAD_COUNT, "metadata") })),
  // expected catcher: THR-253
  m("thread-supersteps-ignored", "request", "POST /threads ignores supersteps", ["THR-253"], () => ({ request: ignoreFields(route("POST", "/threads"), "supersteps") })),
  // expected catcher: THR-254
  m("thread-update-without-graph-accepted", "response", "POST /threads/{thread_id}/state on a thread no graph has run on answers 200 (and keeps nothing)", ["THR-254"], () => ({
    response: (q, s) => (STATE_POST(q) && s.status >= 400 && s.status < 500 ? json(200, { checkpoint: { thread_id: threadOf(q), checkpoint_ns: "", checkpoint_id: randomUUID() } }) : s),
  })),
  // expected catcher: THR-255
  m("thread-copy-renumbers-checkpoints", "response", "The copy of a thread gets checkpoint ids of its own", ["THR-255"], copyRenumbersCheckpoints),
  // expected catcher: THR-256
  m("thread-copy-runs-from-scratch", "response", "A run on a copied thread starts from an empty state, not from the copied one", ["THR-256"], copyRunsFromScratch),
  // expected catcher: THR-257
  m("thread-delete-busy-refused", "request", "DELETE /threads/{thread_id} answers 409 while the thread has a run going, and keeps it", ["THR-257"], busyThreadUndeletable),
  // expected catcher: THR-258
  m("thread-fork-truncates-history", "response", "After a run from an earlier checkpoint, the history lists only the newest branch", ["THR-258"], forkTruncatesHistory),
  // expected catcher: THR-259
  m("thread-history-filtered-oldest-first", "response", "POST /threads/{thread_id}/history with a metadata filter lists the states oldest first", ["THR-259"], () => ({
    response: reversedWhen(HISTORY_POST, (q) => parseJson(q.body)?.metadata !== undefined),
  })),
  // expected catcher: THR-260
  m("thread-history-get-limit-capped-at-10", "request", "GET /threads/{thread_id}/history answers at most 10 states, whatever limit asks", ["THR-260"], () => ({
    request: limitCapped(HISTORY_GET, 10, "query"),
  })),
  // expected catcher: THR-261
  m("thread-history-post-limit-capped-at-10", "request", "POST /threads/{thread_id}/history answers at most 10 states, whatever limit asks", ["THR-261"], () => ({
    request: limitCapped(HISTORY_POST, 10, "body"),
  })),

  // ================================================================ runs
  // expected catcher: RUN-155
  m("run-list-limit-capped-at-10", "request", "GET /threads/{thread_id}/runs answers at most 10 runs, whatever limit asks", ["RUN-155"], () => ({ request: limitCapped(RUN_LIST, 10, "query") })),
  // expected catcher: RUN-156
  m("run-list-offset-past-page-ignored", "request", "GET /threads/{thread_id}/runs ignores an offset of 10 or more", ["RUN-156"], () => ({ request: offsetPastPageIgnored(RUN_LIST, 10, "query") })),
  // expected catcher: RUN-157
  m("run-cancel-default-rollback", "request", "POST /threads/{thread_id}/runs/{run_id}/cancel without action rolls the run back (deletes it)", ["RUN-157"], () => ({
    request: editQuery(CANCEL, (q) => void (!q.has("action") && q.set("action", "rollback"))),
  })),
  // expected catcher: SRN-124
  m("stateless-run-outlives-its-thread", "response", "A stateless run stays readable after its thread was deleted", ["SRN-124"], statelessRunLingers),

  // ================================================================ store
  // expected catcher: STO-121
  m("store-search-prefix-as-string", "request", 'POST /store/items/search matches namespace_prefix as a string (label "a" matches "ab")', ["STO-121"], () =>
    namespacesAsStrings(STORE_SEARCH, "namespace_prefix"),
  ),
  // expected catcher: STO-122
  m("namespaces-prefix-as-string", "request", 'POST /store/namespaces matches prefix as a string (label "a" matches "ab")', ["STO-122"], () => namespacesAsStrings(NAMESPACES, "prefix")),
  // expected catcher: STO-123
  m("namespaces-suffix-as-string", "request", 'POST /store/namespaces matches suffix as a string (label "b" matches "ab")', ["STO-123"], () => namespacesAsStrings(NAMESPACES, "suffix")),
  // expected catcher: STO-124
  m("store-search-filter-as-text", "request", 'POST /store/items/search compares filter values as text (true matches "true")', ["STO-124"], () => ({ request: stringified(STORE_SEARCH, "filter") })),
  // expected catcher: STO-125
  m("store-search-stale-value", "response", "POST /store/items/search answers the value an item had when first stored", ["STO-125"], staleSearchValues),
  // expected catcher: STO-126
  m("namespaces-lists-the-prefix", "response", "POST /store/namespaces lists the prefix itself, which holds no item", ["STO-126"], namespacesListPrefix),
  // expected catcher: STO-127
  m("store-search-limit-capped-at-10", "request", "POST /store/items/search answers at most 10 items, whatever limit asks", ["STO-127"], () => ({ request: limitCapped(STORE_SEARCH, 10, "body") })),
  // expected catcher: STO-128
  m("store-search-offset-past-page-ignored", "request", "POST /store/items/search ignores an offset of 10 or more", ["STO-128"], () => ({ request: offsetPastPageIgnored(STORE_SEARCH, 10, "body") })),
  // expected catcher: STO-129
  m("namespaces-default-limit-10", "request", "POST /store/namespaces without limit lists 10 namespaces", ["STO-129"], () => ({ request: defaultLimit(NAMESPACES, 10, "body") })),
  // expected catcher: STO-130
  m("namespaces-limit-capped-at-100", "request", "POST /store/namespaces lists at most 100, whatever limit asks", ["STO-130"], () => ({ request: limitCapped(NAMESPACES, 100, "body") })),
  // expected catcher: STO-131
  m("namespaces-offset-past-page-ignored", "request", "POST /store/namespaces ignores an offset of 100 or more", ["STO-131"], () => ({ request: offsetPastPageIgnored(NAMESPACES, 100, "body") })),

  // ================================================================ crons (emulated)
  // expected catcher: CRN-115
  m("crons-search-default-limit-5", "request", "POST /runs/crons/search without limit answers 5 crons", ["CRN-115"], () => ({ request: defaultLimit(CRON_SEARCH, 5, "body") })),
  // expected catcher: CRN-116
  m("crons-search-limit-capped-at-10", "request", "POST /runs/crons/search answers at most 10, whatever limit asks", ["CRN-116"], () => ({ request: limitCapped(CRON_SEARCH, 10, "body") })),
  // expected catcher: CRN-117
  m("crons-search-offset-past-page-ignored", "request", "POST /runs/crons/search ignores an offset of 10 or more", ["CRN-117"], () => ({ request: offsetPastPageIgnored(CRON_SEARCH, 10, "body") })),
  // expected catcher: CRN-118
  m("crons-search-default-oldest-first", "request", "POST /runs/crons/search without sort_order lists the oldest first", ["CRN-118"], () => ({
    request: editBody(CRON_SEARCH, (b) => (b.sort_order === undefined ? { ...b, sort_order: "asc" } : b)),
  })),
  // expected catcher: CRN-121
  m("crons-never-fire", "request", "Crons are stored but never fire", ["CRN-121"], () => ({}), { crons: { neverFire: true } }),
  // expected catcher: CRN-121
  m("crons-fire-without-input", "request", "A cron fires its runs without the payload's input", ["CRN-121"], () => ({}), { crons: { fireWithoutInput: true } }),
  // expected catcher: CRN-122
  m("crons-on_run_completed-defaults-keep", "request", "A cron with no thread created without on_run_completed keeps its runs' threads", ["CRN-122"], () => ({
    request: editBody(
      (r) => r.method === "POST" && pathOf(r) === "/runs/crons",
      (b) => (b.on_run_completed === undefined ? { ...b, on_run_completed: "keep" } : b),
    ),
  })),
  // expected catcher: CRN-127
  m("crons-on_run_completed-ignored", "request", "Cron creation ignores on_run_completed", ["CRN-127"], () => ({ request: ignoreFields(CRON_CREATE, "on_run_completed") })),

  // ================================================================ MCP (emulated): the JSON-RPC envelope of errors
  // expected catcher: MCP-008
  m("mcp-error-id-null", "response", "POST /mcp/ answers JSON-RPC errors with id null instead of the request's id", ["MCP-008"], () => ({
    response: editOk(MCP, (b) => (b && typeof b === "object" && b.error !== undefined ? { ...b, id: null } : b)),
  })),
  // expected catcher: MCP-008
  m("mcp-error-id-stringified", "response", "POST /mcp/ answers JSON-RPC errors with the request's id turned into a string", ["MCP-008"], () => ({
    response: editOk(MCP, (b) => (b && typeof b === "object" && b.error !== undefined && b.id !== null ? { ...b, id: String(b.id) } : b)),
  })),
  // expected catcher: MCP-008
  m("mcp-error-without-jsonrpc", "response", "POST /mcp/ answers JSON-RPC errors without the jsonrpc member", ["MCP-008"], () => ({
    response: editOk(MCP, (b) => {
      if (!b || typeof b !== "object" || b.error === undefined) return b;
      const { jsonrpc: _j, ...rest } = b;
      return rest;
    }),
  })),
  // expected catcher: MCP-009
  m("mcp-parse-error-id-zero", "response", "POST /mcp/ answers a body that is not JSON with a JSON-RPC error whose id is 0", ["MCP-009"], () => ({
    response: (q: ProxiedRequest, s: ProxiedResponse) => {
      if (!MCP(q) || s.status !== 400) return s;
      const b = parseJson(s.body);
      return b && typeof b === "object" && b.error !== undefined ? { ...s, body: JSON.stringify({ ...b, id: 0 }) } : s;
    },
  })),

  // ================================================================ streams
  // expected catcher: STR-063
  m("stream-default-mode-updates", "request", "A run created without stream_mode streams updates instead of values", ["STR-063"], () => ({
    request: editBody(createsRun, (b) => (b.stream_mode === undefined ? { ...b, stream_mode: ["updates"] } : b)),
  })),
  // expected catcher: STC-022
  m("stream-values-before-updates", "stream", "With updates and values, each step's values event is sent before its updates", ["STC-022"], () => ({ stream: valuesBeforeUpdates() })),
  // expected catcher: SUB-021
  m("state-subgraphs-by-default", "request", "GET /threads/{thread_id}/state gives the subgraphs' states when subgraphs is not asked", ["SUB-021"], () => ({
    request: editQuery(STATE_GET, (q) => void (!q.has("subgraphs") && q.set("subgraphs", "true"))),
  })),

  // ================================================================ optional fields round-tripped (one per row of the table)
  ...ROUND_TRIPS.map(roundTripMutant),
];

export const BOOKKEEPING_MUTANTS: Mutant[] = BUGS.map((x) => ({ ...x, catches: x.catches ?? x.checks }));
