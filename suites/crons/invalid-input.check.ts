// Cron requests a real client could send by mistake: schedules that are invalid
// in any cron dialect (never values outside the contract's valid subset that a
// dialect may accept, see CronSchedule), missing fields, unknown enum values.
// The answer is 422 with the contract's error body, and no cron is created.

import { check, type CheckContext } from "../../harness/check";
import { ensure, expectJsonArray, expectStatus } from "../../harness/expect";
import { expectRefused } from "../_support/resources";
import { assistantFor, createThread } from "../_support/runs";

const ECHO = ["graph:echo"];

/** No cron of `assistant` exists: a refused request created nothing. */
async function expectNoCronOf(c: CheckContext, assistant: string): Promise<void> {
  const res = await c.api.post("/runs/crons/search", { assistant_id: assistant, limit: 10 });
  expectStatus(res, 200, "searching for what a refused request might have created");
  const found = expectJsonArray(res);
  // Only the check's own assistant's crons are ours to delete: a server that ignores the filter lists others' too.
  for (const x of found) if (typeof x?.cron_id === "string" && x.assistant_id === assistant) c.created.cron(x.cron_id);
  ensure(found.length === 0, `a refused request still created ${found.length} cron(s)`, res);
}

const SCHEDULES: Array<[string, string, string]> = [
  ["CRN-100", "not a schedule", "words, not cron fields"],
  ["CRN-101", "61 * * * *", "a minute of 61"],
  ["CRN-102", "* * *", "three fields"],
];

for (const [i, [id, schedule, what]] of SCHEDULES.entries()) {
  // Half for the thread form, half stateless: both take the same schedule.
  const stateless = i % 2 === 1;
  check(
    {
      id,
      level: "MUST",
      profile: "crons",
      operations: [stateless ? "POST /runs/crons" : "POST /threads/{thread_id}/runs/crons"],
      spec: `seed 002, CronCreate.schedule: "The cron schedule to execute this job on" ("cron format"); "${schedule}" (${what}) is invalid in every cron dialect; both public documents: 422`,
      title: `${stateless ? "POST /runs/crons" : "POST /threads/{thread_id}/runs/crons"} with the schedule "${schedule}" answers 422 and creates nothing`,
      requires: ECHO,
    },
    async (c) => {
      const assistant = await assistantFor(c, "echo");
      const path = stateless ? "/runs/crons" : `/threads/${(await createThread(c)).thread_id}/runs/crons`;
      const res = await c.api.post(path, { assistant_id: assistant, schedule, metadata: c.tag() });
      if (typeof res.json?.cron_id === "string") c.created.cron(res.json.cron_id);
      expectRefused(res, [422], `schedule is a cron expression (${what})`);
      await expectNoCronOf(c, assistant);
    },
  );
}

const BODIES: Array<[string, string, (assistant: string) => Record<string, unknown>, string]> = [
  ["CRN-103", "without a schedule", (a) => ({ assistant_id: a }), "schedule is required"],
  ["CRN-104", "with a schedule that is not a string", (a) => ({ assistant_id: a, schedule: 5 }), "schedule is a string"],
  ["CRN-105", "with a multitask_strategy outside reject, rollback, interrupt and enqueue", (a) => ({ assistant_id: a, schedule: "0 0 1 1 *", multitask_strategy: "sometimes" }), "multitask_strategy is one of reject, rollback, interrupt, enqueue"],
  ["CRN-106", "with an end_time that is not a date-time", (a) => ({ assistant_id: a, schedule: "0 0 1 1 *", end_time: "next year" }), "end_time has format date-time"],
];

for (const [id, what, body, why] of BODIES) {
  check(
    {
      id,
      level: "MUST",
      profile: "crons",
      operations: ["POST /threads/{thread_id}/runs/crons"],
      spec: `seed 002, CronCreate (${why}); both public documents: 422`,
      title: `POST /threads/{thread_id}/runs/crons ${what} answers 422 and creates nothing`,
      requires: ECHO,
    },
    async (c) => {
      const assistant = await assistantFor(c, "echo");
      const t = await createThread(c);
      const res = await c.api.post(`/threads/${t.thread_id}/runs/crons`, { ...body(assistant), metadata: c.tag() });
      if (typeof res.json?.cron_id === "string") c.created.cron(res.json.cron_id);
      expectRefused(res, [422], why);
      await expectNoCronOf(c, assistant);
    },
  );
}

check(
  {
    id: "CRN-107",
    level: "MUST",
    profile: "crons",
    operations: ["POST /runs/crons"],
    spec: "seed 002, CronCreate.assistant_id \"required\"; both public documents: 422",
    title: "POST /runs/crons without an assistant_id answers 422",
  },
  async (c) => {
    const res = await c.api.post("/runs/crons", { schedule: "0 0 1 1 *", metadata: c.tag() });
    if (typeof res.json?.cron_id === "string") c.created.cron(res.json.cron_id);
    expectRefused(res, [422], "assistant_id is required");
  },
);

check(
  {
    id: "CRN-108",
    level: "MUST",
    profile: "crons",
    operations: ["POST /runs/crons"],
    spec: "both public documents, Create Cron: body application/json; RFC 9110 15.5.1 gives 400 to malformed syntax and 15.5.21 reserves 422 for content whose syntax is correct; the documents say nothing of unparseable bodies: 400 or 422 (the contract's MalformedBody decision)",
    title: "POST /runs/crons with a body that is not valid JSON answers 400 or 422",
  },
  async (c) => {
    const res = await c.api.request({ method: "POST", path: "/runs/crons", body: '{"assistant_id": "echo", "schedule": ', headers: { "content-type": "application/json" } });
    expectRefused(res, [400, 422], "the body is JSON");
  },
);

const SEARCHES: Array<[string, string, Record<string, unknown>, string]> = [
  ["CRN-110", "limit=0", { limit: 0 }, "limit minimum 1"],
  ["CRN-111", "sort_by=color", { sort_by: "color" }, "sort_by is one of cron_id, assistant_id, thread_id, next_run_date, end_time, created_at, updated_at"],
  ["CRN-112", "sort_order=up", { sort_order: "up" }, "sort_order is asc or desc"],
  ["CRN-113", "a thread_id that is not a UUID", { thread_id: "not-a-uuid" }, "thread_id has format uuid"],
];

for (const [id, what, body, why] of SEARCHES) {
  check(
    {
      id,
      level: "MUST",
      profile: "crons",
      operations: ["POST /runs/crons/search"],
      spec: `seed 002, CronSearch (${why}); both public documents: 422`,
      title: `POST /runs/crons/search with ${what} answers 422`,
    },
    async (c) => {
      expectRefused(await c.api.post("/runs/crons/search", body), [422], why);
    },
  );
}

check(
  {
    id: "CRN-114",
    level: "MUST",
    profile: "crons",
    operations: ["POST /runs/crons/count"],
    spec: "seed 002, CronCountRequest.thread_id (format uuid); both public documents: 422",
    title: "POST /runs/crons/count with a thread_id that is not a UUID answers 422",
  },
  async (c) => {
    expectRefused(await c.api.post("/runs/crons/count", { thread_id: "not-a-uuid" }), [422], "thread_id has format uuid");
  },
);
