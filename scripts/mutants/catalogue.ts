// The mutant catalogue: each mutant is one small, realistic bug a server of this
// API could have, made by the fault proxy on top of the embedded reference
// server (repaired where it breaks the contract on its own, and emulating what
// it does not offer: see base()). `npm run mutants` runs the checks a mutant
// can touch (its `checks` patterns) behind it; the mutant is killed when one of
// those checks, passing without it, fails with it (scripts/mutants/campaign.ts).
//
// Each mutant breaks behaviour the repaired reference server gets right, so
// that a kill says the suite notices the bug, not a finding it reports anyway.
// The self-tests under selftest/ take their faults from here (by id).

import { randomUUID } from "node:crypto";
import { emulateCrons, emulateMcp, emulateMetrics, type CronsOptions, type McpOptions, type MetricsOptions } from "./emulation";
import {
  afterFinal,
  ASSISTANT,
  blankLineMissing,
  both,
  changeContentType,
  changeStatus,
  createsRun,
  dataNotJson,
  deleteKeeps,
  dropField,
  dropFirst,
  dropHeader,
  dropLast,
  dropNamed,
  dropNamespaces,
  dropQuery,
  duplicateEvent,
  editEach,
  editOk,
  errorAsText,
  heartbeatEvent,
  idBackwards,
  ignoreFields,
  invalidUtf8,
  json,
  KEPT,
  lastUnterminated,
  mixedLineEndings,
  oneMore,
  otherId,
  patchReplacesMetadata,
  pathOf,
  repairs,
  contractRefusals,
  operationKeyOf,
  refusalsExcept,
  setBody,
  withoutHeader,
  reverseList,
  route,
  RUN,
  setField,
  streamContentType,
  swapEvents,
  swapFirstTwo,
  THREAD,
  unknownFieldLine,
  without,
  type Match,
} from "./faults";
import { m, type Mutant } from "./mutant";
import { RUNTIME_HITL_MUTANTS } from "./parts/runtime-hitl";
import { SUBGRAPHS_STREAMS_MUTANTS } from "./parts/subgraphs-streams";
import { compose, cutAfter, layered, editEvents, neverEnding, rewriteRequestJson, stallAfter, type Fault, type ProxiedRequest } from "./proxy";
import { AUTH_MUTANTS } from "./parts/auth";
import { BOOKKEEPING_MUTANTS } from "./parts/bookkeeping";
import { VALIDATION_MUTANTS } from "./parts/validation";
import { ANSWER_MUTANTS } from "./parts/answers";
import { EQUIVALENCE_MUTANTS } from "./equivalence";

export type { Mutant, MutantKind } from "./mutant";
export { m } from "./mutant";

/**
 * The server every mutant is applied to, and the unmutated server of the
 * baseline run: the reference server with its unrelated findings repaired,
 * and crons, MCP and GET /metrics emulated as the contract describes them.
 */
export function base(emulation: Mutant["emulation"] = {}): Fault {
  const { judge, rest } = baseLayers(emulation);
  return compose("base", judge, ...rest);
}

/** The base's faults: the refusals, which judge a request as the suite sent it, then the repairs and emulations. */
function baseLayers(emulation: Mutant["emulation"] = {}): { judge: Fault; rest: Fault[] } {
  // Crons that accept any schedule (a mutant) are not refused for it, nor the operations a mutant leaves unvalidated.
  const anySchedule = emulation.crons?.acceptAnySchedule === true;
  const unrefused = new Set(emulation.unrefused ?? []);
  const judge =
    anySchedule || unrefused.size > 0 ? refusalsExcept((r) => (anySchedule && r.method === "POST" && /\/runs\/crons$/.test(pathOf(r))) || unrefused.has(operationKeyOf(r) ?? "")) : contractRefusals;
  return { judge, rest: [repairs, emulateCrons(emulation.crons), emulateMcp(emulation.mcp), emulateMetrics(emulation.metrics)] };
}

/** The base with the mutant on top: what the suite runs against (the mutant meets requests before the repairs: see layered()). */
export function mutated(m: Mutant): Fault {
  const { judge, rest } = baseLayers(m.emulation);
  return layered(m.id, judge, rest, [{ name: m.id, ...m.fault() }]);
}

// ------------------------------------------------------------------ shorthands

const post = (path: RegExp | string) => route("POST", path);
const get = (path: RegExp | string) => route("GET", path);
const any =
  (...ms: Match[]): Match =>
  (r) =>
    ms.some((m) => m(r));
const exact = (path: string) => new RegExp(`^${path.replace(/\{id\}/g, "[0-9a-fA-F-]{36}")}$`);

const ASSISTANTS = post("/assistants");
const ASSISTANT_SEARCH = post("/assistants/search");
const THREADS = post("/threads");
const THREAD_SEARCH = post("/threads/search");
const HISTORY = any(get(exact("/threads/{id}/history")), post(exact("/threads/{id}/history")));
const RUN_LIST = get(exact("/threads/{id}/runs"));
const STORE_SEARCH = post("/store/items/search");
const NAMESPACES = post("/store/namespaces");
const CRON_SEARCH = post("/runs/crons/search");
const THREAD_ANSWER = any(THREADS, get(THREAD), route("PATCH", THREAD), THREAD_SEARCH, post(exact("/threads/{id}/copy")));
const ASSISTANT_ANSWER = any(ASSISTANTS, get(ASSISTANT), route("PATCH", ASSISTANT), ASSISTANT_SEARCH);
const RUN_ANSWER = any(post(exact("/threads/{id}/runs")), get(RUN), RUN_LIST);

/** A request turned into another one (`to`), answered with `answer` built from what that one answered. */
function redirect(match: Match, to: (r: ProxiedRequest) => Partial<ProxiedRequest>, answer?: (body: string, status: number) => { status: number; body: string }): Omit<Fault, "name"> {
  return {
    request: (r) => (match(r) ? { ...r, ...to(r), headers: { ...r.headers, ...(to(r).headers ?? {}), [KEPT]: "1" } } : r),
    response: (q, s) => {
      if (!q.headers[KEPT] || !answer) return s;
      const a = answer(s.body, s.status);
      return { status: a.status, headers: { "content-type": "application/json" }, body: a.body };
    },
  };
}

/** The checks that send a body that is not valid JSON (one per body-taking family of operations). */
const MALFORMED_BODY_CHECKS = ["AST-136", "THR-206", "RUN-120", "RUN-121", "SRN-110", "SRN-111", "STO-108", "CRN-108"];

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

// ------------------------------------------------------------------ the catalogue

