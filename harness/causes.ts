// Causes: what makes two deviations the same deviation. A finding is every
// sighting of one cause, so its signature must be the same on every run, seed
// and operation the cause spans, and different for causes a vendor fixes apart.
// Signatures are built from the kind of deviation and the contract's own names
// (statuses, media types, schema components, event names), never from values a
// run made up (ids, seeds, generated cases).

import type { Cause, Citation, Level, OperationKey } from "./model";

export type { Cause };

/** The words each kind of wire deviation breaks. */
export const WIRE_WORDS = {
  undeclaredStatus: [
    {
      source: "oas",
      section: "4.8.16 Responses Object",
      quote: "The documentation is not necessarily expected to cover all possible HTTP response codes because they may not be known in advance.",
      note: "a status the contract does not declare is judged at SHOULD; a check that wants a particular status judges it at its own level",
    },
  ],
  errorMediaType: [
    { source: "api-ref", section: "Create Assistant, Responses (every operation declares its errors alike)", quote: "404 Not Found application/json" },
    { source: "openapi", section: "components.schemas.ErrorResponse", quote: "Error response returned from the server" },
  ],
  successMediaType: [{ source: "api-ref", section: "Create Assistant, Responses (every JSON operation alike)", quote: "200 Success application/json" }],
  validationError: [
    { source: "api-ref", section: "Create Assistant, Responses (every operation declares its 422 alike)", quote: "422 Validation Error" },
    { source: "contract", section: "components.responses.ValidationError x-decision", note: "400 is declared for a body that is not JSON only" },
  ],
  errorBody: [
    { source: "openapi", section: "components.schemas.ErrorResponse", quote: '"required": ["detail"]' },
    { source: "contract", section: "components.schemas.ErrorBody x-decision", note: "an object with detail, or a JSON string" },
  ],
} satisfies Record<string, Citation[]>;

/** What a status means to a client: two statuses of one class are one choice made differently. */
export function statusClass(status: number): string {
  if (status >= 200 && status < 300) return "success";
  if (status === 400 || status === 422) return "invalid request";
  if (status === 401 || status === 403) return "refused credentials";
  if (status === 404 || status === 410) return "not found";
  if (status === 409) return "conflict";
  if (status === 415) return "media type";
  if (status >= 500) return "server error";
  return String(status);
}

/**
 * The operations that share one implementation in every server we know: a run
 * created, streamed or waited for is one code path with three answers. Their
 * deviations are one cause; other operations keep their own key.
 */
export function operationFamily(op: OperationKey): string {
  const [method = "", path = ""] = op.split(" ");
  if (method.toUpperCase() === "POST") {
    const m = /^(.*\/runs)(\/(stream|wait|batch))?\/?$/.exec(path);
    if (m) return `POST ${m[1]} (and its stream, wait${m[1] === "/runs" ? ", batch" : ""} forms)`;
  }
  return `${method.toUpperCase()} ${path}`;
}

/**
 * The cause of a status that is not the one wanted. Three kinds, in this order:
 * - another status of the same class (400 for 422, 204 for 200): one choice made
 *   differently, the same wherever it is met;
 * - a status the operation does not declare at all (a 404 of a route that is not
 *   there, a 500): a property of that operation;
 * - a status of another class than the one wanted (409 wanted, 422 answered):
 *   what this family of operations does in that situation.
 */
export function statusCause(op: OperationKey | undefined, wanted: number[], got: number, declared?: string[]): Cause {
  const sameClass = wanted.find((w) => w !== got && statusClass(w) === statusClass(got));
  if (sameClass !== undefined) {
    return {
      signature: `status ${got} for ${sameClass}`,
      title: `Answers ${got} where the contract wants ${sameClass} (${statusClass(got) === "success" ? "a success" : `an ${statusClass(got)}`} answered with another status)`,
      ...(sameClass === 422 ? { words: WIRE_WORDS.validationError } : {}),
    };
  }
  const where = op ?? "an operation outside the contract";
  // A 404 where something else is wanted says the operation (or what it names) is
  // not there, whatever was asked of it: one cause per operation.
  if (got === 404) {
    return {
      signature: `status 404 on ${op ?? "?"}`,
      title: `${where} answers 404 where the contract wants another answer (is the operation offered?)`,
      ...(declared && !isDeclared(got, declared) ? { words: WIRE_WORDS.undeclaredStatus } : {}),
    };
  }
  if (declared && !isDeclared(got, declared)) {
    return {
      signature: `status ${got} undeclared on ${op ?? "?"}`,
      title: `${where} answers ${got}, a status the contract does not declare for it${got === 404 ? " (the operation is not offered?)" : ""}`,
      words: WIRE_WORDS.undeclaredStatus,
    };
  }
  const family = op ? operationFamily(op) : where;
  const want = [...new Set(wanted)].sort((a, b) => a - b);
  return {
    signature: `status ${got} for ${want.join("|")} on ${family}`,
    title: `${family} answers ${got} where the contract wants ${want.join(" or ")}`,
  };
}

