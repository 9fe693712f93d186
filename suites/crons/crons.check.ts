// Crons: created for a thread and stateless, found, counted, deleted. Each check
// has an assistant of its own, so that searching by assistant_id finds exactly
// the crons it created. Schedules are of the contract's valid subset
// (CronSchedule: the plain five-field form) and fire at most once a year, so that
// a cron the suite could not delete does little.

import { check, type CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectSameMembers, expectStatus } from "../../harness/expect";
import { firstOutOfOrder, uuid } from "../_support/resources";
import { assistantFor, createThread } from "../_support/runs";

const ECHO = ["graph:echo"];
/** 00:00 UTC on January 1st. */
const YEARLY = "0 0 1 1 *";
const FOR_THREAD = "POST /threads/{thread_id}/runs/crons";
const STATELESS = "POST /runs/crons";
const SEARCH = "POST /runs/crons/search";
const COUNT = "POST /runs/crons/count";
const DELETE = "DELETE /runs/crons/{cron_id}";

async function createCron(c: CheckContext, path: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await c.api.post(path, { schedule: YEARLY, input: { value: "cron" }, metadata: c.tag(), ...body });
  if (typeof res.json?.cron_id === "string") c.created.cron(res.json.cron_id);
  expectStatus(res, 200, "creating a cron the check needs");
  const cron = expectJsonObject(res);
  ensure(typeof cron.cron_id === "string", "the created cron has no cron_id", res);
  return cron;
}

async function search(c: CheckContext, body: Record<string, unknown>) {
  const res = await c.api.post("/runs/crons/search", body);
  expectStatus(res, 200);
  return { res, list: expectJsonArray(res) };
}
const idsOf = (l: any[]) => l.map((x) => x?.cron_id);

check(
  {
    id: "CRN-001",
    level: "MUST",
    profile: "crons",
    operations: [FOR_THREAD],
    spec: [
      { source: "api-ref-2024", section: "POST /threads/{thread_id}/runs/crons (Create Thread Cron)", quote: "Create a thread specific cron.", note: "200 Cron" },
      { source: "api-ref", section: "Cron", quote: "Represents a scheduled task.", note: "cron_id, thread_id and schedule required" },
    ],
    title: "POST /threads/{thread_id}/runs/crons creates a cron on that thread, with the given schedule and assistant",
    requires: ECHO,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const t = await createThread(c);
    const cron = await createCron(c, `/threads/${t.thread_id}/runs/crons`, { assistant_id: assistant });
    expectEqual(cron.thread_id, t.thread_id, "thread_id of the cron");
    expectEqual(cron.schedule, YEARLY, "schedule of the cron");
    expectEqual(cron.assistant_id, assistant, "assistant_id of the cron");
  },
);

check(
  {
    id: "CRN-002",
    level: "MUST",
    profile: "crons",
    operations: [STATELESS],
    spec: [
      { source: "api-ref-2024", section: "POST /runs/crons (Create Cron)", quote: "Create a cron with new thread.", note: "200 Cron" },
      { source: "sdk-py", section: "Cron.thread_id", note: "null for a cron whose runs each get a new thread" },
    ],
    title: "POST /runs/crons creates a cron bound to no thread, with the given schedule and assistant",
    requires: ECHO,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const cron = await createCron(c, "/runs/crons", { assistant_id: assistant });
    expectEqual(cron.thread_id ?? null, null, "thread_id of a stateless cron");
    expectEqual(cron.schedule, YEARLY, "schedule of the cron");
    expectEqual(cron.assistant_id, assistant, "assistant_id of the cron");
  },
);

