// The bookkeeping of crons: the stated defaults of search (a page of 10,
// newest created first), limits and offsets past the default page with twelve
// matches, the stated default of on_run_completed, the fields a cron is created
// with as search gives them back, and a cron that fires: a cron due within the
// minute makes a run of its payload on its thread.
//
// No implementation the suite is run against offers crons (the reference
// server declares flags.crons = false, and the profile is not claimed there);
// the mutation campaign measures these checks on the emulated crons of
// scripts/mutants/emulation.ts.

import { check, scenario, type CheckContext } from "../../harness/check";
import { ensure, expectEqual, expectJsonArray, expectJsonObject, expectSameMembers, expectStatus, fail } from "../../harness/expect";
import type { Citation } from "../../harness/model";
import { uuid } from "../_support/resources";
import { assistantFor, createThread, isTerminalRunStatus, pollRun, RUN_TIMEOUT_MS } from "../_support/runs";
import { at, holds, ROUND_TRIPS } from "../_support/roundtrip.checks";
import { listAnswer, oneAfterAnother } from "../_support/bookkeeping";

const ECHO = ["graph:echo"];
/** 00:00 UTC on January 1st: a cron that does not fire while the suite runs. */
const YEARLY = "0 0 1 1 *";
const SEARCH = "POST /runs/crons/search";

/** Creates a cron the check needs; a target that does not create it skips (CRN-001 and CRN-002 judge creation). */
async function createCron(c: CheckContext, path: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await c.api.post(path, { schedule: YEARLY, input: { value: "cron" }, ...body, metadata: { ...c.tag(), ...((body.metadata as object) ?? {}) } });
  if (typeof res.json?.cron_id === "string") c.created.cron(res.json.cron_id);
  if (res.status !== 200 || typeof res.json?.cron_id !== "string")
    c.skip(
      `${path.startsWith("/threads") ? "POST /threads/{thread_id}/runs/crons" : "POST /runs/crons"} answered ${res.status} without a cron: the target does not create the cron the check needs (CRN-001 and CRN-002 judge creation)`,
    );
  return expectJsonObject(res);
}

const search = (c: CheckContext, body: Record<string, unknown>) => listAnswer(c, "/runs/crons/search", body);
const idsOf = (l: any[]) => l.map((x) => x?.cron_id);

/** Twelve crons of one assistant, created one after the other. */
const twelve = scenario("twelve crons of one assistant", async (c) => {
  const assistantId = await assistantFor(c, "echo");
  const crons = await oneAfterAnother(12, (i) => createCron(c, "/runs/crons", { assistant_id: assistantId, input: { value: i } }));
  return { assistantId, newestFirst: [...crons].reverse().map((x) => x.cron_id as string) };
});

const LIMIT: Citation = { source: "api-ref", section: "CronSearch.limit", quote: "The maximum number of results to return.", note: "min 1, max 1000, default 10" };

check(
  {
    id: "CRN-115",
    level: "MUST",
    profile: "crons",
    operations: [SEARCH],
    spec: [LIMIT],
    title: "POST /runs/crons/search without limit returns 10 of 12 matching crons (the default page)",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelve(c);
    const { res, list } = await search(c, { assistant_id: s.assistantId });
    ensure(list.length === 10, `without limit, search returned ${list.length} of the 12 crons; the default limit is 10`, res);
  },
);

check(
  {
    id: "CRN-116",
    level: "MUST",
    profile: "crons",
    operations: [SEARCH],
    spec: [LIMIT],
    title: "POST /runs/crons/search with limit=11, above the default page, returns 11 of 12 matching crons",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelve(c);
    const { res, list } = await search(c, { assistant_id: s.assistantId, limit: 11 });
    ensure(list.length === 11, `limit=11 returned ${list.length} of the 12 crons`, res);
  },
);