/** The mutants of this file; parts of the catalogue in other files are joined in CATALOGUE. */
const CORE: Mutant[] = [
  // ---------------------------------------------------------------- system
  m(
    "ok-says-false",
    "response",
    'GET /ok answers {"ok": false} while the server works',
    ["SYS-001", "SYS-002", "SYS-005"],
    () => ({
      response: editOk(get("/ok"), () => ({ ok: false })),
    }),
    { catches: ["SYS-001", "SYS-002", "SYS-005"] },
  ),
  m("metrics-json-whatever-format", "response", "GET /metrics answers JSON whatever the format asked for", ["SYS-01*"], () => ({}), {
    emulation: { metrics: { jsonByDefault: true } },
    catches: ["SYS-01*"],
  }),
  m("metrics-garbled-line", "response", "GET /metrics carries a sample line that is not exposition format", ["SYS-01*"], () => ({}), {
    emulation: { metrics: { garbledLine: true } },
    catches: ["SYS-010", "SYS-011"],
  }),
  m("metrics-format-ignored", "request", "GET /metrics ignores format (always Prometheus text)", ["SYS-01*"], () => ({ request: dropQuery(get("/metrics"), "format") }), {
    catches: ["SYS-013", "SYS-014"],
  }),

  m(
    "metrics-no-sample",
    "response",
    "GET /metrics in Prometheus format carries its HELP and TYPE lines but no sample",
    ["SYS-01*"],
    () => ({
      response: (q, s) =>
        get("/metrics")(q) && /^text\/plain/.test(s.headers["content-type"] ?? "")
          ? {
              ...s,
              body: s.body
                .split("\n")
                .filter((l) => l.startsWith("#") || l === "")
                .join("\n"),
            }
          : s,
    }),
    { catches: ["SYS-012"] },
  ),
  m(
    "search-limit-capped",
    "response",
    "Searches refuse a limit above 100 with 422 (the contract allows up to 1000)",
    ["PBT-002", "PBT-008", "PBT-024", "AST-05*", "THR-05*", "CRN-01*"],
    () => ({
      response: (q, s) => {
        if (q.method !== "POST" || !/\/search$/.test(pathOf(q))) return s;
        try {
          return JSON.parse(q.body)?.limit > 100 ? json(422, { detail: "limit: must be at most 100" }) : s;
        } catch {
          return s;
        }
      },
    }),
    { catches: ["PBT-002", "PBT-008", "PBT-024", "AST-05*", "THR-05*", "CRN-01*"] },
  ),
  m(
    "metadata-values-strings-only",
    "response",
    "Bodies whose metadata has a value that is not a string are refused with 422",
    ["PBT-0*"],
    () => ({
      response: (q, s) => {
        if (q.method !== "POST" && q.method !== "PATCH") return s;
        try {
          const md = JSON.parse(q.body)?.metadata;
          return md && typeof md === "object" && Object.values(md).some((v) => typeof v !== "string") ? json(422, { detail: "metadata values must be strings" }) : s;
        } catch {
          return s;
        }
      },
    }),
    { catches: ["PBT-0*"] },
  ),

  // ---------------------------------------------------------------- request bodies that are not JSON
  m(
    "malformed-json-500",
    "response",
    "A body that is not valid JSON crashes the handler: 500 instead of 400 or 422",
    MALFORMED_BODY_CHECKS,
    () => ({
      response: (q, s) => (q.body !== "" && !parses(q.body) && s.status >= 400 && s.status < 500 ? json(500, { detail: "Internal Server Error" }) : s),
    }),
    { catches: ["AST-136", "THR-206", "RUN-120", "RUN-121", "SRN-110", "SRN-111", "STO-108", "CRN-108"] },
  ),
  m(
    "malformed-json-repaired",
    "request",
    "A truncated JSON body is closed and carried out instead of refused",
    MALFORMED_BODY_CHECKS,
    () => ({
      request: (r) => {
        if (r.body === "" || parses(r.body)) return r;
        const closed = ["}", "}}", "}}}", "]}", "]}}"].map((end) => r.body + end).find(parses);
        return closed ? { ...r, body: closed } : r;
      },
    }),
    { catches: ["AST-136", "THR-206", "RUN-120", "RUN-121", "SRN-110", "SRN-111", "STO-108", "CRN-108"] },
  ),

  // ---------------------------------------------------------------- assistants: responses
  m(
    "assistant-create-200-as-201",
    "response",
    "POST /assistants answers 201 where the contract says 200",
    ["AST-00*", "AST-01*"],
    () => ({
      response: changeStatus(ASSISTANTS, 200, 201),
    }),
    { catches: ["AST-00*", "AST-01*"] },
  ),
  m(
    "assistant-create-409-as-422",
    "response",
    "POST /assistants answers 422 instead of 409 for an existing assistant_id",
    ["AST-003", "AST-004", "AST-006"],
    () => ({
      response: changeStatus(ASSISTANTS, 409, 422),
    }),
    { catches: ["AST-003", "AST-004", "AST-006"] },
  ),
  m(
    "assistant-create-drops-graph_id",
    "response",
    "POST /assistants answers the assistant without its graph_id (a required field)",
    ["AST-001", "AST-002"],
    () => ({
      response: dropField(ASSISTANTS, "graph_id"),
    }),
    { catches: ["AST-001", "AST-002"] },
  ),
  m(
    "assistant-version-as-string",
    "response",
    'Assistants carry their version as a string ("1")',
    ["AST-00*", "AST-02*", "AST-03*"],
    () => ({
      response: setField(ASSISTANT_ANSWER, "version", (v) => String(v)),
    }),
    { catches: ["AST-00*", "AST-02*", "AST-03*"] },
  ),
  m(
    "assistant-get-404-as-500",
    "response",
    "GET /assistants/{assistant_id} answers 500 for an assistant that does not exist",
    ["AST-02*", "AST-04*", "AST-102"],
    () => ({
      response: changeStatus(get(/^\/assistants\/[^/]+$/), 404, 500),
    }),
    { catches: ["AST-021", "AST-022", "AST-04*"] },
  ),
  m(
    "assistant-get-other-id",
    "response",
    "GET /assistants/{assistant_id} answers an assistant_id other than the one asked for",
    ["AST-002", "AST-009", "AST-010", "AST-020"],
    () => ({
      response: setField(get(ASSISTANT), "assistant_id", otherId),
    }),
    { catches: ["AST-002", "AST-009", "AST-010", "AST-020"] },
  ),
  m(
    "assistant-get-as-html",
    "response",
    "GET /assistants/{assistant_id} serves its JSON as text/html",
    ["AST-002", "AST-009", "AST-010", "AST-020"],
    () => ({
      response: changeContentType(get(ASSISTANT), (s) => s === 200, "text/html; charset=utf-8"),
    }),
    { catches: ["AST-002", "AST-009", "AST-010", "AST-020"] },
  ),
  m(
    "assistant-errors-as-text",
    "response",
    "Assistant errors (404, 409) come as plain text instead of a JSON error body",
    ["AST-003", "AST-004", "AST-021", "AST-033", "AST-042", "AST-093"],
    () => ({
      response: errorAsText((r) => pathOf(r).startsWith("/assistants")),
    }),
    { catches: ["AST-003", "AST-004", "AST-021", "AST-033", "AST-042", "AST-093"] },
  ),
  m(
    "assistant-subresource-unknown-500",
    "response",
    "GET /assistants/{assistant_id}/graph, /schemas and /subgraphs answer 500 for an assistant that does not exist",
    ["AST-10*", "AST-12*"],
    () => ({
      response: changeStatus(get(/^\/assistants\/[^/]+\/(graph|schemas|subgraphs)(\/.*)?$/), 404, 500),
    }),
    { catches: ["AST-102", "AST-123"] },
  ),
  m(
    "assistant-latest-200-as-201",
    "response",
    "POST /assistants/{assistant_id}/latest answers 201 where the contract says 200",
    ["AST-09*", "PBT-006"],
    () => ({
      response: changeStatus(post(exact("/assistants/{id}/latest")), 200, 201),
    }),
    { catches: ["AST-09*", "PBT-006"] },
  ),
  m(
    "assistant-unnamed-is-blank",
    "response",
    "An assistant created without a name is named \"\" instead of 'Untitled'",
    ["AST-007"],
    () => ({
      response: setField(any(ASSISTANTS, get(ASSISTANT)), "name", (n) => (n === "Untitled" ? "" : n)),
    }),
    { catches: ["AST-007"] },
  ),
  m(
    "assistant-updated_at-frozen",
    "response",
    "An assistant's updated_at never moves from its created_at",
    ["AST-010", "AST-034"],
    () => ({
      response: editEach(ASSISTANT_ANSWER, (a) => ("created_at" in a && "updated_at" in a ? { ...a, updated_at: a.created_at } : a)),
    }),
    { catches: ["AST-010", "AST-034"] },
  ),
  // ---------------------------------------------------------------- assistants: requests
  m("assistant-if_exists-ignored", "request", "POST /assistants ignores if_exists (do_nothing answers 409)", ["AST-005"], () => ({ request: ignoreFields(ASSISTANTS, "if_exists") }), {
    catches: ["AST-005"],
  }),
  m("assistant-patch-replaces-metadata", "request", "PATCH /assistants/{assistant_id} replaces metadata instead of merging it", ["AST-030", "PBT-202"], () => patchReplacesMetadata(ASSISTANT), {
    catches: ["AST-030", "PBT-202"],
  }),
  m(
    "assistant-delete-keeps",
    "request",
    "DELETE /assistants/{assistant_id} answers 200 and keeps the assistant",
    ["AST-04*", "PBT-202"],
    () => deleteKeeps(route("DELETE", ASSISTANT), json(200, {})),
    { catches: ["AST-04*", "PBT-202"] },
  ),
  m(
    "assistant-latest-ignored",
    "request",
    "POST /assistants/{assistant_id}/latest answers the assistant without changing its version",
    ["AST-09*"],
    () =>
      redirect(
        post(exact("/assistants/{id}/latest")),
        (r) => ({ method: "GET", path: pathOf(r).replace(/\/latest$/, ""), body: "" }),
        (body, status) => ({ status, body }),
      ),
    { catches: ["AST-09*"] },
  ),
  m("assistant-search-limit-ignored", "request", "POST /assistants/search ignores limit", ["AST-052", "AST-060"], () => ({ request: ignoreFields(ASSISTANT_SEARCH, "limit") }), {
    catches: ["AST-052", "AST-060"],
  }),
  m("assistant-search-offset-ignored", "request", "POST /assistants/search ignores offset", ["AST-053"], () => ({ request: ignoreFields(ASSISTANT_SEARCH, "offset") }), { catches: ["AST-053"] }),
  m(
    "assistant-search-metadata-ignored",
    "request",
    "POST /assistants/search ignores the metadata filter",
    ["AST-050", "AST-051"],
    () => ({
      request: setBody(ASSISTANT_SEARCH, ({ metadata: _m, ...b }) => ({ ...b, limit: 100 })),
    }),
    { catches: ["AST-050", "AST-051"] },
  ),
  m(
    "assistant-search-graph_id-ignored",
    "request",
    "POST /assistants/search and /count ignore graph_id",
    ["AST-051", "AST-071"],
    () => ({
      request: ignoreFields(any(ASSISTANT_SEARCH, post("/assistants/count")), "graph_id"),
    }),
    { catches: ["AST-051", "AST-071"] },
  ),
  m("assistant-search-name-ignored", "request", "POST /assistants/search ignores name", ["AST-062"], () => ({ request: ignoreFields(ASSISTANT_SEARCH, "name") }), { catches: ["AST-062"] }),
  m("assistant-search-select-ignored", "request", "POST /assistants/search ignores select (answers whole assistants)", ["AST-061"], () => ({ request: ignoreFields(ASSISTANT_SEARCH, "select") }), {
    catches: ["AST-061"],
  }),
  m(
    "assistant-search-desc-reversed",
    "response",
    "POST /assistants/search lists sort_order=desc in ascending order",
    ["AST-055", "AST-059"],
    () => ({
      response: reverseList((r) => ASSISTANT_SEARCH(r) && r.body.includes('"desc"')),
    }),
    { catches: ["AST-055", "AST-059"] },
  ),
  m("assistant-search-one-more", "response", "POST /assistants/search answers one assistant more than limit", ["AST-052", "AST-060"], () => ({ response: oneMore(ASSISTANT_SEARCH) }), {
    catches: ["AST-052", "AST-060"],
  }),
  m(
    "assistant-count-metadata-ignored",
    "request",
    "POST /assistants/count ignores the metadata filter",
    ["AST-070", "AST-071"],
    () => ({
      request: ignoreFields(post("/assistants/count"), "metadata"),
    }),
    { catches: ["AST-070", "AST-071"] },
  ),
  m(
    "assistant-count-as-string",
    "response",
    'POST /assistants/count answers the count as a string ("3")',
    ["AST-07*", "PBT-003"],
    () => ({
      response: editOk(post("/assistants/count"), (n) => String(n)),
    }),
    { catches: ["AST-07*", "PBT-003"] },
  ),
  m(
    "assistant-graph-nodes-dropped",
    "response",
    "GET /assistants/{assistant_id}/graph answers no nodes",
    ["AST-100", "AST-101"],
    () => ({
      response: editOk(get(/^\/assistants\/[^/]+\/graph$/), (g) => ({ ...g, nodes: [] })),
    }),
    { catches: ["AST-100", "AST-101"] },
  ),
  m(
    "assistant-schemas-state-dropped",
    "response",
    "GET /assistants/{assistant_id}/schemas answers without state_schema",
    ["AST-110", "AST-111"],
    () => ({
      response: dropField(get(/^\/assistants\/[^/]+\/schemas$/), "state_schema"),
    }),
    { catches: ["AST-110", "AST-111"] },
  ),
  m(
    "assistant-subgraphs-lists-itself",
    "response",
    "GET /assistants/{assistant_id}/subgraphs lists the graph itself when it has no subgraph",
    ["AST-121"],
    () => ({
      response: editOk(get(/^\/assistants\/[^/]+\/subgraphs$/), (b) => (b && typeof b === "object" && Object.keys(b).length === 0 ? { self: {} } : b)),
    }),
    { catches: ["AST-121"] },
  ),
  m(
    "assistant-versions-unknown-empty",
    "response",
    "POST /assistants/{assistant_id}/versions answers 200 [] for an assistant that does not exist",
    ["AST-082"],
    () => ({
      response: (q, s) => (post(/^\/assistants\/[^/]+\/versions$/)(q) && s.status === 404 ? json(200, []) : s),
    }),
    { catches: ["AST-082"] },
  ),

  // ---------------------------------------------------------------- threads: responses
  m("thread-create-200-as-201", "response", "POST /threads answers 201 where the contract says 200", ["THR-00*"], () => ({ response: changeStatus(THREADS, 200, 201) }), { catches: ["THR-00*"] }),
  m(
    "thread-create-409-as-422",
    "response",
    "POST /threads answers 422 instead of 409 for an existing thread_id",
    ["THR-003", "THR-004", "THR-006"],
    () => ({
      response: changeStatus(THREADS, 409, 422),
    }),
    { catches: ["THR-003", "THR-004", "THR-006"] },
  ),
  m(
    "thread-drops-created_at",
    "response",
    "Threads are answered without created_at (a required field)",
    ["THR-00*", "THR-02*", "THR-03*", "THR-05*", "THR-09*"],
    () => ({
      response: dropField(THREAD_ANSWER, "created_at"),
    }),
    { catches: ["THR-00*", "THR-02*", "THR-03*", "THR-05*", "THR-09*"] },
  ),
  m(
    "thread-metadata-as-string",
    "response",
    "Threads carry their metadata as a JSON-encoded string",
    ["THR-00*", "THR-02*", "THR-03*"],
    () => ({
      response: setField(THREAD_ANSWER, "metadata", (v) => JSON.stringify(v)),
    }),
    { catches: ["THR-00*", "THR-02*", "THR-03*"] },
  ),
  m(
    "thread-get-404-as-500",
    "response",
    "GET /threads/{thread_id} answers 500 for a thread that does not exist",
    ["THR-021", "THR-04*"],
    () => ({
      response: changeStatus(get(/^\/threads\/[^/]+$/), 404, 500),
    }),
    { catches: ["THR-021", "THR-04*"] },
  ),
  m(
    "thread-get-other-id",
    "response",
    "GET /threads/{thread_id} answers a thread_id other than the one asked for",
    ["THR-002", "THR-008", "THR-020", "THR-090"],
    () => ({
      response: setField(get(THREAD), "thread_id", otherId),
    }),
    { catches: ["THR-002", "THR-008", "THR-020", "THR-090"] },
  ),
  m(
    "thread-errors-as-text",
    "response",
    "Thread errors (404, 409) come as plain text instead of a JSON error body",
    ["THR-003", "THR-004", "THR-021", "THR-032", "THR-042", "THR-110", "THR-160"],
    () => ({
      response: errorAsText((r) => pathOf(r).startsWith("/threads") && !/\/runs/.test(pathOf(r))),
    }),
    { catches: ["THR-003", "THR-004", "THR-021", "THR-032", "THR-042", "THR-110", "THR-160"] },
  ),
  m(
    "thread-updated_at-frozen",
    "response",
    "A thread's updated_at never moves from its created_at",
    ["THR-008", "THR-033"],
    () => ({
      response: editEach(THREAD_ANSWER, (t) => ("created_at" in t && "updated_at" in t ? { ...t, updated_at: t.created_at } : t)),
    }),
    { catches: ["THR-008", "THR-033"] },
  ),
  m(
    "thread-status-always-idle",
    "response",
    "GET /threads/{thread_id} reads idle whatever its runs do",
    ["THR-007", "MTK-05*", "MTK-08*"],
    () => ({
      response: setField(get(THREAD), "status", () => "idle"),
    }),
    { catches: ["MTK-050", "MTK-051", "MTK-052", "MTK-080", "MTK-081", "MTK-082", "MTK-083"] },
  ),
  m(
    "thread-interrupts-dropped",
    "response",
    "GET /threads/{thread_id} lists no pending interrupt",
    ["MTK-086"],
    () => ({
      response: setField(get(THREAD), "interrupts", () => ({})),
    }),
    { catches: ["MTK-086"] },
  ),
  m("thread-search-one-more", "response", "POST /threads/search answers one thread more than limit", ["THR-053", "THR-062"], () => ({ response: oneMore(THREAD_SEARCH) }), {
    catches: ["THR-053", "THR-062"],
  }),
  m("thread-search-reversed", "response", "POST /threads/search lists in the opposite of the sort_order asked for", ["THR-05*", "THR-060"], () => ({ response: reverseList(THREAD_SEARCH) }), {
    catches: ["THR-055", "THR-056", "THR-057", "THR-058", "THR-059", "THR-060"],
  }),
  m(
    "thread-count-as-string",
    "response",
    'POST /threads/count answers the count as a string ("3")',
    ["THR-07*", "PBT-009"],
    () => ({
      response: editOk(post("/threads/count"), (n) => String(n)),
    }),
    { catches: ["THR-07*", "PBT-009"] },
  ),
  m("thread-history-oldest-first", "response", "The history of a thread is listed oldest first", ["THR-15*", "THR-104"], () => ({ response: reverseList(HISTORY) }), {
    catches: ["THR-104", "THR-150", "THR-151", "THR-152", "THR-153", "THR-158"],
  }),
  m("thread-history-one-more", "response", "The history of a thread answers one state more than limit", ["THR-152", "THR-153", "THR-158"], () => ({ response: oneMore(HISTORY) }), {
    catches: ["THR-152", "THR-153", "THR-158"],
  }),
  m(
    "thread-history-unknown-empty",
    "response",
    "The history of a thread that does not exist answers 200 []",
    ["THR-160"],
    () => ({
      response: (q, s) => (HISTORY(q) && s.status === 404 ? json(200, []) : s),
    }),
    { catches: ["THR-160"] },
  ),
  m(
    "thread-state-next-empty",
    "response",
    "GET /threads/{thread_id}/state answers no next nodes, even where the graph goes on",
    ["THR-10*", "THR-091", "MTK-08*"],
    () => ({
      response: setField(get(exact("/threads/{id}/state")), "next", () => []),
    }),
    { catches: ["THR-103", "MTK-080", "MTK-081", "MTK-082", "MTK-083", "MTK-085"] },
  ),
  m(
    "thread-state-unknown-empty",
    "response",
    "GET /threads/{thread_id}/state answers an empty state for a thread that does not exist",
    ["THR-110", "THR-043"],
    () => ({
      response: (q, s) =>
        get(exact("/threads/{id}/state"))(q) && s.status === 404
          ? json(200, { values: {}, next: [], tasks: [], checkpoint: null, metadata: null, created_at: null, parent_checkpoint: null, interrupts: [] })
          : s,
    }),
    { catches: ["THR-110", "THR-043"] },
  ),
  m(
    "thread-state-values-empty",
    "response",
    "GET /threads/{thread_id}/state answers empty values",
    ["THR-10*"],
    () => ({
      response: setField(get(exact("/threads/{id}/state")), "values", () => ({})),
    }),
    { catches: ["THR-101", "THR-102", "THR-103", "THR-107"] },
  ),
  m(
    "thread-history-new-not-empty",
    "response",
    "The history of a thread with no state yet lists one empty state",
    ["THR-161"],
    () => ({
      response: editOk(HISTORY, (b) =>
        Array.isArray(b) && b.length === 0
          ? [
              {
                values: {},
                next: [],
                tasks: [],
                checkpoint: { thread_id: randomUUID(), checkpoint_ns: "", checkpoint_id: randomUUID() },
                metadata: {},
                created_at: new Date().toISOString(),
                parent_checkpoint: null,
                interrupts: [],
              },
            ]
          : b,
      ),
    }),
    { catches: ["THR-161"] },
  ),
  m(
    "thread-copy-is-original",
    "response",
    "POST /threads/{thread_id}/copy answers the original thread instead of the copy",
    ["THR-09*"],
    () => ({
      response: editOk(post(exact("/threads/{id}/copy")), (t, q) => ({ ...t, thread_id: pathOf(q).split("/")[2] })),
    }),
    { catches: ["THR-090", "THR-091", "THR-092", "THR-093"] },
  ),
  // ---------------------------------------------------------------- threads: requests
  m("thread-if_exists-ignored", "request", "POST /threads ignores if_exists (do_nothing answers 409)", ["THR-005"], () => ({ request: ignoreFields(THREADS, "if_exists") }), { catches: ["THR-005"] }),
  m("thread-patch-replaces-metadata", "request", "PATCH /threads/{thread_id} replaces metadata instead of merging it", ["THR-030", "THR-031", "PBT-201"], () => patchReplacesMetadata(THREAD), {
    catches: ["THR-030", "THR-031", "PBT-201"],
  }),
  m("thread-delete-keeps", "request", "DELETE /threads/{thread_id} answers 200 and keeps the thread", ["THR-04*", "PBT-201"], () => deleteKeeps(route("DELETE", THREAD), json(200, {})), {
    catches: ["THR-04*", "PBT-201"],
  }),
  m("thread-search-limit-ignored", "request", "POST /threads/search ignores limit", ["THR-053", "THR-062"], () => ({ request: ignoreFields(THREAD_SEARCH, "limit") }), {
    catches: ["THR-053", "THR-062"],
  }),
  m("thread-search-offset-ignored", "request", "POST /threads/search ignores offset", ["THR-054"], () => ({ request: ignoreFields(THREAD_SEARCH, "offset") }), { catches: ["THR-054"] }),
  m(
    "thread-search-metadata-ignored",
    "request",
    "POST /threads/search ignores the metadata filter",
    ["THR-050"],
    () => ({
      request: setBody(THREAD_SEARCH, ({ metadata: _m, ...b }) => ({ ...b, limit: 100 })),
    }),
    { catches: ["THR-050"] },
  ),
  m("thread-search-status-ignored", "request", "POST /threads/search ignores the status filter", ["THR-052"], () => ({ request: ignoreFields(THREAD_SEARCH, "status") }), { catches: ["THR-052"] }),
  m("thread-search-ids-ignored", "request", "POST /threads/search ignores ids", ["THR-061"], () => ({ request: ignoreFields(THREAD_SEARCH, "ids") }), { catches: ["THR-061"] }),
  m("thread-search-sort_order-ignored", "request", "POST /threads/search ignores sort_order", ["THR-05*", "THR-060"], () => ({ request: ignoreFields(THREAD_SEARCH, "sort_order") }), {
    catches: ["THR-055", "THR-056", "THR-057", "THR-058", "THR-059", "THR-060"],
  }),
  m("thread-search-select-ignored", "request", "POST /threads/search ignores select (answers whole threads)", ["THR-063"], () => ({ request: ignoreFields(THREAD_SEARCH, "select") }), {
    catches: ["THR-063"],
  }),
  m("thread-count-metadata-ignored", "request", "POST /threads/count ignores the metadata filter", ["THR-070"], () => ({ request: ignoreFields(post("/threads/count"), "metadata") }), {
    catches: ["THR-070"],
  }),
  m(
    "thread-history-limit-ignored",
    "request",
    "The history of a thread ignores limit",
    ["THR-152", "THR-153"],
    () => ({
      request: both(dropQuery(get(exact("/threads/{id}/history")), "limit"), ignoreFields(post(exact("/threads/{id}/history")), "limit")),
    }),
    { catches: ["THR-152", "THR-153"] },
  ),
  m(
    "thread-history-before-ignored",
    "request",
    "The history of a thread ignores before",
    ["THR-154", "THR-155", "THR-156"],
    () => ({
      request: both(dropQuery(get(exact("/threads/{id}/history")), "before"), ignoreFields(post(exact("/threads/{id}/history")), "before")),
    }),
    { catches: ["THR-154", "THR-155", "THR-156"] },
  ),
  m(
    "thread-history-metadata-ignored",
    "request",
    "POST /threads/{thread_id}/history ignores the metadata filter",
    ["THR-157"],
    () => ({
      request: ignoreFields(post(exact("/threads/{id}/history")), "metadata"),
    }),
    { catches: ["THR-157"] },
  ),
  m("thread-state-as_node-ignored", "request", "POST /threads/{thread_id}/state ignores as_node", ["THR-103"], () => ({ request: ignoreFields(post(exact("/threads/{id}/state")), "as_node") }), {
    catches: ["THR-103"],
  }),
  m(
    "thread-state-checkpoint-ignored",
    "request",
    "POST /threads/{thread_id}/state ignores checkpoint (writes on the latest)",
    ["THR-107"],
    () => ({
      request: ignoreFields(post(exact("/threads/{id}/state")), "checkpoint", "checkpoint_id"),
    }),
    { catches: ["THR-107"] },
  ),
  m(
    "thread-state-at-checkpoint-is-latest",
    "request",
    "GET /threads/{thread_id}/state/{checkpoint_id} answers the latest state",
    ["THR-105"],
    () => ({
      request: (r) => (get(/^\/threads\/[^/]+\/state\/[^/]+$/)(r) ? { ...r, path: pathOf(r).replace(/\/state\/[^/]+$/, "/state") } : r),
    }),
    { catches: ["THR-105"] },
  ),
  m(
    "thread-state-checkpoint-post-is-latest",
    "request",
    "POST /threads/{thread_id}/state/checkpoint answers the latest state",
    ["THR-106"],
    () =>
      redirect(
        post(exact("/threads/{id}/state/checkpoint")),
        (r) => ({ method: "GET", path: pathOf(r).replace(/\/checkpoint$/, ""), body: "" }),
        (body, status) => ({ status, body }),
      ),
    { catches: ["THR-106"] },
  ),
  m(
    "thread-copy-is-empty",
    "request",
    "POST /threads/{thread_id}/copy makes a new empty thread",
    ["THR-09*"],
    () => ({
      request: (r) => (post(exact("/threads/{id}/copy"))(r) ? { ...r, path: "/threads", body: "{}", headers: { ...r.headers, "content-type": "application/json" } } : r),
    }),
    { catches: ["THR-091", "THR-092"] },
  ),

  // ---------------------------------------------------------------- runs: responses
  m(
    "run-create-200-as-201",
    "response",
    "POST /threads/{thread_id}/runs answers 201 where the contract says 200",
    ["RUN-00*", "RUN-06*"],
    () => ({
      response: changeStatus(post(exact("/threads/{id}/runs")), 200, 201),
    }),
    { catches: ["RUN-00*", "RUN-06*"] },
  ),
  m(
    "run-drops-created_at",
    "response",
    "Runs are answered without created_at (a required field)",
    ["RUN-00*", "RUN-01*", "RUN-04*"],
    () => ({
      response: dropField(RUN_ANSWER, "created_at"),
    }),
    { catches: ["RUN-00*", "RUN-01*", "RUN-04*"] },
  ),
  m(
    "run-get-other-id",
    "response",
    "GET /threads/{thread_id}/runs/{run_id} answers a run_id other than the one asked for",
    ["RUN-003", "RUN-01*"],
    () => ({
      response: setField(get(RUN), "run_id", otherId),
    }),
    { catches: ["RUN-003"] },
  ),
  m(
    "run-get-404-as-500",
    "response",
    "GET /threads/{thread_id}/runs/{run_id} answers 500 for a run that does not exist",
    ["RUN-05*", "MTK-037"],
    () => ({
      response: changeStatus(get(/^\/threads\/[^/]+\/runs\/[^/]+$/), 404, 500),
    }),
    { catches: ["RUN-050", "RUN-052", "RUN-053", "RUN-055", "MTK-037"] },
  ),
  m(
    "run-running-as-success",
    "response",
    "A run still at work is reported as success",
    ["RUN-01*", "RUN-002"],
    () => ({
      response: setField(get(RUN), "status", (s) => (s === "running" || s === "pending" ? "success" : s)),
    }),
    { catches: ["RUN-002", "RUN-010", "RUN-011", "RUN-014"] },
  ),
  m(
    "run-error-as-success",
    "response",
    "A run that failed is reported as success",
    ["RUN-013", "MTK-052"],
    () => ({
      response: setField(get(RUN), "status", (s) => (s === "error" ? "success" : s)),
    }),
    { catches: ["RUN-013", "MTK-052"] },
  ),
  m(
    "run-success-flips-back",
    "response",
    "A run read as success reads running on the next read (a lagging replica)",
    ["RUN-010", "RUN-012"],
    () => {
      const reads = new Map<string, number>();
      return {
        response: setField(get(RUN), "status", (s, q) => {
          if (s !== "success") return s;
          const n = (reads.get(pathOf(q)) ?? 0) + 1;
          reads.set(pathOf(q), n);
          return n === 2 ? "running" : s;
        }),
      };
    },
    { catches: ["RUN-010", "RUN-012"] },
  ),
  m(
    "run-join-empty",
    "response",
    "GET .../join answers an empty object instead of the thread's values",
    ["RUN-03*"],
    () => ({
      response: editOk(get(/\/join$/), () => ({})),
    }),
    { catches: ["RUN-030", "RUN-031", "RUN-032", "RUN-034", "RUN-035"] },
  ),
  m(
    "run-join-error-dropped",
    "response",
    "GET .../join of a failed run answers without __error__",
    ["RUN-032"],
    () => ({
      response: editOk(get(/\/join$/), (b) => {
        if (!b || typeof b !== "object") return b;
        const { __error__: _e, ...rest } = b;
        return rest;
      }),
    }),
    { catches: ["RUN-032"] },
  ),
  m(
    "run-join-does-not-wait",
    "request",
    "GET .../join answers at once with the current state, before the run has ended",
    ["RUN-031"],
    () =>
      redirect(
        get(/\/runs\/[^/]+\/join$/),
        (r) => ({ path: pathOf(r).replace(/\/runs\/[^/]+\/join$/, "/state") }),
        (body, status) => {
          try {
            return { status, body: JSON.stringify(JSON.parse(body)?.values ?? {}) };
          } catch {
            return { status, body };
          }
        },
      ),
    { catches: ["RUN-031"] },
  ),
  m("run-list-one-more", "response", "GET /threads/{thread_id}/runs answers one run more than limit", ["RUN-041", "RUN-046"], () => ({ response: oneMore(RUN_LIST) }), {
    catches: ["RUN-041", "RUN-046"],
  }),
  m(
    "run-list-drops-newest",
    "response",
    "GET /threads/{thread_id}/runs leaves out one of the thread's runs",
    ["RUN-040", "RUN-012"],
    () => ({
      response: editOk(RUN_LIST, (b) => (Array.isArray(b) && b.length > 1 ? b.slice(1) : b)),
    }),
    { catches: ["RUN-040", "RUN-012"] },
  ),
  m(
    "run-list-unknown-empty",
    "response",
    "GET /threads/{thread_id}/runs answers 200 [] for a thread that does not exist",
    ["RUN-047"],
    () => ({
      response: (q, s) => (RUN_LIST(q) && s.status === 404 ? json(200, []) : s),
    }),
    { catches: ["RUN-047"] },
  ),
  m(
    "run-content-location-other-run",
    "response",
    "Content-Location of a created run names another run",
    ["RUN-005", "SRN-003"],
    () => ({
      response: (q, s) => {
        const loc = s.headers["content-location"];
        if (q.method !== "POST" || !loc) return s;
        return { ...s, headers: { ...s.headers, "content-location": loc.replace(/\/runs\/[^/]+$/, `/runs/${randomUUID()}`) } };
      },
    }),
    { catches: ["RUN-005", "SRN-003"] },
  ),
  m(
    "run-content-location-dropped",
    "response",
    "A created run is answered without Content-Location",
    ["RUN-004", "SRN-002"],
    () => ({ response: withoutHeader((q) => q.method === "POST", "content-location") }),
    { catches: ["RUN-004", "SRN-002"] },
  ),
  m(
    "run-unknown-assistant-500",
    "response",
    "A run for an assistant or graph that does not exist answers 500 instead of 404",
    ["RUN-061", "RUN-062", "SRN-12*"],
    () => ({
      response: (q, s) => (createsRun(q) || post("/runs/batch")(q) ? (s.status === 404 ? { ...s, status: 500 } : s) : s),
    }),
    { catches: ["RUN-061", "RUN-062", "SRN-12*"] },
  ),
  m(
    "run-cancel-unknown-200",
    "response",
    "Cancelling or deleting a run that does not exist answers 200",
    ["RUN-051", "RUN-054", "MTK-041"],
    () => ({
      response: (q, s) => (/\/runs\/[^/]+(\/cancel)?$/.test(pathOf(q)) && q.method !== "GET" && s.status === 404 ? json(200, {}) : s),
    }),
    { catches: ["RUN-051", "RUN-054", "MTK-041"] },
  ),
  m(
    "run-list-bad-paging-500",
    "response",
    "GET /threads/{thread_id}/runs answers 500 for a limit or offset of 0, below 0 or past 10^6",
    ["RUN-154"],
    () => ({
      response: (q, s) => {
        if (!RUN_LIST(q)) return s;
        const u = new URL(q.path, "http://proxy.invalid");
        const bad = ["limit", "offset"].some((k) => u.searchParams.has(k) && (Number(u.searchParams.get(k)) < (k === "limit" ? 1 : 0) || Number(u.searchParams.get(k)) > 1e6));
        return bad ? json(500, { detail: "Internal Server Error" }) : s;
      },
    }),
    { catches: ["RUN-154"] },
  ),
  m(
    "runs-cancel-404-as-500",
    "response",
    "POST /runs/cancel answers 500 where it answered 404",
    ["PBT-017", "MTK-03*"],
    () => ({
      response: changeStatus(post("/runs/cancel"), 404, 500),
    }),
    { catches: ["PBT-017"] },
  ),
  // ---------------------------------------------------------------- runs: requests
  m("run-list-limit-ignored", "request", "GET /threads/{thread_id}/runs ignores limit", ["RUN-041", "RUN-046"], () => ({ request: dropQuery(RUN_LIST, "limit") }), { catches: ["RUN-041", "RUN-046"] }),
  m("run-list-offset-ignored", "request", "GET /threads/{thread_id}/runs ignores offset", ["RUN-043"], () => ({ request: dropQuery(RUN_LIST, "offset") }), { catches: ["RUN-043"] }),
  m("run-list-status-ignored", "request", "GET /threads/{thread_id}/runs ignores the status filter", ["RUN-044"], () => ({ request: dropQuery(RUN_LIST, "status") }), { catches: ["RUN-044"] }),
  m("run-after_seconds-ignored", "request", "A run created with after_seconds starts at once", ["RUN-014", "MTK-060"], () => ({ request: ignoreFields(createsRun, "after_seconds") }), {
    catches: ["RUN-014", "MTK-060"],
  }),
  m(
    "run-if_not_exists-ignored",
    "request",
    "A run created with if_not_exists=create on an unknown thread is refused (if_not_exists ignored)",
    ["RUN-007", "MTK-062"],
    () => ({
      request: ignoreFields(createsRun, "if_not_exists"),
    }),
    { catches: ["RUN-007", "MTK-062"] },
  ),
  m(
    "run-graph-id-not-resolved",
    "request",
    "A run naming a graph id as assistant_id is refused (only assistant UUIDs are looked up)",
    ["RUN-060"],
    () => ({
      request: setBody(createsRun, (b) => (typeof b.assistant_id === "string" && !/^[0-9a-f-]{36}$/i.test(b.assistant_id) ? { ...b, assistant_id: randomUUID() } : b)),
    }),
    { catches: ["RUN-060"] },
  ),

  // ---------------------------------------------------------------- stateless runs
  m(
    "stateless-on_completion-ignored",
    "request",
    "POST /runs ignores on_completion (keep deletes the thread)",
    ["SRN-004", "MTK-068"],
    () => ({
      request: ignoreFields((r) => r.method === "POST" && /^\/runs(\/stream|\/wait)?$/.test(pathOf(r)), "on_completion"),
    }),
    { catches: ["SRN-004", "MTK-068"] },
  ),
  m(
    "stateless-threads-kept",
    "request",
    "Stateless runs keep their thread whatever on_completion says",
    ["SRN-005", "SRN-006", "MTK-067"],
    () => ({
      request: setBody(
        (r) => r.method === "POST" && /^\/runs(\/stream|\/wait)?$/.test(pathOf(r)),
        (b) => ({ ...b, on_completion: "keep" }),
      ),
    }),
    { catches: ["SRN-005", "SRN-006", "MTK-067"] },
  ),
  m(
    "stateless-same-thread",
    "response",
    "Stateless runs all name the thread of the first one",
    ["SRN-001", "SRN-007"],
    () => {
      let first: string | undefined;
      return {
        response: setField(post("/runs"), "thread_id", (t) => (first ??= t)),
      };
    },
    { catches: ["SRN-001", "SRN-007"] },
  ),
  m(
    "stateless-run-metadata-dropped",
    "response",
    "POST /runs answers the run without the metadata it was given",
    ["SRN-00*"],
    () => ({
      response: setField(post("/runs"), "metadata", () => ({})),
    }),
    { catches: ["SRN-001"] },
  ),
  m(
    "batch-first-item-only",
    "request",
    "POST /runs/batch runs only the first item",
    ["SRN-020", "SRN-021"],
    () => ({
      request: rewriteRequestJson(post("/runs/batch"), (b) => (Array.isArray(b) ? b.slice(0, 1) : b)),
    }),
    { catches: ["SRN-020", "SRN-021"] },
  ),

  // ---------------------------------------------------------------- multitask
  m(
    "multitask_strategy-ignored",
    "request",
    "Runs ignore multitask_strategy (a busy thread refuses every new run)",
    ["MTK-00*", "MTK-01*", "MTK-02*"],
    () => ({
      // Every run carried out as reject: leaving the field out would meet the documented default (enqueue, a repair) instead.
      request: setBody(createsRun, (b) => ({ ...b, multitask_strategy: "reject" })),
    }),
    { catches: ["MTK-00*", "MTK-01*", "MTK-02*"] },
  ),
  m(
    "multitask-reject-accepted",
    "request",
    "multitask_strategy=reject is treated as enqueue: a busy thread accepts the run",
    ["MTK-002", "MTK-003", "MTK-022"],
    () => ({
      request: setBody(createsRun, (b) => (b.multitask_strategy === "reject" ? { ...b, multitask_strategy: "enqueue" } : b)),
    }),
    { catches: ["MTK-002", "MTK-003", "MTK-022"] },
  ),
  m(
    "multitask-interrupt-as-rollback",
    "request",
    "multitask_strategy=interrupt is treated as rollback: the interrupted run is deleted",
    ["MTK-004", "MTK-005", "MTK-013"],
    () => ({
      request: setBody(createsRun, (b) => (b.multitask_strategy === "interrupt" ? { ...b, multitask_strategy: "rollback" } : b)),
    }),
    { catches: ["MTK-004", "MTK-005", "MTK-013"] },
  ),
  m(
    "cancel-action-ignored",
    "request",
    "Cancel ignores action (rollback interrupts instead)",
    ["MTK-03*"],
    () => ({
      request: dropQuery((r) => r.method === "POST" && /\/cancel$/.test(pathOf(r)), "action"),
    }),
    { catches: ["MTK-032", "MTK-033", "MTK-036", "MTK-037", "MTK-039"] },
  ),
  m("cancel-wait-ignored", "request", "Cancel ignores wait=true: it answers at once, and the run reads running for a moment after", ["MTK-03*"], cancelWaitIgnored, {
    catches: ["MTK-031", "MTK-033", "MTK-035", "MTK-037"],
  }),
  m("webhook-ignored", "request", "Runs ignore webhook (no delivery)", ["MTK-09*"], () => ({ request: ignoreFields(createsRun, "webhook") }), { catches: ["MTK-09*"] }),
  m(
    "run-checkpoint-ignored",
    "request",
    "A run created with checkpoint starts from the latest state",
    ["MTK-069", "MTK-070"],
    () => ({
      request: ignoreFields(createsRun, "checkpoint", "checkpoint_id"),
    }),
    { catches: ["MTK-069", "MTK-070"] },
  ),
  m("run-breakpoints-ignored", "request", "Runs ignore interrupt_before and interrupt_after", ["MTK-08*"], () => ({ request: ignoreFields(createsRun, "interrupt_before", "interrupt_after") }), {
    catches: ["MTK-080", "MTK-081", "MTK-082", "MTK-083", "MTK-084"],
  }),
  m("run-command-ignored", "request", "Runs ignore command (resume, update, goto)", ["MTK-08*"], () => ({ request: ignoreFields(createsRun, "command") }), {
    catches: ["MTK-087", "MTK-088", "MTK-089"],
  }),
  m(
    "run-command-update-ignored",
    "request",
    "Runs ignore command.update",
    ["MTK-088"],
    () => ({
      request: setBody(createsRun, (b) => (b.command && typeof b.command === "object" ? { ...b, command: without("update")({ ...b.command }) } : b)),
    }),
    { catches: ["MTK-088"] },
  ),
  m(
    "state-update-on-busy-thread",
    "response",
    "POST /threads/{thread_id}/state on a busy thread answers 200 instead of 409",
    ["MTK-053"],
    () => ({
      response: changeStatus(post(exact("/threads/{id}/state")), 409, 200),
    }),
    { catches: ["MTK-053"] },
  ),

  // ---------------------------------------------------------------- streams: framing
  m("stream-as-text-plain", "stream", "Streams are served as text/plain", ["SSE-001", "STR-0*"], () => ({ stream: streamContentType("text/plain; charset=utf-8") }), {
    catches: ["SSE-001", "STR-0*"],
  }),
  m("stream-invalid-utf8", "stream", "Streams carry bytes that are not UTF-8", ["SSE-002"], () => ({ stream: invalidUtf8() }), { catches: ["SSE-002"] }),
  m("stream-unknown-field", "stream", "Streams carry a line that is neither a comment nor a field (DATA:)", ["SSE-003"], () => ({ stream: unknownFieldLine() }), { catches: ["SSE-003"] }),
  m("stream-mixed-line-endings", "stream", "Streams mix CRLF and LF line endings", ["SSE-004"], () => ({ stream: mixedLineEndings() }), { catches: ["SSE-004"] }),
  m("stream-last-unterminated", "stream", "The last event of a stream is not terminated by a blank line", ["SSE-005", "IOP-00*"], () => ({ stream: lastUnterminated() }), {
    catches: ["SSE-005", "IOP-00*"],
  }),
  m(
    "stream-blank-line-missing",
    "stream",
    "The blank line after an event is missing: two events run into one",
    ["SSE-006", "STR-001", "STR-01*", "STR-02*", "IOP-00*"],
    () => ({ stream: blankLineMissing(1) }),
    { catches: ["SSE-006", "STR-001", "STR-01*", "STR-02*", "IOP-00*"] },
  ),
  m("stream-data-not-json", "stream", "An event's data line is not JSON", ["SSE-006", "STR-01*", "IOP-003"], () => ({ stream: dataNotJson(1) }), { catches: ["SSE-006", "STR-01*", "IOP-003"] }),
  m("stream-id-backwards", "stream", "The ids of a resumable stream go backwards", ["SSE-008", "STR-03*"], () => ({ stream: idBackwards() }), { catches: ["SSE-008", "STR-03*"] }),
  m("stream-event-after-end", "stream", "Events follow the final end event", ["SSE-009"], () => ({ stream: afterFinal() }), { catches: ["SSE-009"] }),
  m("stream-heartbeat-event", "stream", "Heartbeats are sent as an event without data", ["SSE-010", "IOP-001"], () => ({ stream: heartbeatEvent() }), { catches: ["SSE-010", "IOP-001"] }),
  // ---------------------------------------------------------------- streams: events
  m("stream-metadata-missing", "stream", "Run streams start without their metadata event", ["STR-00*", "IOP-008"], () => ({ stream: dropFirst() }), { catches: ["STR-00*", "IOP-008"] }),
  m("stream-metadata-not-first", "stream", "The metadata event of a run stream is not first", ["STR-00*"], () => ({ stream: swapFirstTwo() }), { catches: ["STR-001", "STR-004"] }),
  m("stream-event-duplicated", "stream", "An event of a stream is sent twice", ["STR-02*", "STR-03*", "SSE-008"], () => ({ stream: duplicateEvent(1) }), {
    catches: ["STR-02*", "STR-03*", "SSE-008"],
  }),
  m("stream-events-reordered", "stream", "Two events of a stream are swapped", ["STR-02*"], () => ({ stream: swapEvents(1) }), { catches: ["STR-02*"] }),
  m("stream-last-event-dropped", "stream", "The last event of a stream is dropped", ["STR-021", "STR-03*", "STR-06*"], () => ({ stream: dropLast() }), { catches: ["STR-021", "STR-03*", "STR-06*"] }),
  m("stream-custom-dropped", "stream", "custom events are dropped from streams", ["STR-014", "STR-019", "STR-020", "STR-024"], () => ({ stream: dropNamed("custom") }), {
    catches: ["STR-014", "STR-019", "STR-020", "STR-024"],
  }),
  m("stream-error-dropped", "stream", "The error event of a failing run is dropped", ["STR-06*", "IOP-005"], () => ({ stream: dropNamed("error") }), { catches: ["STR-06*", "IOP-005"] }),
  m(
    "stream-interrupt-dropped",
    "stream",
    "The updates event that carries an interrupt is dropped",
    ["STR-062"],
    () => ({
      stream: editEvents((e) => (e.includes("__interrupt__") ? null : undefined)),
    }),
    { catches: ["STR-062"] },
  ),
  m("stream-ids-dropped", "stream", "Resumable streams carry no event ids", ["STR-03*", "SSE-008", "IOP-007"], () => ({ stream: editEvents((e) => e.replace(/^id: .*\n/gm, "")) }), {
    catches: ["STR-03*", "SSE-008", "IOP-007"],
  }),
  m("stream-namespaces-dropped", "stream", "Subgraph events lose their namespace (updates|child:1 sent as updates)", ["STR-025", "IOP-004"], () => ({ stream: dropNamespaces() }), {
    catches: ["STR-025", "IOP-004"],
  }),
  m("stream-never-ends", "stream", "A stream never ends: the connection stays open after the last event", ["STR-01*", "STR-03*", "IOP-00*"], () => ({ stream: neverEnding() }), {
    catches: ["STR-01*", "STR-03*", "IOP-00*"],
  }),
  m("stream-stalls", "stream", "A stream goes silent after its first event, the connection left open", ["STR-01*", "STR-030", "IOP-00*"], () => ({ stream: stallAfter(1) }), {
    catches: ["STR-01*", "STR-030", "IOP-00*"],
  }),
  m("stream-cut-midway", "stream", "A stream is cut in the middle of an event", ["STR-01*", "STR-02*", "IOP-00*"], () => ({ stream: cutAfter(3) }), { catches: ["STR-01*", "STR-02*", "IOP-00*"] }),
  m(
    "stream-content-location-other-run",
    "stream",
    "The Content-Location of a run stream names another run",
    ["STR-00*", "IOP-008"],
    () => ({
      stream: async function* (_q, head, body) {
        const loc = head.headers["content-location"];
        if (loc) head.headers["content-location"] = loc.replace(/\/runs\/[^/]+$/, `/runs/${randomUUID()}`);
        yield* body;
      },
    }),
    { catches: ["STR-002", "STR-003", "STR-004", "STR-005", "IOP-008"] },
  ),
  // ---------------------------------------------------------------- streams: requests
  m("stream_mode-ignored", "request", "Runs ignore stream_mode (every stream carries values only)", ["STR-01*", "STR-02*", "IOP-003"], () => ({ request: ignoreFields(createsRun, "stream_mode") }), {
    catches: ["STR-01*", "STR-02*", "IOP-003"],
  }),
  m(
    "stream_mode-adds-values",
    "request",
    "Runs stream values events whatever modes were asked for",
    ["STR-01*"],
    () => ({
      request: setBody(createsRun, (b) => (b.stream_mode === undefined ? b : { ...b, stream_mode: [...new Set([...[b.stream_mode].flat(), "values"])] })),
    }),
    { catches: ["STR-011", "STR-012", "STR-013", "STR-014", "STR-015", "STR-016", "STR-017", "STR-018", "STR-019"] },
  ),
  m("stream_subgraphs-ignored", "request", "Runs ignore stream_subgraphs", ["STR-025", "IOP-004"], () => ({ request: ignoreFields(createsRun, "stream_subgraphs") }), {
    catches: ["STR-025", "IOP-004"],
  }),
  m("stream_resumable-ignored", "request", "Runs ignore stream_resumable", ["STR-03*", "IOP-007"], () => ({ request: ignoreFields(createsRun, "stream_resumable") }), {
    catches: ["STR-034", "STR-035", "STR-036", "IOP-007"],
  }),
  m(
    "last-event-id-dropped",
    "request",
    "Last-Event-ID is dropped on the way to the server",
    ["STR-03*", "IOP-007"],
    () => ({
      request: dropHeader((r) => r.method === "GET" && /\/stream$/.test(pathOf(r)), "last-event-id"),
    }),
    { catches: ["STR-035", "STR-036", "IOP-007"] },
  ),
  m(
    "on_disconnect-ignored",
    "request",
    "Runs ignore on_disconnect=cancel",
    ["STR-05*"],
    () => ({
      // Carried out as continue, the other value: leaving the field out would meet the documented default (cancel) again.
      request: setBody(createsRun, (b) => (b.on_disconnect === "cancel" ? { ...b, on_disconnect: "continue" } : b)),
    }),
    { catches: ["STR-050", "STR-054"] },
  ),
  m(
    "cancel_on_disconnect-ignored",
    "request",
    "Joined streams ignore cancel_on_disconnect",
    ["STR-05*"],
    () => ({
      request: dropQuery((r) => r.method === "GET" && /\/stream$/.test(pathOf(r)), "cancel_on_disconnect"),
    }),
    { catches: ["STR-052"] },
  ),

  // ---------------------------------------------------------------- store
  m(
    "store-put-204-as-200",
    "response",
    "PUT /store/items answers 200 where the contract says 204",
    ["STO-00*", "PBT-026"],
    () => ({
      response: (q, s) => (route("PUT", "/store/items")(q) && s.status === 204 ? json(200, {}) : s),
    }),
    { catches: ["STO-00*", "PBT-026"] },
  ),
  m(
    "store-delete-204-as-200",
    "response",
    "DELETE /store/items answers 200 where the contract says 204",
    ["STO-005", "STO-006", "STO-007", "PBT-027"],
    () => ({
      response: (q, s) => (route("DELETE", "/store/items")(q) && s.status === 204 ? json(200, {}) : s),
    }),
    { catches: ["STO-005", "STO-006", "STO-007", "PBT-027"] },
  ),
  m(
    "store-get-404-as-500",
    "response",
    "GET /store/items answers 500 for a key that is not stored",
    ["STO-004", "STO-005", "STO-007"],
    () => ({
      response: changeStatus(get("/store/items"), 404, 500),
    }),
    { catches: ["STO-004", "STO-005", "STO-007"] },
  ),
  m(
    "store-get-other-key",
    "response",
    "GET /store/items answers an item under another key than the one asked for",
    ["STO-001", "STO-007"],
    () => ({
      response: setField(get("/store/items"), "key", (k) => `${k}-other`),
    }),
    { catches: ["STO-001", "STO-007"] },
  ),
  m(
    "store-value-as-string",
    "response",
    "Store items carry their value as a JSON-encoded string",
    ["STO-00*", "STO-02*"],
    () => ({
      response: setField(any(get("/store/items"), STORE_SEARCH), "value", (v) => JSON.stringify(v)),
    }),
    { catches: ["STO-00*", "STO-02*"] },
  ),
  m(
    "store-updated_at-frozen",
    "response",
    "A store item's updated_at never moves from its created_at",
    ["STO-003"],
    () => ({
      response: editEach(any(get("/store/items"), STORE_SEARCH), (i) => ("created_at" in i ? { ...i, updated_at: i.created_at } : i)),
    }),
    { catches: ["STO-003"] },
  ),
  m(
    "store-put-first-write-wins",
    "request",
    "PUT /store/items on an existing key keeps the old value",
    ["STO-002", "STO-003", "STO-007", "PBT-203"],
    () => {
      const stored = new Set<string>();
      return {
        request: (r) => {
          if (!route("PUT", "/store/items")(r)) return r;
          try {
            const b = JSON.parse(r.body);
            const key = JSON.stringify([b.namespace, b.key]);
            if (!stored.has(key)) {
              stored.add(key);
              return r;
            }
            return { ...r, method: "GET", path: "/ok", body: "", headers: { ...r.headers, [KEPT]: "1" } };
          } catch {
            return r;
          }
        },
        response: (q, s) => (q.headers[KEPT] ? { status: 204, headers: {}, body: "" } : s),
      };
    },
    { catches: ["STO-002", "STO-003", "STO-007", "PBT-203"] },
  ),
  m(
    "store-delete-keeps",
    "request",
    "DELETE /store/items answers 204 and keeps the item",
    ["STO-005", "STO-007", "PBT-203"],
    () => deleteKeeps(route("DELETE", "/store/items"), { status: 204, headers: {}, body: "" }, () => ({ method: "GET", path: "/ok", body: "" })),
    { catches: ["STO-005", "STO-007", "PBT-203"] },
  ),
  m(
    "store-dotted-labels-accepted",
    "response",
    "Store operations accept a namespace label with a period or an empty label",
    ["STO-1*"],
    () => ({
      response: (q, s) => (pathOf(q).startsWith("/store/items") && s.status === 422 ? (q.method === "POST" ? json(200, { items: [] }) : { status: 204, headers: {}, body: "" }) : s),
    }),
    { catches: ["STO-1*"] },
  ),
  m("store-search-limit-ignored", "request", "POST /store/items/search ignores limit", ["STO-022", "STO-024"], () => ({ request: ignoreFields(STORE_SEARCH, "limit") }), {
    catches: ["STO-022", "STO-024"],
  }),
  m("store-search-offset-ignored", "request", "POST /store/items/search ignores offset", ["STO-023"], () => ({ request: ignoreFields(STORE_SEARCH, "offset") }), { catches: ["STO-023"] }),
  m("store-search-filter-ignored", "request", "POST /store/items/search ignores the filter", ["STO-021"], () => ({ request: ignoreFields(STORE_SEARCH, "filter") }), { catches: ["STO-021"] }),
  m(
    "store-search-prefix-shortened",
    "request",
    "POST /store/items/search matches the namespace prefix's first labels only",
    ["STO-020", "STO-021"],
    () => ({
      request: setBody(STORE_SEARCH, (b) => (Array.isArray(b.namespace_prefix) && b.namespace_prefix.length > 2 ? { ...b, namespace_prefix: b.namespace_prefix.slice(0, 2) } : b)),
    }),
    { catches: ["STO-020", "STO-021"] },
  ),
  m(
    "store-search-one-more",
    "response",
    "POST /store/items/search answers one item more than limit",
    ["STO-022", "STO-024"],
    () => ({
      response: editOk(STORE_SEARCH, (b) => (Array.isArray(b?.items) && b.items.length > 0 ? { ...b, items: [...b.items, b.items[0]] } : b)),
    }),
    { catches: ["STO-022", "STO-024"] },
  ),
  m("namespaces-max_depth-ignored", "request", "POST /store/namespaces ignores max_depth", ["STO-042"], () => ({ request: ignoreFields(NAMESPACES, "max_depth") }), { catches: ["STO-042"] }),
  m("namespaces-suffix-ignored", "request", "POST /store/namespaces ignores suffix", ["STO-041"], () => ({ request: ignoreFields(NAMESPACES, "suffix") }), { catches: ["STO-041"] }),
  m("namespaces-limit-ignored", "request", "POST /store/namespaces ignores limit", ["STO-043"], () => ({ request: ignoreFields(NAMESPACES, "limit") }), { catches: ["STO-043"] }),
  m("namespaces-offset-ignored", "request", "POST /store/namespaces ignores offset", ["STO-044"], () => ({ request: ignoreFields(NAMESPACES, "offset") }), { catches: ["STO-044"] }),
  m("namespaces-prefix-ignored", "request", "POST /store/namespaces ignores prefix", ["STO-040", "STO-041"], () => ({ request: ignoreFields(NAMESPACES, "prefix") }), {
    catches: ["STO-040", "STO-041"],
  }),

  // ---------------------------------------------------------------- crons (emulated)
  m("crons-search-thread_id-ignored", "request", "POST /runs/crons/search ignores thread_id", ["CRN-010"], () => ({}), { emulation: { crons: { ignoreThreadFilter: true } }, catches: ["CRN-010"] }),
  m("crons-any-schedule", "request", "Crons accept any schedule, cron expression or not", ["CRN-10*"], () => ({}), {
    emulation: { crons: { acceptAnySchedule: true } },
    catches: ["CRN-100", "CRN-101", "CRN-102", "CRN-103", "CRN-104"],
  }),
  m("crons-delete-keeps", "request", "DELETE /runs/crons/{cron_id} answers 200 and keeps the cron", ["CRN-03*"], () => ({}), { emulation: { crons: { deleteKeeps: true } }, catches: ["CRN-030"] }),
  m("crons-count-filter-ignored", "request", "POST /runs/crons/count counts every cron, whatever the filter", ["CRN-020", "PBT-025"], () => ({}), {
    emulation: { crons: { countIgnoresFilter: true } },
    catches: ["CRN-020", "PBT-025"],
  }),
  m("crons-search-limit-ignored", "request", "POST /runs/crons/search ignores limit", ["CRN-011"], () => ({ request: ignoreFields(CRON_SEARCH, "limit") }), { catches: ["CRN-011"] }),
  m("crons-search-reversed", "response", "POST /runs/crons/search lists in the opposite of the sort_order asked for", ["CRN-012", "CRN-013"], () => ({ response: reverseList(CRON_SEARCH) }), {
    catches: ["CRN-012", "CRN-013"],
  }),
  m("crons-search-select-ignored", "request", "POST /runs/crons/search ignores select", ["CRN-014"], () => ({ request: ignoreFields(CRON_SEARCH, "select") }), { catches: ["CRN-014"] }),
  m(
    "crons-payload-dropped",
    "response",
    "A cron's payload is answered empty",
    ["CRN-004"],
    () => ({
      response: setField(
        (r) => r.method === "POST" && /\/crons$/.test(pathOf(r)),
        "payload",
        () => ({}),
      ),
    }),
    { catches: ["CRN-004"] },
  ),
  m(
    "crons-next_run_date-off",
    "response",
    "A cron's next_run_date is a day late",
    ["CRN-003"],
    () => ({
      response: setField(
        (r) => r.method === "POST" && /\/crons$/.test(pathOf(r)),
        "next_run_date",
        (d) => (typeof d === "string" ? new Date(Date.parse(d) + 86_400_000).toISOString() : d),
      ),
    }),
    { catches: ["CRN-003"] },
  ),
  m(
    "crons-count-as-string",
    "response",
    'POST /runs/crons/count answers the count as a string ("3")',
    ["CRN-020", "PBT-025"],
    () => ({
      response: editOk(post("/runs/crons/count"), (n) => String(n)),
    }),
    { catches: ["CRN-020", "PBT-025"] },
  ),
  m(
    "crons-thread_id-swapped",
    "response",
    "A cron on a thread is answered with no thread, and a cron with no thread with a new one",
    ["CRN-00*"],
    () => ({
      response: setField(
        (r) => r.method === "POST" && /\/crons$/.test(pathOf(r)),
        "thread_id",
        (t) => (t === null ? randomUUID() : null),
      ),
    }),
    { catches: ["CRN-001", "CRN-002"] },
  ),
  m(
    "crons-404-as-500",
    "response",
    "Cron operations answer 500 where the contract says 404",
    ["CRN-03*"],
    () => ({
      response: (q, s) => (pathOf(q).includes("/crons") && s.status === 404 ? { ...s, status: 500 } : s),
    }),
    { catches: ["CRN-03*"] },
  ),
  m(
    "crons-422-as-400",
    "response",
    "Cron operations answer 400 for invalid requests where the contract says 422",
    ["CRN-1*", "CRN-034"],
    () => ({
      response: (q, s) => (pathOf(q).includes("/crons") && s.status === 422 ? { ...s, status: 400 } : s),
    }),
    { catches: ["CRN-1*", "CRN-034"] },
  ),

  // ---------------------------------------------------------------- MCP (emulated)
  m("mcp-no-server-info", "response", "The MCP initialize result lacks serverInfo", ["MCP-*"], () => ({}), { emulation: { mcp: { noServerInfo: true } }, catches: ["MCP-001"] }),
  m("mcp-notification-answered", "response", "An MCP notification is answered 200 with a body", ["MCP-*"], () => ({}), { emulation: { mcp: { answerNotifications: true } }, catches: ["MCP-002"] }),
  m("mcp-get-allowed", "response", "GET /mcp/ is answered 200", ["MCP-*"], () => ({}), { emulation: { mcp: { getAllowed: true } }, catches: ["MCP-006"] }),
  m(
    "mcp-parse-error-200",
    "response",
    "POST /mcp/ answers a body that is not JSON with 200",
    ["MCP-004"],
    () => ({
      response: (q, s) => (pathOf(q).startsWith("/mcp") && s.status === 400 ? { ...s, status: 200 } : s),
    }),
    { catches: ["MCP-004"] },
  ),
  m(
    "mcp-accept-ignored",
    "request",
    "POST /mcp/ ignores the Accept header",
    ["MCP-005"],
    () => ({
      request: (r) => (pathOf(r).startsWith("/mcp") ? { ...r, headers: { ...r.headers, accept: "application/json, text/event-stream" } } : r),
    }),
    { catches: ["MCP-005"] },
  ),
  m(
    "mcp-delete-200",
    "response",
    "DELETE /mcp/ answers 200 with no session to end",
    ["MCP-007"],
    () => ({
      response: (q, s) => (q.method === "DELETE" && pathOf(q).startsWith("/mcp") ? json(200, {}) : s),
    }),
    { catches: ["MCP-007"] },
  ),
  m(
    "mcp-unknown-method-result",
    "response",
    "POST /mcp/ answers a method it does not have with an empty result",
    ["MCP-003"],
    () => ({
      response: editOk(
        (r) => pathOf(r).startsWith("/mcp"),
        (b) => (b?.error?.code === -32601 ? { jsonrpc: "2.0", id: b.id, result: {} } : b),
      ),
    }),
    { catches: ["MCP-003"] },
  ),
];

