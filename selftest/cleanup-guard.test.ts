// Leave no trace, and touch nothing else: the final sweep deletes only what
// carries the run's tag, even against a server whose searches ignore their
// filter and list everything it holds.

import { afterEach, describe, expect, it } from "vitest";
import { sweep, tagFor } from "../harness/cleanup";
import { createApi, newRecorder } from "../harness/http";
import { json, listen, type Local } from "./support/servers";

const RUN = "20260101-cafebabe";
let server: Local | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server whose searches answer everything it holds, whatever the filter. */
async function careless() {
  const threads = new Map<string, Record<string, unknown>>([
    ["t-ours", { thread_id: "t-ours", metadata: tagFor(RUN, "THR-001") }],
    ["t-user", { thread_id: "t-user", metadata: { owner: "someone else" } }],
    ["t-other-run", { thread_id: "t-other-run", metadata: tagFor("20260101-deadbeef") }],
  ]);
  const items = new Map<string, { namespace: string[]; key: string }>([
    ["ours", { namespace: ["conformance", RUN, "a"], key: "k" }],
    ["user", { namespace: ["users", "u1"], key: "k" }],
  ]);
  const deleted: string[] = [];
  server = await listen((req, res, body) => {
    const url = req.url ?? "";
    if (req.method === "POST" && url === "/threads/search") return json(res, 200, [...threads.values()]);
    if (req.method === "POST" && url === "/assistants/search") return json(res, 200, []);
    if (req.method === "POST" && url === "/store/items/search") return json(res, 200, { items: [...items.values()] });
    if (req.method === "DELETE" && url.startsWith("/threads/")) {
      const id = decodeURIComponent(url.slice("/threads/".length));
      deleted.push(`thread ${id}`);
      threads.delete(id);
      return json(res, 200, {});
    }
    if (req.method === "DELETE" && url === "/store/items") {
      const { namespace, key } = JSON.parse(body);
      deleted.push(`item ${namespace.join(".")}/${key}`);
      for (const [k, v] of items) if (v.key === key && v.namespace.join(".") === namespace.join(".")) items.delete(k);
      res.writeHead(204);
      return res.end();
    }
    json(res, 404, { detail: "not found" });
  });
  return { deleted };
}

describe("the final sweep", () => {
  it("deletes what carries the run's tag and nothing else, and says that the searches answered others' too", async () => {
    const { deleted } = await careless();
    const api = createApi({ target: { url: server!.url, headers: {}, requestTimeoutMs: 5_000, streamTimeoutMs: 5_000 }, recorder: newRecorder() });
    const result = await sweep(api, RUN);
    expect(deleted.sort()).toEqual(["item conformance.20260101-cafebabe.a/k", "thread t-ours"]);
    expect(result.deleted).toBe(2);
    expect(result.leftovers.map((l) => `${l.kind} ${l.id}`).sort()).toEqual(["store item *", "thread *"]);
    for (const l of result.leftovers) expect(l.reason).toMatch(/do not carry the run's tag/);
  });
});
