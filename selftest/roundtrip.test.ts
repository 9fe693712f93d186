// The round-trip table (suites/_support/roundtrip.ts) against the contract:
// every property the contract gives the request schemas of the table is
// listed, with the checks that round-trip it or why none does, so that a field
// added to schemas/openapi.yaml cannot be forgotten; every row is a valid value
// of its field; every check named exists; and every row has its mutant.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FIELD_COVERAGE, ROUND_TRIPS } from "../suites/_support/roundtrip.checks";
import { CATALOGUE } from "../scripts/mutants/catalogue";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const contract = parse(readFileSync(`${ROOT}schemas/openapi.yaml`, "utf8"));
const schemas: Record<string, any> = contract.components.schemas;
const catalog: Record<string, unknown> = JSON.parse(readFileSync(`${ROOT}selftest/__snapshots__/catalog.json`, "utf8"));

/** The properties of a schema, through allOf. */
function propertiesOf(name: string): string[] {
  const s = schemas[name];
  const own = Object.keys(s?.properties ?? {});
  const all = (s?.allOf ?? []).flatMap((x: any) => (x.$ref ? propertiesOf(x.$ref.split("/").at(-1)) : Object.keys(x.properties ?? {})));
  return [...new Set([...own, ...all])];
}

describe("the round-trip table", () => {
  it("lists every property of each request schema it covers, and no property the contract does not have", () => {
    for (const [schema, fields] of Object.entries(FIELD_COVERAGE)) {
      expect(schemas[schema], `schema ${schema}`).toBeDefined();
      const props = propertiesOf(schema);
      expect(Object.keys(fields).sort(), `the fields of ${schema}`).toEqual([...props].sort());
    }
  });

  it("names a check that exists for every field it says is round-tripped, and a reason for every other", () => {
    for (const [schema, fields] of Object.entries(FIELD_COVERAGE)) {
      for (const [field, how] of Object.entries(fields)) {
        if (how.startsWith("none:")) {
          expect(how.length, `${schema}.${field}: the reason`).toBeGreaterThan(10);
          continue;
        }
        const ids = how.match(/[A-Z]{3}-\d{3}/g) ?? [];
        expect(ids.length, `${schema}.${field} names a check`).toBeGreaterThan(0);
        for (const id of ids) expect(Object.keys(catalog), `${schema}.${field}: ${id}`).toContain(id);
      }
    }
  });

  it("has, for each row, a field of its schema, a check named in the coverage and a mutant that names the check", () => {
    for (const row of ROUND_TRIPS) {
      expect(propertiesOf(row.schema), `${row.id}: ${row.schema}.${row.field}`).toContain(row.field);
      expect(FIELD_COVERAGE[row.schema]?.[row.field] ?? FIELD_COVERAGE.CronCreate?.[row.field], `${row.id} in the coverage`).toContain(row.id);
      expect(
        CATALOGUE.some((m) => m.checks.includes(row.id)),
        `a mutant for ${row.id}`,
      ).toBe(true);
    }
  });
});
