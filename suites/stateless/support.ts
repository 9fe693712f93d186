// What the stateless checks share: proving that a refused request ran nothing.

import type { CheckContext } from "../../harness/check";
import { ensure, expectJsonArray, expectStatus } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";

/**
 * The threads that carry `marker` in their metadata, registered for deletion.
 * A stateless run leaves no trace but its thread (kept with on_completion=keep),
 * and servers commonly copy the run's metadata onto it; where a server does
 * not, nothing is found either way: the proof is as strong as the server lets
 * it be, and never fails a conformant server.
 */
export async function statelessThreadsWith(c: CheckContext, marker: Record<string, unknown>): Promise<{ res: HttpResponse; found: any[] }> {
  const res = await c.api.post("/threads/search", { metadata: marker, limit: 10 });
  expectStatus(res, 200, "searching for a thread a refused stateless run might have left");
  const found = expectJsonArray(res);
  for (const t of found) if (typeof t?.thread_id === "string") c.created.thread(t.thread_id);
  return { res, found };
}

export function expectNothingRan(traces: { res: HttpResponse; found: any[] }): void {
  ensure(traces.found.length === 0, `a refused request still ran: ${traces.found.length} thread(s) carry its metadata`, traces.res);
}