check(
  {
    id: "CRN-003",
    level: "SHOULD",
    profile: "crons",
    operations: [STATELESS],
    spec: [
      { source: "api-ref", section: "Cron.next_run_date", quote: "The next run date of the cron." },
      { source: "sdk-py", section: "CronClient.create", quote: "Schedules are interpreted in UTC." },
    ],
    title: "A new cron's next_run_date, when given, is the next time its schedule fires (00:00 UTC on January 1st for 0 0 1 1 *)",
    requires: ECHO,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const before = Date.now();
    const cron = await createCron(c, "/runs/crons", { assistant_id: assistant });
    if (cron.next_run_date === null || cron.next_run_date === undefined) return c.skip("the cron carries no next_run_date (the field is optional)");
    const next = new Date(Date.parse(cron.next_run_date));
    const year = new Date(before).getUTCFullYear() + 1;
    expectEqual(next.toISOString(), new Date(Date.UTC(year, 0, 1)).toISOString(), "next_run_date of a cron that fires at 00:00 UTC on January 1st");
  },
);

check(
  {
    id: "CRN-004",
    level: "SHOULD",
    profile: "crons",
    operations: [FOR_THREAD],
    spec: [{ source: "api-ref", section: "Cron.payload", quote: "The run payload to use for creating new run." }],
    title: "A cron's payload carries the input its runs are created with",
    requires: ECHO,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const t = await createThread(c);
    const input = { value: `cron-${uuid()}` };
    const cron = await createCron(c, `/threads/${t.thread_id}/runs/crons`, { assistant_id: assistant, input });
    expectEqual(cron.payload?.input, input, "payload.input of the cron");
  },
);

check(
  {
    id: "CRN-010",
    level: "MUST",
    profile: "crons",
    operations: [SEARCH],
    spec: [
      { source: "api-ref", section: "CronSearch.assistant_id", quote: "The assistant ID or graph name to filter by using exact match." },
      { source: "api-ref", section: "CronSearch.thread_id", quote: "The thread ID to search for." },
    ],
    title: "POST /runs/crons/search with assistant_id or thread_id returns exactly the matching crons",
    requires: ECHO,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const [t1, t2] = [await createThread(c), await createThread(c)];
    const a = await createCron(c, `/threads/${t1.thread_id}/runs/crons`, { assistant_id: assistant });
    const b = await createCron(c, `/threads/${t2.thread_id}/runs/crons`, { assistant_id: assistant });
    const s = await createCron(c, "/runs/crons", { assistant_id: assistant });
    const byAssistant = await search(c, { assistant_id: assistant, limit: 100 });
    expectSameMembers(idsOf(byAssistant.list), [a.cron_id, b.cron_id, s.cron_id], "crons of the check's assistant", byAssistant.res);
    const byThread = await search(c, { thread_id: t1.thread_id, limit: 100 });
    expectSameMembers(idsOf(byThread.list), [a.cron_id], "crons of the first thread", byThread.res);
  },
);

check(
  {
    id: "CRN-011",
    level: "MUST",
    profile: "crons",
    operations: [SEARCH],
    spec: [
      { source: "api-ref", section: "CronSearch.limit", quote: "The maximum number of results to return." },
      { source: "api-ref", section: "CronSearch.offset", quote: "The number of results to skip." },
    ],
    title: "POST /runs/crons/search honours limit, and pages with offset are disjoint and together are all the crons",
    requires: ECHO,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const crons = [];
    for (let i = 0; i < 3; i++) crons.push(await createCron(c, "/runs/crons", { assistant_id: assistant }));
    const order = { sort_by: "cron_id", sort_order: "asc" };
    const p1 = await search(c, { assistant_id: assistant, limit: 2, offset: 0, ...order });
    ensure(p1.list.length === 2, `limit=2 returned ${p1.list.length} crons (3 match)`, p1.res);
    const p2 = await search(c, { assistant_id: assistant, limit: 2, offset: 2, ...order });
    expectSameMembers(
      [...idsOf(p1.list), ...idsOf(p2.list)],
      crons.map((x) => x.cron_id),
      "crons of the pages at offset 0 and 2 (limit 2) together",
      p2.res,
    );
  },
);

