// The target: given by URL (flag or environment) or started by the suite. This
// module parses the options into a connection, probes that the target is a
// LangGraph server at all, and reads what it declares about itself.

import { isSecretHeader, registerCredential, registerSecret } from "./evidence";
import { createApi, newRecorder, TransportError, type HttpResponse, type TargetConnection } from "./http";
import { PROFILES, type Profile } from "./model";
import type { Claim, Identity } from "./run-context";

/** A problem with how the suite was invoked or with reaching the target: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_STREAM_TIMEOUT_MS = 60_000;

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function parseHeader(raw: string): [string, string] {
  const colon = raw.indexOf(":");
  if (colon <= 0) throw new UsageError(`--header '${raw}' is not of the form "Name: value"`);
  const name = raw.slice(0, colon).trim();
  const value = raw.slice(colon + 1).trim();
  if (!HEADER_NAME.test(name)) throw new UsageError(`--header '${raw}': '${name}' is not a valid header name`);
  if (/[\r\n\0]/.test(value)) throw new UsageError(`--header '${name}': the value contains a line break or NUL`);
  return [name.toLowerCase(), value];
}

const IDENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * `--identity NAME="Header: value"` (repeatable; a name given twice gets both
 * headers): the users of the auth profile, in the order first given. The
 * values are credentials: registered as secrets at once, and never echoed by
 * an error message.
 */
export function parseIdentities(raws: string[]): Identity[] {
  const out: Identity[] = [];
  for (const raw of raws) {
    const eq = raw.indexOf("=");
    const name = eq > 0 ? raw.slice(0, eq).trim() : "";
    if (!IDENTITY_NAME.test(name)) {
      throw new UsageError(`--identity expects NAME="Header: value" with NAME of letters, digits, '_', '.' or '-' (got ${eq > 0 ? `the name '${name.slice(0, 64)}'` : "no NAME="})`);
    }
    const header = raw.slice(eq + 1);
    const colon = header.indexOf(":");
    const hname = colon > 0 ? header.slice(0, colon).trim() : "";
    const value = colon > 0 ? header.slice(colon + 1).trim() : "";
    if (!HEADER_NAME.test(hname) || !value) throw new UsageError(`--identity ${name}: expected ${name}="Header: value" (the value is not shown: it is a credential)`);
    if (/[\r\n\0]/.test(value)) throw new UsageError(`--identity ${name}: the value of '${hname}' contains a line break or NUL`);
    registerCredential(value);
    let id = out.find((i) => i.name === name);
    if (!id) out.push((id = { name, headers: {} }));
    id.headers[hname.toLowerCase()] = value;
  }
  return out;
}

export function parseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`'${raw}' is not a URL (expected e.g. http://localhost:8123)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`'${raw}' is not an http(s) URL`);
  if (url.search || url.hash) throw new UsageError(`'${raw}': give the server's base URL, without query or fragment`);
  return url.toString().replace(/\/+$/, "");
}

export function parsePositiveInt(raw: string, flag: string): number {
  if (!/^[0-9]+$/.test(raw) || Number(raw) <= 0 || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`${flag} expects a positive integer, got '${raw}'`);
  }
  return Number(raw);
}

export function parseProfiles(raw: string, flag = "--profile"): Profile[] {
  const list = raw
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of list) {
    if (!(PROFILES as readonly string[]).includes(p)) throw new UsageError(`${flag}: unknown profile '${p}' (known: ${PROFILES.join(", ")})`);
  }
  return list as Profile[];
}

export function connection(opts: { url: string; apiKey?: string; headers?: string[]; requestTimeoutMs?: number; streamTimeoutMs?: number }): TargetConnection {
  const headers: Record<string, string> = {};
  for (const raw of opts.headers ?? []) {
    const [name, value] = parseHeader(raw);
    headers[name] = value;
    if (isSecretHeader(name)) registerSecret(value);
  }
  registerSecret(opts.apiKey);
  return {
    url: parseUrl(opts.url),
    headers,
    ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
    requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    streamTimeoutMs: opts.streamTimeoutMs ?? DEFAULT_STREAM_TIMEOUT_MS,
  };
}

