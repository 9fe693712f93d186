// Generated valid bodies are accepted: for each body-taking operation, bodies
// generated from its request schema get a 2xx (or a business error the contract
// documents for the operation, such as 404 for a graph that does not exist),
// never 422 and never 5xx. Every answer is validated on the wire as well; what
// breaks the contract there is reported once, in the finding of its cause.

import { check } from "../../harness/check";
import { REQUEST_SCHEMA_LEVEL, VALIDATION_ERROR } from "./bodies";
import { runContext } from "../../harness/run-context";
import { answer, BODY_OPERATIONS, endCase, fail, fixtureFor, send, shortJson, validBodies } from "./bodies";
import { propertyCheckTimeoutMs, DEFAULT_RUNS, runProperty } from "./engine";

const runs = runContext().propertyRuns ?? DEFAULT_RUNS;

for (const op of BODY_OPERATIONS) {
  if (!op.valid) continue;
  check(
    {
      id: op.valid,
      level: "MUST",
      profile: "property",
      operations: [op.key],
      spec: [
        { source: "contract", section: `${op.key}, request schema`, note: "bodies generated from it are valid; a 5xx is never an answer to a valid request" },
        VALIDATION_ERROR,
        REQUEST_SCHEMA_LEVEL,
      ],
      title: `${op.key} accepts generated valid bodies (2xx${op.business?.length ? ` or ${op.business.join("/")}` : ""}, never 400, 422 or 5xx)`,
      ...(op.requires ? { requires: op.requires } : {}),
      timeoutMs: propertyCheckTimeoutMs(runs),
    },
    async (c) => {
      const f = await fixtureFor(c, op);
      const profile = c.contract.operation(op.key)?.profile;
      await runProperty({
        c,
        operation: { key: op.key, ...(profile ? { profile } : {}) },
        arbitrary: validBodies(c, op, f),
        mask: [c.run.runId, ...f.made],
        show: (body) => `body ${shortJson(body)}`,
        run: async ({ api, value }) => {
          op.preRegister?.(c, value);
          const res = await send(api, op, f, { json: value }, op.expectSchema?.(value)).finally(() => endCase(c, op, f));
          if (res.status >= 200 && res.status < 300) await op.register?.(c, api, value, res);
          const sent = `${op.key} with body ${shortJson(value)}`;
          const accepted = (c.contract.operation(op.key)?.statuses ?? []).filter((s) => /^2[0-9][0-9]$/.test(s)).map(Number);
          const status = { status: { wanted: [...accepted, ...(op.business ?? [])], got: res.status } };
          if (res.status >= 500) fail(`${sent} answered ${answer(res)}: a server error to a body the contract accepts`, res, status);
          if (res.status === 422 || res.status === 400) fail(`${sent} answered ${answer(res)}: the body matches the contract's request schema, so it is not invalid`, res, status);
          const ok = (res.status >= 200 && res.status < 300) || (op.business ?? []).includes(res.status);
          if (!ok) fail(`${sent} answered ${answer(res)}; the contract gives 2xx${op.business?.length ? ` or ${op.business.join(", ")}` : ""} to a valid body`, res, status);
          if (op.stream && res.status >= 200 && res.status < 300 && !("sse" in res && res.sse)) fail(`${sent} answered ${answer(res)}, not an event stream`, res);
        },
      });
    },
  );
}
