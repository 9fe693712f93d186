// Mutants of answers that checks read but no mutant had broken: the server's
// /info, an assistant's versions and subgraphs, a new or paused thread's
// state, a checkpoint or a run that does not exist, what a wait answers, a
// cancel's action, runs on a thread that does not exist. Each names the
// checks expected to catch it (`catches`), as every bug of the catalogue does.

import { randomUUID } from "node:crypto";
import { createsRun, editOk, json, pathOf, route, setBody, withoutHeader, type Match } from "../faults";
import { m, type Mutant } from "../mutant";
import { parseJson } from "../proxy";

const ID = "[0-9a-fA-F-]{36}";
const exact = (path: string) => new RegExp(`^${path.replace(/\{id\}/g, ID)}$`);
const get = (path: string): Match => route("GET", exact(path));
const post = (path: string): Match => route("POST", exact(path));

const WAITS: Match = (r) => r.method === "POST" && /^(\/threads\/[^/]+)?\/runs\/wait$/.test(pathOf(r));
const STATE_GET = get("/threads/{id}/state");
const CHECKPOINT_GET: Match = (r) => r.method === "GET" && new RegExp(`^/threads/${ID}/state/[^/]+$`).test(pathOf(r));
const CHECKPOINT_POST = post("/threads/{id}/state/checkpoint");
const CANCEL: Match = (r) => r.method === "POST" && new RegExp(`^/threads/${ID}/runs/${ID}/cancel$`).test(pathOf(r));

