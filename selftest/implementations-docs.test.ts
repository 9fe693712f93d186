// The documents under docs/implementations/ never drift from the reports they
// are made from: each is rendered again here from the committed report.json
// files (report.md, findings.md, compare.md, the regression diff, the README
// tables and the table of the repo's README.md between its markers) and must
// equal the committed file. Rendering reads nothing but the reports and the
// suite's own files: no clock, no path or name of the machine.

import { existsSync, readFileSync } from "node:fs";
import { hostname, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { citationMarkdown } from "../reporters/findings-doc";
import { DOCS, IMPLEMENTATIONS, README_BEGIN, README_END, readCommittedReports, REGENERATE, renderDocs, ROOT } from "../scripts/maintainer/implementations";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const reports = readCommittedReports();
const docs = renderDocs(reports, readme);

/** The first line where two texts differ, to say where. */
function firstDifference(want: string, got: string): string {
  const a = want.split("\n");
  const b = got.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: committed ${JSON.stringify((b[i] ?? "(end of file)").slice(0, 160))}, the report gives ${JSON.stringify((a[i] ?? "(end of file)").slice(0, 160))}`;
  }
  return "";
}

describe("the documents of docs/implementations/ match the committed reports", () => {
  it("has a committed report.json for every implementation, and a document for each", () => {
    for (const impl of IMPLEMENTATIONS) expect(existsSync(join(ROOT, DOCS, impl.name, "report.json")), impl.name).toBe(true);
    for (const impl of IMPLEMENTATIONS) for (const f of ["report.md", "findings.md"]) expect(docs.has(`${DOCS}/${impl.name}/${f}`)).toBe(true);
    expect(docs.has(`${DOCS}/compare.md`)).toBe(true);
    expect([...docs.keys()].some((k) => /regression-.+\.md$/.test(k))).toBe(true);
  });

  for (const path of docs.keys()) {
    it(`${path} is what the committed reports give`, () => {
      const want = docs.get(path)!;
      const file = join(ROOT, path);
      if (!existsSync(file)) throw new Error(`${path} is missing: \`${REGENERATE}\` writes it from the committed reports`);
      const got = readFileSync(file, "utf8");
      if (path === "README.md") {
        // Only the block between the markers is generated.
        const block = (t: string) => t.slice(t.indexOf(README_BEGIN), t.indexOf(README_END));
        if (block(got) !== block(want))
          throw new Error(`README.md: the implementations table between its markers differs from the committed reports (${firstDifference(block(want), block(got))}): run \`${REGENERATE}\``);
        return;
      }
      if (got !== want) throw new Error(`${path} differs from what the committed reports give (${firstDifference(want, got)}): run \`${REGENERATE}\` and commit the result`);
    });
  }

  it("findings.md gives every finding of its report, the checks it fails, and every check that did not pass", () => {
    for (const { impl, report } of reports) {
      const text = docs.get(`${DOCS}/${impl.name}/findings.md`)!;
      expect(text).toContain(`\`${report.seed}\``);
      for (const f of report.findings ?? []) {
        const at = text.indexOf(`. ${f.id}\n`);
        expect(at, `${impl.name}: ${f.id}`).toBeGreaterThan(0);
        const section = text.slice(at, text.indexOf("</details>", at));
        for (const c of f.failed) expect(section, `${impl.name}: ${f.id} fails ${c.id}`).toContain(`| ${c.id} |`);
      }
      for (const c of report.checks) if (["fail", "warn", "notice"].includes(c.outcome)) expect(text, `${impl.name}: ${c.id}`).toMatch(new RegExp(`^\\| ${c.id} \\|.*\\[${c.finding}\\]`, "m"));
    }
  });

  it("links a citation to its source: a public document by its URL, the suite's own file by its path from the document", () => {
    expect(citationMarkdown({ source: "contract", section: "ThreadCreate x-decision", note: "why" }, { repoRoot: "../../../" })).toBe(
      "[The conformance contract (schemas/openapi.yaml)](../../../schemas/openapi.yaml), ThreadCreate x-decision (why)",
    );
    expect(citationMarkdown({ source: "rfc9110", section: "15.5.1", quote: "a client error" })).toMatch(
      /^\[RFC 9110: HTTP Semantics\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc9110\), 15\.5\.1: “a client error”$/,
    );
  });

  it("renders the same text twice, and names nothing of this machine", () => {
    const again = renderDocs(readCommittedReports(), readme);
    expect([...again.keys()]).toEqual([...docs.keys()]);
    // A target's own answers may name paths of the machine it ran on (a stack
    // trace in an error body): those are data of the report. The rendering adds none.
    const machine = [ROOT.replace(/\/$/, ""), tmpdir(), hostname(), userInfo().homedir].filter((s) => s && s.length > 3);
    const data = IMPLEMENTATIONS.map((impl) => readFileSync(join(ROOT, DOCS, impl.name, "report.json"), "utf8"));
    for (const [path, all] of docs) {
      expect(again.get(path) === all, `${path} renders differently twice`).toBe(true);
      const text = path === "README.md" ? all.slice(all.indexOf(README_BEGIN), all.indexOf(README_END)) : all;
      for (const s of machine)
        if (text.includes(s))
          expect(
            data.some((d) => d.includes(s)),
            `${path} names ${s}, which no report holds`,
          ).toBe(true);
    }
  });
});