check(
  {
    id: "CRN-117",
    level: "MUST",
    profile: "crons",
    operations: [SEARCH],
    spec: [{ source: "api-ref", section: "CronSearch.offset", quote: "The number of results to skip.", note: "default 0" }, LIMIT],
    title: "POST /runs/crons/search with offset=10 and no limit returns the 2 of 12 crons past the first page, none of the first page's",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelve(c);
    const first = await search(c, { assistant_id: s.assistantId });
    const rest = await search(c, { assistant_id: s.assistantId, offset: 10 });
    ensure(rest.list.length === 2, `offset=10 returned ${rest.list.length} crons; of 12, 2 are left past the first 10`, rest.res);
    expectSameMembers([...idsOf(first.list), ...idsOf(rest.list)], s.newestFirst, "crons of the first page and of the page at offset 10 together", rest.res);
  },
);

check(
  {
    id: "CRN-118",
    level: "MUST",
    profile: "crons",
    operations: [SEARCH],
    spec: [
      { source: "api-ref", section: "CronSearch.sort_by", quote: "The field to sort by.", note: 'default "created_at"' },
      { source: "api-ref", section: "CronSearch.sort_order", quote: "The order to sort by.", note: 'default "desc"' },
    ],
    title: "POST /runs/crons/search without sort_by and sort_order lists the crons by created_at, newest first (the defaults)",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const s = await twelve(c);
    const { res, list } = await search(c, { assistant_id: s.assistantId, limit: 100 });
    expectEqual(idsOf(list), s.newestFirst, "crons without sort_by and sort_order (created_at, desc)", res);
  },
);

check(
  {
    id: "CRN-122",
    level: "SHOULD",
    profile: "crons",
    operations: ["POST /runs/crons"],
    spec: [
      { source: "openapi", section: "CronCreate.on_run_completed", note: 'default "delete"; only the public OpenAPI documents and the SDK give the field, hence SHOULD' },
      { source: "sdk-py", section: "CronClient.create, on_run_completed", note: "only applicable for stateless crons; defaults to delete" },
    ],
    title: "A cron with no thread, created without on_run_completed, records on_run_completed delete (the default)",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const cron = await createCron(c, "/runs/crons", { assistant_id: assistant });
    const { res, list } = await search(c, { assistant_id: assistant, limit: 10 });
    const mine = list.find((x) => x?.cron_id === cron.cron_id);
    ensure(mine, "search by the cron's assistant does not list it", res);
    expectEqual(mine.on_run_completed, "delete", "on_run_completed of a cron created without it", res);
  },
);

check(
  {
    id: "CRN-127",
    level: "SHOULD",
    profile: "crons",
    operations: ["POST /runs/crons", SEARCH],
    spec: [{ source: "openapi", section: "CronCreate.on_run_completed", note: "delete or keep the thread of each run; only the public OpenAPI documents and the SDK give the field, hence SHOULD" }],
    title: "on_run_completed=keep given to POST /runs/crons comes back as given from search",
    requires: ECHO,
    timeoutMs: RUN_TIMEOUT_MS,
  },
  async (c) => {
    const assistant = await assistantFor(c, "echo");
    const cron = await createCron(c, "/runs/crons", { assistant_id: assistant, on_run_completed: "keep" });
    const { res, list } = await search(c, { assistant_id: assistant, limit: 10 });
    const mine = list.find((x) => x?.cron_id === cron.cron_id);
    ensure(mine, "search by the cron's assistant does not list it", res);
    expectEqual(mine.on_run_completed, "keep", "on_run_completed of a cron created with keep", res);
  },
);

// ------------------------------------------------------------------ fields round-tripped