export interface ProbeResult {
  /** GET /info's body when it answered JSON; undefined otherwise. */
  info?: Record<string, any>;
  /** Graph ids of the target's system assistants, when it lists them. */
  graphs?: string[];
  /** What the probe noticed but did not stop for (GET /ok missing on a server that otherwise speaks the API). */
  warnings: string[];
  /** false when POST /mcp/ answers 404: the target has no MCP endpoint at all. */
  mcpOffered?: boolean;
}

/** The reason given when the target has no MCP endpoint. */
export const MCP_ABSENT = "the target does not offer the MCP endpoint: POST /mcp/ answers 404 to an initialize request (--claim mcp to judge it anyway)";

/**
 * A request sent as the target's own connection, and again as a user where it
 * was refused (401 or 403): a deployment whose auth guards every route, /ok
 * too, is the auth profile's target, and is probed (and awaited) as one of its
 * users. `send` is given the headers to add.
 */
export async function askedAs<R extends { status: number }>(send: (headers: Record<string, string>) => Promise<R>, userHeaders?: Record<string, string>): Promise<R> {
  const first = await send({});
  return (first.status === 401 || first.status === 403) && userHeaders ? send(userHeaders) : first;
}

/**
 * Is this a server of this API that answers? GET /ok answering JSON in time says
 * so. A server without a working /ok still speaks the API if POST
 * /assistants/search answers a JSON list: the run goes on (the system checks
 * judge /ok). Anything else (refused, silent, HTML) is a one-line reason to stop
 * before running a single check.
 */
export async function probe(target: TargetConnection, asUser?: Identity): Promise<ProbeResult> {
  const api = createApi({ target, recorder: newRecorder() });
  const result: ProbeResult = { warnings: [] };
  const asked = (send: (headers: Record<string, string>) => Promise<HttpResponse>) => askedAs(send, asUser?.headers);
  let ok;
  try {
    ok = await asked((headers) => api.get("/ok", { headers }));
  } catch (e) {
    const msg = e instanceof TransportError ? (e.record.error ?? e.message) : String(e);
    throw new UsageError(`cannot reach the target at ${target.url}: ${msg}`);
  }
  const ct = ok.headers["content-type"] ?? "";
  if (ok.status === 401 || ok.status === 403) {
    throw new UsageError(
      `the target at ${target.url} refused GET /ok with ${ok.status}: give an API key (--api-key or LANGGRAPH_API_KEY) or the credentials it wants (--header "Authorization: ..."; the auth profile's users go in --identity)`,
    );
  }
  const okSpeaks = /json/i.test(ct) && ok.json !== undefined && ok.status < 500;
  if (!okSpeaks) {
    const title = /<title>([^<]{0,80})/i.exec(ok.text)?.[1];
    const what = `GET /ok answered ${ok.status} ${ct || "(no content type)"}${title ? ` ("${title.trim()}")` : ""}`;
    let speaks = false;
    try {
      const search = await api.post("/assistants/search", { limit: 1 });
      speaks = search.status === 200 && Array.isArray(search.json);
    } catch {
      speaks = false;
    }
    if (!speaks) {
      if (ok.status >= 500 && /json/i.test(ct)) throw new UsageError(`the target at ${target.url} is unhealthy: ${what} ${ok.text.slice(0, 120)}`);
      throw new UsageError(`the target at ${target.url} is not a LangGraph server: ${what}, not JSON, and POST /assistants/search does not answer a JSON list`);
    }
    result.warnings.push(`${what}; going on because POST /assistants/search answers a JSON list (the system checks judge /ok)`);
  }

  try {
    const info = await asked((headers) => api.get("/info", { headers }));
    if (info.status === 200 && info.json && typeof info.json === "object") result.info = info.json;
  } catch {
    /* /info is judged by its own checks */
  }
  try {
    // The MCP endpoint has no flag in GET /info: a 404 to an initialize request says
    // there is no endpoint at all (a server that has one answers it, or refuses it
    // with another status that its checks judge).
    const mcp = await asked((headers) =>
      api.post(
        "/mcp/",
        {
          jsonrpc: "2.0",
          id: "conformance-probe",
          method: "initialize",
          params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "langgraph-conformance-probe", version: "0" } },
        },
        { headers: { accept: "application/json, text/event-stream", ...headers } },
      ),
    );
    result.mcpOffered = mcp.status !== 404;
  } catch {
    /* unknown: the MCP checks judge it */
  }
  try {
    const res = await asked((headers) => api.post("/assistants/search", { metadata: { created_by: "system" }, limit: 1000 }, { headers }));
    if (res.status === 200 && Array.isArray(res.json)) {
      result.graphs = [...new Set(res.json.map((a: any) => a?.graph_id).filter((g: unknown) => typeof g === "string"))] as string[];
      // An empty list tells nothing: better to run and fail than to skip silently.
      if (result.graphs.length === 0) delete result.graphs;
    }
  } catch {
    /* unknown: checks that need a graph run and say what went wrong */
  }
  return result;
}

