// --spec: the wire validation runs against another OpenAPI document; what it
// lacks is reported, what is broken in it is tolerated and said, never a crash.

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli";
import { useReferenceServer } from "./support/reference";

const ref = useReferenceServer("lgc-spec-");

const TINY = `openapi: 3.0.3
info: { title: tiny, version: "9.9" }
paths:
  /ok:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [ok]
                properties:
                  ok: { type: boolean }
                  note: { type: string, nullable: true }
`;

describe("--spec", () => {
  it("reports the operations the given contract lacks and judges the rest against it", async () => {
    const spec = join(ref.dir, "tiny.yaml");
    await writeFile(spec, TINY);
    const out = join(ref.dir, "tiny");
    const r = await runCli(["run", "--url", ref.server.url, "--profile", "system", "--spec", spec, "--report-dir", out]);
    expect([0, 1], r.stderr).toContain(r.code);
    const rep = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    expect(rep.contract).toMatchObject({ title: "tiny", version: "9.9", own: false });
    expect(rep.contract.missingOperations).toContain("GET /info");
    expect(rep.contract.missingOperations).not.toContain("GET /ok");
    // Judged against the tiny contract, /ok passes; /info is not validated, so nothing on the wire
    // makes a finding of it, and its checks stand on their own assertions.
    expect(rep.checks.find((c: any) => c.id === "SYS-001").outcome).toBe("pass");
    expect(rep.findings.filter((f: any) => f.seenBy.includes("wire") && f.operations.includes("GET /info"))).toEqual([]);
    expect(rep.checks.find((c: any) => c.id === "SYS-004").outcome).toBe("pass");
    expect(r.stdout).toMatch(/lacks \d+ operation\(s\) the checks exercise/);
  });

  it("uses a document with a dangling $ref and OpenAPI errors (as the older public one has), with warnings", async () => {
    // The defects of the older public document: a $ref to a schema that is not
    // there, and a schema put under components/responses.
    const broken = {
      openapi: "3.1.0",
      info: { title: "broken", version: "0.1.0" },
      paths: {
        "/ok": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Interrupt" } } } } } } },
      },
      components: { responses: { Interrupt: { type: "object", properties: { value: { type: "object" } } } } },
    };
    const spec = join(ref.dir, "broken.json");
    await writeFile(spec, JSON.stringify(broken));
    const out = join(ref.dir, "public");
    const r = await runCli(["run", "--url", ref.server.url, "--profile", "system", "--spec", spec, "--report-dir", out]);
    expect([0, 1], r.stderr).toContain(r.code);
    const rep = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    expect(rep.contract.warnings.join("\n")).toMatch(/dangling \$ref #\/components\/schemas\/Interrupt/);
    expect(rep.contract.warnings.join("\n")).toMatch(/not a valid OpenAPI document/);
    expect(rep.summary.error).toBe(0);
  });

  it("refuses a file that is not an OpenAPI document, in one line", async () => {
    const bad = join(ref.dir, "bad.json");
    await writeFile(bad, "{ not json");
    const r = await runCli(["run", "--url", ref.server.url, "--spec", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
