// `run --shard i/n`: a deterministic split of the suite into n parts, so that a
// CI matrix runs one part per job and `merge` makes one report of them.
//
// The unit of the split is a suite file, never a check: the checks of one file
// share its scenarios (harness/check.ts, scenario()), and a file split in two
// would set them up twice. Files whose checks share a setup of the run itself
// stay together too: the auth profile's files share the embedded reference's
// second instance (the one with the fixture auth), started once per run.
//
// Each part is balanced by the recorded durations of the selected checks of its
// files (suites/durations.json, written by `npm run bench`): a file weighs its
// longest check, or its checks' time over the number that run at once, and
// the heaviest goes first onto the lightest part. Every job computes the same split from the same
// inputs (the suite's files, the durations file, the selection): no job needs
// to talk to another. A file the durations file does not know (a new one) is
// still in exactly one part, weighed as a typical file; a stale file only
// makes the parts less even, never loses or repeats a check.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Level, Profile } from "../../harness/model";
import { globToRegex, isSelected, type Selection } from "../../harness/run-context";
import { UsageError } from "../../harness/target";
import { PKG_ROOT } from "./vitest-runner";

/** The most parts a run can be split into: more parts than files leaves parts empty. */
export const MAX_SHARDS = 64;

export const DURATIONS_FILE = "suites/durations.json";

/** How many checks of one file run at once (vitest.config.ts, the conformance project's maxConcurrency). */
export const FILE_CONCURRENCY = 8;

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

/** What one part runs, and how it was cut. */
export interface Shard extends ShardSpec {
  /** The suite files of this part, relative to the suite's root, sorted. */
  files: string[];
  /** A fingerprint of the whole split (every part's files): shards of one run share it. */
  split: string;
  /** Whether this part holds checks of the auth profile (or may: a file the durations file does not know). */
  auth: boolean;
  /** What this part weighs: its files' weights (fileWeight), from the recorded durations. */
  weightMs: number;
}

export interface RecordedCheck {
  ms: number;
  profile: Profile;
  level: Level;
}

export interface Durations {
  about?: string;
  measured?: Record<string, unknown>;
  /** Suite file -> check id -> what was recorded. */
  files: Record<string, Record<string, RecordedCheck>>;
}

