// A module hook for the child that serves @langchain/langgraph-api 2.0.0 (see
// server.ts): the packages a project shares with the server it deploys on (the
// peer dependencies @langchain/core, @langchain/langgraph and
// @langchain/langgraph-checkpoint, and their sub-paths), when imported from one
// place, are resolved as if imported from another. By default the server's
// imports (this folder) are resolved as the fixture graphs resolve them, so
// that server and graphs run on one copy of each, the root's (the versions
// fixtures/package.json pins), as the embedded reference server does; with
// `--runtime own` the graphs' imports are resolved from this folder instead.
//
// Environment: LGC_SHARED_LANGGRAPH_FOR, the URL prefix of the importers whose
// resolution is redirected; LGC_SHARED_LANGGRAPH_FROM, a file URL to resolve
// them from.
import { register } from "node:module";

const from = process.env.LGC_SHARED_LANGGRAPH_FROM;
const of = process.env.LGC_SHARED_LANGGRAPH_FOR;
if (!from || !of) throw new Error("shared-langgraph.mjs: LGC_SHARED_LANGGRAPH_FROM and LGC_SHARED_LANGGRAPH_FOR must be set");

const hooks = `
const SHARED = /^@langchain\\/(core|langgraph|langgraph-checkpoint)(\\/.+)?$/;
let from, of;
export async function initialize(data) { from = data.from; of = data.of; }
export async function resolve(specifier, context, nextResolve) {
  if (SHARED.test(specifier) && context.parentURL && context.parentURL.startsWith(of)) {
    return nextResolve(specifier, { ...context, parentURL: from });
  }
  return nextResolve(specifier, context);
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { from, of } });
