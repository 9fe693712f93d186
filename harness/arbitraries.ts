// fast-check arbitraries derived from JSON Schema 2020-12 (the contract's request
// schemas): valid values, and invalid ones that break exactly one named rule.
//
// No library fits (see the README's property section): this converter covers the
// keywords the contract uses (type and type unions with "null", enum, const,
// properties, required, additionalProperties, items, prefixItems, minItems,
// maxItems, uniqueItems, minimum, maximum, exclusive bounds, multipleOf,
// minLength, maxLength, pattern, format, anyOf, oneOf, allOf, local $ref,
// recursive ones included, and boolean schemas), and bounds what it makes:
// strings, arrays, free objects and recursion are kept small.
//
// Three contract conventions are honoured: a schema with `x-valid-subset: true`
// describes a safe subset of valid values (values outside it are not thereby
// invalid), so no mutation is ever made inside one; a property marked
// `x-level: SHOULD` (its constraints rest only on the newest document or on an
// SDK, see schemas/README.md) is neither generated in valid values nor broken in
// invalid ones, as the properties built from these arbitraries are MUST; and
// URLs (formats uri, uri-reference) point at hosts under `.invalid` (RFC 6761),
// which no resolver answers, so that a server calling a generated webhook
// reaches nobody.

import fc from "fast-check";

export type Schema = boolean | Record<string, any>;
/** Property names from the root; `*` stands for an item of an array. */
export type Path = readonly string[];

export interface ArbitraryOptions {
  /** The document local `$ref`s (`#/...`) resolve against. */
  root?: unknown;
  /** How often one schema may appear inside itself (recursive `$ref`s). Default 2. */
  maxRecursion?: number;
  /** Upper bound of generated arrays (raised to minItems when needed). Default 3. */
  maxItems?: number;
  /** Upper bound of generated strings without a maxLength. Default 12. */
  maxStringLength?: number;
  /** Upper bound of the keys of free-form objects. Default 3. */
  maxKeys?: number;
  /**
   * The suite's own generator for a path (tagged metadata, a namespace under the
   * run's root, an id of the suite's own resource); undefined keeps the schema's.
   */
  override?: (path: Path, schema: Record<string, any>) => fc.Arbitrary<unknown> | undefined;
  /** Optional properties the suite wants always present (a tag, a namespace that scopes a search). */
  forcePresent?: (path: Path) => boolean;
}

export type MutationKind =
  | "missing-required"
  | "wrong-type"
  | "outside-enum"
  | "not-const"
  | "below-minimum"
  | "above-maximum"
  | "too-short"
  | "too-long"
  | "too-few-items"
  | "too-many-items"
  | "wrong-format"
  | "pattern-mismatch"
  | "extra-property";

/** One way a value breaks its schema, at one place. */
export interface Mutation {
  kind: MutationKind;
  /** Where the broken rule applies (for missing-required and extra-property: the object). */
  path: Path;
  /** The rule that is broken, in the contract's terms ("limit minimum 1"). */
  rule: string;
}

export interface InvalidValue {
  value: unknown;
  mutation: Mutation;
}

/** Where a mutation can be made, with the bad values to put there. */
export interface MutationSite extends Mutation {
  /** The property removed (missing-required) or added (extra-property). */
  key?: string;
  /** Bad values for the place (not used by missing-required). */
  bad?: fc.Arbitrary<unknown>;
}

const DEFAULTS = { maxRecursion: 2, maxItems: 3, maxStringLength: 12, maxKeys: 3 };
const ANNOTATIONS = new Set(["description", "title", "default", "examples", "example", "deprecated", "readOnly", "writeOnly", "$comment", "discriminator", "externalDocs", "xml"]);

export const showPath = (p: Path): string => (p.length === 0 ? "(body)" : p.join(".").replace(/\.\*/g, "[0]"));

function decodePointerSegment(s: string): string {
  return decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~");
}

export function resolvePointer(doc: unknown, pointer: string): unknown {
  let node: any = doc;
  for (const raw of pointer.split("/").slice(1)) {
    if (node == null || typeof node !== "object") return undefined;
    node = node[decodePointerSegment(raw)];
  }
  return node;
}

/** A schema with no assertion at all: any JSON value. */
function isUnconstrained(s: Record<string, any>): boolean {
  return Object.keys(s).every((k) => ANNOTATIONS.has(k) || k.startsWith("x-"));
}

