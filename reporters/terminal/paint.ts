// Colour and status words in a terminal: shared by every terminal style.

import type { ReportCheck, Status } from "../view";

export interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

/**
 * Colour only on a terminal: never when NO_COLOR is set (https://no-color.org),
 * always when FORCE_COLOR is set to anything but 0.
 */
export function wantColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

export function paint(enabled: boolean): Paint {
  const sgr = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), blue: sgr(34, 39), magenta: sgr(35, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

export function colourOf(p: Paint, s: Status): (t: string) => string {
  switch (s) {
    case "pass":
      return p.green;
    case "fail":
    case "stale":
      return p.red;
    case "warn":
      return p.yellow;
    case "notice":
      return p.blue;
    case "error":
      return p.magenta;
    default:
      return p.dim;
  }
}

/** Status words of one column's width, for lines that list checks. */
export const SHORT: Record<Status, string> = { error: "error", stale: "stale", fail: "fail", warn: "warn", notice: "notice", expected: "expected", skip: "skip", pass: "pass" };

export function checkLine(c: Pick<ReportCheck, "id" | "level" | "title">, s: Status, p: Paint): string {
  return `  ${colourOf(p, s)(SHORT[s].padEnd(8))} ${p.bold(c.id)} [${c.level}] ${c.title}`;
}