/**
 * A cancel that ignores wait=true on a server that ends a run a moment after it
 * is asked to (a worker that notices the cancel at its next step): the cancel
 * answers at once and the run still reads `running` for LAG_MS. The reference
 * ends a run as the cancel is made, so dropping `wait` alone would change
 * nothing a client can see there.
 */
function cancelWaitIgnored(): Omit<Fault, "name"> {
  const LAG_MS = 800;
  const CANCEL = /^\/threads\/[^/]+\/runs\/([^/]+)\/cancel$/;
  const GET_RUN = /^\/threads\/[^/]+\/runs\/[^/]+$/;
  const lagging = new Map<string, number>();
  const dropWait = dropQuery(() => true, "wait");
  return {
    request: (r) => {
      const run = r.method === "POST" ? CANCEL.exec(pathOf(r))?.[1] : undefined;
      if (!run || new URL(r.path, "http://proxy.invalid").searchParams.get("wait") !== "true") return r;
      lagging.set(run, Date.now() + LAG_MS);
      return dropWait(r);
    },
    response: editOk(
      (q) => q.method === "GET" && GET_RUN.test(pathOf(q)),
      (b) => (b && typeof b === "object" && (lagging.get(b.run_id) ?? 0) > Date.now() && b.status !== "pending" && b.status !== "running" ? { ...b, status: "running" } : b),
    ),
  };
}