/** allOf, and a `$ref` or a branch with its siblings: both must hold. */
export function mergeSchemas(a: Schema, b: Schema): Schema {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  const out: Record<string, any> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (!(k in out)) {
      out[k] = v;
      continue;
    }
    const cur = out[k];
    if (k === "properties") {
      const props: Record<string, Schema> = { ...cur };
      for (const [pk, pv] of Object.entries<Schema>(v)) props[pk] = pk in props ? mergeSchemas(props[pk]!, pv) : pv;
      out.properties = props;
    } else if (k === "required") out.required = [...new Set([...cur, ...v])];
    else if (k === "type") {
      const x = new Set<string>([cur].flat());
      const y = [v].flat() as string[];
      // integer is a number: integer ∩ number = integer
      const both = y.filter((t) => x.has(t) || (t === "integer" && x.has("number"))).concat(y.includes("number") && x.has("integer") ? ["integer"] : []);
      out.type = [...new Set(both)];
    } else if (k === "enum") out.enum = cur.filter((e: unknown) => v.some((f: unknown) => JSON.stringify(f) === JSON.stringify(e)));
    else if (k === "minimum" || k === "minLength" || k === "minItems" || k === "exclusiveMinimum") out[k] = Math.max(cur, v);
    else if (k === "maximum" || k === "maxLength" || k === "maxItems" || k === "exclusiveMaximum") out[k] = Math.min(cur, v);
    else if (k === "allOf") out.allOf = [...cur, ...v];
    else if (k === "anyOf" || k === "oneOf") out.allOf = [...(out.allOf ?? []), { [k]: v }];
    else out[k] = v;
  }
  return out;
}

/** Follows `$ref` and flattens `allOf`, so that the keywords of a node are in one object. */
function flatten(schema: Schema, root: unknown, seen: Set<string> = new Set()): Schema {
  if (typeof schema === "boolean") return schema;
  let s: Schema = schema;
  if (typeof s.$ref === "string") {
    const ref = s.$ref;
    if (!ref.startsWith("#")) throw new Error(`only local $refs are supported, got ${ref}`);
    if (seen.has(ref)) throw new Error(`$ref ${ref} refers to itself without an intervening schema`);
    const target = resolvePointer(root, ref.slice(1));
    if (target === undefined) throw new Error(`$ref ${ref} does not resolve`);
    const { $ref: _r, ...rest } = s;
    s = mergeSchemas(flatten(target as Schema, root, new Set([...seen, ref])), rest);
  }
  if (typeof s !== "boolean" && Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s;
    // (Two anyOf/oneOf at one node come back as a residual allOf, left as it is.)
    s = (allOf as Schema[]).reduce<Schema>((acc, part) => mergeSchemas(acc, flatten(part, root, seen)), rest);
  }
  return s;
}

function typesOf(s: Record<string, any>): string[] | undefined {
  if (s.type !== undefined) return [s.type].flat();
  if (s.properties || s.required || s.additionalProperties !== undefined) return ["object"];
  if (s.items || s.prefixItems || s.minItems !== undefined || s.maxItems !== undefined) return ["array"];
  if (s.minLength !== undefined || s.maxLength !== undefined || s.pattern || s.format) return ["string"];
  if (s.minimum !== undefined || s.maximum !== undefined) return ["number"];
  return undefined;
}

const keyArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);

/** Any JSON value, small. */
const anyJsonCache = new Map<number, fc.Arbitrary<unknown>>();
export function anyJson(maxDepth = 2): fc.Arbitrary<unknown> {
  let a = anyJsonCache.get(maxDepth);
  if (!a) {
    // Through JSON and back: what is sent is what is compared (no -0, no __proto__ surprises).
    a = fc.jsonValue({ maxDepth, depthSize: "xsmall" }).map((v) => JSON.parse(JSON.stringify(v)));
    anyJsonCache.set(maxDepth, a);
  }
  return a;
}

/** URLs nobody answers: hosts under `.invalid` (RFC 6761), or relative references. */
export function safeUrl(absolute: boolean): fc.Arbitrary<string> {
  const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/).map((h) => `${h}.invalid`);
  const seg = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
  const abs = fc.tuple(fc.constantFrom("http", "https"), host, fc.array(seg, { maxLength: 3 })).map(([s, h, p]) => `${s}://${h}/${p.join("/")}`);
  return absolute
    ? abs
    : fc.oneof(
        abs,
        fc.array(seg, { minLength: 1, maxLength: 3 }).map((p) => `/${p.join("/")}`),
      );
}

