// Citations a user can follow, and a catalog that cannot lose a check.
//
// Every citation of every check names a source of schemas/sources.yaml and a
// section; every source says where to read it; no citation names the workplace's
// copies of the documents ("seed"); a quote of the suite's own contract is found,
// verbatim, in the file it cites. And every check file under suites/ is collected
// by the run, with literal ids a search finds.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import config from "../vitest.config";
import { citationLink, formatCitation, loadSources, sourcesProblems, specText, validateCitation, validateSpec, type Sources } from "../harness/citations";
import type { CheckMeta, Citation } from "../harness/model";
import { runCli } from "./support/cli";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SUITES = join(ROOT, "suites");

let checks: CheckMeta[];
let sources: Sources;
beforeAll(async () => {
  const r = await runCli(["list", "--json"], { timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  checks = JSON.parse(r.stdout);
  sources = loadSources();
});

const citationsOfAll = () => checks.flatMap((c) => c.spec.map((cit) => ({ id: c.id, cit })));

/** Text as a reader sees it: comment markers and line breaks gone, white space collapsed. */
function readable(text: string): string {
  return text
    .split("\n")
    .map((l) => l.replace(/^\s*#\s?/, ""))
    .join(" ")
    .replace(/\\"/g, '"')
    .replace(/\s+/g, " ");
}

describe("the sources (schemas/sources.yaml)", () => {
  it("are valid: an id, a kind, a title, a version and a description each, and a place to read it", () => {
    expect(sources.list.length).toBeGreaterThan(10);
    for (const s of sources.list) {
      expect(s.title.trim(), s.id).not.toBe("");
      expect(Boolean(s.url || s.path || s.where), `${s.id} says where to read it`).toBe(true);
      if (s.path) expect(existsSync(join(ROOT, s.path)), `${s.id}: ${s.path} exists in the repository`).toBe(true);
    }
  });

  it("name no copy of a document by file: no 'seed' and no workplace path", () => {
    const raw = readFileSync(join(ROOT, "schemas/sources.yaml"), "utf8");
    expect(raw).not.toMatch(/\bseeds?\b/i);
    expect(raw).not.toMatch(/\.\.\/shared|\/work\//);
  });

  it("include every document the contract rests on and the standards it cites", () => {
    const ids = new Set(sources.list.map((s) => s.id));
    for (const id of ["api-ref", "api-ref-2024", "api-ref-legacy", "sdk-py", "go-client", "openapi", "openapi-prev", "contract", "streams", "rfc9110", "whatwg-html", "mcp", "jsonrpc"]) {
      expect(ids.has(id), id).toBe(true);
    }
  });

  it("refuse a file with a problem: a duplicate id, an unknown kind, no place to read it, an unknown field", () => {
    expect(sourcesProblems({ sources: [] })).toEqual(["`sources` is not a non-empty list"]);
    const good = { id: "a", kind: "api", title: "A", version: "1", url: "https://example.org/a", description: "a" };
    expect(sourcesProblems({ sources: [good] })).toEqual([]);
    const problems = sourcesProblems({
      sources: [good, { ...good }, { id: "b", kind: "blog", title: "B", version: "1", description: "b", colour: "red" }, { ...good, id: "c", url: "http://x" }],
    }).join("\n");
    expect(problems).toContain("id is used twice");
    expect(problems).toContain("kind must be one of");
    expect(problems).toContain("says nowhere to read it");
    expect(problems).toContain("unknown field colour");
    expect(problems).toContain("url is not an https URL");
  });
});

describe("a citation", () => {
  it("is validated: an unknown source, an empty section, an empty quote or an unknown field is a problem", () => {
    expect(validateCitation({ source: "api-ref", section: "Create Assistant", quote: "Create an assistant." }, sources)).toEqual([]);
    expect(validateCitation({ source: "seed 002", section: "Create Assistant" }, sources).join()).toContain("unknown source 'seed 002'");
    expect(validateCitation({ source: "api-ref", section: " " }, sources).join()).toContain("has no section");
    expect(validateCitation({ source: "api-ref", section: "x", quote: "" }, sources).join()).toContain("empty quote");
    expect(validateCitation({ source: "api-ref", section: "x", page: 3 } as unknown as Citation, sources).join()).toContain("unknown field page");
    expect(validateSpec("seed 002, Health Check", sources)).toEqual(["spec must be a non-empty list of citations"]);
    expect(validateSpec([], sources)).toEqual(["spec must be a non-empty list of citations"]);
  });

  it("is formatted as text with the source's title, and linked to where the source is read", () => {
    const c: Citation = { source: "rfc9110", section: "15.5.21 422 Unprocessable Content", quote: "the syntax of the request content is correct", note: "a body that is JSON" };
    expect(formatCitation(c, sources)).toBe("RFC 9110: HTTP Semantics, 15.5.21 422 Unprocessable Content: “the syntax of the request content is correct” (a body that is JSON)");
    expect(formatCitation({ source: "contract", section: "RunStatus" }, sources)).toBe("The conformance contract (schemas/openapi.yaml), RunStatus");
    expect(specText([c, { source: "contract", section: "RunStatus" }], sources)).toContain("; The conformance contract");
    expect(citationLink(c, sources)).toEqual({ title: "RFC 9110: HTTP Semantics", url: "https://www.rfc-editor.org/rfc/rfc9110" });
    expect(citationLink({ source: "streams" }, sources)).toEqual({ title: "The contract of event streams (schemas/streams.yaml)", path: "schemas/streams.yaml" });
  });
});

describe("the citations of the catalog", () => {
  it("are lists, and each citation resolves to a source of schemas/sources.yaml with a section", () => {
    expect(checks.length).toBeGreaterThan(500);
    const problems = checks.flatMap((c) => validateSpec(c.spec, sources).map((p) => `${c.id}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("never name the workplace's copies of the documents ('seed 002', a file of seeds/)", () => {
    const named = checks.filter((c) => /\bseeds?\b|\b00[0-4]_[0-9a-f]+/i.test(JSON.stringify(c.spec))).map((c) => c.id);
    expect(named).toEqual([]);
  });

  it("quote the suite's own contract verbatim: each quote of `contract` or `streams` is in its file", () => {
    const text = {
      contract: readable(readFileSync(join(ROOT, "schemas/openapi.yaml"), "utf8")),
      streams: readable(readFileSync(join(ROOT, "schemas/streams.yaml"), "utf8")),
    };
    const missing: string[] = [];
    for (const { id, cit } of citationsOfAll()) {
      if (!cit.quote || !(cit.source === "contract" || cit.source === "streams")) continue;
      // "…" joins words of one passage that the quote leaves out.
      const parts = cit.quote
        .split("…")
        .map((p) => readable(p).trim())
        .filter(Boolean);
      if (!parts.every((p) => text[cit.source as "contract" | "streams"].includes(p))) missing.push(`${id} (${cit.source}, ${cit.section}): ${cit.quote}`);
    }
    expect(missing).toEqual([]);
  });

  it("cite the API's documents, not only the contract: most checks cite a document of the API", () => {
    const api = new Set(sources.list.filter((s) => s.kind !== "contract").map((s) => s.id));
    const contractOnly = checks.filter((c) => c.spec.every((cit) => !api.has(cit.source))).map((c) => c.id);
    // A check whose only words are the contract's rests on a decision: it is SHOULD at most, or a
    // property of the contract's request schemas (whose rules the documents give, field by field).
    for (const id of contractOnly) {
      const c = checks.find((x) => x.id === id)!;
      expect(c.level !== "MUST" || c.profile === "property", `${id} is MUST and cites only the contract`).toBe(true);
    }
  });
});

// ------------------------------------------------------------ the catalog cannot lose a check

/** A glob of vitest's include (`**`, `*`) as a regular expression over a path relative to the root. */
function globToRegExp(glob: string): RegExp {
  const re = glob
    .split("/")
    .map((seg) => (seg === "**" ? "(?:.*/)?" : `${seg.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}/`))
    .join("");
  return new RegExp(`^${re.replace(/\/$/, "")}$`.replace("(?:.*/)?/", "(?:.*/)?"));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The relative modules a file imports (static imports and `import "./x"`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^\s*import\s+(?:[^"';]+\s+from\s+)?["'](\.[^"']+)["']/gm)].map((m) => m[1]!);
  return specs.map((s) => {
    const base = join(file, "..", s);
    for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) if (existsSync(candidate) && candidate.endsWith(".ts")) return candidate;
    return `${base}.ts`;
  });
}

describe("the catalog cannot lose a check", () => {
  const conformance = (config as any).test.projects.find((p: any) => p.test?.name === "conformance").test;
  const include: RegExp[] = conformance.include.map(globToRegExp);
  const files = filesUnder(SUITES).map((f) => relative(ROOT, f).split("\\").join("/"));
  const collected = files.filter((f) => include.some((re) => re.test(f)));

  it("the run's include pattern matches the *.check.ts files, and only them", () => {
    expect(include.some((re) => re.test("suites/system/health-and-info.check.ts"))).toBe(true);
    expect(include.some((re) => re.test("suites/streaming/framing.checks.ts"))).toBe(false);
    expect(collected.sort()).toEqual(files.filter((f) => f.endsWith(".check.ts")).sort());
  });

  it("every *.checks.ts file is imported, directly or not, by a file the run collects", () => {
    const reached = new Set<string>();
    const visit = (abs: string) => {
      if (reached.has(abs) || !existsSync(abs)) return;
      reached.add(abs);
      for (const i of importsOf(abs)) if (i.startsWith(SUITES)) visit(i);
    };
    for (const f of collected) visit(join(ROOT, f));
    const lost = files.filter((f) => f.endsWith(".checks.ts") && !reached.has(join(ROOT, f)));
    expect(lost, "check modules that no collected file imports never run").toEqual([]);
  });

  it("declares checks only in *.check.ts and *.checks.ts files", () => {
    // A file that gives a check its id declares it (support files may wrap check(), as suites/auth/support.ts does, but name no check).
    const declaring = files.filter((f) => f.endsWith(".ts") && /\bid:\s*"[A-Z]{2,5}-[0-9]{3}"/.test(readFileSync(join(ROOT, f), "utf8")));
    expect(declaring.filter((f) => !/\.checks?\.ts$/.test(f))).toEqual([]);
  });

  it("gives every check a literal id that a search of suites/ finds", () => {
    const text = files
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(join(ROOT, f), "utf8"))
      .join("\n");
    const computed = checks.filter((c) => !text.includes(`"${c.id}"`)).map((c) => c.id);
    expect(computed).toEqual([]);
  });
});
