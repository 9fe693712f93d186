// What the embedded reference server does not offer (crons, the MCP endpoint,
// GET /metrics), emulated in the fault proxy as the contract describes it, so
// that the checks of those parts can be shown to pass against a server that
// keeps the contract and to fail against one that breaks it in one way. Each
// emulation takes options that break exactly one requirement.
//
// The emulation answers from the proxy's response hook: the request still goes
// to the reference server first (which answers 404, 400 or 500 there) and its
// answer is replaced. Threads and assistants stay the reference server's; the
// emulation learns their ids from the answers that pass through.

import { randomUUID } from "node:crypto";
import type { Fault, ProxiedRequest, ProxiedResponse } from "./proxy";

const json = (status: number, body: unknown): ProxiedResponse => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const detail = (status: number, message: string) => json(status, { detail: message });
const pathOf = (r: ProxiedRequest) => new URL(r.path, "http://proxy.invalid").pathname;
const queryOf = (r: ProxiedRequest) => new URL(r.path, "http://proxy.invalid").searchParams;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse(r: ProxiedRequest): { ok: true; body: any } | { ok: false } {
  try {
    return { ok: true, body: r.body ? JSON.parse(r.body) : {} };
  } catch {
    return { ok: false };
  }
}

// ------------------------------------------------------------------ crons

/** Ranges of the five fields: minute, hour, day of month, month, day of week. */
const FIELDS: Array<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

function validSchedule(s: unknown): boolean {
  if (typeof s !== "string") return false;
  const fields = s.split(" ");
  if (fields.length !== 5) return false;
  return fields.every((f, i) => {
    const [lo, hi] = FIELDS[i]!;
    return f.split(",").every((part) => {
      const m = /^(\*|\d+)(?:\/(\d+))?$/.exec(part);
      if (!m) return false;
      return m[1] === "*" || (Number(m[1]) >= lo && Number(m[1]) <= hi);
    });
  });
}

export interface CronsOptions {
  /** Search ignores its thread_id filter. */
  ignoreThreadFilter?: boolean;
  /** Crons never fire. */
  neverFire?: boolean;
  /** A cron fires its runs without the payload's input. */
  fireWithoutInput?: boolean;
  /** Any schedule is accepted. */
  acceptAnySchedule?: boolean;
  /** DELETE answers 200 and keeps the cron. */
  deleteKeeps?: boolean;
  /** Count counts every cron, whatever the filter. */
  countIgnoresFilter?: boolean;
}

/** Does the five-field `schedule` fire in the minute that starts at `t` (UTC)? */
function firesAt(schedule: string, t: Date): boolean {
  const now = [t.getUTCMinutes(), t.getUTCHours(), t.getUTCDate(), t.getUTCMonth() + 1, t.getUTCDay()];
  return schedule.split(" ").every((f, i) =>
    f.split(",").some((part) => {
      const m = /^(\*|\d+)(?:\/(\d+))?$/.exec(part);
      if (!m) return false;
      if (m[1] === "*") return now[i]! % Number(m[2] ?? 1) === 0;
      return Number(m[1]) === now[i];
    }),
  );
}

/** The next minute (after now, within `horizonMs`) at which `schedule` fires, or undefined. */
function nextFire(schedule: string, horizonMs: number): number | undefined {
  const start = Math.floor(Date.now() / 60_000) * 60_000 + 60_000;
  for (let t = start; t <= Date.now() + horizonMs; t += 60_000) if (firesAt(schedule, new Date(t))) return t;
  return undefined;
}

/** How far ahead the emulation arms a cron's next firing (a run of the suite is shorter). */
const FIRE_HORIZON_MS = 10 * 60_000;

/**
 * Crons as the contract describes them, and GET /info declaring flags.crons = true.
 * A cron fires when its schedule says, while the proxy runs: the emulation
 * creates the run of its payload on the upstream server (on the cron's thread,
 * or, for a cron with no thread, as a stateless run).
 */