const DATE_MIN = new Date("1970-01-01T00:00:00Z");
const DATE_MAX = new Date("2099-12-31T23:59:59Z");

function formatArb(format: string): fc.Arbitrary<string> | undefined {
  switch (format) {
    case "uuid":
      // Neither biased nor shrunk: both lead to the same few UUIDs (all zeros, all f's),
      // which every property, and every case that creates something, would then share.
      return fc.noShrink(fc.noBias(fc.uuid()));
    case "date-time":
      return fc.date({ min: DATE_MIN, max: DATE_MAX, noInvalidDate: true }).map((d) => d.toISOString());
    case "date":
      return fc.date({ min: DATE_MIN, max: DATE_MAX, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case "uri":
    case "iri":
      return safeUrl(true);
    case "uri-reference":
    case "iri-reference":
      return safeUrl(false);
    case "email":
      return fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}$/)).map(([u, d]) => `${u}@${d}.invalid`);
    default:
      return undefined;
  }
}

/** Bad strings for a format: each fails the format as ajv-formats checks it. */
function badFormatArb(format: string): fc.Arbitrary<string> | undefined {
  switch (format) {
    case "uuid":
      return fc.oneof(
        fc.constantFrom("not-a-uuid", "1234", ""),
        fc.uuid().map((u) => u.replace(/-/g, "")),
        fc.uuid().map((u) => `${u.slice(0, -1)}g`),
      );
    case "date-time":
      return fc.constantFrom("yesterday", "2024-13-01T00:00:00Z", "2024-01-01", "2024-01-01T10:00:00", "not a date");
    case "date":
      return fc.constantFrom("2024-13-01", "01/02/2024", "yesterday");
    case "uri":
    case "iri":
      return fc.constantFrom("/relative/only", "not a url", "http://exa mple.invalid/");
    case "uri-reference":
    case "iri-reference":
      return fc.constantFrom("http://exa mple.invalid/ x", "a b", "%zz", "{}");
    case "email":
      return fc.constantFrom("no-at-sign", "a@", "@b");
    default:
      return undefined;
  }
}

const patternCache = new Map<string, fc.Arbitrary<string>>();

function lengthOf(s: string): number {
  return [...s].length;
}

function stringArb(s: Record<string, any>, o: { maxStringLength: number }): fc.Arbitrary<string> | undefined {
  const min: number = s.minLength ?? 0;
  const max: number = s.maxLength ?? Infinity;
  if (min > max) return undefined;
  const fits = (v: string) => lengthOf(v) >= min && lengthOf(v) <= max;
  if (s.format) {
    const f = formatArb(s.format);
    if (f) return min > 0 || max < Infinity ? f.filter(fits) : f;
  }
  if (s.pattern) {
    const re = new RegExp(s.pattern, "u");
    // stringMatching reads the pattern without the u flag; the filter keeps what ajv (u flag) accepts.
    let base = patternCache.get(s.pattern);
    if (!base) {
      base = fc.stringMatching(new RegExp(s.pattern)).filter((v) => re.test(v));
      patternCache.set(s.pattern, base);
    }
    return min > 0 || max < Infinity ? base.filter(fits) : base;
  }
  const upper = Math.min(max, min + o.maxStringLength);
  if (min > 0 || max < Infinity) return fc.string({ minLength: min, maxLength: upper, unit: "grapheme-ascii" });
  return fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: upper, unit: "grapheme-ascii" }) }, { weight: 1, arbitrary: fc.string({ maxLength: upper, unit: "grapheme" }) });
}

function numberArb(s: Record<string, any>, integer: boolean): fc.Arbitrary<number> | undefined {
  const lo = Math.max(s.minimum ?? -Infinity, s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-6) : -Infinity);
  const hi = Math.min(s.maximum ?? Infinity, s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-6) : Infinity);
  // Unbounded sides stay near the other bound (or near zero): values a person would send.
  const min = Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi - 1000 : -1000;
  const max = Number.isFinite(hi) ? hi : min + 2000;
  if (min > max) return undefined;
  if (s.multipleOf !== undefined) {
    const m: number = s.multipleOf;
    const a = Math.ceil(min / m);
    const b = Math.floor(max / m);
    return a > b ? undefined : fc.integer({ min: a, max: b }).map((k) => k * m);
  }
  const ints = fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  if (integer) return Math.ceil(min) > Math.floor(max) ? undefined : ints;
  const dbl = fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
  return Math.ceil(min) > Math.floor(max) ? dbl : fc.oneof(ints, dbl);
}

