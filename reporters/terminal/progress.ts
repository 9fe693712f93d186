// Progress while a run goes, in one of three modes a terminal style picks
// (reporters/terminal/index.ts):
//   lines  on a terminal, a status line rewritten in place (counts so far, by
//          profile); in a log, one line per profile as it completes and a line
//          of counts every 15 s. Either way, each check that does not pass is
//          printed as it ends.
//   dots   one character per check (. pass, F fail, W warn, N notice, s skip,
//          E error, x expected by the baseline, S stale), 50 to a line.
//   none   nothing while the run goes.

import type { CheckMeta, Profile } from "../../harness/model";
import { PROFILES } from "../../harness/model";
import type { CheckResult, Counts, ProgressSink } from "../model";
import { checkLine, colourOf, paint, type Paint } from "./paint";
import { emptyCounts } from "../report";
import type { Status } from "../view";

export type ProgressMode = "lines" | "dots" | "none";

export interface ProgressOptions {
  mode: ProgressMode;
  write: (text: string) => void;
  tty: boolean;
  colour: boolean;
  /** Ids the baseline lists: their failures print as expected, their passes as stale. */
  baseline?: Set<string>;
  /** The terminal's width: the status line never wraps (a wrapped line cannot be rewritten). */
  columns?: number;
  /** For tests: the clock. */
  now?: () => number;
}

const DOT: Record<Status, string> = { pass: ".", fail: "F", warn: "W", notice: "N", skip: "s", error: "E", expected: "x", stale: "S" };
const LINE_EVERY_MS = 15_000;
const DOTS_PER_LINE = 50;

function statusFor(r: CheckResult, baseline?: Set<string>): Status {
  if (baseline?.has(r.id)) {
    if (r.outcome === "pass") return "stale";
    if (r.outcome === "fail" || r.outcome === "warn" || r.outcome === "notice") return "expected";
  }
  return r.outcome;
}

export function createProgress(opts: ProgressOptions): ProgressSink {
  const p: Paint = paint(opts.colour);
  const now = opts.now ?? (() => performance.now());
  const planned = new Map<Profile, number>();
  const done = new Map<Profile, Counts>();
  const reported = new Set<Profile>();
  let allPlanned = false;
  // Suite files live in suites/<profile>/: a profile whose folder is done and
  // whose checks have all reported is done before the last file is collected.
  const filesLeft = new Map<Profile, number>();
  const folderOf = (path: string): Profile | undefined => {
    const m = /(?:^|\/)suites\/([a-z]+)\//.exec(path);
    return m && (PROFILES as readonly string[]).includes(m[1]!) ? (m[1] as Profile) : undefined;
  };
  let lastLine = now();
  let statusShown = false;
  let dots = 0;
  const live = opts.mode === "lines" && opts.tty;

  const countsOf = (pr: Profile) => {
    let c = done.get(pr);
    if (!c) done.set(pr, (c = emptyCounts()));
    return c;
  };
  const doneCount = () => [...done.values()].reduce((s, c) => s + c.total, 0);
  const plannedCount = () => [...planned.values()].reduce((s, n) => s + n, 0);
  const tally = (c: Counts, pp: Paint = p) =>
    (["pass", "fail", "warn", "notice", "skip", "error"] as const)
      .filter((o) => c[o] > 0)
      .map((o) => colourOf(pp, o)(`${c[o]} ${o}`))
      .join(", ");

  const clearStatus = () => {
    if (statusShown) opts.write("\r\u001b[2K");
    statusShown = false;
  };
  const println = (line: string) => {
    clearStatus();
    opts.write(`${line}\n`);
  };
  const statusLine = (pp: Paint = p) => {
    const all = emptyCounts();
    for (const c of done.values()) for (const k of Object.keys(all) as Array<keyof Counts>) all[k] += c[k];
    const parts = PROFILES.filter((pr) => planned.has(pr) && !reported.has(pr)).map((pr) => `${pr} ${done.get(pr)?.total ?? 0}/${planned.get(pr)}`);
    return `  ${doneCount()}/${allPlanned ? plannedCount() : `${plannedCount()}+`} checks${parts.length ? ` · ${parts.join(" · ")}` : ""}${all.total ? ` · ${tally(all, pp)}` : ""}`;
  };
  const plain = paint(false);
  const showStatus = () => {
    if (!live || plannedCount() === 0) return;
    clearStatus();
    // Without colour, so that its width is its length.
    const line = statusLine(plain);
    const width = Math.max(20, (opts.columns ?? 80) - 1);
    opts.write(line.length > width ? `${line.slice(0, width - 1)}…` : line);
    statusShown = true;
  };
  const profileLine = (pr: Profile) => {
    const c = done.get(pr) ?? emptyCounts();
    const scored = c.pass + c.fail + c.warn + c.notice;
    return `${p.green("✔")} ${p.bold(pr)}: ${c.total} check${c.total === 1 ? "" : "s"} done: ${tally(c) || "none"}${scored ? ` (score ${Math.round((c.pass / scored) * 1000) / 10}%)` : ""}`;
  };
  const maybeProfilesDone = () => {
    if (opts.mode !== "lines") return;
    for (const pr of PROFILES) {
      if (reported.has(pr) || !planned.has(pr)) continue;
      if (!allPlanned && filesLeft.get(pr) !== 0) continue;
      if ((done.get(pr)?.total ?? 0) >= planned.get(pr)!) {
        reported.add(pr);
        println(profileLine(pr));
      }
    }
  };

  return {
    planned(checks) {
      for (const c of checks) planned.set(c.profile, (planned.get(c.profile) ?? 0) + 1);
      showStatus();
    },
    files(paths) {
      for (const path of paths) {
        const pr = folderOf(path);
        if (pr) filesLeft.set(pr, (filesLeft.get(pr) ?? 0) + 1);
      }
    },
    fileEnded(path) {
      const pr = folderOf(path);
      if (pr && filesLeft.has(pr)) filesLeft.set(pr, filesLeft.get(pr)! - 1);
      maybeProfilesDone();
      showStatus();
    },
    allPlanned() {
      allPlanned = true;
      maybeProfilesDone();
      showStatus();
    },
    check(r) {
      const s = statusFor(r, opts.baseline);
      countsOf(r.profile)[r.outcome]++;
      countsOf(r.profile).total++;
      if (opts.mode === "none") return;
      if (opts.mode === "dots") {
        opts.write(colourOf(p, s)(DOT[s]));
        if (++dots % DOTS_PER_LINE === 0) opts.write(` ${dots}${allPlanned ? `/${plannedCount()}` : ""}\n`);
        return;
      }
      if (s !== "pass" && s !== "skip") println(checkLine(r, s, p));
      maybeProfilesDone();
      if (live) showStatus();
      else if (now() - lastLine >= LINE_EVERY_MS) {
        lastLine = now();
        println(p.dim(statusLine().replace(/^ {2}/, "  … ")));
      }
    },
    end() {
      if (opts.mode === "dots" && dots % DOTS_PER_LINE !== 0) opts.write(` ${dots}\n`);
      clearStatus();
      // Profiles whose count was not known in time (or that ended with the run).
      if (opts.mode === "lines") {
        allPlanned = true;
        maybeProfilesDone();
      }
    },
  };
}
