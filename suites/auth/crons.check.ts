// Another user's crons (where crons are claimed): never found or counted, not
// deleted.

import { expectJsonArray, expectJsonObject, expectStatus } from "../../harness/expect";
import { assistantFor, createThread } from "../_support/runs";
import { FILTER, NOT_FOUND_OR_FORBIDDEN, OWNER_FILTER } from "./spec";
import { authCheck, leakOf, what } from "./support";

authCheck(
  {
    id: "AUT-060",
    level: "MUST",
    operations: ["POST /threads/{thread_id}/runs/crons", "POST /runs/crons/search", "POST /runs/crons/count", "DELETE /runs/crons/{cron_id}"],
    spec: [
      { source: "sdk-py", section: "Auth, types.on.crons.search", quote: "Type for cron search parameters." },
      { source: "sdk-py", section: "Auth, types.on.crons.delete", quote: "Type for cron deletion parameters." },
      OWNER_FILTER,
      FILTER,
      NOT_FOUND_OR_FORBIDDEN,
    ],
    title: "Another user's crons are never found by POST /runs/crons/search nor counted, and DELETE /runs/crons/{cron_id} of one is refused (where crons are claimed)",
    requires: ["graph:echo"],
  },
  async (w) => {
    const claim = w.c.run.claims.crons;
    if (claim && !claim.claimed) w.c.skip(`the target does not claim crons: ${claim.reason}`);
    const assistantId = await assistantFor(w.owner.c, "echo");
    const t = await createThread(w.owner.c);
    const res = await w.owner.api.post(`/threads/${t.thread_id}/runs/crons`, { assistant_id: assistantId, schedule: "0 0 1 1 *", input: { value: "cron" }, metadata: w.c.tag() });
    if (typeof res.json?.cron_id === "string") w.owner.created.cron(res.json.cron_id);
    expectStatus(res, 200, "the owner creates a cron on their thread");
    const cronId = expectJsonObject(res).cron_id as string;
    const secrets = [cronId, assistantId, t.thread_id];
    for (const body of [{ assistant_id: assistantId }, { thread_id: t.thread_id }]) {
      const found = await w.other.api.post("/runs/crons/search", { ...body, limit: 100 });
      const listed = found.status >= 200 && found.status < 300 && found.text.includes(cronId);
      w.tally.add(what(found), listed ? "listed the owner's cron" : undefined, found);
    }
    const counted = await w.other.api.post("/runs/crons/count", { assistant_id: assistantId });
    w.tally.add(what(counted), counted.status === 200 && typeof counted.json === "number" && counted.json > 0 ? `counted ${counted.json} of the owner's` : undefined, counted);
    const del = await w.other.api.delete(`/runs/crons/${cronId}`);
    w.tally.add(
      what(del),
      leakOf(
        del,
        secrets.filter((s) => s !== cronId),
      ),
      del,
    );
    const still = await w.owner.api.post("/runs/crons/search", { assistant_id: assistantId, limit: 10 });
    expectStatus(still, 200, "the owner searches their crons after the other user's attempts");
    if (!expectJsonArray(still).some((x) => x?.cron_id === cronId)) w.tally.changed(what(del), "deleted the owner's cron", still);
    w.tally.expectNone(`${w.other.name} reached ${w.owner.name}'s cron`);
  },
);