for (const row of ROUND_TRIPS.filter((r) => r.schema === "ThreadCronCreate" || r.schema === "CronCreate")) {
  check(
    {
      id: row.id,
      level: row.level,
      profile: "crons",
      operations: ["POST /threads/{thread_id}/runs/crons", SEARCH],
      spec: [
        { source: "api-ref", section: row.words.section, quote: row.words.quote },
        {
          source: "api-ref",
          section: "Cron",
          quote: "Represents a scheduled task.",
          note: row.at[0] === "payload" ? 'payload: "The run payload to use for creating new run."' : `the Cron carries ${row.field}`,
        },
      ],
      title: `${row.field} given to POST /threads/{thread_id}/runs/crons comes back as given from search (${row.at.join(".")})`,
      requires: ECHO,
      timeoutMs: RUN_TIMEOUT_MS,
    },
    async (c) => {
      const [assistant, t] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
      const value = row.field === "metadata" ? { ...(row.value as object), ...c.tag() } : row.value;
      const cron = await createCron(c, `/threads/${t.thread_id}/runs/crons`, { assistant_id: assistant, [row.field]: value });
      const { res, list } = await search(c, { assistant_id: assistant, limit: 10 });
      const mine = list.find((x) => x?.cron_id === cron.cron_id);
      ensure(mine, "search by the cron's assistant does not list it", res);
      if (!holds(at(mine, row.at), row.value))
        fail(`search answers ${row.at.join(".")} ${JSON.stringify(at(mine, row.at))?.slice(0, 200)}, not the ${JSON.stringify(row.value)?.slice(0, 200)} given`, res);
    },
  );
}

// ------------------------------------------------------------------ a cron fires

/** How long to wait for a cron due at the next minute: the rest of this minute and a margin. */
const untilNextMinuteMs = () => 60_000 - (Date.now() % 60_000);
const MARGIN_MS = 20_000;

check(
  {
    id: "CRN-121",
    level: "MUST",
    profile: "crons",
    operations: ["POST /threads/{thread_id}/runs/crons", "GET /threads/{thread_id}/runs", "GET /threads/{thread_id}/state"],
    spec: [
      { source: "api-ref", section: "CronCreate.schedule", quote: "The cron schedule to execute this job on." },
      { source: "api-ref", section: "Cron.payload", quote: "The run payload to use for creating new run." },
      { source: "api-ref-2024", section: "POST /threads/{thread_id}/runs/crons (Create Thread Cron)", quote: "Create a thread specific cron." },
    ],
    title: "A cron due at the next minute (* * * * *) fires: a run of its assistant appears on its thread and runs the cron's input",
    requires: ECHO,
    timeoutMs: 60_000 + MARGIN_MS + 30_000,
  },
  async (c) => {
    const [assistant, t] = await Promise.all([assistantFor(c, "echo"), createThread(c)]);
    const marker = `fired-${uuid()}`;
    await createCron(c, `/threads/${t.thread_id}/runs/crons`, { assistant_id: assistant, schedule: "* * * * *", input: { value: marker } });
    const deadline = Date.now() + untilNextMinuteMs() + MARGIN_MS;
    let run: Record<string, any> | undefined;
    let last: Awaited<ReturnType<typeof c.api.get>> | undefined;
    while (!run && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      last = await c.api.get(`/threads/${t.thread_id}/runs`);
      if (last.status === 200 && Array.isArray(last.json) && last.json.length > 0) run = last.json[0];
    }
    if (!run) fail(`no run appeared on the cron's thread by ${new Date(deadline).toISOString()}, ${Math.round(MARGIN_MS / 1000)} s after the minute the cron (* * * * *) was due`, last);
    expectEqual(run.assistant_id, assistant, "assistant_id of the run the cron made", last);
    const { run: ended } = await pollRun(c, t.thread_id, run.run_id, (r) => isTerminalRunStatus(r.status), { timeoutMs: 30_000, what: "an end status" });
    expectEqual(ended.status, "success", "status of the run the cron made", undefined);
    const state = await c.api.get(`/threads/${t.thread_id}/state`);
    expectStatus(state, 200);
    expectEqual(state.json?.values?.echoed, marker, "values.echoed after the cron's run (the echo graph copies the cron's input.value)", state);
  },
);
