// The fault library: small request, response and stream rewrites that make a
// real server break the contract in one named way. The mutant catalogue
// (catalogue.ts) and the self-tests build their faults from these; nothing
// here knows about particular checks.

import { randomUUID } from "node:crypto";
import { editEvents, editLastEvent, rewriteRequestJson, rewriteResponseJson, type Fault, type ProxiedRequest, type ProxiedResponse, type StreamTransform } from "./proxy";

// ------------------------------------------------------------------ matching

/** The path of a request without its query. */
export const pathOf = (r: ProxiedRequest): string => new URL(r.path, "http://proxy.invalid").pathname;
export const queryOf = (r: ProxiedRequest): URLSearchParams => new URL(r.path, "http://proxy.invalid").searchParams;

export type Match = (r: ProxiedRequest) => boolean;

/** A request of `method` whose path (without query) matches `path`. */
export const route =
  (method: string, path: RegExp | string): Match =>
  (r) =>
    r.method === method && (typeof path === "string" ? pathOf(r) === path : path.test(pathOf(r)));

export const ID = "[0-9a-fA-F-]{36}";
export const THREAD = new RegExp(`^/threads/${ID}$`);
export const ASSISTANT = new RegExp(`^/assistants/${ID}$`);
export const RUN = new RegExp(`^/threads/${ID}/runs/${ID}$`);

/** A run-creating request: POST /threads/{id}/runs[/stream|/wait] or POST /runs[/stream|/wait]. */
export const createsRun: Match = (r) => r.method === "POST" && /^(\/threads\/[^/]+)?\/runs(\/stream|\/wait)?$/.test(pathOf(r));

export const json = (status: number, body: unknown): ProxiedResponse => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

// ------------------------------------------------------------------ requests: a parameter ignored

/** Removes keys from a JSON request body. */
export const without =
  (...keys: string[]) =>
  (body: any) => {
    if (body && typeof body === "object" && !Array.isArray(body)) for (const k of keys) delete body[k];
    return body;
  };

/** The server ignores body fields `keys` of matching requests. */
export const ignoreFields = (match: Match, ...keys: string[]): Fault["request"] => rewriteRequestJson(match, without(...keys));

/** Rewrites the JSON object body of matching requests (a body that is not an object passes as it is). */
export const setBody = (match: Match, edit: (b: any) => any): NonNullable<Fault["request"]> =>
  rewriteRequestJson(match, (b) => (b && typeof b === "object" && !Array.isArray(b) ? edit(b) : b)) as NonNullable<Fault["request"]>;

/** Removes a query parameter from matching requests. */
export const dropQuery =
  (match: Match, name: string): NonNullable<Fault["request"]> =>
  (r) => {
    if (!match(r)) return r;
    const u = new URL(r.path, "http://proxy.invalid");
    u.searchParams.delete(name);
    return { ...r, path: `${u.pathname}${u.search}` };
  };

/** Removes a request header from matching requests. */
export const dropHeader =
  (match: Match, name: string): NonNullable<Fault["request"]> =>
  (r) => {
    if (!match(r)) return r;
    const headers = { ...r.headers };
    delete headers[name.toLowerCase()];
    return { ...r, headers };
  };

/** Applies several request faults in turn. */
export const both =
  (...fs: Array<Fault["request"]>): NonNullable<Fault["request"]> =>
  (r) =>
    fs.reduce((acc, f) => (f ? f(acc) : acc), r);

// ------------------------------------------------------------------ responses

/** Matching responses with status `from` answer `to` instead (the body kept). */
export const changeStatus =
  (match: Match, from: number, to: number): NonNullable<Fault["response"]> =>
  (q, s) =>
    match(q) && s.status === from ? { ...s, status: to } : s;

/** Matching responses without the header `name` (where they have it). */
export const withoutHeader =
  (match: Match, name: string): NonNullable<Fault["response"]> =>
  (q, s) => {
    if (!match(q) || !s.headers[name]) return s;
    const { [name]: _dropped, ...headers } = s.headers;
    return { ...s, headers };
  };