function isDeclared(status: number, declared: string[]): boolean {
  return declared.includes(String(status)) || declared.includes(`${String(status)[0]}XX`) || declared.includes("default");
}

/** The cause of a response sent in another media type than the contract declares. */
export function contentTypeCause(status: number, got: string, declared: string[]): Cause {
  const base = got.split(";")[0]!.trim().toLowerCase() || "(none)";
  const want = declared.join(" or ");
  if (status >= 400) {
    return { signature: `media type of errors ${base}`, title: `Error responses are sent as ${base}, not ${want}`, words: WIRE_WORDS.errorMediaType };
  }
  return { signature: `media type of ${status} answers ${base}`, title: `${status} answers are sent as ${base}, not ${want}`, words: WIRE_WORDS.successMediaType };
}

/** One schema error, located in the contract's own names: the innermost named schema and the path under it. */
export interface SchemaSpot {
  /** `ErrorBody`, `Assistant`, or `(inline)` where no named schema holds the spot. */
  component: string;
  /** The path under the component, with array indexes as `*` (`/config/configurable`, or `` for the root). */
  path: string;
  keyword: string;
  /** The keyword's detail that tells two errors apart (the missing property, the type wanted). */
  detail: string;
  message: string;
}

export function schemaCause(spot: SchemaSpot, status: number): Cause {
  const at = `${spot.component}${spot.path}`;
  const whose = status >= 400 ? "Error bodies" : `${spot.component} answers`;
  const what =
    spot.keyword === "required"
      ? `lack '${spot.detail}'${spot.path ? ` at ${spot.path}` : ""}, which the contract requires`
      : spot.keyword === "anyOf" || spot.keyword === "oneOf"
        ? `match none of the forms of ${at}`
        : `break ${at}: ${spot.message}`;
  return {
    signature: `schema ${status >= 400 ? "error " : ""}${at} ${spot.keyword}${spot.detail ? ` ${spot.detail}` : ""}`,
    title: `${whose} ${what}`,
    words: spot.component === "ErrorBody" ? WIRE_WORDS.errorBody : [{ source: "contract", section: `components.schemas.${spot.component}${spot.path.replace(/\//g, ".")}` }],
  };
}

/** The cause of an event of a stream that breaks the contract's event rules. */
export function eventCause(eventName: string, problem: string, spot?: SchemaSpot): Cause {
  if (spot) {
    const what = spot.keyword === "required" ? `lacks '${spot.detail}'${spot.path ? ` at ${spot.path}` : ""}` : `breaks ${spot.component}${spot.path}: ${spot.message}`;
    return { signature: `event ${eventName} ${spot.component}${spot.path} ${spot.keyword}${spot.detail ? ` ${spot.detail}` : ""}`, title: `'${eventName}' events: data ${what}` };
  }
  return { signature: `event ${eventName} ${problem}`, title: `'${eventName}' events ${problem}` };
}

/** The cause of a failure that names none: its own check's requirement, not met. */
export function ownCause(c: { id: string; title: string }): Cause {
  return { signature: `check ${c.id}`, title: `Not met: ${c.title} (${c.id})` };
}

const BINDING: Level[] = ["MUST", "SHOULD", "MAY"];

/** The more binding of two levels. */
export function stricter(a: Level, b: Level): Level {
  return BINDING.indexOf(a) <= BINDING.indexOf(b) ? a : b;
}

/** The less binding of two levels. */
export function weaker(a: Level, b: Level): Level {
  return BINDING.indexOf(a) >= BINDING.indexOf(b) ? a : b;
}