/**
 * Does `value` plainly match `schema`? A shallow reading (type, const, enum,
 * required, properties), used to keep oneOf exclusive; an unknown keyword counts
 * as a match, so a doubtful value is left out rather than let through.
 */
export function roughlyMatches(schema: Schema, value: unknown, root: unknown, depth = 3): boolean {
  const s = flatten(schema, root);
  if (typeof s === "boolean") return s;
  if (depth <= 0) return true;
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) return false;
  if (s.enum && !s.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) return false;
  const types = s.type === undefined ? undefined : [s.type].flat();
  if (types && !types.some((t: string) => jsonTypeMatches(t, value))) return false;
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const k of s.required ?? []) if (!(k in (value as object))) return false;
    for (const [k, sub] of Object.entries<Schema>(s.properties ?? {})) {
      if (k in (value as object) && !roughlyMatches(sub, (value as any)[k], root, depth - 1)) return false;
    }
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(s[key]) && !s[key].some((b: Schema) => roughlyMatches(b, value, root, depth - 1))) return false;
  }
  return true;
}

function jsonTypeMatches(t: string, v: unknown): boolean {
  switch (t) {
    case "null":
      return v === null;
    case "boolean":
      return typeof v === "boolean";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "string":
      return typeof v === "string";
    case "array":
      return Array.isArray(v);
    case "object":
      return v !== null && typeof v === "object" && !Array.isArray(v);
    default:
      return false;
  }
}

interface BuildState {
  o: Required<Omit<ArbitraryOptions, "root" | "override" | "forcePresent">> & Pick<ArbitraryOptions, "root" | "override" | "forcePresent">;
  /** Paths (joined with \u0000) that must be generated: the way to a mutation site. */
  force: Set<string>;
}

const pk = (p: Path) => p.join("\u0000");

/** Is some forced path below `path`, and which segment comes next? */
function forcedNext(st: BuildState, path: Path): Set<string> {
  const next = new Set<string>();
  const prefix = pk(path);
  for (const f of st.force) {
    const parts = f === "" ? [] : f.split("\u0000");
    if (parts.length > path.length && pk(parts.slice(0, path.length)) === prefix) next.add(parts[path.length]!);
  }
  return next;
}

function build(schema: Schema, path: Path, st: BuildState, stack: readonly object[]): fc.Arbitrary<unknown> | undefined {
  if (schema === false) return undefined;
  if (schema === true) return anyJson();
  const raw = schema;
  // Recursion: the same schema object (a recursive $ref, or a dereferenced cycle) nests at most maxRecursion times.
  const key = (typeof raw.$ref === "string" ? resolvePointer(st.o.root, raw.$ref.slice(1)) : raw) as object | undefined;
  if (key && stack.filter((x) => x === key).length > st.o.maxRecursion) return undefined;
  const inner = key ? [...stack, key] : stack;
  const s = flatten(raw, st.o.root);
  if (s === false) return undefined;
  if (s === true) return anyJson();
  const ov = st.o.override?.(path, s);
  if (ov) return ov;
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return s.enum.length ? fc.constantFrom(...s.enum) : undefined;

  for (const comb of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(s[comb])) {
      const { [comb]: branches, ...base } = s;
      const merged = (branches as Schema[]).map((b) => mergeSchemas(base, b));
      // A oneOf branch whose value always holds the keys another branch requires
      // (its own, plus those forced on the way to a mutation site) would always
      // match both: it is left out, or the filter below would never end.
      const forced = forcedNext(st, path);
      const requiredOf = (m: Schema) => new Set<string>(typeof m === "object" ? ((flatten(m, st.o.root) as any).required ?? []) : []);
      const hopeless = (i: number) => {
        const have = new Set([...requiredOf(merged[i]!), ...forced]);
        return merged.some((m, j) => j !== i && requiredOf(m).size > 0 && [...requiredOf(m)].every((k) => have.has(k)));
      };
      const arbs: fc.Arbitrary<unknown>[] = [];
      merged.forEach((m, i) => {
        if (comb === "oneOf" && hopeless(i)) return;
        let a = build(m, path, st, inner);
        if (!a) return;
        if (comb === "oneOf") {
          const others = merged.filter((_, j) => j !== i);
          a = a.filter((v) => !others.some((other) => roughlyMatches(other, v, st.o.root)));
        }
        arbs.push(a);
      });
      return arbs.length ? fc.oneof(...arbs) : undefined;
    }
  }

  if (isUnconstrained(s)) return anyJson();
  let types = typesOf(s) ?? ["null", "boolean", "object", "array", "number", "string"];
  // On the way to a mutation site, a container must be there.
  const next = forcedNext(st, path);
  if (next.size > 0) types = types.filter((t) => (next.has("*") ? t === "array" : t === "object"));
  if (types.includes("integer") && types.includes("number")) types = types.filter((t) => t !== "integer");
  const arbs = types.map((t) => buildType(t, s, path, st, inner)).filter((a): a is fc.Arbitrary<unknown> => a !== undefined);
  if (arbs.length === 0) return undefined;
  return arbs.length === 1 ? arbs[0] : fc.oneof(...arbs);
}

