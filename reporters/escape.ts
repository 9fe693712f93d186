// Everything a target sends is untrusted: its bodies, headers and SSE bytes end
// up in messages and evidence, and from there in HTML, Markdown, XML and the
// terminal. Each format escapes through these functions, and only these.

import { cutAt } from "../harness/evidence";

// Controls a person cannot see (C0 but tab, LF and CR; DEL; C1) and Unicode's
// bidirectional overrides, which make text read other than it is.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Makes invisible and direction-changing characters visible as \uNNNN. */
export function visible(s: string): string {
  return s.replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return visible(s).replace(/[&<>"'`]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// Characters XML 1.0 does not allow at all (not even as references): C0
// controls other than tab, LF and CR, lone surrogates, U+FFFE and U+FFFF.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for XML element content and quoted attribute values; characters XML cannot carry become \uNNNN. */
export function escapeXml(s: string, attribute = false): string {
  const clean = s.replace(XML_INVALID, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const out = clean.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return attribute ? out.replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;") : out;
}

/**
 * Inline Markdown text (a paragraph, a list item, a table cell): one line, HTML
 * neutralised, and the characters Markdown would act on escaped; with
 * atLineStart, also what it reads at the start of a line (headings, lists).
 */
export function escapeMarkdown(s: string, atLineStart = false): string {
  const inline = visible(s)
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[\\`*_[\]|~$]/g, (ch) => `\\${ch}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
  // What Markdown reads at the start of a line: headings, list items, rules.
  return atLineStart ? inline.replace(/^(\s*)([#+=-])/, "$1\\$2").replace(/^(\s*\d+)([.)])/, "$1\\$2") : inline;
}

/** A fenced code block that no content can close early: the fence is longer than any backtick run inside. */
export function codeBlock(raw: string, lang = ""): string {
  const text = visible(raw);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.replace(/\n$/, "")}\n${fence}`;
}

// C0 and C1 controls and DEL (terminal escape sequences start with them), and
// Unicode's bidirectional overrides (which make text read other than it is).
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** One line of text that is safe to print to a terminal or a CI log. */
export function terminalSafe(s: string): string {
  return s
    .split(/\r\n|\r|\n/)[0]!
    .replace(TERMINAL_UNSAFE, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`)
    .replace(/\t/g, " ");
}

/** Bounds a text for display, saying how much was left out. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${cutAt(s, max)}… [${s.length - max} more characters in report.json]`;
}
