// The words the auth profile's checks rest on (Python SDK reference, Auth),
// quoted once, and the contract's decision where they are silent.

import type { Citation } from "../../harness/model";

const SECTION = "Auth";

export const AUTHENTICATE: Citation = {
  source: "sdk-py",
  section: `${SECTION}, Request Processing Flow`,
  quote: "Authentication (your @auth.authenticate handler) is performed first on every request",
};

export const DEFAULTS_TO_401: Citation = {
  source: "sdk-py",
  section: `${SECTION}, exceptions.HTTPException.status_code`,
  quote: 'HTTP status code for the error. Defaults to 401 "Unauthorized".',
};

export const FILTER: Citation = {
  source: "sdk-py",
  section: `${SECTION}, on (what a handler returns)`,
  quote: "FilterType: Apply filtering rules to the response",
};

export const REJECT_403: Citation = {
  source: "sdk-py",
  section: `${SECTION}, on (what a handler returns)`,
  quote: "False: Reject with 403 error",
};

export const OWNER_FILTER: Citation = {
  source: "sdk-py",
  section: `${SECTION}, types.FilterType`,
  quote: "Simple exact match filter for the resource owner:",
};

export const COMBINED: Citation = {
  source: "sdk-py",
  section: `${SECTION}, types.FilterType`,
  quote: "Combining filters (treated as a logical AND)",
};

export const THREADS_READ: Citation = {
  source: "sdk-py",
  section: `${SECTION}, types.ThreadsRead`,
  quote: "Parameters for reading thread state or run information.",
};

export const THREADS_UPDATE: Citation = {
  source: "sdk-py",
  section: `${SECTION}, types.ThreadsUpdate`,
  quote: "Called for updates to a thread, thread version, or run",
};

export const THREADS_DELETE: Citation = {
  source: "sdk-py",
  section: `${SECTION}, types.ThreadsDelete`,
  quote: "Called for deletes to a thread, thread version, or run",
};

export const THREADS_SEARCH: Citation = {
  source: "sdk-py",
  section: `${SECTION}, types.ThreadsSearch`,
  quote: "Called for searches to threads or runs.",
};

export const CREATE_RUN: Citation = {
  source: "sdk-py",
  section: `${SECTION}, types.on.threads.create_run`,
  quote: "Type for creating or streaming a run.",
};

export const STORE_NAMESPACE: Citation = {
  source: "sdk-py",
  section: `${SECTION}, on (the store)`,
  quote: "You typically want to enforce user creds in the namespace.",
};

export const ACCESS_BY_CREATOR: Citation = {
  source: "sdk-py",
  section: `${SECTION}, on (resource-specific handler example)`,
  quote: "Allow access only to threads created by the user",
};

/** 404 or 403 for another user's resource: the contract's decision. */
export const NOT_FOUND_OR_FORBIDDEN: Citation = {
  source: "contract",
  section: "components.responses.Forbidden x-decision",
  note: "another user's resource is filtered out: the contract wants the answer of an unknown id (404), and accepts 403 (a denying handler); which of the two is judged at SHOULD only (AUT-098)",
};

/** What the fixture auth does (README, What your server must deploy). */
export const FIXTURE_AUTH: Citation = {
  source: "contract",
  section: "the fixture auth (fixtures/auth.ts)",
  note: "the auth profile judges a deployment of fixtures/langgraph.auth.json: bearer tokens of alice, bob and carol, owner stamped into metadata and filtered on, carol without assistants:write, store namespaces starting with the identity",
};
