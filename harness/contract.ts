// The contract loader: the OpenAPI document under schemas/ (or another one given
// with --spec), validated and dereferenced by swagger-parser, its schemas
// compiled once by ajv (JSON Schema 2020-12, formats on), and the lookups every
// exchange needs: which operation a request is, and whether the response
// matches what the contract declares for that operation and status.

import SwaggerParser from "@apidevtools/swagger-parser";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { fileURLToPath } from "node:url";
import { contentTypeCause, schemaCause, statusCause, weaker, type SchemaSpot } from "./causes";
import { LEVELS, type Level, type OperationKey, type Profile, type WireViolation } from "./model";

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

export const DEFAULT_CONTRACT = fileURLToPath(new URL("../schemas/openapi.yaml", import.meta.url));

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

export interface Operation {
  key: OperationKey;
  method: string;
  path: string;
  operationId?: string;
  profile?: Profile;
  /** Declared response statuses, as written (`200`, `4XX`, `default`). */
  statuses: string[];
  regex: RegExp;
  literalSegments: number;
}

export interface Contract {
  source: string;
  title: string;
  version: string;
  /** Whether this is the suite's own contract (judged strictly) or one given with --spec. */
  own: boolean;
  /** What had to be tolerated in a given contract (dangling $refs, schemas that do not compile). */
  warnings: string[];
  /** Does the contract have this operation (`METHOD /path/{param}`; parameter names and a trailing slash aside)? */
  hasOperation(key: OperationKey): boolean;
  operations: Operation[];
  /** The dereferenced document, for readers that need more than the lookups. */
  document: Record<string, any>;
  findOperation(method: string, pathname: string): Operation | undefined;
  operation(key: OperationKey): Operation | undefined;
  /** Wire validation of one response; an empty list means it conforms. */
  checkResponse(op: Operation, res: { status: number; contentType: string; text: string; truncated: boolean }, successSchema?: string): WireViolation[];
  /** The declared media types of a response, for callers that branch on them. */
  responseMediaTypes(op: Operation, status: number): string[] | undefined;
  /** Where the schema of an operation's request body is (after local $refs), if it has one. */
  requestSchemaPointer(op: Operation, mediaType?: string): string | undefined;
  /** Where the schema of a declared response is (after local $refs), if it has one. */
  responseSchemaPointer(op: Operation, status: string, mediaType: string): string | undefined;
  /** A validator for any schema of the document, by JSON pointer (`/components/schemas/Thread`). */
  validator(pointer: string): ValidateFunction;
  ajv: Ajv2020;
}

const CONTRACT_ID = "urn:langgraph-conformance:contract";

/** Keywords of OpenAPI 3.1 schema objects that carry no assertion. */
const ANNOTATION_KEYWORDS = ["example", "discriminator", "xml", "externalDocs"];

export function createAjv(strict = true): Ajv2020 {
  const ajv = new Ajv2020({
    strict,
    allErrors: true,
    allowUnionTypes: true,
    // Response bodies are validated as received; never coerced or mutated.
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
  });
  addFormats(ajv);
  for (const k of ANNOTATION_KEYWORDS) ajv.addKeyword(k);
  return ajv;
}

/** Extension keywords (`x-...`) found anywhere in the document become annotations for ajv. */
export function collectExtensionKeywords(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const v of node) collectExtensionKeywords(v, out);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith("x-")) out.add(k);
      collectExtensionKeywords(v, out);
    }
  }
  return out;
}

export function escapePointer(s: string): string {
  return s.replace(/~/g, "~0").replace(/\//g, "~1");
}

function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === "" || pointer === "/") return doc;
  let node: any = doc;
  for (const raw of pointer.split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node == null || typeof node !== "object") return undefined;
    node = node[key];
  }
  return node;
}

/** Walks from a pointer through local `$ref`s, returning the final node and its pointer. */
/** Responses any operation may give besides its own (the contract's root `x-every-operation`). */
const EVERY_OPERATION = "/x-every-operation/responses";

function follow(doc: unknown, pointer: string): { node: any; pointer: string } {
  let node: any = resolvePointer(doc, pointer);
  for (let hops = 0; node && typeof node.$ref === "string" && node.$ref.startsWith("#") && hops < 32; hops++) {
    pointer = node.$ref.slice(1);
    node = resolvePointer(doc, pointer);
  }
  return { node, pointer };
}