export function parseShard(raw: string): ShardSpec {
  const m = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard expects i/n with 1 <= i <= n (e.g. 2/4), got '${raw}'`);
  }
  if (count > MAX_SHARDS) throw new UsageError(`--shard: at most ${MAX_SHARDS} parts, got ${count}`);
  return { index, count };
}

/** The suite's files as vitest's conformance project includes them (suites/**\/*.check.ts), relative and sorted. */
export function suiteFiles(root: string = PKG_ROOT): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    if (depth > 8) return;
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = `${rel}/${e.name}`;
      if (e.isDirectory() && e.name !== "node_modules") walk(path, depth + 1);
      else if (e.isFile() && e.name.endsWith(".check.ts")) out.push(path);
    }
  };
  walk("suites", 0);
  return out.sort();
}

/**
 * The suite files that declare a check matching one of `patterns` (--id): the
 * literal ids of each *.check.ts file and of the suite modules it imports,
 * directly or not (the *.checks.ts modules, tables such as suites/property/bodies.ts) (every id is a literal: selftest/citations.test.ts holds the
 * suite to it). Undefined when a pattern matches no literal id: then every file
 * is loaded, and the run tells what matched nothing as it always does.
 */
export function filesDeclaring(patterns: string[], root: string = PKG_ROOT): string[] | undefined {
  const idsOf = (file: string, seen: Set<string>): string[] => {
    if (seen.has(file)) return [];
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(join(root, file), "utf8");
    } catch {
      return [];
    }
    const own = [...text.matchAll(/"([A-Z]{2,5}-[0-9]{3})"/g)].map((m) => m[1]!);
    const modules = [...text.matchAll(/(?:from|import)\s+"(\.[^"]+?)(?:\.ts)?"/g)].map((m) => join(file, "..", `${m[1]!}.ts`).split("\\").join("/")).filter((m) => m.startsWith("suites/"));
    return [...own, ...modules.flatMap((m) => idsOf(m, seen))];
  };
  const res = patterns.map((p) => globToRegex(p));
  const files = suiteFiles(root);
  const declared = new Map(files.map((f) => [f, idsOf(f, new Set())]));
  const all = [...declared.values()].flat();
  if (res.some((re) => !all.some((id) => re.test(id)))) return undefined;
  return files.filter((f) => declared.get(f)!.some((id) => res.some((re) => re.test(id))));
}

/** The recorded durations; none (an empty record) when the file is missing or unreadable: the split still holds, only less even. */
export function readDurations(root: string = PKG_ROOT): Durations {
  try {
    const json = JSON.parse(readFileSync(join(root, DURATIONS_FILE), "utf8"));
    return json && typeof json.files === "object" && json.files ? json : { files: {} };
  } catch {
    return { files: {} };
  }
}

/**
 * What a file weighs in the split: its checks run side by side (up to
 * FILE_CONCURRENCY at once) and wait on its shared scenarios together, so it
 * lasts about its longest selected check, or their time over that many.
 */
export function fileWeight(durations: Durations, file: string, selection: Selection): number {
  const ms = Object.entries(durations.files[file] ?? {})
    .filter(([id, c]) => isSelected({ id, profile: c.profile, level: c.level }, selection))
    .map(([, c]) => Math.max(0, Number(c.ms) || 0));
  return Math.round(Math.max(0, ...ms, ms.reduce((a, b) => a + b, 0) / FILE_CONCURRENCY));
}

interface Unit {
  files: string[];
  weight: number;
  auth: boolean;
}

/**
 * The n parts of the selected suite: units of files (a file, or the files
 * sharing a setup of the run), the heaviest first, each onto the part with the
 * least weight so far (ties: the lower index). Pure: the same inputs give the
 * same parts, in every job.
 */
export function splitSuite(files: string[], durations: Durations, selection: Selection, count: number): Array<Omit<Shard, "index" | "count" | "split">> {
  const weightOf = (file: string) => fileWeight(durations, file, selection);
  const known = files.filter((f) => durations.files[f]);
  const knownWeights = known
    .map(weightOf)
    .filter((w) => w > 0)
    .sort((a, b) => a - b);
  // A file nobody timed yet weighs as a typical (median) file of the selection.
  const typical = knownWeights.length ? knownWeights[Math.floor(knownWeights.length / 2)]! : 1000;
  const holdsAuth = (file: string) => Object.values(durations.files[file] ?? {}).some((c) => c.profile === "auth");

  const units: Unit[] = [];
  const authFiles = files.filter((f) => durations.files[f] && holdsAuth(f));
  if (authFiles.length) units.push({ files: authFiles, weight: authFiles.reduce((s, f) => s + weightOf(f), 0), auth: true });
  for (const f of files) {
    if (authFiles.includes(f)) continue;
    const isKnown = Boolean(durations.files[f]);
    units.push({ files: [f], weight: isKnown ? weightOf(f) : typical, auth: !isKnown });
  }
  units.sort((a, b) => b.weight - a.weight || a.files[0]!.localeCompare(b.files[0]!));

  const parts = Array.from({ length: count }, () => ({ files: [] as string[], weightMs: 0, auth: false }));
  for (const u of units) {
    let best = 0;
    for (let i = 1; i < count; i++) if (parts[i]!.weightMs < parts[best]!.weightMs) best = i;
    const p = parts[best]!;
    p.files.push(...u.files);
    p.weightMs += u.weight;
    p.auth ||= u.auth;
  }
  for (const p of parts) p.files.sort();
  return parts;
}

/** Part `spec.index` of `spec.count` of the selected suite, with the fingerprint of the whole split. */
export function shardOf(spec: ShardSpec, selection: Selection, root: string = PKG_ROOT): Shard {
  const parts = splitSuite(suiteFiles(root), readDurations(root), selection, spec.count);
  const split = createHash("sha256")
    .update(JSON.stringify(parts.map((p) => p.files)))
    .digest("hex")
    .slice(0, 12);
  return { ...spec, ...parts[spec.index - 1]!, split };
}

/**
 * The durations file a run implies: each check of the report with its
 * duration, by suite file. One check a line, so that a refresh reads well in
 * review.
 */
export function formatDurations(checks: ReadonlyArray<{ id: string; file: string; profile: Profile; level: Level; durationMs: number }>, measured: Record<string, unknown>): string {
  const byFile = new Map<string, (typeof checks)[number][]>();
  for (const c of checks) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  const files = [...byFile.keys()].sort();
  const lines = [
    "{",
    `  "about": ${JSON.stringify("The recorded duration (ms) of each check, by suite file, from one full run against the embedded reference server: how `run --shard i/n` balances its parts. Written by `npm run bench`; a stale entry only makes the parts less even.")},`,
    `  "measured": ${JSON.stringify(measured)},`,
    `  "files": {`,
    ...files.map((f, i) => {
      const cs = byFile.get(f)!.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
      const rows = cs.map(
        (c, j) =>
          `      ${JSON.stringify(c.id)}: { "ms": ${Math.max(0, Math.round(c.durationMs))}, "profile": ${JSON.stringify(c.profile)}, "level": ${JSON.stringify(c.level)} }${j < cs.length - 1 ? "," : ""}`,
      );
      return [`    ${JSON.stringify(f)}: {`, ...rows, `    }${i < files.length - 1 ? "," : ""}`].join("\n");
    }),
    "  }",
    "}",
  ];
  return `${lines.join("\n")}\n`;
}
