// Mutants of the refusals: a server that validates nothing on one group of
// operations. The base refuses what breaks the contract's request schemas
// before the reference sees it (contractRefusals), so every check that sends
// an invalid request passed there without a mutant able to test it; these
// mutants take that refusal away for their operations (emulation.unrefused)
// and carry out what the server would have refused (400, 415, 422) with a
// 200, as a handler without validation does. Their expected catchers are the
// checks that send such requests: the named refusal checks and the property
// checks of generated invalid bodies.
//
// And one of path parameters: a thread id that is not a UUID reaches the
// database and comes back as a server error.

import { randomUUID } from "node:crypto";
import { json, operationKeyOf, pathOf, type Match } from "../faults";
import { m, type Mutant } from "../mutant";
import type { ProxiedRequest, ProxiedResponse } from "../proxy";

const REFUSED = new Set([400, 415, 422]);

/** What a handler without validation answers: something of the operation's shape (a list for a search, a number for a count). */
function carriedOut(req: ProxiedRequest): unknown {
  const path = pathOf(req);
  if (/\/(search|namespaces)$/.test(path) || (req.method === "GET" && /\/runs$/.test(path))) return /\/store\//.test(path) ? { items: [], namespaces: [] } : [];
  if (/\/count$/.test(path)) return 0;
  if (/\/runs\/batch$/.test(path)) return [];
  const now = new Date().toISOString();
  return { id: randomUUID(), created_at: now, updated_at: now, metadata: {} };
}

/**
 * The operations `ops` validate nothing: what the contract refuses reaches the
 * server and is carried out (200; `refused` are the answers it stands for,
 * 400, 415 and 422 unless given).
 */
function unvalidated(id: string, description: string, ops: string[], checks: string[], refused = REFUSED, status = 200): Mutant {
  const matches: Match = (r) => ops.includes(operationKeyOf(r) ?? "");
  return m(
    id,
    "request",
    description,
    checks,
    () => ({
      response: (q: ProxiedRequest, s: ProxiedResponse) => (matches(q) && refused.has(s.status) ? (status === 204 ? { status, headers: {}, body: "" } : json(status, carriedOut(q))) : s),
    }),
    { emulation: { unrefused: ops }, catches: checks },
  );
}

const RUN_CREATES = ["POST /threads/{thread_id}/runs", "POST /threads/{thread_id}/runs/stream", "POST /threads/{thread_id}/runs/wait"];