/** Matching responses with status `from` carry another Content-Type (the body kept). */
export const changeContentType =
  (match: Match, status: (n: number) => boolean, type: string): NonNullable<Fault["response"]> =>
  (q, s) =>
    match(q) && status(s.status) ? { ...s, headers: { ...s.headers, "content-type": type } } : s;

/** A JSON error body (4xx/5xx) of matching responses sent as plain text: its message only. */
export const errorAsText =
  (match: Match): NonNullable<Fault["response"]> =>
  (q, s) => {
    if (!match(q) || s.status < 400 || !/json/i.test(s.headers["content-type"] ?? "")) return s;
    let text = s.body;
    try {
      const b = JSON.parse(s.body);
      text = typeof b?.detail === "string" ? b.detail : typeof b?.message === "string" ? b.message : s.body;
    } catch {
      /* kept as it is */
    }
    return { ...s, headers: { ...s.headers, "content-type": "text/plain; charset=utf-8" }, body: text };
  };

/** Edits the JSON body of matching 200 answers. */
export const editOk = (match: Match, edit: (body: any, req: ProxiedRequest) => any): NonNullable<Fault["response"]> =>
  rewriteResponseJson((q, s) => match(q) && s.status === 200, edit) as NonNullable<Fault["response"]>;

/** Edits each object of a 200 JSON answer (the body itself, or each item of a list). */
export const editEach = (match: Match, edit: (item: any, req: ProxiedRequest) => any): NonNullable<Fault["response"]> =>
  editOk(match, (b, q) => (Array.isArray(b) ? b.map((x) => (x && typeof x === "object" ? edit(x, q) : x)) : b && typeof b === "object" ? edit(b, q) : b));

/** Drops field `key` from the answer's objects. */
export const dropField = (match: Match, key: string) =>
  editEach(match, (o) => {
    const { [key]: _dropped, ...rest } = o;
    return rest;
  });

/** Sets field `key` of the answer's objects to `value(old)`. */
export const setField = (match: Match, key: string, value: (old: any, req: ProxiedRequest) => any) => editEach(match, (o, q) => (key in o ? { ...o, [key]: value(o[key], q) } : o));

/** A list answer reversed. */
export const reverseList = (match: Match) => editOk(match, (b) => (Array.isArray(b) ? [...b].reverse() : b));

/** A list answer with its first item repeated at the end: one item more than it should have. */
export const oneMore = (match: Match) => editOk(match, (b) => (Array.isArray(b) && b.length > 0 ? [...b, b[0]] : b));

/** Another UUID in place of `id`. */
export const otherId = (_old: unknown) => randomUUID();

// ------------------------------------------------------------------ requests answered as if done

/** A marker header: the proxy turned the request into a harmless one and answers as if it had done what was asked. */
export const KEPT = "x-lgc-fault-kept";

/**
 * A DELETE of matching requests is not carried out (turned into a GET of the
 * same resource) and answered `answer`: the resource stays.
 */
export function deleteKeeps(match: Match, answer: ProxiedResponse, as: (r: ProxiedRequest) => Partial<ProxiedRequest> = () => ({ method: "GET" })): Fault {
  return {
    name: "delete keeps",
    request: (r) => (match(r) ? { ...r, ...as(r), headers: { ...r.headers, [KEPT]: "1" } } : r),
    response: (q, s) => (q.headers[KEPT] ? answer : s),
  };
}

/** PATCH replaces metadata instead of merging it: the resource shows exactly the last patch's metadata. */
export function patchReplacesMetadata(match: RegExp): Fault {
  const last = new Map<string, unknown>();
  return {
    name: "PATCH replaces metadata",
    request(r) {
      if (r.method === "PATCH" && match.test(pathOf(r))) {
        try {
          const m = JSON.parse(r.body).metadata;
          if (m !== undefined) last.set(pathOf(r), m);
        } catch {
          /* not JSON: left alone */
        }
      }
      return r;
    },
    response: rewriteResponseJson(
      (q, s) => (q.method === "PATCH" || q.method === "GET") && last.has(pathOf(q)) && s.status === 200,
      (t, q) => ({ ...t, metadata: last.get(pathOf(q)) }),
    ) as NonNullable<Fault["response"]>,
  };
}

