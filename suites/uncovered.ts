// Operations of the contract that no check exercises yet, each with the reason.
// The report lists them, so a gap is visible, never silent; a self-test keeps
// this list exact (every operation is covered by a check or listed here, and
// nothing listed here is covered).

export const NOT_YET_COVERED: Record<string, string> = {
  "GET /metrics": "the system profile's metrics checks are not written yet",
  // thread runs
  "GET /threads/{thread_id}/runs": "runs suite not written yet (issue 5)",
  "POST /threads/{thread_id}/runs": "runs suite not written yet (issue 5)",
  "POST /threads/{thread_id}/runs/stream": "streaming suite not written yet (issue 5)",
  "POST /threads/{thread_id}/runs/wait": "runs suite not written yet (issue 5)",
  "GET /threads/{thread_id}/runs/{run_id}": "runs suite not written yet (issue 5)",
  "DELETE /threads/{thread_id}/runs/{run_id}": "runs suite not written yet (issue 5)",
  "GET /threads/{thread_id}/runs/{run_id}/join": "runs suite not written yet (issue 5)",
  "GET /threads/{thread_id}/runs/{run_id}/stream": "streaming suite not written yet (issue 5)",
  "POST /threads/{thread_id}/runs/{run_id}/cancel": "runs suite not written yet (issue 5)",
  "POST /runs/cancel": "runs suite not written yet (issue 5)",
  // stateless runs
  "POST /runs": "stateless runs suite not written yet (issue 5)",
  "POST /runs/stream": "streaming suite not written yet (issue 5)",
  "POST /runs/wait": "stateless runs suite not written yet (issue 5)",
  "POST /runs/batch": "stateless runs suite not written yet (issue 5)",
};