/** Why the auth profile is not claimed without identities. */
export const AUTH_NEEDS_IDENTITIES =
  'the auth profile needs at least two identities of a deployment with the fixture auth (--identity NAME="Header: value", repeated; see README, What your server must deploy)';

/** The reason given when the target itself declares that it does not offer crons. */
export const CRONS_DECLARED_OFF = "GET /info declares flags.crons = false";

/**
 * Which profiles the target claims. Core profiles are claimed by every server
 * of this API; optional ones follow what the server declares in /info; flags on
 * the command line override both.
 *
 * - crons: the documents make them an optional tier (the LangGraph Cloud API
 *   reference, api-ref-legacy: "Crons (Enterprise-only)"; the API reference,
 *   api-ref: "Crons (Plus tier)"), and GET /info's
 *   flags.crons says whether they are offered: false is "not claimed"; true, or
 *   no flag at all, is claimed (a server that says nothing is judged on them).
 * - mcp: the API reference lists the MCP endpoint with the rest of the API,
 *   with no tier and no flag, and nothing in GET /info can declare its absence.
 *   It is claimed when the endpoint is there; a target whose POST /mcp/ answers
 *   404 to an initialize request has no endpoint at all and is reported as not
 *   offering it (as a server without crons is), not as failing every MCP check
 *   on one missing route.
 */
export function decideClaims(
  info: Record<string, any> | undefined,
  overrides: { claim?: Profile[]; disclaim?: Profile[] },
  /**
   * What the run knows the target offers beyond GET /info: whether it has an MCP
   * endpoint, and the auth profile's identities and where they come from.
   */
  offered: { mcp?: boolean; auth?: { identities: number; source: string } } = {},
): Partial<Record<Profile, Claim>> {
  const claims: Partial<Record<Profile, Claim>> = {};
  for (const p of PROFILES) claims[p] = { claimed: true, reason: "part of the core API" };
  const flags = info?.flags;
  if (flags && typeof flags === "object" && typeof flags.crons === "boolean") {
    claims.crons = flags.crons ? { claimed: true, reason: "GET /info declares flags.crons = true" } : { claimed: false, reason: CRONS_DECLARED_OFF };
  } else {
    claims.crons = { claimed: true, reason: "GET /info does not declare flags.crons: an optional tier the server does not disclaim (--disclaim crons)" };
  }
  claims.mcp = offered.mcp === false ? { claimed: false, reason: MCP_ABSENT } : { claimed: true, reason: "part of the API; the target answers POST /mcp/ (--disclaim mcp for a server without it)" };
  if (flags && typeof flags === "object" && typeof flags.assistants === "boolean" && !flags.assistants) {
    claims.assistants = { claimed: false, reason: "GET /info declares flags.assistants = false" };
  }
  for (const p of overrides.claim ?? []) claims[p] = { claimed: true, reason: "claimed with --claim" };
  // The auth profile needs two users at least: no flag can make up for them.
  const n = offered.auth?.identities ?? 0;
  claims.auth = n >= 2 ? { claimed: true, reason: `${n} identities (${offered.auth!.source})` } : { claimed: false, reason: `${AUTH_NEEDS_IDENTITIES}${n === 1 ? " (one was given)" : ""}` };
  for (const p of overrides.disclaim ?? []) claims[p] = { claimed: false, reason: "not claimed, by --disclaim" };
  return claims;
}