for (const [id, order] of [
  ["CRN-012", "asc"],
  ["CRN-013", "desc"],
] as const) {
  check(
    {
      id,
      level: "MUST",
      profile: "crons",
      operations: [SEARCH],
      spec: [
        { source: "api-ref", section: "CronSearch.sort_by", quote: "The field to sort by.", note: "one of cron_id, assistant_id, thread_id, next_run_date, end_time, created_at, updated_at" },
        { source: "api-ref", section: "CronSearch.sort_order", quote: "The order to sort by.", note: "asc or desc" },
      ],
      title: `POST /runs/crons/search with sort_by=created_at and sort_order=${order} returns the crons in that order`,
      requires: ECHO,
    },
    async (c) => {
      const assistant = await assistantFor(c, "echo");
      for (let i = 0; i < 3; i++) {
        await createCron(c, "/runs/crons", { assistant_id: assistant });
        await new Promise((r) => setTimeout(r, 5));
      }
      const { res, list } = await search(c, { assistant_id: assistant, limit: 100, sort_by: "created_at", sort_order: order });
      ensure(list.length === 3, `the sorted search returned ${list.length} of the 3 crons`, res);
      const bad = firstOutOfOrder(list, (x) => Date.parse(x?.created_at ?? ""), order);
      ensure(bad === -1, `crons are not in ${order} order of created_at: ${list[bad - 1]?.created_at} comes before ${list[bad]?.created_at}`, res);
    },
  );
}

check(
  {
    id: "CRN-014",
    level: "MUST",
    profile: "crons",
    operations: [SEARCH],
    spec: [{ source: "api-ref", section: "CronSearch.select", quote: "Specify which fields to return. If not provided, all fields are returned." }],
    title: "POST /runs/crons/search with select returns only the selected fields",
    requires: ECHO,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    await createCron(c, "/runs/crons", { assistant_id: assistant });
    const res = await c.api.request({
      method: "POST",
      path: "/runs/crons/search",
      json: { assistant_id: assistant, select: ["cron_id", "schedule"] },
      expectSchema: "/components/schemas/CronSelectedList",
    });
    expectStatus(res, 200);
    const list = expectJsonArray(res);
    ensure(list.length === 1, `search with select returned ${list.length} crons, expected 1`, res);
    const extra = Object.keys(list[0] ?? {}).filter((k) => k !== "cron_id" && k !== "schedule");
    ensure(extra.length === 0, `the item carries fields that were not selected: ${extra.join(", ")}`, res);
    expectEqual(list[0]?.schedule, YEARLY, "the selected schedule", res);
  },
);

check(
  {
    id: "CRN-020",
    level: "MUST",
    profile: "crons",
    operations: [COUNT, SEARCH],
    spec: [
      { source: "api-ref", section: "CronCountRequest", quote: "Payload for counting crons", note: "assistant_id, thread_id" },
      { source: "sdk-py", section: "CronClient.count", quote: "Number of crons matching the criteria." },
    ],
    title: "POST /runs/crons/count with assistant_id or thread_id counts what search finds",
    requires: ECHO,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const t = await createThread(c);
    await createCron(c, `/threads/${t.thread_id}/runs/crons`, { assistant_id: assistant });
    await createCron(c, "/runs/crons", { assistant_id: assistant });
    const byAssistant = await c.api.post("/runs/crons/count", { assistant_id: assistant });
    expectStatus(byAssistant, 200);
    expectEqual(byAssistant.json, 2, "count of the assistant's crons", byAssistant);
    const byThread = await c.api.post("/runs/crons/count", { thread_id: t.thread_id });
    expectStatus(byThread, 200);
    expectEqual(byThread.json, 1, "count of the thread's crons", byThread);
  },
);