function buildType(t: string, s: Record<string, any>, path: Path, st: BuildState, stack: readonly object[]): fc.Arbitrary<unknown> | undefined {
  switch (t) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return numberArb(s, true);
    case "number":
      return numberArb(s, false);
    case "string":
      return stringArb(s, st.o);
    case "array":
      return arrayArb(s, path, st, stack);
    case "object":
      return objectArb(s, path, st, stack);
    default:
      return undefined;
  }
}

function arrayArb(s: Record<string, any>, path: Path, st: BuildState, stack: readonly object[]): fc.Arbitrary<unknown[]> | undefined {
  const forced = forcedNext(st, path).has("*");
  const minItems = Math.max(s.minItems ?? 0, forced ? 1 : 0);
  const maxItems = Math.min(s.maxItems ?? Infinity, Math.max(minItems, st.o.maxItems));
  if (minItems > maxItems) return undefined;
  const prefix: Schema[] = s.prefixItems ?? [];
  const prefixArbs = prefix.slice(0, maxItems).map((p, i) => build(p, [...path, String(i)], st, stack));
  if (prefixArbs.some((a) => !a) && minItems > 0) return undefined;
  const itemSchema: Schema = s.items ?? true;
  const item = itemSchema === false ? undefined : build(itemSchema, [...path, "*"], st, stack);
  const restMin = Math.max(0, minItems - prefix.length);
  const restMax = Math.max(0, maxItems - prefix.length);
  if (!item && restMin > 0) return undefined;
  const rest =
    item && restMax > 0
      ? s.uniqueItems
        ? fc.uniqueArray(item, { minLength: restMin, maxLength: restMax, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength: restMin, maxLength: restMax })
      : fc.constant([] as unknown[]);
  if (prefix.length === 0) return rest;
  return fc.tuple(fc.tuple(...(prefixArbs as fc.Arbitrary<unknown>[])), rest).map(([a, b]) => [...a, ...b]);
}

/**
 * A property the contract judges at SHOULD only (`x-level: SHOULD`, on the
 * property or on the schema it refers to): left out of what MUST properties
 * generate and break.
 */
export function isShouldOnly(node: Schema | undefined, root: unknown): boolean {
  if (node === undefined || typeof node === "boolean") return false;
  if (node["x-level"] === "SHOULD") return true;
  const s = flatten(node, root);
  return typeof s === "object" && s["x-level"] === "SHOULD";
}

function objectArb(s: Record<string, any>, path: Path, st: BuildState, stack: readonly object[]): fc.Arbitrary<Record<string, unknown>> | undefined {
  const props: Record<string, Schema> = s.properties ?? {};
  const forced = forcedNext(st, path);
  const required = new Set<string>([...(s.required ?? []), ...[...forced].filter((k) => k !== "*")]);
  if (st.o.forcePresent) for (const k of Object.keys(props)) if (st.o.forcePresent([...path, k])) required.add(k);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const k of new Set([...Object.keys(props), ...required])) {
    if (!required.has(k) && isShouldOnly(props[k], st.o.root)) continue;
    const a = build(props[k] ?? (typeof s.additionalProperties === "object" ? s.additionalProperties : true), [...path, k], st, stack);
    if (a) model[k] = a;
    else if (required.has(k)) return undefined;
  }
  const declared = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
  // A free-form object (no declared properties): a few small pairs.
  if (Object.keys(props).length === 0 && s.additionalProperties !== false) {
    const valueSchema: Schema = typeof s.additionalProperties === "object" ? s.additionalProperties : true;
    const value = build(valueSchema, [...path, "*"], st, stack);
    if (!value) return declared;
    const free = fc.dictionary(keyArb, value, { maxKeys: st.o.maxKeys });
    return fc.tuple(free, declared).map(([f, d]) => ({ ...f, ...d }));
  }
  return declared;
}

