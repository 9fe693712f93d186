// Cron requests a real client could send by mistake: schedules that are invalid
// in any cron dialect (never values outside the contract's valid subset that a
// dialect may accept, see CronSchedule), missing fields, unknown enum values.
// The answer is 422 with the contract's error body, and no cron is created.

import { check, type CheckContext } from "../../harness/check";
import { ensure, expectJsonArray, expectStatus } from "../../harness/expect";
import type { Citation } from "../../harness/model";
import { MALFORMED_BODY } from "../_support/citations";
import { expectRefused } from "../_support/resources";
import { assistantFor, createThread } from "../_support/runs";

const ECHO = ["graph:echo"];

const validationError = (op: string): Citation => ({ source: "openapi", section: `${op}, responses`, quote: "Validation Error", note: "422; the same in openapi-prev" });
const rule = (model: string, field: string, note: string, quote?: string): Citation => ({ source: "api-ref", section: `${model}.${field}`, ...(quote ? { quote } : {}), note });

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
      spec: [
        rule("CronCreate", "schedule", `"${schedule}" (${what}) is invalid in every cron dialect`, "The cron schedule to execute this job on."),
        { source: "api-ref", section: "Cron.schedule", quote: "The schedule to run, cron format." },
        validationError(stateless ? "POST /runs/crons" : "POST /threads/{thread_id}/runs/crons"),
      ],
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

const BODIES: Array<[string, string, (assistant: string) => Record<string, unknown>, string, Citation]> = [
  ["CRN-103", "without a schedule", (a) => ({ assistant_id: a }), "schedule is required", rule("CronCreate", "schedule", "required", "The cron schedule to execute this job on.")],
  [
    "CRN-104",
    "with a schedule that is not a string",
    (a) => ({ assistant_id: a, schedule: 5 }),
    "schedule is a string",
    rule("CronCreate", "schedule", "a string", "The cron schedule to execute this job on."),
  ],
  [
    "CRN-105",
    "with a multitask_strategy outside reject, rollback, interrupt and enqueue",
    (a) => ({ assistant_id: a, schedule: "0 0 1 1 *", multitask_strategy: "sometimes" }),
    "multitask_strategy is one of reject, rollback, interrupt, enqueue",
    rule("CronCreate", "multitask_strategy", "an enum", "Must be one of 'reject', 'interrupt', 'rollback', or 'enqueue'."),
  ],
  [
    "CRN-106",
    "with an end_time that is not a date-time",
    (a) => ({ assistant_id: a, schedule: "0 0 1 1 *", end_time: "next year" }),
    "end_time has format date-time",
    rule("CronCreate", "end_time", "Format:date-time", "The end date to stop running the cron."),
  ],
];

for (const [id, what, body, why, where] of BODIES) {
  check(
    {
      id,
      level: "MUST",
      profile: "crons",
      operations: ["POST /threads/{thread_id}/runs/crons"],
      spec: [where, validationError("POST /threads/{thread_id}/runs/crons")],
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
    spec: [
      { source: "api-ref", section: "CronCreate.assistant_id", quote: "The assistant ID or graph name to run.", note: "required" },
      { source: "openapi", section: "POST /runs/crons, responses", quote: "Validation Error", note: "422; the same in openapi-prev" },
    ],
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
    spec: [{ source: "openapi", section: "POST /runs/crons (Create Cron), requestBody", note: "application/json; the same in openapi-prev" }, ...MALFORMED_BODY],
    title: "POST /runs/crons with a body that is not valid JSON answers 400 or 422",
  },
  async (c) => {
    const res = await c.api.request({ method: "POST", path: "/runs/crons", body: '{"assistant_id": "echo", "schedule": ', headers: { "content-type": "application/json" } });
    expectRefused(res, [400, 422], "the body is JSON");
  },
);

const SEARCHES: Array<[string, string, Record<string, unknown>, string, Citation]> = [
  ["CRN-110", "limit=0", { limit: 0 }, "limit minimum 1", rule("CronSearch", "limit", "min 1", "The maximum number of results to return.")],
  [
    "CRN-111",
    "sort_by=color",
    { sort_by: "color" },
    "sort_by is one of cron_id, assistant_id, thread_id, next_run_date, end_time, created_at, updated_at",
    rule("CronSearch", "sort_by", "an enum: cron_id, assistant_id, thread_id, next_run_date, end_time, created_at, updated_at", "The field to sort by."),
  ],
  ["CRN-112", "sort_order=up", { sort_order: "up" }, "sort_order is asc or desc", rule("CronSearch", "sort_order", "an enum: asc, desc", "The order to sort by.")],
  ["CRN-113", "a thread_id that is not a UUID", { thread_id: "not-a-uuid" }, "thread_id has format uuid", rule("CronSearch", "thread_id", "Format:uuid", "The thread ID to search for.")],
];

for (const [id, what, body, why, where] of SEARCHES) {
  check(
    {
      id,
      level: "MUST",
      profile: "crons",
      operations: ["POST /runs/crons/search"],
      spec: [where, validationError("POST /runs/crons/search")],
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
    spec: [
      { source: "api-ref", section: "CronCountRequest.thread_id", quote: "The thread ID to search for.", note: "format uuid" },
      { source: "openapi", section: "POST /runs/crons/count, responses", quote: "Validation Error", note: "422; the same in openapi-prev" },
    ],
    title: "POST /runs/crons/count with a thread_id that is not a UUID answers 422",
  },
  async (c) => {
    expectRefused(await c.api.post("/runs/crons/count", { thread_id: "not-a-uuid" }), [422], "thread_id has format uuid");
  },
);
