// Operations of the contract that no check exercises yet, each with the reason.
// The report lists them, so a gap is visible, never silent; a self-test keeps
// this list exact (every operation is covered by a check or listed here, and
// nothing listed here is covered).

export const NOT_YET_COVERED: Record<string, string> = {
  "GET /metrics": "the system profile's metrics checks are not written yet",
  "POST /threads/{thread_id}/copy": "threads suite not written yet (issue 4)",
  "GET /threads/{thread_id}/stream": "thread stream checks not written yet (issue 5)",
  "GET /threads/{thread_id}/state": "state and history checks not written yet (issue 4)",
  "GET /threads/{thread_id}/state/{checkpoint_id}": "state and history checks not written yet (issue 4)",
  "GET /threads/{thread_id}/history": "state and history checks not written yet (issue 4)",
  "DELETE /runs/crons/{cron_id}": "crons suite not written yet (issue 4)",
  "GET /mcp/": "mcp suite not written yet (issue 4)",
  "DELETE /mcp/": "mcp suite not written yet (issue 4)",
  // thread runs
  "GET /threads/{thread_id}/runs": "runs suite not written yet (issue 5)",
  "GET /threads/{thread_id}/runs/{run_id}": "runs suite not written yet (issue 5)",
  "DELETE /threads/{thread_id}/runs/{run_id}": "runs suite not written yet (issue 5)",
  "GET /threads/{thread_id}/runs/{run_id}/join": "runs suite not written yet (issue 5)",
  "GET /threads/{thread_id}/runs/{run_id}/stream": "streaming suite not written yet (issue 5)",
  "POST /threads/{thread_id}/runs/{run_id}/cancel": "runs suite not written yet (issue 5)",
  // stateless runs
};
