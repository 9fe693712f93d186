// Turning requests and responses into evidence that is safe to publish: bounded
// in size, secrets removed, and reproducible with a curl line.

const SECRET_HEADER = /(^|[-_])(authorization|auth|api[-_]?key|key|token|secret|cookie|password|session)([-_]|$)/i;
export const REDACTED = "[redacted]";

/** Headers whose values must never reach a report or a log. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name) || name.toLowerCase() === "x-api-key";
}

/**
 * Secret values known to the run (API key, values of secret headers). Any of
 * them found in a URL, a body or a header value of the evidence is replaced.
 */
const knownSecrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary text; they are still removed from headers by name.
  if (value && value.length >= 4) knownSecrets.add(value);
}

/**
 * An identity's credential (the value of a header that authenticates a user,
 * whatever the header's name): the value, and its token without the scheme
 * (`Bearer <token>`), since a server may echo either.
 */
export function registerCredential(value: string): void {
  registerSecret(value);
  const m = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s+(\S.*)$/.exec(value.trim());
  if (m) registerSecret(m[1]!.trim());
}

export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join(REDACTED);
  return out;
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSecretHeader(name) ? REDACTED : redactText(value);
  }
  return out;
}

export const EXCERPT_BYTES = 4096;

/** A bounded excerpt of a text body for evidence. */
export function excerpt(text: string, limit = EXCERPT_BYTES): { text: string; truncated: boolean } {
  if (text.length <= limit) return { text: redactText(text), truncated: false };
  return { text: redactText(cutAt(text, limit)), truncated: true };
}

/** The first `n` UTF-16 units of `s`, one fewer where the cut would split a surrogate pair. */
export function cutAt(s: string, n: number): string {
  if (n >= s.length) return s;
  const last = s.charCodeAt(n - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}

/** The lone surrogates a target or a generated case may leave in a string, replaced by U+FFFD: every report is well-formed Unicode. */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl line that repeats the request. Secret headers appear with a
 * placeholder so that the line is safe to paste into an issue.
 */
export function curlLine(req: { method: string; url: string; headers: Record<string, string>; body?: string }, identity?: string): string {
  const parts = ["curl", "-sS", "-N", "-X", req.method, shellQuote(redactText(req.url))];
  for (const [name, value] of Object.entries(req.headers)) {
    const shown = isSecretHeader(name) ? `$${envNameFor(name, identity)}` : redactText(value);
    parts.push("-H", isSecretHeader(name) ? `"${name}: ${shown}"` : shellQuote(`${name}: ${shown}`));
  }
  if (req.body !== undefined) parts.push("--data-raw", shellQuote(redactText(req.body)));
  return parts.join(" ");
}

/** The variable a curl line reads a secret header from; an identity's credentials get its name as a suffix (`$AUTHORIZATION_BOB`). */
function envNameFor(header: string, identity?: string): string {
  const base = header.toLowerCase() === "x-api-key" ? "LANGGRAPH_API_KEY" : header.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return identity ? `${base}_${identity.toUpperCase().replace(/[^A-Z0-9]/g, "_")}` : base;
}