// ------------------------------------------------------------------ the reference server repaired

export { repairs, contractRefusals, refusalsExcept, requestViolation, operationKeyOf, UNREPAIRED } from "./repairs";

// ------------------------------------------------------------------ streams
// Each works event by event as the bytes arrive (scripts/mutants/proxy.ts):
// an event is held back only where the bug is about what comes later (the
// last event, the first two swapped), and then by one event at most.

/** The event blocks of a stream text (each with its terminating blank line). */
export const blocks = (text: string): string[] => text.split(/(?<=\n\n)/);

/** The stream's Content-Type changed. */
export const streamContentType = (type: string): StreamTransform =>
  async function* (_req, head, body) {
    head.headers["content-type"] = type;
    yield* body;
  };

/** Bytes inserted after the first occurrence of `after`. */
export const insertBytes = (bytes: Uint8Array, after: string, extra: number[]): Uint8Array => {
  const at = Buffer.from(bytes).indexOf(after);
  if (at < 0) return bytes;
  const end = at + Buffer.byteLength(after);
  return new Uint8Array([...bytes.subarray(0, end), ...extra, ...bytes.subarray(end)]);
};

const utf8 = new TextEncoder();

/** Invalid UTF-8 (FF FE) inserted after the first string opening of the event's data. */
const invalidInEvent = (event: string): Uint8Array | undefined => {
  const at = event.indexOf('":"', Math.max(0, event.indexOf("\ndata:")));
  if (at < 0) return undefined;
  const bytes = utf8.encode(event);
  const offset = Buffer.byteLength(event.slice(0, at + 3));
  return new Uint8Array([...bytes.subarray(0, offset), 0xff, 0xfe, ...bytes.subarray(offset)]);
};

/**
 * Invalid UTF-8 (FF FE) in the first string value of the stream's last event,
 * or, given `after`, after the first occurrence of it (the stream's ids, in the
 * metadata event, are left alone: a client can still follow the run).
 */
export const invalidUtf8 = (after?: string): StreamTransform => {
  if (after === undefined) return editLastEvent((e) => invalidInEvent(e));
  let done = false;
  return editEvents((e) => {
    if (done || !e.includes(after)) return undefined;
    done = true;
    return insertBytes(utf8.encode(e), after, [0xff, 0xfe]);
  });
};

/** A field name in capitals before the second event (DATA: is not a field). */
export const unknownFieldLine = (): StreamTransform => editEvents((e, i) => (i === 1 ? `DATA: lost\n${e}` : undefined));

/** The first event's blank line sent as CRLF while the rest are LF: line endings mixed. */
export const mixedLineEndings = (): StreamTransform => editEvents((e, i) => (i === 0 ? e.replace(/\n\n$/, "\r\n\r\n") : undefined));

/** The stream's last newline dropped: its last event is never terminated. */
export const lastUnterminated = (): StreamTransform => editLastEvent((e) => e.replace(/\n$/, ""));

/** The blank line between two events lost: the second event's fields run into the first. */
export const blankLineMissing = (at = 1): StreamTransform => editEvents((e, i) => (i === at ? e.replace(/\n\n$/, "\n") : undefined));

/** The data of event `at` made not JSON. */
export const dataNotJson = (at = 1): StreamTransform => editEvents((e, i) => (i === at ? e.replace(/data: ?/, "data: {oops ") : undefined));

/** The last event's id set back to 1 (ids of the stream go backwards), where there was more than one event. */
export const idBackwards = (): StreamTransform => {
  let count = 0;
  return editLastEvent(
    (e) => (count > 0 ? e.replace(/^id: .*$/m, "id: 1") : undefined),
    () => void count++,
  );
};

