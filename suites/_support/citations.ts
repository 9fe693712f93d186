// Citations that many checks share: the words of HTTP and of the contract on
// bodies that are not JSON or not sent as JSON, and on 422. A check cites these
// after the words of the API's documents that are its own (schemas/sources.yaml
// names every source).

import type { Citation } from "../../harness/model";

/** A body that cannot be parsed: 400 or 422 (the contract's MalformedBody). */
export const MALFORMED_BODY: readonly Citation[] = [
  {
    source: "rfc9110",
    section: "15.5.1 400 Bad Request",
    quote: "perceived to be a client error (e.g., malformed request syntax",
  },
  {
    source: "rfc9110",
    section: "15.5.21 422 Unprocessable Content",
    quote: "the syntax of the request content is correct",
  },
  {
    source: "contract",
    section: "components.responses.MalformedBody x-decision",
    quote: "The contract accepts 400 or 422 for a body that is not JSON",
    note: "the API's documents say nothing of a body that cannot be parsed; their 422 is a request validated against its schema",
  },
];

/** A body in another media type than JSON: 415 or 422, and no document requires the refusal (SHOULD). */
export const UNSUPPORTED_MEDIA_TYPE: readonly Citation[] = [
  {
    source: "rfc9110",
    section: "15.5.16 415 Unsupported Media Type",
    quote: "the content is in a format not supported by this method on the target resource",
  },
  {
    source: "contract",
    section: "components.responses.UnsupportedMediaType x-decision",
    quote: "the contract accepts 415 or 422 for such a body",
    note: "no document requires a server to refuse such a body, hence SHOULD; a server that reads text/plain as JSON also takes cross-origin requests that browsers send without a CORS preflight",
  },
];