function templateRegex(path: string): { regex: RegExp; literalSegments: number } {
  const segments = path.split("/").filter(Boolean);
  let literal = 0;
  const body = segments
    .map((seg) => {
      if (/^\{[^}]+\}$/.test(seg)) return "[^/]+";
      literal++;
      return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  const trailing = path.endsWith("/") && path !== "/" ? "/" : "";
  return { regex: new RegExp(`^/${body}${trailing}$`), literalSegments: literal };
}

function isJsonMediaType(ct: string): boolean {
  const base = ct.split(";")[0]!.trim().toLowerCase();
  return base === "application/json" || /^application\/[^/]+\+json$/.test(base);
}

export function trimErrors(errors: ErrorObject[] | null | undefined, max = 12): unknown[] {
  return (errors ?? []).slice(0, max).map((e) => ({
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    message: e.message,
    params: e.params,
  }));
}

export function describeAjvErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map(
      (e) =>
        `${e.instancePath || "(body)"} ${e.message}${e.keyword === "additionalProperties" ? ` '${(e.params as any).additionalProperty}'` : ""}${e.keyword === "enum" ? ` ${JSON.stringify((e.params as any).allowedValues)}` : ""}`,
    )
    .join("; ");
}

/** `POST /threads/{id}/runs/` and `POST /threads/{thread_id}/runs` are the same operation. */
export function normalizeOperation(key: OperationKey): string {
  const [method, path = ""] = key.split(" ");
  return `${method!.toUpperCase()} ${path.replace(/\{[^}]+\}/g, "{}").replace(/\/+$/, "") || "/"}`;
}

/**
 * A given contract (--spec) is judged as it is, but what would stop the suite
 * from using it at all is tolerated and said: local $refs that point nowhere
 * become unconstrained schemas, and OpenAPI 3.0's `nullable` becomes a type
 * union so that 2020-12 validation reads it as 3.0 means it.
 */
function tolerate(doc: any, warnings: string[]): any {
  const resolves = (ref: string) => resolvePointer(doc, ref.slice(1)) !== undefined;
  const is30 = typeof doc?.openapi === "string" && doc.openapi.startsWith("3.0");
  const walk = (node: any): any => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    if (typeof node.$ref === "string" && node.$ref.startsWith("#") && !resolves(node.$ref)) {
      const w = `dangling $ref ${node.$ref}: treated as an unconstrained schema`;
      if (!warnings.includes(w)) warnings.push(w);
      return {};
    }
    const out: any = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    if (is30 && out.nullable === true) {
      delete out.nullable;
      if (typeof out.type === "string") out.type = [out.type, "null"];
      else if (out.enum) out.enum = [...out.enum, null];
    }
    return out;
  };
  return walk(doc);
}

/** The level a node of the contract declares for itself (`x-level`), if any. */
function levelOf(node: any): Level | undefined {
  const l = node?.["x-level"];
  return typeof l === "string" && (LEVELS as readonly string[]).includes(l) ? (l as Level) : undefined;
}

const COMPONENT = /^\/(?:components\/schemas|\$defs)\/([^/]+)$/;

/**
 * Where an instance path of a body lands in the contract: the innermost named
 * schema that holds it, the path under that schema, and the levels declared on
 * the way (a response or a field the contract added by decision says
 * `x-level: SHOULD`). Combinators are entered through the first branch that
 * knows the next name; where none does, the rest of the path is kept as it is.
 */
export function locateInSchema(doc: unknown, rootPointer: string, instancePath: string): { component: string; path: string; node: any; levels: Level[] } {
  let { node, pointer } = follow(doc, rootPointer);
  const levels: Level[] = [];
  const take = (n: any) => {
    const l = levelOf(n);
    if (l) levels.push(l);
  };
  take(node);
  let component = COMPONENT.exec(pointer)?.[1] ?? "(inline)";
  let rel: string[] = [];
  const segments = instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const step = (n: any, p: string): { ptr: string; shown: string } | undefined => {
      if (/^[0-9]+$/.test(seg) && n?.items && typeof n.items === "object") return { ptr: `${p}/items`, shown: "*" };
      if (n?.properties && seg in n.properties) return { ptr: `${p}/properties/${escapePointer(seg)}`, shown: seg };
      if (n?.additionalProperties && typeof n.additionalProperties === "object") return { ptr: `${p}/additionalProperties`, shown: "*" };
      for (const comb of ["allOf", "anyOf", "oneOf"]) {
        const list = n?.[comb];
        if (!Array.isArray(list)) continue;
        for (let b = 0; b < list.length; b++) {
          const branch = follow(doc, `${p}/${comb}/${b}`);
          const found = step(branch.node, branch.pointer);
          if (found) return found;
        }
      }
      return undefined;
    };
    const next = step(node, pointer);
    if (!next) {
      rel = [...rel, ...segments.slice(i).map((s) => (/^[0-9]+$/.test(s) ? "*" : s))];
      break;
    }
    ({ node, pointer } = follow(doc, next.ptr));
    take(node);
    const named = COMPONENT.exec(pointer)?.[1];
    if (named) {
      component = named;
      rel = [];
    } else rel.push(next.shown);
  }
  return { component, path: rel.length ? `/${rel.join("/")}` : "", node, levels };
}

