// The Prometheus text exposition format (version 0.0.4), as far as a check of
// GET /metrics needs it.

/**
 * The lines of the Prometheus text format (version 0.0.4) that are not what
 * the format allows: comments (`# ...`, HELP and TYPE among them), blank lines,
 * and samples `name{labels} value [timestamp]`.
 */
export function badExpositionLines(text: string): string[] {
  const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{(\s*[a-zA-Z_][a-zA-Z0-9_]*\s*=\s*"(\\.|[^"\\])*"\s*,?)*\s*\})?\s+(\S+)(\s+-?[0-9]+)?\s*$/;
  const number = /^(NaN|[+-]?Inf|[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)$/;
  const bad: string[] = [];
  for (const line of text.split("\n")) {
    const l = line.replace(/\r$/, "");
    if (l.trim() === "" || l.startsWith("#")) continue;
    // Lines longer than any real sample are refused unread (the pattern backtracks on whitespace).
    const m = l.length > 10_000 ? null : sample.exec(l);
    if (!m || !number.test(m[4]!)) bad.push(l);
  }
  return bad;
}
