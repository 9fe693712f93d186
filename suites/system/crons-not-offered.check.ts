// A server that does not offer crons says so in GET /info (flags.crons = false),
// and its cron operations must then answer in a way a client can tell apart
// from a broken implementation: a refusal (a 4xx), never a success and never a
// server error. No document says which refusal; the contract's choice is 404,
// and the wire judges the status and the error body against the contract (a
// status the operation does not declare, or a body that is not its ErrorBody,
// fails there). This check belongs to the system profile so that it runs when
// the crons profile is not claimed (its own checks are then skipped).

import { check } from "../../harness/check";
import { fail } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";
import { CRONS_DECLARED_OFF } from "../../harness/target";
import { assistantFor, createThread } from "../_support/runs";

check(
  {
    id: "SYS-020",
    level: "MUST",
    profile: "system",
    operations: ["POST /runs/crons", "POST /threads/{thread_id}/runs/crons", "POST /runs/crons/count"],
    spec: [
      { source: "api-ref", section: "Crons (Plus tier)", note: "crons are an optional tier of the API" },
      { source: "api-ref-legacy", section: "Crons (Enterprise-only)" },
      { source: "openapi", section: "ServerInfo.flags", quote: "Enabled features and capabilities", note: "the same in openapi-prev; the cron operations declare no 5xx" },
      {
        source: "contract",
        section: "ServerInfo.flags",
        quote: "A `crons` flag set to false means crons are not offered.",
        note: "no document says how a server that does not offer crons answers: a success would contradict its flag and a 5xx is declared nowhere, hence MUST for a refusal; 404 is the contract's choice, judged on the wire with the declared statuses",
      },
    ],
    title: "When GET /info declares flags.crons = false, the cron operations refuse with a client error (the contract's 404), never a success or a server error",
    requires: ["graph:echo"],
  },
  async (c) => {
    const claim = c.run.claims.crons;
    if (claim?.claimed !== false || claim.reason !== CRONS_DECLARED_OFF) {
      return c.skip(
        `the target does not declare flags.crons = false (crons: ${claim?.claimed ? "claimed" : "not claimed"}, ${claim?.reason ?? "no claim"}); the crons profile judges the cron operations`,
      );
    }
    const assistant = await assistantFor(c, "echo");
    const thread = await createThread(c);
    // Well-formed requests that a server offering crons would accept.
    const body = { assistant_id: assistant, schedule: "0 0 1 1 *", metadata: c.tag() };
    const answers: Array<[string, HttpResponse]> = [
      ["POST /runs/crons", await c.api.post("/runs/crons", body)],
      ["POST /threads/{thread_id}/runs/crons", await c.api.post(`/threads/${thread.thread_id}/runs/crons`, body)],
      ["POST /runs/crons/count", await c.api.post("/runs/crons/count", { assistant_id: assistant })],
    ];
    for (const [, res] of answers) if (typeof res.json?.cron_id === "string") c.created.cron(res.json.cron_id);
    for (const [op, res] of answers) {
      if (res.status >= 500) fail(`${op} answered ${res.status}, a server error, though the target declares that it does not offer crons; expected a refusal, the contract's 404`, res);
      if (res.status < 400) fail(`${op} answered ${res.status}, though the target declares that it does not offer crons (flags.crons = false); expected a refusal, the contract's 404`, res);
    }
  },
);