check(
  {
    id: "CRN-030",
    level: "MUST",
    profile: "crons",
    operations: [DELETE, SEARCH],
    spec: [
      { source: "api-ref-2024", section: "DELETE /runs/crons/{cron_id} (Delete Cron)", quote: "Delete a cron by ID.", note: "200" },
      { source: "openapi", section: "DELETE /runs/crons/{cron_id} (Delete Cron), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
    ],
    title: "DELETE /runs/crons/{cron_id} answers 200; search no longer finds the cron, and deleting it again answers 404",
    requires: ECHO,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const cron = await createCron(c, "/runs/crons", { assistant_id: assistant });
    const del = await c.api.delete(`/runs/crons/${cron.cron_id}`);
    expectStatus(del, 200);
    const { res, list } = await search(c, { assistant_id: assistant, limit: 100 });
    ensure(!idsOf(list).includes(cron.cron_id), "the deleted cron is still listed by search", res);
    const again = await c.api.delete(`/runs/crons/${cron.cron_id}`);
    expectStatus(again, 404, "the cron was deleted already");
  },
);

check(
  {
    id: "CRN-031",
    level: "MUST",
    profile: "crons",
    operations: [DELETE],
    spec: [
      { source: "openapi", section: "DELETE /runs/crons/{cron_id} (Delete Cron), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
      { source: "contract", section: "components.responses.NotFound", quote: "The resource named in the path" },
    ],
    title: "DELETE /runs/crons/{cron_id} answers 404 for a cron that does not exist",
  },
  async (c) => {
    expectStatus(await c.api.delete(`/runs/crons/${uuid()}`), 404);
  },
);

check(
  {
    id: "CRN-032",
    level: "MUST",
    profile: "crons",
    operations: [FOR_THREAD],
    spec: [
      { source: "openapi", section: "POST /threads/{thread_id}/runs/crons (Create Thread Cron), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
      { source: "contract", section: "components.responses.NotFound", quote: "The resource named in the path" },
    ],
    title: "POST /threads/{thread_id}/runs/crons answers 404 for a thread that does not exist, and creates nothing",
    requires: ECHO,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const res = await c.api.post(`/threads/${uuid()}/runs/crons`, { assistant_id: assistant, schedule: YEARLY });
    if (typeof res.json?.cron_id === "string") c.created.cron(res.json.cron_id);
    expectStatus(res, 404, "no thread has this id");
    const { res: found, list } = await search(c, { assistant_id: assistant, limit: 10 });
    ensure(list.length === 0, `a refused create still made ${list.length} cron(s)`, found);
  },
);

check(
  {
    id: "CRN-033",
    level: "SHOULD",
    profile: "crons",
    operations: [STATELESS],
    spec: [
      { source: "openapi", section: "POST /runs/crons (Create Cron), responses", quote: "Not Found", note: "404; the same in openapi-prev" },
      { source: "contract", section: "components.responses.NotFound", quote: "(or a resource the body refers to)", note: "the documents do not say which resource, hence SHOULD" },
    ],
    title: "POST /runs/crons with an assistant_id that does not exist answers 404",
  },
  async (c) => {
    const res = await c.api.post("/runs/crons", { assistant_id: uuid(), schedule: YEARLY });
    if (typeof res.json?.cron_id === "string") c.created.cron(res.json.cron_id);
    expectStatus(res, 404, "no assistant has this id");
  },
);

check(
  {
    id: "CRN-034",
    level: "MUST",
    profile: "crons",
    operations: [DELETE],
    spec: [
      { source: "openapi", section: "DELETE /runs/crons/{cron_id}, path cron_id", note: "format uuid, as in api-ref and openapi-prev; 404 and 422 declared" },
      { source: "contract", section: "DELETE /runs/crons/{cron_id}", note: "the documents do not say which of 404 and 422 a malformed id gets: either is taken" },
    ],
    title: "DELETE /runs/crons/not-a-uuid answers 404 or 422",
  },
  async (c) => {
    const res = await c.api.delete("/runs/crons/not-a-uuid");
    ensure(res.status < 500, `DELETE /runs/crons/{cron_id} answered ${res.status}, a server error, to an id that is not a UUID`, res);
    expectStatus(res, [404, 422], "cron_id is a UUID");
  },
);
