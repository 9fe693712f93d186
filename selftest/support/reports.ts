// What the report self-tests share: the fixtures (made by the real command
// line, see fixtures/make-report-fixtures.ts) and the published schema.

import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Report } from "../../reporters/model";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

export { HOSTILE, HOSTILE_KEY } from "../fixtures/make-report-fixtures";

export function fixture(name: "reference" | "hostile"): Report {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}-report.json`, import.meta.url), "utf8"));
}

export const reportSchema = JSON.parse(readFileSync(new URL("../../schemas/report.schema.json", import.meta.url), "utf8"));

/** The schema compiled as strictly as ajv goes: a sloppy schema fails here. */
export function reportValidator() {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(reportSchema);
}

/** A copy of a report with one check's outcome (and baseline mark) changed. */
export function withOutcome(r: Report, id: string, outcome: Report["checks"][number]["outcome"], baseline?: "expected" | "stale"): Report {
  return {
    ...r,
    checks: r.checks.map((c) => (c.id === id ? { ...c, outcome, ...(baseline ? { baseline } : {}), message: c.message || `${outcome} for the test` } : c)),
  };
}