export function emulateCrons(opts: CronsOptions = {}): Fault {
  let upstream: string | undefined;
  const timers = new Map<string, NodeJS.Timeout>();
  const threads = new Set<string>();
  const assistants = new Set<string>();
  const crons = new Map<string, Record<string, any>>();
  let lastMs = 0;
  const now = () => {
    lastMs = Math.max(Date.now(), lastMs + 1);
    return new Date(lastMs).toISOString();
  };

  function create(body: any, threadId: string | null): ProxiedResponse {
    if (typeof body?.assistant_id !== "string") return detail(422, "assistant_id is required");
    if (!opts.acceptAnySchedule && !validSchedule(body.schedule)) return detail(422, "schedule is not a cron expression");
    if (body.multitask_strategy !== undefined && !["reject", "rollback", "interrupt", "enqueue"].includes(body.multitask_strategy)) return detail(422, "multitask_strategy");
    if (body.end_time !== undefined && (typeof body.end_time !== "string" || Number.isNaN(Date.parse(body.end_time)))) return detail(422, "end_time is a date-time");
    if (threadId !== null && !threads.has(threadId)) return detail(404, "thread not found");
    if (!assistants.has(body.assistant_id)) return detail(404, "assistant not found");
    const at = now();
    const year = new Date().getUTCFullYear() + 1;
    const payload: Record<string, unknown> = { assistant_id: body.assistant_id, input: body.input ?? null };
    for (const k of ["config", "context", "metadata", "interrupt_before", "interrupt_after", "webhook", "multitask_strategy"]) if (body[k] !== undefined) payload[k] = body[k];
    const cron = {
      cron_id: randomUUID(),
      assistant_id: body.assistant_id,
      thread_id: threadId,
      end_time: body.end_time ?? null,
      schedule: body.schedule,
      created_at: at,
      updated_at: at,
      user_id: null,
      payload,
      next_run_date: body.schedule === "0 0 1 1 *" ? new Date(Date.UTC(year, 0, 1)).toISOString() : null,
      metadata: body.metadata ?? {},
      on_run_completed: threadId === null ? (body.on_run_completed ?? "delete") : null,
      enabled: true,
    };
    crons.set(cron.cron_id, cron);
    arm(cron);
    return json(200, cron);
  }

  /** Sets the timer of the cron's next firing, if it falls within the horizon. */
  function arm(cron: Record<string, any>): void {
    if (opts.neverFire || typeof cron.schedule !== "string") return;
    const at = nextFire(cron.schedule, FIRE_HORIZON_MS);
    if (at === undefined) return;
    const timer = setTimeout(
      () => {
        timers.delete(cron.cron_id);
        if (!crons.has(cron.cron_id)) return;
        void fire(cron).finally(() => arm(cron));
      },
      Math.max(0, at - Date.now()),
    );
    timer.unref();
    timers.set(cron.cron_id, timer);
  }

  /** Creates the run of the cron's payload on the upstream server. */
  async function fire(cron: Record<string, any>): Promise<void> {
    if (!upstream) return;
    const { multitask_strategy, ...payload } = cron.payload;
    const body: Record<string, unknown> = { ...payload, ...(opts.fireWithoutInput ? { input: null } : {}) };
    const path = cron.thread_id ? `/threads/${cron.thread_id}/runs` : "/runs";
    if (cron.thread_id) body.multitask_strategy = multitask_strategy ?? "enqueue";
    else body.on_completion = cron.on_run_completed ?? "delete";
    try {
      await fetch(upstream + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    } catch {
      /* a firing that fails makes no run: the checks see none */
    }
  }

  function matching(body: any, ignoreThread = false) {
    return [...crons.values()].filter(
      (c) => (body.assistant_id === undefined || c.assistant_id === body.assistant_id) && (ignoreThread || body.thread_id === undefined || c.thread_id === body.thread_id),
    );
  }

  function search(body: any): ProxiedResponse {
    const { limit = 10, offset = 0, sort_by = "created_at", sort_order = "desc" } = body;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return detail(422, "limit");
    if (!Number.isInteger(offset) || offset < 0) return detail(422, "offset");
    if (!["cron_id", "assistant_id", "thread_id", "next_run_date", "end_time", "created_at", "updated_at"].includes(sort_by)) return detail(422, "sort_by");
    if (!["asc", "desc"].includes(sort_order)) return detail(422, "sort_order");
    if (body.thread_id !== undefined && !UUID.test(String(body.thread_id))) return detail(422, "thread_id is a UUID");
    const list = matching(body, opts.ignoreThreadFilter).sort((a, b) => {
      const x = String(a[sort_by] ?? "");
      const y = String(b[sort_by] ?? "");
      return (x < y ? -1 : x > y ? 1 : 0) * (sort_order === "asc" ? 1 : -1);
    });
    const page = list.slice(offset, offset + limit);
    const select: string[] | undefined = body.select;
    return json(200, select ? page.map((c) => Object.fromEntries(select.map((k) => [k, c[k]]))) : page);
  }

  return {
    name: "emulated crons",
    attach(url) {
      upstream = url;
    },
    detach() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
    response(q, s) {
      const path = pathOf(q);
      if (q.method === "GET" && path === "/info" && s.status === 200) {
        const info = JSON.parse(s.body);
        return json(200, { ...info, flags: { ...info.flags, crons: true } });
      }
      if (s.status === 200 && q.method === "POST" && (path === "/threads" || /^\/threads\/[^/]+\/copy$/.test(path))) {
        const id = JSON.parse(s.body)?.thread_id;
        if (typeof id === "string") threads.add(id);
        return s;
      }
      if (s.status === 200 && q.method === "POST" && path === "/assistants") {
        const id = JSON.parse(s.body)?.assistant_id;
        if (typeof id === "string") assistants.add(id);
        return s;
      }
      const threadCron = /^\/threads\/([^/]+)\/runs\/crons$/.exec(path);
      const byId = /^\/runs\/crons\/([^/]+)$/.exec(path);
      const isCron = threadCron || path === "/runs/crons" || path === "/runs/crons/search" || path === "/runs/crons/count" || byId;
      if (!isCron) return s;
      const parsed = parse(q);
      if (!parsed.ok) return detail(422, "the body is not valid JSON");
      const body = parsed.body;
      if (q.method === "POST" && threadCron) return create(body, threadCron[1]!);
      if (q.method === "POST" && path === "/runs/crons") return create(body, null);
      if (q.method === "POST" && path === "/runs/crons/search") return search(body);
      if (q.method === "POST" && path === "/runs/crons/count") {
        if (body.thread_id !== undefined && !UUID.test(String(body.thread_id))) return detail(422, "thread_id is a UUID");
        return json(200, opts.countIgnoresFilter ? crons.size : matching(body).length);
      }
      if (q.method === "DELETE" && byId) {
        const id = byId[1]!;
        if (!UUID.test(id)) return detail(422, "cron_id is a UUID");
        if (!crons.has(id)) return detail(404, "cron not found");
        if (!opts.deleteKeeps) {
          crons.delete(id);
          clearTimeout(timers.get(id));
          timers.delete(id);
        }
        return json(200, {});
      }
      return s;
    },
  };
}

/** The cron operations of a server that does not offer crons, as the contract wants: 404 with an error body. */
export function cronsDeclaredOff(): Fault {
  return {
    name: "crons declared off",
    response(q, s) {
      const path = pathOf(q);
      if (q.method === "GET" && path === "/info" && s.status === 200) {
        const info = JSON.parse(s.body);
        return json(200, { ...info, flags: { ...info.flags, crons: false } });
      }
      if (/^\/threads\/[^/]+\/runs\/crons$/.test(path) || path.startsWith("/runs/crons")) return detail(404, "crons are not offered by this server");
      return s;
    },
  };
}

// -------------------------------------------------------------------- mcp

export interface McpOptions {
  /** The initialize result lacks serverInfo. */
  noServerInfo?: boolean;
  /** Notifications are answered 200 with a body. */
  answerNotifications?: boolean;
  /** GET is answered 200. */
  getAllowed?: boolean;
}

/** A stateless MCP endpoint (Streamable HTTP transport) that answers with JSON. */
export function emulateMcp(opts: McpOptions = {}): Fault {
  return {
    name: "emulated MCP",
    response(q, s) {
      const path = pathOf(q);
      if (path !== "/mcp/" && path !== "/mcp") return s;
      if (q.method === "GET") return opts.getAllowed ? json(200, {}) : detail(405, "GET is not allowed");
      if (q.method === "DELETE") return detail(404, "Session not found");
      if (q.method !== "POST") return detail(405, "method not allowed");
      const accept = q.headers["accept"] ?? "";
      if (!accept.includes("application/json") || !accept.includes("text/event-stream")) {
        return json(406, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Accept must list application/json and text/event-stream" } });
      }
      const parsed = parse(q);
      if (!parsed.ok) return json(400, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      const m = parsed.body;
      if (m?.id === undefined) return opts.answerNotifications ? json(200, { ok: true }) : { status: 202, headers: {}, body: "" };
      if (m.method === "initialize") {
        const result: Record<string, unknown> = { protocolVersion: "2025-03-26", capabilities: { tools: {} } };
        if (!opts.noServerInfo) result.serverInfo = { name: "emulated", version: "0.0.0" };
        return json(200, { jsonrpc: "2.0", id: m.id, result });
      }
      return json(200, { jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "Method not found" } });
    },
  };
}

// ---------------------------------------------------------------- metrics

export interface MetricsOptions {
  /** JSON whatever the format asked for. */
  jsonByDefault?: boolean;
  /** A sample line the exposition format does not allow. */
  garbledLine?: boolean;
}

export function emulateMetrics(opts: MetricsOptions = {}): Fault {
  return {
    name: "emulated metrics",
    response(q, s) {
      if (q.method !== "GET" || pathOf(q) !== "/metrics") return s;
      const format = queryOf(q).get("format") ?? "prometheus";
      if (format === "json" || opts.jsonByDefault) return json(200, { queue: { n_pending: 0, n_running: 0 }, workers: { active: 1 } });
      if (format !== "prometheus") return detail(422, "format is one of prometheus, json");
      const text = `# HELP lg_api_runs_total Runs started.\n# TYPE lg_api_runs_total counter\nlg_api_runs_total{graph="echo"} 3\n${opts.garbledLine ? "lg_api_workers = three\n" : "lg_api_workers 1\n"}`;
      return { status: 200, headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" }, body: text };
    },
  };
}
