// Generated invalid bodies are refused: for each body-taking operation, a body
// that breaks one rule of its request schema (a required field dropped, a type
// changed, a value outside an enum, a bound or a format broken), or a body that
// is not JSON, is refused (a 4xx), never accepted (2xx) nor answered with a
// server error (5xx), and creates or changes nothing: what only generated
// bodies find. Which 4xx (the contract's 422; 400 or 422 for a body that is not
// JSON) and the error body's form are judged by the operations' own checks;
// here a refusal with another status, and an answer that breaks the contract on
// the wire, are observed and reported once, in the finding of their cause. A
// JSON body sent in another media type is not generated: refusing it is SHOULD
// (see the contract's UnsupportedMediaType decision), these are MUST.

import { statusCause, statusClass } from "../../harness/causes";
import { check } from "../../harness/check";
import { MALFORMED_BODY } from "../_support/citations";
import { REQUEST_SCHEMA_LEVEL, VALIDATION_ERROR } from "./bodies";
import { runContext } from "../../harness/run-context";
import { answer, BODY_OPERATIONS, endCase, fail, fixtureFor, invalidBodies, send, shortJson, type InvalidBody } from "./bodies";
import { DEFAULT_RUNS, propertyCheckTimeoutMs, runProperty } from "./engine";

const runs = runContext().propertyRuns ?? DEFAULT_RUNS;

const describe = (b: InvalidBody) => (b.kind === "schema" ? `a body that breaks '${b.rule}': ${shortJson(b.value)}` : `a body that is not JSON: ${shortJson(b.text)}`);

for (const op of BODY_OPERATIONS) {
  if (!op.invalid) continue;
  const refused = op.refused ?? [422];
  // A body that is not JSON: 400 (RFC 9110, malformed syntax) or the operation's refusal (the contract's MalformedBody).
  const refusedMalformed = [...new Set([400, ...refused])];
  check(
    {
      id: op.invalid,
      level: "MUST",
      profile: "property",
      operations: [op.key],
      spec: [
        { source: "contract", section: `${op.key}, request schema`, note: "a body that breaks one of its rules is invalid; the error body is the contract's ErrorBody" },
        VALIDATION_ERROR,
        ...MALFORMED_BODY,
        REQUEST_SCHEMA_LEVEL,
      ],
      title: `${op.key} refuses generated invalid bodies (a 4xx, never 2xx or 5xx), and they create nothing`,
      ...(op.requires ? { requires: op.requires } : {}),
      timeoutMs: propertyCheckTimeoutMs(runs),
    },
    async (c) => {
      const f = await fixtureFor(c, op);
      const profile = c.contract.operation(op.key)?.profile;
      await runProperty<InvalidBody>({
        c,
        operation: { key: op.key, ...(profile ? { profile } : {}) },
        arbitrary: invalidBodies(c, op, f),
        mask: [c.run.runId, ...f.made],
        show: describe,
        // A cut body may end inside an id: the digest hashes the whole body and the cut.
        digestOf: (b) => JSON.stringify(b.kind === "malformed" ? { kind: b.kind, source: b.source, cut: b.cut } : b),
        run: async ({ api, value, soft }) => {
          const parsed = safeParse(value);
          op.preRegister?.(c, parsed);
          const before = op.trace ? await op.trace.read(c, api, f, parsed) : undefined;
          const res = await send(api, op, f, value.kind === "schema" ? { json: value.value } : { text: value.text, contentType: "application/json" }).finally(() => endCase(c, op, f));
          const sent = `${op.key} with ${describe(value)}`;
          const want = value.kind === "malformed" ? refusedMalformed : refused;
          const declared = c.contract.operation(op.key)?.statuses;
          if (res.status >= 200 && res.status < 300) {
            await op.register?.(c, api, parsed, res);
            fail(`${sent} was accepted: ${answer(res)}; the contract wants ${want.join(" or ")}`, res, {
              cause: { signature: `accepts invalid bodies on ${op.key}`, title: `${op.key} accepts bodies that break its request schema` },
            });
          }
          if (res.status >= 500) fail(`${sent} answered ${answer(res)}: a server error; the contract wants ${want.join(" or ")}`, res, { status: { wanted: want, got: res.status } });
          // Refused, with another status than the contract's: observed, once per cause, and the cases go on.
          // Another status of the refusal's own class (400 for 422) breaks the documents' 422; one
          // of another class (a 404 for a body that is invalid and names nothing) is a SHOULD.
          if (!want.includes(res.status)) {
            const sameClass = want.some((w) => statusClass(w) === statusClass(res.status));
            soft(`${sent} answered ${answer(res)}; the contract wants ${want.join(" or ")}`, res, { cause: statusCause(op.key, want, res.status, declared), level: sameClass ? "MUST" : "SHOULD" });
          }
          if (op.trace) {
            const after = await op.trace.read(c, api, f, parsed);
            if (after !== before) {
              fail(`${sent} was refused with ${res.status}, yet ${op.trace.what} changed: before ${before}, after ${after}`, res, {
                cause: { signature: `a refused body changes state on ${op.key}`, title: `${op.key} refuses an invalid body yet changes ${op.trace.what}` },
              });
            }
          }
        },
      });
    },
  );
}

function safeParse(b: InvalidBody): unknown {
  if (b.kind === "schema") return b.value;
  try {
    return JSON.parse(b.text);
  } catch {
    return undefined;
  }
}