/**
 * Every mutant: this file's, then each part's (scripts/mutants/parts/, one file
 * per area), then the equivalence mutants (legal variations that must change
 * no verdict: scripts/mutants/equivalence.ts).
 */
export const CATALOGUE: Mutant[] = [
  ...CORE,
  ...RUNTIME_HITL_MUTANTS,
  ...SUBGRAPHS_STREAMS_MUTANTS,
  ...AUTH_MUTANTS,
  ...BOOKKEEPING_MUTANTS,
  ...VALIDATION_MUTANTS,
  ...ANSWER_MUTANTS,
  ...EQUIVALENCE_MUTANTS,
];

/**
 * Checks that pass before and that no mutant makes fail, with the reason: a
 * check that cannot fail against a server behind this proxy is no defect when
 * the reason is given here; without one it is work to do.
 */
export const UNKILLED: Record<string, string> = {};

/**
 * Several mutants at once, on one base (their emulation options merged): for
 * self-tests that show in one run that each of a few checks fails for its own
 * mutant. The mutants must break fields or operations no other of them touches.
 */
export function mutatedAll(name: string, ...ids: string[]): Fault {
  const ms = ids.map(mutant);
  const emulation: NonNullable<Mutant["emulation"]> = {};
  for (const x of ms) {
    for (const k of ["crons", "mcp", "metrics"] as const) if (x.emulation?.[k]) emulation[k] = { ...emulation[k], ...x.emulation[k] } as never;
    if (x.emulation?.unrefused) emulation.unrefused = [...(emulation.unrefused ?? []), ...x.emulation.unrefused];
  }
  const { judge, rest } = baseLayers(emulation);
  return layered(
    name,
    judge,
    rest,
    ms.map((x) => ({ name: x.id, ...x.fault() })),
  );
}

/** The mutant with this id; throws for an unknown id (a self-test naming one that was renamed). */
export function mutant(id: string): Mutant {
  const found = CATALOGUE.find((x) => x.id === id);
  if (!found) throw new Error(`no mutant '${id}' in the catalogue`);
  return found;
}