function withDefaults(opts: ArbitraryOptions): BuildState["o"] {
  return { ...DEFAULTS, ...opts } as BuildState["o"];
}

/** Values valid against `schema`. Throws when the schema admits no value within the bounds. */
export function validArbitrary(schema: Schema, opts: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const a = build(schema, [], { o: withDefaults(opts), force: new Set() }, []);
  if (!a) throw new Error("the schema admits no value within the generator's bounds");
  return a;
}

// ------------------------------------------------------------------ invalid values

const SAMPLE_OF_TYPE: Record<string, unknown[]> = {
  string: ["text", ""],
  integer: [7, -1],
  number: [1.5],
  boolean: [true, false],
  null: [null],
  object: [{ unexpected: 1 }, {}],
  array: [["x"], []],
};

/** JSON types a node accepts, if they can be told (undefined: any, or not known). */
function acceptedTypes(s: Schema, root: unknown, depth = 4): Set<string> | undefined {
  const f = flatten(s, root);
  if (f === true) return undefined;
  if (f === false) return new Set();
  if (depth <= 0) return undefined;
  for (const comb of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(f[comb])) {
      const all = new Set<string>();
      for (const b of f[comb] as Schema[]) {
        const { [comb]: _drop, ...base } = f;
        const t = acceptedTypes(mergeSchemas(base, b), root, depth - 1);
        if (!t) return undefined;
        for (const x of t) all.add(x);
      }
      return all;
    }
  }
  if (f.const !== undefined) return new Set([jsonTypeOf(f.const)]);
  if (Array.isArray(f.enum)) return new Set(f.enum.map(jsonTypeOf));
  const t = typesOf(f);
  if (!t) return undefined;
  const set = new Set(t);
  if (set.has("number")) set.add("integer");
  return set;
}

function jsonTypeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function describeTypes(t: Set<string>): string {
  return [...t].filter((x) => !(x === "integer" && t.has("number"))).join(" or ");
}

/**
 * Every place where `schema` can be broken, with how. Nothing is broken inside
 * an `x-valid-subset` schema, nor under an `x-level: SHOULD` property, nor inside
 * the branches of anyOf/oneOf (breaking a
 * branch may still match another one); the whole value of such a node can get a
 * type no branch accepts.
 */