/** Every event's id given the same value. */
export const idRepeated = (): StreamTransform => editEvents((e) => e.replace(/^id: .*$/m, "id: 7"));

/** Events appended after the final one. */
export const afterFinal = (): StreamTransform =>
  editEvents(
    () => undefined,
    () => `event: end\ndata: null\n\nevent: values\ndata: {"late":true}\n\n`,
  );

/** A heartbeat sent as an event without data (a browser drops it; the SDKs deliver null). */
export const heartbeatEvent = (): StreamTransform => editEvents((e, i) => (i === 0 ? [e, "event: ping\n\n"] : undefined));

/** The first event dropped (for a run stream: the metadata event). */
export const dropFirst = (): StreamTransform => editEvents((_e, i) => (i === 0 ? null : undefined));

/** The first two events swapped (metadata no longer first): the first is held until the second has gone. */
export const swapFirstTwo = (): StreamTransform => swapEvents(0);

/** Event `at` sent twice. */
export const duplicateEvent = (at = 1): StreamTransform => editEvents((e, i) => (i === at ? [e, e] : undefined));

/** Events `at` and `at + 1` swapped: event `at` is held until the next has gone (or the stream ends). */
export const swapEvents = (at = 1): StreamTransform => {
  let held: string | undefined;
  return editEvents(
    (e, i) => {
      if (i === at) {
        held = e;
        return null;
      }
      if (i === at + 1 && held !== undefined) {
        const out = [e, held];
        held = undefined;
        return out;
      }
      return undefined;
    },
    () => held,
  );
};

/** The last event dropped. */
export const dropLast = (): StreamTransform => editLastEvent(() => null);

/** Events whose name starts with `name` (its base, any namespace) dropped. */
export const dropNamed = (name: string): StreamTransform => editEvents((e) => (new RegExp(`^event: ${name}(\\||\\n)`, "m").test(e) ? null : undefined));

/** Events whose base name is `from` renamed `to`. */
export const renameEvents = (from: string, to: string): StreamTransform => editEvents((e) => e.replace(new RegExp(`^event: ${from}(?=[|\\n])`, "gm"), `event: ${to}`));

/** Subgraph namespaces removed from event names (`updates|child:1` sent as `updates`). */
export const dropNamespaces = (): StreamTransform => editEvents((e) => e.replace(/^event: ([a-z_]+)\|.*$/gm, "event: $1"));

// ------------------------------------------------------------------ request bodies judged

/**
 * Matching requests refused as the contract says: a JSON body sent as another
 * media type answers 415, and any other 4xx the server gives becomes 422 with a
 * JSON error body. The reference server refuses invalid bodies with 400; this
 * makes it a server that refuses them as the contract wants, for checks that
 * judge the status of a refusal.
 */
export function refusesAsContract(match: Match): Fault {
  const MEDIA = "x-lgc-media";
  const isJson = (r: ProxiedRequest) => (r.headers["content-type"] ?? "").split(";")[0]!.trim() === "application/json";
  return {
    name: "refuses as the contract says",
    request: (r) => (match(r) && !isJson(r) ? { ...r, headers: { ...r.headers, [MEDIA]: "1" } } : r),
    response: (q, s) => {
      if (!match(q)) return s;
      if (q.headers[MEDIA]) return json(415, { detail: "send application/json" });
      if (s.status >= 400 && s.status < 500) return json(422, { detail: s.body.slice(0, 200) });
      return s;
    },
  };
}

/** Matching requests that the server refuses (a 4xx) are accepted instead: 200 with `body`. */
export function acceptsInvalid(match: Match, body: string): Fault {
  return {
    name: "accepts invalid bodies",
    response: (q, s) => (match(q) && s.status >= 400 && s.status < 500 ? { status: 200, headers: { "content-type": "application/json" }, body } : s),
  };
}
