// `langgraph-conformance merge A B ... --out DIR`: one report of a split run's
// shards (`run --shard i/n`), in every format, as the unsharded run would have
// written it. Reports that are not the parts of one run are refused with one
// line and exit code 2 (reporters/report.ts, mergeReports); the merged report
// exits like a run: 0, 1 or 2 by its verdict.

import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { UsageError } from "../../harness/target";
import { baselineFromReport, readBaseline, writeBaseline } from "../../reporters/baseline";
import type { Report } from "../../reporters/model";
import { exitCodeOf, mergeReports, type ShardReport } from "../../reporters/report";
import { readReportJson } from "./compare";
import { writeReports } from "../../reporters/write";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

let validator: ReturnType<Ajv2020["compile"]> | undefined;

/** Why a document is not a report of the published format (schemas/report.schema.json), or undefined. */
function notAReport(json: unknown): string | undefined {
  if (!validator) {
    const ajv = new Ajv2020({ strict: false, allErrors: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(new URL("../../schemas/report.schema.json", import.meta.url), "utf8")));
  }
  if (validator(json)) return undefined;
  const e = validator.errors?.[0];
  return e ? `${e.instancePath || "(document)"} ${e.message}` : "unexpected shape";
}

/** A shard's report.json (or the directory holding it), read and checked against the report schema. */
export async function readShardReport(path: string): Promise<ShardReport> {
  const json = await readReportJson(path);
  const problem = notAReport(json);
  if (problem) throw new UsageError(`${path} is not a langgraph-conformance report of this format: ${problem}`);
  return { name: path, report: json as Report };
}

export interface MergeIo {
  log: (line: string) => void;
}

export async function cmdMerge(args: string[], io: MergeIo): Promise<{ code: number; report: Report; written: string[] }> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { out: { type: "string" }, label: { type: "string" }, "update-baseline": { type: "string" } }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError("merge expects the shards' reports: merge A/report.json B/report.json ... [--out DIR]");
  if (values.label !== undefined && !/^[^\r\n\0]{1,100}$/.test(values.label)) throw new UsageError("--label expects a name of 1 to 100 characters on one line");
  const parts: ShardReport[] = [];
  for (const p of positionals) parts.push(await readShardReport(p));
  const report = mergeReports(parts, values.label !== undefined ? { label: values.label } : {});
  const out = resolve(values.out ?? "conformance-report");
  const written = await writeReports(out, report);
  if (values["update-baseline"]) {
    const file = resolve(values["update-baseline"]);
    const previous = existsSync(file) ? await readBaseline(file) : undefined;
    await writeBaseline(file, baselineFromReport(report, previous), report);
    io.log(`Baseline written: ${file}`);
  }
  io.log(`Merged ${parts.length} shard(s): ${report.summary.total} checks; ${report.verdict?.text ?? ""}`);
  io.log(`Reports: ${written.join(", ")}`);
  return { code: exitCodeOf(report), report, written };
}