export function mutationSites(schema: Schema, opts: ArbitraryOptions & { maxDepth?: number } = {}): MutationSite[] {
  const root = opts.root;
  const maxDepth = opts.maxDepth ?? 4;
  const sites: MutationSite[] = [];
  const visit = (node: Schema, path: Path, stack: readonly object[]) => {
    if (typeof node === "boolean") return;
    const key = (typeof node.$ref === "string" ? resolvePointer(root, node.$ref.slice(1)) : node) as object;
    if (stack.includes(key) || path.length > maxDepth) return;
    const s = flatten(node, root);
    if (typeof s === "boolean") return;
    if (s["x-valid-subset"] === true) return;
    if (s["x-level"] === "SHOULD") return;
    const where = showPath(path);

    const accepted = acceptedTypes(s, root);
    if (accepted) {
      const candidates = Object.keys(SAMPLE_OF_TYPE)
        .filter((t) => !accepted.has(t))
        .flatMap((t) => SAMPLE_OF_TYPE[t]!);
      if (candidates.length) sites.push({ kind: "wrong-type", path, rule: `${where} is ${describeTypes(accepted)}`, bad: fc.constantFrom(...candidates) });
    }
    // Inside the branches of anyOf/oneOf nothing is broken; what the node itself
    // declares besides them holds in every branch, and is broken as usual.
    if (s.anyOf || s.oneOf) {
      const { anyOf: _a, oneOf: _o, ...base } = s;
      visitBase(base, path, stack, key, where);
      return;
    }
    visitBase(s, path, stack, key, where);
  };
  const visitBase = (s: Record<string, any>, path: Path, stack: readonly object[], key: object, where: string) => {
    if (s.const !== undefined) {
      const other = typeof s.const === "string" ? `${s.const}-other` : typeof s.const === "number" ? s.const + 1 : typeof s.const === "boolean" ? !s.const : undefined;
      if (other !== undefined) sites.push({ kind: "not-const", path, rule: `${where} is ${JSON.stringify(s.const)}`, bad: fc.constant(other) });
      return;
    }
    if (Array.isArray(s.enum)) {
      const strings = s.enum.filter((e: unknown) => typeof e === "string") as string[];
      if (strings.length) {
        const bad = fc
          .oneof(
            fc.constant(`${strings[0]}_unknown`),
            fc.constant(strings[0]!.toUpperCase() === strings[0] ? strings[0]!.toLowerCase() : strings[0]!.toUpperCase()),
            fc.stringMatching(/^[a-z]{1,10}$/),
          )
          .filter((v) => !s.enum.includes(v));
        sites.push({ kind: "outside-enum", path, rule: `${where} is one of ${strings.join(", ")}`, bad });
      }
      return;
    }
    const types = new Set(typesOf(s) ?? []);
    if (types.has("integer") || types.has("number")) {
      const integer = !types.has("number");
      if (typeof s.minimum === "number")
        sites.push({ kind: "below-minimum", path, rule: `${where} minimum ${s.minimum}`, bad: fc.constantFrom(s.minimum - 1, ...(integer ? [] : [s.minimum - 0.5]), s.minimum - 1000) });
      if (typeof s.exclusiveMinimum === "number")
        sites.push({ kind: "below-minimum", path, rule: `${where} exclusiveMinimum ${s.exclusiveMinimum}`, bad: fc.constantFrom(s.exclusiveMinimum, s.exclusiveMinimum - 1) });
      if (typeof s.maximum === "number") sites.push({ kind: "above-maximum", path, rule: `${where} maximum ${s.maximum}`, bad: fc.constantFrom(s.maximum + 1, s.maximum + 1000) });
      if (typeof s.exclusiveMaximum === "number")
        sites.push({ kind: "above-maximum", path, rule: `${where} exclusiveMaximum ${s.exclusiveMaximum}`, bad: fc.constantFrom(s.exclusiveMaximum, s.exclusiveMaximum + 1) });
    }
    if (types.has("string")) {
      if (typeof s.minLength === "number" && s.minLength > 0) {
        sites.push({ kind: "too-short", path, rule: `${where} minLength ${s.minLength}`, bad: fc.string({ minLength: s.minLength - 1, maxLength: s.minLength - 1, unit: "grapheme-ascii" }) });
      }
      // Breaking a large maxLength would mean a large body: left out (sizes stay bounded).
      if (typeof s.maxLength === "number" && s.maxLength < 1024) {
        sites.push({ kind: "too-long", path, rule: `${where} maxLength ${s.maxLength}`, bad: fc.string({ minLength: s.maxLength + 1, maxLength: s.maxLength + 8, unit: "grapheme-ascii" }) });
      }
      if (s.format) {
        const bad = badFormatArb(s.format);
        if (bad)
          sites.push({ kind: "wrong-format", path, rule: `${where} has format ${s.format}`, bad: bad.filter((v) => lengthOf(v) >= (s.minLength ?? 0) && lengthOf(v) <= (s.maxLength ?? Infinity)) });
      }
      if (s.pattern) {
        const re = new RegExp(s.pattern, "u");
        const candidates = ["a.b", ".", " ", "a b", "\n", "*", "-1", "ZZ", "x/y", "é"].filter((c) => !re.test(c) && lengthOf(c) >= (s.minLength ?? 0) && lengthOf(c) <= (s.maxLength ?? Infinity));
        if (candidates.length) sites.push({ kind: "pattern-mismatch", path, rule: `${where} matches ${s.pattern}`, bad: fc.constantFrom(...candidates) });
      }
    }
    if (types.has("array")) {
      if (typeof s.minItems === "number" && s.minItems > 0) sites.push({ kind: "too-few-items", path, rule: `${where} has at least ${s.minItems} item(s)` });
      if (typeof s.maxItems === "number" && s.maxItems < 64) sites.push({ kind: "too-many-items", path, rule: `${where} has at most ${s.maxItems} item(s)` });
      if (s.items !== undefined && typeof s.items !== "boolean") visit(s.items, [...path, "*"], [...stack, key]);
    }
    if (types.has("object")) {
      for (const k of s.required ?? []) sites.push({ kind: "missing-required", path, key: k, rule: `${showPath([...path, k])} is required` });
      if (s.additionalProperties === false)
        sites.push({ kind: "extra-property", path, key: "unexpected_field", rule: `${where} has no other properties than ${Object.keys(s.properties ?? {}).join(", ")}` });
      for (const [k, sub] of Object.entries<Schema>(s.properties ?? {})) visit(sub, [...path, k], [...stack, key]);
    }
  };
  visit(schema, [], []);
  return sites;
}