export const ANSWER_MUTANTS: Mutant[] = [
  m("info-without-version", "response", "GET /info answers without version", ["SYS-003"], () => ({ response: editOk(route("GET", "/info"), ({ version: _v, ...rest }) => rest) }), {
    catches: ["SYS-003"],
  }),
  m(
    "info-flags-as-strings",
    "response",
    'GET /info gives its flags as strings ("true", "false")',
    ["SYS-004"],
    () => ({
      response: editOk(route("GET", "/info"), (b) =>
        b && typeof b.flags === "object" && b.flags ? { ...b, flags: Object.fromEntries(Object.entries(b.flags).map(([k, v]) => [k, typeof v === "boolean" ? String(v) : v])) } : b,
      ),
    }),
    { catches: ["SYS-004"] },
  ),
  m(
    "assistant-versions-without-number",
    "response",
    "POST /assistants/{assistant_id}/versions lists versions without their number",
    ["AST-080"],
    () => ({ response: editOk(post("/assistants/{id}/versions"), (b) => (Array.isArray(b) ? b.map(({ version: _v, ...rest }) => rest) : b)) }),
    { catches: ["AST-080"] },
  ),
  m(
    "assistant-versions-offset-ignored",
    "request",
    "POST /assistants/{assistant_id}/versions ignores offset",
    ["AST-081"],
    () => ({ request: setBody(post("/assistants/{id}/versions"), ({ offset: _o, ...rest }) => rest) }),
    { catches: ["AST-081"] },
  ),
  m(
    "assistant-subgraphs-empty",
    "response",
    "GET /assistants/{assistant_id}/subgraphs answers an empty map for a graph with subgraphs",
    ["AST-120"],
    () => ({
      response: editOk(get("/assistants/{id}/subgraphs"), () => ({})),
    }),
    { catches: ["AST-120"] },
  ),
  m(
    "assistant-subgraphs-namespace-ignored",
    "request",
    "GET /assistants/{assistant_id}/subgraphs/{namespace} answers every subgraph, whatever the namespace",
    ["AST-122"],
    () => ({
      request: (r) => {
        const hit = new RegExp(`^(/assistants/${ID}/subgraphs)/[^/?]+(\\?.*)?$`).exec(r.path);
        return r.method === "GET" && hit ? { ...r, path: `${hit[1]}${hit[2] ?? ""}` } : r;
      },
    }),
    { catches: ["AST-122"] },
  ),
  m(
    "thread-new-state-has-next",
    "response",
    "GET /threads/{thread_id}/state of a thread that never ran names a next node",
    ["THR-100"],
    () => ({
      response: editOk(STATE_GET, (b) =>
        b && typeof b === "object" && Array.isArray(b.next) && b.next.length === 0 && (!b.values || Object.keys(b.values).length === 0) ? { ...b, next: ["__start__"] } : b,
      ),
    }),
    { catches: ["THR-100"] },
  ),
  m(
    "thread-state-interrupts-dropped",
    "response",
    "GET /threads/{thread_id}/state of a paused thread lists no interrupts (top level nor tasks)",
    ["HIL-008"],
    () => ({
      response: editOk(STATE_GET, (b) =>
        b && typeof b === "object" ? { ...b, interrupts: [], tasks: Array.isArray(b.tasks) ? b.tasks.map((t: any) => (t && typeof t === "object" ? { ...t, interrupts: [] } : t)) : b.tasks } : b,
      ),
    }),
    { catches: ["HIL-008"] },
  ),
  m(
    "state-checkpoint-boolean-subgraphs-refused",
    "response",
    "POST /threads/{thread_id}/state/checkpoint refuses subgraphs given as a boolean (422)",
    ["THR-108"],
    () => ({
      // The repairs have written the suite's boolean as the string the reference reads by the time the answer is edited.
      response: (q, s) => (CHECKPOINT_POST(q) && ["boolean", "string"].includes(typeof parseJson(q.body)?.subgraphs) ? json(422, { detail: "subgraphs: expected a string" }) : s),
    }),
    { catches: ["THR-108"] },
  ),
  m(
    "state-unknown-checkpoint-200",
    "response",
    "A thread's state at a checkpoint it does not have answers 200 with an empty state instead of 404",
    ["THR-111"],
    () => ({
      response: (q, s) =>
        (CHECKPOINT_GET(q) || CHECKPOINT_POST(q)) && s.status === 404
          ? json(200, { values: {}, next: [], tasks: [], metadata: {}, created_at: null, checkpoint: null, parent_checkpoint: null, interrupts: [] })
          : s,
    }),
    { catches: ["THR-111"] },
  ),
  m(
    "cancel-interrupt-as-rollback",
    "request",
    "Cancelling with action=interrupt rolls the run back (it is deleted)",
    ["MTK-030", "MTK-034"],
    () => ({
      request: (r) => {
        if (!CANCEL(r)) return r;
        const u = new URL(r.path, "http://proxy.invalid");
        if (u.searchParams.get("action") !== "interrupt") return r;
        u.searchParams.set("action", "rollback");
        return { ...r, path: `${u.pathname}${u.search}` };
      },
    }),
    { catches: ["MTK-030", "MTK-034"] },
  ),
  m(
    "run-unknown-thread-created",
    "request",
    "A run on a thread that does not exist creates the thread (if_not_exists taken as create, whatever was sent)",
    ["MTK-063", "MTK-064", "MTK-065", "MTK-066", "MTK-072", "RUN-025"],
    () => ({
      request: setBody(
        (r) => createsRun(r) && /^\/threads\//.test(pathOf(r)),
        (b) => ({ ...b, if_not_exists: "create" }),
      ),
    }),
    { catches: ["MTK-063", "MTK-064", "MTK-065", "MTK-066", "MTK-072", "RUN-025"] },
  ),
  m(
    "run-join-unknown-200",
    "response",
    "GET .../join of a run that does not exist answers 200 with an empty object",
    ["RUN-033"],
    () => ({
      response: (q, s) => (q.method === "GET" && /\/join$/.test(pathOf(q)) && s.status === 404 ? json(200, {}) : s),
    }),
    { catches: ["RUN-033"] },
  ),
  m(
    "run-wait-answers-wrapped",
    "response",
    "POST .../runs/wait answers the final values wrapped in an object ({values: ...}) instead of the values themselves",
    ["RUN-020", "SRN-010"],
    () => ({ response: editOk(WAITS, (b) => ({ values: b })) }),
    { catches: ["RUN-020", "SRN-010"] },
  ),
  m(
    "run-wait-error-dropped",
    "response",
    "POST .../runs/wait of a graph that raises answers without __error__",
    ["RUN-024", "SRN-013"],
    () => ({ response: editOk(WAITS, (b) => (b && typeof b === "object" && "__error__" in b ? (({ __error__: _e, ...rest }) => rest)(b) : b)) }),
    { catches: ["RUN-024", "SRN-013"] },
  ),
  m(
    "run-wait-content-location-thread",
    "response",
    "The Content-Location of a wait names the thread, not the run",
    ["RUN-023", "SRN-014"],
    () => ({
      response: (q, s) => {
        const loc = s.headers["content-location"];
        return WAITS(q) && loc ? { ...s, headers: { ...s.headers, "content-location": loc.replace(/\/runs\/[^/]+\/?$/, "") } } : s;
      },
    }),
    { catches: ["RUN-023", "SRN-014"] },
  ),
  m("run-wait-content-location-dropped", "response", "A wait is answered without Content-Location", ["RUN-022", "SRN-011"], () => ({ response: withoutHeader(WAITS, "content-location") }), {
    catches: ["RUN-022", "SRN-011"],
  }),
  m(
    "stateless-wait-graph-id-not-resolved",
    "request",
    "POST /runs/wait naming a graph id as assistant_id is refused (only assistant UUIDs are looked up)",
    ["SRN-012"],
    () => ({
      request: setBody(post("/runs/wait"), (b) => (typeof b.assistant_id === "string" && !/^[0-9a-f-]{36}$/i.test(b.assistant_id) ? { ...b, assistant_id: randomUUID() } : b)),
    }),
    { catches: ["SRN-012"] },
  ),
  m(
    "run-wait-answers-before-success",
    "response",
    "POST /threads/{thread_id}/runs/wait answers while its run still reads running (the list right after shows it running)",
    ["RUN-021"],
    () => {
      const waited = new Set<string>();
      return {
        response: (q, s) => {
          const tid = new RegExp(`^/threads/(${ID})/runs(/wait)?$`).exec(pathOf(q));
          if (!tid || s.status !== 200) return s;
          if (q.method === "POST" && tid[2]) waited.add(tid[1]!);
          else if (q.method === "GET" && !tid[2] && waited.delete(tid[1]!)) {
            const list = parseJson(s.body);
            if (Array.isArray(list))
              return json(
                200,
                list.map((r) => (r && typeof r === "object" ? { ...r, status: "running" } : r)),
              );
          }
          return s;
        },
      };
    },
    { catches: ["RUN-021"] },
  ),
  m(
    "cancel-marks-finished-run-interrupted",
    "response",
    "Cancelling a run that has already succeeded marks it interrupted",
    ["MTK-040"],
    () => {
      const cancelled = new Set<string>();
      return {
        response: (q, s) => {
          const path = pathOf(q);
          const hit = new RegExp(`^/threads/${ID}/runs/(${ID})(/cancel)?$`).exec(path);
          if (!hit) return s;
          if (q.method === "POST" && hit[2] && s.status < 300) cancelled.add(hit[1]!);
          else if (q.method === "GET" && !hit[2] && s.status === 200 && cancelled.has(hit[1]!)) {
            const run = parseJson(s.body);
            return json(200, run && typeof run === "object" ? { ...run, status: "interrupted" } : run);
          }
          return s;
        },
      };
    },
    { catches: ["MTK-040"] },
  ),
];
