// --spec: the wire validation runs against another OpenAPI document; what it
// lacks is reported, what is broken in it is tolerated and said, never a crash.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReferenceServer, type StartedServer } from "../harness/targets/reference";
import { runCli } from "./support/cli";

let dir: string;
let server: StartedServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lgc-spec-"));
  server = await startReferenceServer();
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

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
    const spec = join(dir, "tiny.yaml");
    await writeFile(spec, TINY);
    const out = join(dir, "tiny");
    const r = await runCli(["run", "--url", server.url, "--profile", "system", "--spec", spec, "--report-dir", out]);
    expect([0, 1], r.stderr).toContain(r.code);
    const rep = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    expect(rep.contract).toMatchObject({ title: "tiny", version: "9.9", own: false });
    expect(rep.contract.missingOperations).toContain("GET /info");
    expect(rep.contract.missingOperations).not.toContain("GET /ok");
    // Judged against the tiny contract, /ok passes; /info is not validated, so its checks stand on their own assertions.
    expect(rep.checks.find((c: any) => c.id === "SYS-001").outcome).toBe("pass");
    expect(rep.checks.find((c: any) => c.id === "SYS-003").outcome).toBe("pass");
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
    const spec = join(dir, "broken.json");
    await writeFile(spec, JSON.stringify(broken));
    const out = join(dir, "public");
    const r = await runCli(["run", "--url", server.url, "--profile", "system", "--spec", spec, "--report-dir", out]);
    expect([0, 1], r.stderr).toContain(r.code);
    const rep = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    expect(rep.contract.warnings.join("\n")).toMatch(/dangling \$ref #\/components\/schemas\/Interrupt/);
    expect(rep.contract.warnings.join("\n")).toMatch(/not a valid OpenAPI document/);
    expect(rep.summary.error).toBe(0);
  });

  it("refuses a file that is not an OpenAPI document, in one line", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, "{ not json");
    const r = await runCli(["run", "--url", server.url, "--spec", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