function getAt(v: any, path: Path): any {
  let node = v;
  for (const seg of path) node = node == null ? undefined : seg === "*" ? node[0] : node[seg];
  return node;
}

/** Puts `bad` at `path` (a copy; `*` is the first item). */
function setAt(v: unknown, path: Path, bad: unknown): unknown {
  if (path.length === 0) return bad;
  const [head, ...rest] = path;
  if (head === "*") {
    const arr = Array.isArray(v) ? [...v] : [];
    arr[0] = setAt(arr[0], rest, bad);
    return arr;
  }
  const obj = v && typeof v === "object" && !Array.isArray(v) ? { ...(v as object) } : {};
  (obj as any)[head!] = setAt((obj as any)[head!], rest, bad);
  return obj;
}

function applySite(base: unknown, site: MutationSite, bad: unknown, st: BuildState, schemaAt: Schema | undefined): fc.Arbitrary<unknown> {
  switch (site.kind) {
    case "missing-required": {
      const obj = { ...(getAt(base, site.path) as object) } as Record<string, unknown>;
      delete obj[site.key!];
      return fc.constant(setAt(base, site.path, obj));
    }
    case "extra-property": {
      const obj = { ...(getAt(base, site.path) as object), [site.key!]: "unexpected" };
      return fc.constant(setAt(base, site.path, obj));
    }
    case "too-few-items": {
      const arr = getAt(base, site.path) as unknown[];
      const min = (flatten(schemaAt!, st.o.root) as any).minItems as number;
      return fc.constant(setAt(base, site.path, (arr ?? []).slice(0, min - 1)));
    }
    case "too-many-items": {
      const s = flatten(schemaAt!, st.o.root) as any;
      const item = build(s.items ?? true, [...site.path, "*"], { ...st, force: new Set() }, []) ?? anyJson();
      return fc.array(item, { minLength: s.maxItems + 1, maxLength: s.maxItems + 1 }).map((arr) => setAt(base, site.path, arr));
    }
    default:
      return fc.constant(setAt(base, site.path, bad));
  }
}

/** The schema at a path of property names and `*` (through $ref, allOf and nullable types). */
export function schemaAt(schema: Schema, path: Path, root: unknown): Schema | undefined {
  let node: Schema | undefined = schema;
  for (const seg of path) {
    if (node === undefined || typeof node === "boolean") return undefined;
    const f = flatten(node, root);
    if (typeof f === "boolean") return undefined;
    node = seg === "*" ? f.items : f.properties?.[seg];
  }
  return node;
}

/**
 * Values that break `schema` at exactly one site: everything else about them is
 * valid (the way to the site is generated as a valid value would be). Which
 * sites are used can be narrowed with `allowSite`.
 */
export function invalidArbitrary(schema: Schema, opts: ArbitraryOptions & { allowSite?: (site: MutationSite) => boolean } = {}): fc.Arbitrary<InvalidValue> {
  const o = withDefaults(opts);
  const sites = mutationSites(schema, opts).filter((s) => opts.allowSite?.(s) ?? true);
  if (sites.length === 0) throw new Error("the schema has no place where a value can be made invalid");
  // Built on first use: a large schema has dozens of sites, a property uses a few.
  const built = new Map<number, fc.Arbitrary<InvalidValue> | null>();
  const siteArb = (i: number): fc.Arbitrary<InvalidValue> | null => {
    if (built.has(i)) return built.get(i)!;
    const site = sites[i]!;
    const st: BuildState = { o, force: new Set(prefixes(site.path)) };
    const base = build(schema, [], st, []);
    const at = schemaAt(schema, site.path, o.root);
    const mutation: Mutation = { kind: site.kind, path: site.path, rule: site.rule };
    const arb = base
      ? fc
          .tuple(base, site.bad ?? fc.constant(undefined))
          .chain(([b, bad]) => applySite(b, site, bad, st, at))
          .map((value) => ({ value, mutation }))
      : null;
    built.set(i, arb);
    return arb;
  };
  const usable = sites.map((_, i) => i);
  return fc.constantFrom(...usable).chain((i) => siteArb(i) ?? siteArb(usable.find((j) => siteArb(j) !== null)!)!);
}

function prefixes(path: Path): string[] {
  const out: string[] = [];
  for (let i = 1; i <= path.length; i++) out.push(pk(path.slice(0, i)));
  return out;
}
