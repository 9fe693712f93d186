// The sources a check cites (schemas/sources.yaml), loaded and checked once, and
// the ways to show a citation: as one line of text, or as the source's title and
// link for a reporter to render. Pure: reads one file of the suite's own.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { Citation } from "./model";

export const DEFAULT_SOURCES = fileURLToPath(new URL("../schemas/sources.yaml", import.meta.url));

export const SOURCE_KINDS = ["api", "sdk", "guide", "standard", "contract"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** One document the contract and the checks rest on. */
export interface Source {
  id: string;
  kind: SourceKind;
  title: string;
  /** The version or date of the document that was read. */
  version: string;
  /** Where to read it, publicly. */
  url?: string;
  /** For the suite's own files: the path in this repository. */
  path?: string;
  /** What the link cannot say: which version was read, how to find it. */
  where?: string;
  description: string;
}

export interface Sources {
  file: string;
  list: readonly Source[];
  byId: ReadonlyMap<string, Source>;
}

/** What is wrong with a sources file: one line per problem. */
export function sourcesProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const list = (doc as { sources?: unknown })?.sources;
  if (!Array.isArray(list) || list.length === 0) return ["`sources` is not a non-empty list"];
  const seen = new Set<string>();
  for (const [i, s] of list.entries()) {
    const at = `sources[${i}]${typeof s?.id === "string" ? ` (${s.id})` : ""}`;
    if (!s || typeof s !== "object") {
      problems.push(`${at} is not an object`);
      continue;
    }
    if (typeof s.id !== "string" || !/^[a-z][a-z0-9-]*$/.test(s.id)) problems.push(`${at}: id must be lower-case words joined by '-'`);
    else if (seen.has(s.id)) problems.push(`${at}: id is used twice`);
    else seen.add(s.id);
    if (!SOURCE_KINDS.includes(s.kind)) problems.push(`${at}: kind must be one of ${SOURCE_KINDS.join(", ")}`);
    for (const field of ["title", "version", "description"] as const) {
      if (typeof s[field] !== "string" || s[field].trim() === "") problems.push(`${at}: ${field} is missing`);
    }
    for (const field of ["url", "path", "where"] as const) {
      if (s[field] !== undefined && (typeof s[field] !== "string" || s[field].trim() === "")) problems.push(`${at}: ${field} is empty`);
    }
    if (typeof s.url === "string" && !/^https:\/\/\S+$/.test(s.url)) problems.push(`${at}: url is not an https URL`);
    if (!s.url && !s.path && !s.where) problems.push(`${at}: says nowhere to read it (url, path or where)`);
    for (const key of Object.keys(s)) {
      if (!["id", "kind", "title", "version", "url", "path", "where", "description"].includes(key)) problems.push(`${at}: unknown field ${key}`);
    }
  }
  return problems;
}

let memo: Sources | undefined;

/** The sources of schemas/sources.yaml (or of `file`), read and checked once. */
export function loadSources(file: string = DEFAULT_SOURCES): Sources {
  if (memo && memo.file === file) return memo;
  const doc = parse(readFileSync(file, "utf8"));
  const problems = sourcesProblems(doc);
  if (problems.length > 0) throw new Error(`${file} is not a valid sources file:\n  ${problems.join("\n  ")}`);
  const list = (doc.sources as Source[]).map((s) => Object.freeze({ ...s }));
  memo = { file, list, byId: new Map(list.map((s) => [s.id, s])) };
  return memo;
}

/** What is wrong with one citation: an unknown source, an empty section or quote. */
export function validateCitation(c: Citation, sources: Sources = loadSources()): string[] {
  const problems: string[] = [];
  if (!c || typeof c !== "object") return ["a citation must be an object {source, section, quote?, note?}"];
  if (typeof c.source !== "string" || !sources.byId.has(c.source)) problems.push(`unknown source '${String(c.source)}' (not in schemas/sources.yaml)`);
  if (typeof c.section !== "string" || c.section.trim() === "") problems.push(`citation of '${String(c.source)}' has no section`);
  for (const field of ["quote", "note"] as const) {
    if (c[field] !== undefined && (typeof c[field] !== "string" || c[field]!.trim() === "")) problems.push(`citation of '${String(c.source)}' has an empty ${field}`);
  }
  for (const key of Object.keys(c)) if (!["source", "section", "quote", "note"].includes(key)) problems.push(`citation of '${String(c.source)}' has an unknown field ${key}`);
  return problems;
}

/** What is wrong with a check's spec: not a non-empty list, or a citation that does not resolve. */
export function validateSpec(spec: unknown, sources: Sources = loadSources()): string[] {
  if (!Array.isArray(spec) || spec.length === 0) return ["spec must be a non-empty list of citations"];
  return spec.flatMap((c) => validateCitation(c as Citation, sources));
}

/** The source a citation names, or undefined. */
export function sourceOf(c: Pick<Citation, "source">, sources: Sources = loadSources()): Source | undefined {
  return sources.byId.get(c.source);
}

/** What a reporter needs to link a citation: the source's title, and its URL or repository path. */
export function citationLink(c: Pick<Citation, "source">, sources: Sources = loadSources()): { title: string; url?: string; path?: string } {
  const s = sourceOf(c, sources);
  if (!s) return { title: c.source };
  return { title: s.title, ...(s.url ? { url: s.url } : {}), ...(s.path ? { path: s.path } : {}) };
}

/** One line of text for a citation: `Title, section: “quote” (note)`. */
export function formatCitation(c: Citation, sources: Sources = loadSources()): string {
  const title = sourceOf(c, sources)?.title ?? c.source;
  return `${title}, ${c.section}${c.quote ? `: “${c.quote}”` : ""}${c.note ? ` (${c.note})` : ""}`;
}

/** One line of text for a check's spec: its citations, joined by "; ". */
export function specText(spec: readonly Citation[], sources: Sources = loadSources()): string {
  return spec.map((c) => formatCitation(c, sources)).join("; ");
}
