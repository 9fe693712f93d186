// A server that does not offer crons says so in GET /info (flags.crons = false),
// and its cron operations must then answer in a way a client can tell apart
// from a broken implementation: the contract's 404 with its error body, never a
// server error. This check belongs to the system profile so that it runs when
// the crons profile is not claimed (its own checks are then skipped).

import { check } from "../../harness/check";
import { expectStatus, fail } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";
import { CRONS_DECLARED_OFF } from "../../harness/target";
import { assistantFor, createThread } from "../_support/runs";

check(
  {
    id: "SYS-020",
    level: "MUST",
    profile: "system",
    operations: ["POST /runs/crons", "POST /threads/{thread_id}/runs/crons", "POST /runs/crons/count"],
    spec: "seed 002, \"Crons (Plus tier)\" (seed 001: \"Enterprise-only\"): an optional part of the API; the contract's ServerInfo.flags: \"A crons flag set to false means crons are not offered\"; these operations declare 404 and no 5xx",
    title: "When GET /info declares flags.crons = false, the cron operations answer 404 with an error body, not a server error",
    requires: ["graph:echo"],
  },
  async (c) => {
    const claim = c.run.claims.crons;
    if (claim?.claimed !== false || claim.reason !== CRONS_DECLARED_OFF) {
      return c.skip(`the target does not declare flags.crons = false (crons: ${claim?.claimed ? "claimed" : "not claimed"}, ${claim?.reason ?? "no claim"}); the crons profile judges the cron operations`);
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
      if (res.status >= 500) fail(`${op} answered ${res.status}, a server error, though the target declares that it does not offer crons; the contract's answer is 404`, res);
      expectStatus(res, 404, "the target declares that it does not offer crons");
    }
  },
);