/**
 * The errors that name a cause: an error inside a branch of a combinator that
 * failed as a whole says only why that branch did not fit, so the combinator's
 * own error stands for them.
 */
export function causalErrors(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  return errors.filter((e) => !combinators.some((c) => c !== e && e.instancePath.startsWith(c.instancePath) && e.schemaPath.startsWith(`${c.schemaPath}/`)));
}

/** The spots (component, path, keyword) of a failed validation, each with the level its place in the contract declares. */
export function schemaSpots(doc: unknown, schemaPointer: string, errors: ErrorObject[], baseLevel: Level): Array<SchemaSpot & { level: Level }> {
  const out: Array<SchemaSpot & { level: Level }> = [];
  const seen = new Set<string>();
  for (const e of causalErrors(errors)) {
    const at = locateInSchema(doc, schemaPointer, e.instancePath);
    const params = e.params as Record<string, unknown>;
    const detail = String(
      params.missingProperty ?? params.additionalProperty ?? params.type ?? params.format ?? params.allowedValue ?? (params.allowedValues ? JSON.stringify(params.allowedValues) : "") ?? "",
    );
    // The weakest level on the way decides: a field the contract added by
    // decision is judged at SHOULD wherever it sits, and so is everything in a
    // response the contract added.
    let level = at.levels.reduce(weaker, baseLevel);
    if (e.keyword === "required" && typeof params.missingProperty === "string") {
      // A property required by decision says so on itself (`x-level`), or its
      // object says it for the properties it requires (`x-required-level`).
      const declared = levelOf(locateInSchema(doc, schemaPointer, `${e.instancePath}/${escapePointer(params.missingProperty)}`).node);
      if (declared) level = weaker(level, declared);
      const byHolder = levelOf({ "x-level": at.node?.["x-required-level"]?.[params.missingProperty] });
      if (byHolder) level = weaker(level, byHolder);
    }
    const spot = { component: at.component, path: at.path, keyword: e.keyword, detail, message: e.message ?? e.keyword, level };
    const key = `${spot.component}${spot.path} ${spot.keyword} ${spot.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(spot);
  }
  return out;
}

const cache = new Map<string, Promise<Contract>>();

/** Loads (once per process) and validates a contract from a file path or URL. */
export function loadContract(source: string = DEFAULT_CONTRACT): Promise<Contract> {
  let p = cache.get(source);
  if (!p) {
    p = buildContract(source);
    cache.set(source, p);
    p.catch(() => cache.delete(source));
  }
  return p;
}

async function buildContract(source: string): Promise<Contract> {
  const own = source === DEFAULT_CONTRACT;
  const warnings: string[] = [];
  // The suite's own contract must be flawless; a given one is taken as well as it can be.
  const input: string | Record<string, any> = own ? source : tolerate(await SwaggerParser.parse(source), warnings);
  // validate() dereferences too; bundle() keeps $refs so that recursive schemas compile.
  let document: Record<string, any>;
  try {
    document = (await SwaggerParser.validate(source, structuredClone(input) as any, {})) as Record<string, any>;
  } catch (e) {
    if (own) throw e;
    const details = String((e as Error).message)
      .split("\n")
      .slice(1, 6)
      .map((l) => l.trim())
      .filter(Boolean);
    warnings.push(`not a valid OpenAPI document (${details.join("; ") || (e as Error).message.split("\n")[0]}); used as it is`);
    document = (await SwaggerParser.dereference(source, structuredClone(input) as any, {})) as Record<string, any>;
  }
  const bundled = (await SwaggerParser.bundle(source, structuredClone(input) as any, {})) as Record<string, any>;

  const ajv = createAjv(own);
  for (const k of collectExtensionKeywords(bundled)) if (!ajv.getKeyword(k)) ajv.addKeyword(k);
  // The whole document is added so that local $refs resolve; ajv compiles its root,
  // so the root fields of an OpenAPI document are declared as inert keywords.
  // (Root extensions such as x-every-operation were declared with the others just above.)
  for (const k of Object.keys(bundled)) if (!k.startsWith("x-") && !ajv.getKeyword(k) && !ajv.RULES.all[k]) ajv.addKeyword(k);
  ajv.addSchema(bundled, CONTRACT_ID);

  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<any>(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const { regex, literalSegments } = templateRegex(path);
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        profile: op["x-profile"],
        statuses: Object.keys(op.responses ?? {}),
        regex,
        literalSegments,
      });
    }
  }
  // Literal paths win over templates: /threads/search before /threads/{thread_id}.
  const byPreference = [...operations].sort((a, b) => b.literalSegments - a.literalSegments);

  const validators = new Map<string, ValidateFunction>();
  function validator(pointer: string): ValidateFunction {
    let v = validators.get(pointer);
    if (!v) {
      v = ajv.compile({ $ref: `${CONTRACT_ID}#${pointer}` });
      validators.set(pointer, v);
    }
    return v;
  }

  // A given contract may hold schemas that do not compile: they are said once and
  // left unvalidated, rather than failing every check that meets them.
  const uncompilable = new Set<string>();
  if (!own) {
    for (const op of operations) {
      for (const status of op.statuses) {
        const resp = follow(bundled, `/paths/${escapePointer(op.path)}/${op.method.toLowerCase()}/responses/${escapePointer(status)}`);
        for (const ct of Object.keys(resp.node?.content ?? {})) {
          const ptr = `${resp.pointer}/content/${escapePointer(ct)}/schema`;
          if (resolvePointer(bundled, ptr) === undefined) continue;
          try {
            validator(ptr);
          } catch (e) {
            uncompilable.add(ptr);
            warnings.push(`${op.key} ${status} ${ct}: the schema does not compile (${(e as Error).message.split("\n")[0]}); not validated`);
          }
        }
      }
    }
  }
  const known = new Set(operations.map((o) => normalizeOperation(o.key)));

  function responsePointer(op: Operation, status: number): string | undefined {
    return responseEntry(op, status)?.pointer;
  }

  function responseMediaTypes(op: Operation, status: number): string[] | undefined {
    const ptr = responsePointer(op, status);
    if (ptr === undefined) return undefined;
    return Object.keys(follow(bundled, ptr).node?.content ?? {});
  }

  /** The response a status selects, as the operation declares it (with what sits beside a $ref) and after its $refs. */
  function responseEntry(op: Operation, status: number): { pointer: string; level: Level } | undefined {
    const base = `/paths/${escapePointer(op.path)}/${op.method.toLowerCase()}/responses`;
    const responses = follow(bundled, base).node ?? {};
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in responses);
    // Else a status the contract declares for every operation (x-every-operation: 401, 403 of custom auth).
    const at = key ? `${base}/${escapePointer(key)}` : String(status) in (follow(bundled, EVERY_OPERATION).node ?? {}) ? `${EVERY_OPERATION}/${status}` : undefined;
    if (!at) return undefined;
    const raw = resolvePointer(bundled, at);
    const followed = follow(bundled, at);
    // A response the documents declare is judged at MUST; one the contract added
    // by decision says `x-level` (at the operation, or on the shared response).
    const level = [levelOf(raw), levelOf(followed.node)].reduce<Level>((l, x) => (x ? weaker(l, x) : l), "MUST");
    return { pointer: followed.pointer, level };
  }

  function checkResponse(op: Operation, res: { status: number; contentType: string; text: string; truncated: boolean }, successSchema?: string): WireViolation[] {
    const entry = responseEntry(op, res.status);
    const base = { operation: op.key, status: res.status };
    if (entry === undefined) {
      // OpenAPI's Responses Object "is not expected to cover all possible HTTP
      // response codes": a status the contract does not declare is a SHOULD,
      // unless a check wants a particular status (and judges it at its level).
      const cause = statusCause(op.key, op.statuses.filter((s) => /^[0-9]{3}$/.test(s)).map(Number), res.status, op.statuses);
      return [{ ...base, kind: "status", level: "SHOULD", ...cause, message: `${op.key} answered ${res.status}, a status the contract does not declare (declared: ${op.statuses.join(", ")})` }];
    }
    const ptr = entry.pointer;
    const content: Record<string, any> = follow(bundled, ptr).node?.content ?? {};
    const declared = Object.keys(content);
    if (declared.length === 0) return [];
    const jsonType = declared.find(isJsonMediaType);
    const got = res.contentType.split(";")[0]!.trim().toLowerCase();
    const wrongType = (): WireViolation => ({
      ...base,
      kind: "content-type",
      level: entry.level,
      ...contentTypeCause(res.status, res.contentType, declared),
      message: `${op.key} ${res.status} answered Content-Type '${res.contentType || "(none)"}', declared: ${declared.join(", ")}`,
    });
    if (jsonType === undefined) {
      // Only non-JSON media (streams, text): the stream reader and its checks judge those.
      if (!declared.some((d) => d.toLowerCase() === got) && !declared.includes("*/*")) return [wrongType()];
      return [];
    }
    if (!isJsonMediaType(got)) {
      if (declared.some((d) => d.toLowerCase() === got)) return [];
      return [wrongType()];
    }
    if (res.truncated) {
      return [
        {
          ...base,
          kind: "json",
          level: "MAY",
          signature: `body too large on ${op.key}`,
          title: `${op.key} answers a body larger than the suite reads`,
          message: `${op.key} ${res.status} body is larger than the suite reads; not validated`,
        },
      ];
    }
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch (e) {
      return [
        {
          ...base,
          kind: "json",
          level: entry.level,
          signature: `body not json ${res.status >= 400 ? "in errors" : `on ${op.key}`}`,
          title: res.status >= 400 ? "Error responses declared as JSON carry a body that is not JSON" : `${op.key} answers a body that is not JSON under a JSON media type`,
          message: `${op.key} ${res.status} body is not valid JSON: ${(e as Error).message}`,
        },
      ];
    }
    const schemaPointer = successSchema && res.status >= 200 && res.status < 300 ? successSchema : `${ptr}/content/${escapePointer(jsonType)}/schema`;
    if (resolvePointer(bundled, schemaPointer) === undefined) {
      if (schemaPointer === successSchema && own) throw new Error(`the contract has no schema at ${successSchema}`);
      return [];
    }
    if (uncompilable.has(schemaPointer)) return [];
    const validate = validator(schemaPointer);
    if (validate(body)) return [];
    const errors = trimErrors(validate.errors);
    // One violation per cause: two missing fields are two things to fix, and each
    // may rest on other words (one documented, one added by decision).
    return schemaSpots(bundled, schemaPointer, validate.errors ?? [], entry.level).map((spot) => ({
      ...base,
      kind: "schema" as const,
      level: spot.level,
      ...schemaCause(spot, res.status),
      message: `${op.key} ${res.status} body does not match the contract: ${describeAjvErrors(validate.errors)}`,
      errors,
    }));
  }

  function requestSchemaPointer(op: Operation, mediaType = "application/json"): string | undefined {
    const body = follow(bundled, `/paths/${escapePointer(op.path)}/${op.method.toLowerCase()}/requestBody`);
    if (!body.node?.content?.[mediaType]?.schema) return undefined;
    return `${body.pointer}/content/${escapePointer(mediaType)}/schema`;
  }

  function responseSchemaPointer(op: Operation, status: string, mediaType: string): string | undefined {
    const resp = follow(bundled, `/paths/${escapePointer(op.path)}/${op.method.toLowerCase()}/responses/${escapePointer(status)}`);
    if (!resp.node?.content?.[mediaType]?.schema) return undefined;
    return `${resp.pointer}/content/${escapePointer(mediaType)}/schema`;
  }

  return {
    source,
    own,
    warnings,
    hasOperation: (key) => known.has(normalizeOperation(key)),
    title: document.info?.title ?? "",
    version: document.info?.version ?? "",
    operations,
    document,
    findOperation(method, pathname) {
      const m = method.toUpperCase();
      return byPreference.find((op) => op.method === m && op.regex.test(pathname));
    },
    operation(key) {
      return operations.find((op) => op.key === key);
    },
    checkResponse,
    responseMediaTypes,
    requestSchemaPointer,
    responseSchemaPointer,
    validator,
    ajv,
  };
}