export const VALIDATION_MUTANTS: Mutant[] = [
  unvalidated(
    "assistant-create-unvalidated",
    "POST /assistants validates nothing: a body the contract refuses creates an assistant (200)",
    ["POST /assistants"],
    ["AST-130", "AST-131", "AST-132", "AST-133", "AST-134", "AST-135", "AST-137", "PBT-101"],
  ),
  unvalidated(
    "assistant-search-unvalidated",
    "POST /assistants/search and /count validate nothing: a bad limit, offset, sort or select answers 200",
    ["POST /assistants/search", "POST /assistants/count"],
    ["AST-138", "AST-139", "AST-140", "AST-141", "AST-142", "AST-143", "AST-144", "AST-145", "PBT-102", "PBT-103"],
  ),
  unvalidated(
    "assistant-update-unvalidated",
    "PATCH /assistants/{assistant_id}, its versions and set-latest validate nothing: fields of the wrong type answer 200",
    ["PATCH /assistants/{assistant_id}", "POST /assistants/{assistant_id}/versions", "POST /assistants/{assistant_id}/latest"],
    ["AST-146", "PBT-104", "PBT-105", "PBT-106"],
  ),
  unvalidated(
    "thread-create-unvalidated",
    "POST /threads validates nothing: a body the contract refuses creates a thread (200)",
    ["POST /threads"],
    ["THR-200", "THR-201", "THR-202", "THR-203", "THR-204", "THR-205", "THR-207", "PBT-107"],
  ),
  unvalidated(
    "thread-search-unvalidated",
    "POST /threads/search and /count validate nothing: a bad limit, offset, sort, status, select or metadata answers 200",
    ["POST /threads/search", "POST /threads/count"],
    ["THR-210", "THR-211", "THR-212", "THR-213", "THR-214", "THR-215", "THR-216", "THR-217", "THR-218", "THR-219", "PBT-108", "PBT-109"],
  ),
  unvalidated("thread-patch-unvalidated", "PATCH /threads/{thread_id} validates nothing: metadata that is not an object answers 200", ["PATCH /threads/{thread_id}"], ["THR-220", "PBT-110"]),
  unvalidated(
    "thread-state-unvalidated",
    "A thread's state update, checkpoint read and history validate nothing: bad values, as_node, checkpoint or limit answer 200",
    ["POST /threads/{thread_id}/state", "POST /threads/{thread_id}/state/checkpoint", "POST /threads/{thread_id}/history", "GET /threads/{thread_id}/history"],
    ["THR-240", "THR-241", "THR-242", "THR-243", "THR-244", "THR-245", "THR-246", "PBT-111", "PBT-112", "PBT-113"],
  ),
  unvalidated("run-create-unvalidated", "Runs on a thread (create, stream, wait) validate nothing: a body the contract refuses answers 200", RUN_CREATES, [
    "RUN-100",
    "RUN-101",
    "RUN-102",
    "RUN-103",
    "RUN-104",
    "RUN-105",
    "RUN-106",
    "RUN-107",
    "RUN-108",
    "RUN-109",
    "RUN-110",
    "RUN-111",
    "RUN-112",
    "RUN-122",
    "RUN-123",
    "PBT-114",
    "PBT-115",
    "PBT-116",
  ]),
  unvalidated(
    "run-list-unvalidated",
    "GET /threads/{thread_id}/runs validates nothing: a bad limit, offset, status or select answers 200",
    ["GET /threads/{thread_id}/runs"],
    ["RUN-150", "RUN-151", "RUN-152", "RUN-153"],
  ),
  unvalidated(
    "stateless-run-unvalidated",
    "Stateless runs (create, stream, wait, batch) validate nothing: a body the contract refuses answers 200",
    ["POST /runs", "POST /runs/stream", "POST /runs/wait", "POST /runs/batch"],
    ["SRN-022", "SRN-023", "SRN-024", "SRN-100", "SRN-101", "SRN-102", "SRN-103", "SRN-104", "SRN-105", "SRN-112", "SRN-113", "PBT-118", "PBT-119", "PBT-120", "PBT-121"],
  ),
  // The reference answers 404 to a cancel that names nothing it has; a handler without validation cancels nothing and says so with 204.
  unvalidated(
    "runs-cancel-unvalidated",
    "POST /runs/cancel validates nothing: a body the contract refuses cancels nothing and answers 204",
    ["POST /runs/cancel"],
    ["PBT-117"],
    new Set([...REFUSED, 404]),
    204,
  ),
  unvalidated(
    "store-unvalidated",
    "The store's put, delete, search and namespaces validate nothing: a body the contract refuses answers 200",
    ["PUT /store/items", "DELETE /store/items", "POST /store/items/search", "POST /store/namespaces"],
    ["PBT-126", "PBT-127", "PBT-128", "PBT-129"],
  ),
  unvalidated(
    "crons-unvalidated",
    "The cron operations (create, search, count) validate nothing: a body the contract refuses answers 200",
    ["POST /threads/{thread_id}/runs/crons", "POST /runs/crons", "POST /runs/crons/search", "POST /runs/crons/count"],
    ["PBT-122", "PBT-123", "PBT-124", "PBT-125"],
  ),
  m(
    "thread-id-not-uuid-500",
    "response",
    "A thread_id that is not a UUID reaches the database: the thread operations answer 500",
    ["THR-230", "THR-231", "THR-232", "THR-233", "THR-234", "THR-235"],
    () => ({
      response: (q, s) =>
        /^\/threads\/(?![0-9a-fA-F-]{36}(\/|$))[^/]+(\/|$)/.test(pathOf(q)) && !/^\/threads\/(search|count)$/.test(pathOf(q)) ? json(500, { detail: "invalid input syntax for type uuid" }) : s,
    }),
    { catches: ["THR-230", "THR-231", "THR-232", "THR-233", "THR-234", "THR-235"] },
  ),
];
