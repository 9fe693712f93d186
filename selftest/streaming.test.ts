// The streaming and interop checks against the embedded reference server behind
// a proxy that rewrites stream bytes: every framing check fails on the one
// stream of the corpus that breaks its rule, and on no other; semantic and
// interop checks fail on a stream that is duplicated, reordered, dropped, cut,
// malformed, or never ends, each within its time limit and with the raw
// transcript in the evidence.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../reporters/model";
import { runCli } from "./support/cli";
import { mutant } from "../scripts/mutants/catalogue";
import { ownerRegistry, startProxy, type Fault, type ProxiedRequest, type StreamTransform } from "../scripts/mutants/proxy";
import { useReferenceServer } from "./support/reference";

const ref = useReferenceServer("lgc-selftest-streaming-");

type Check = Report["checks"][number];

/** Runs the CLI against the server behind `fault` (none: straight), returns the report's checks by id. */
async function runAgainst(name: string, fault: Fault | undefined, args: string[]): Promise<Map<string, Check>> {
  const proxy = fault ? await startProxy(ref.server.url, fault) : undefined;
  try {
    const out = join(ref.dir, name);
    const r = await runCli(["run", "--url", proxy?.url ?? ref.server.url, "--report-dir", out, ...args], { timeoutMs: 150_000 });
    expect([0, 1], `${r.stderr}\n${r.stdout}`).toContain(r.code);
    const rep: Report = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    expect(rep.summary.error, JSON.stringify(rep.checks.filter((c) => c.outcome === "error").map((c) => [c.id, c.message]))).toBe(0);
    return new Map(rep.checks.map((c) => [c.id, c]));
  } finally {
    await proxy?.close();
  }
}

const ids = (list: string[]) => list.flatMap((i) => ["--id", i]);

// ------------------------------------------------------------ framing: one broken stream per rule

/** Which stream of the corpus a request is: its kind and graph (the proxy learns graphs from the traffic). */
function corpusKey(req: ProxiedRequest, graph: string | undefined): string {
  const path = req.path.split("?")[0]!;
  const body = (() => {
    try {
      return JSON.parse(req.body);
    } catch {
      return {};
    }
  })();
  if (req.method === "GET" && /\/runs\/[^/]+\/stream$/.test(path)) return `join:${graph ?? "?"}${req.headers["last-event-id"] ? ":replay" : ""}`;
  if (path === "/runs/stream") return `stateless:${graph}`;
  // The corpus's quiet stream (a run of 'slow' that sleeps past a heartbeat interval) is a kind of its own.
  const quiet = typeof body.input?.sleep_ms === "number" && body.input.sleep_ms > 10_000 ? ":quiet" : "";
  if (/\/runs\/stream$/.test(path)) return `thread:${graph}${body.stream_resumable ? ":resumable" : ""}${quiet}`;
  return `other:${path}`;
}

/** The stream transform of a stream mutant of the catalogue (scripts/mutants/catalogue.ts). */
function transformOf(id: string): StreamTransform {
  const t = mutant(id).fault().stream;
  if (!t) throw new Error(`mutant '${id}' does not rewrite streams`);
  return t;
}

/** The stream of the corpus each framing check's rule is broken in, and by which mutant. */
const FRAMING_FAULTS: Record<string, { stream: string; names: RegExp; mutant: string }> = {
  "SSE-001": { stream: "stateless:chat", names: /POST \/runs\/stream: stateless run of 'chat'/, mutant: "stream-as-text-plain" },
  "SSE-002": { stream: "thread:chat", names: /thread run of 'chat'/, mutant: "stream-invalid-utf8" },
  "SSE-003": { stream: "thread:slow", names: /thread run of 'slow', stream_mode custom/, mutant: "stream-unknown-field" },
  "SSE-004": { stream: "thread:subgraph", names: /thread run of 'subgraph'/, mutant: "stream-mixed-line-endings" },
  "SSE-005": { stream: "thread:error", names: /thread run of 'error'/, mutant: "stream-last-unterminated" },
  "SSE-006": { stream: "thread:interrupt", names: /thread run of 'interrupt'/, mutant: "stream-data-not-json" },
  "SSE-008": { stream: "thread:echo", names: /thread run of 'echo', stream_mode values\+updates: /, mutant: "stream-id-backwards" },
  "SSE-009": { stream: "stateless:echo", names: /stateless run of 'echo'/, mutant: "stream-event-after-end" },
  "SSE-010": { stream: "join:slow", names: /joining a running run of 'slow'/, mutant: "stream-heartbeat-event" },
};

describe("the framing checks, each against a corpus with one stream that breaks its rule", () => {
  let checks: Map<string, Check>;
  beforeAll(async () => {
    const owners = ownerRegistry();
    const byStream = new Map(Object.values(FRAMING_FAULTS).map((f) => [f.stream, transformOf(f.mutant)]));
    const fault: Fault = {
      name: "one framing rule broken per stream",
      observe: owners.observe,
      stream: (req, head, body, signal) => {
        const t = byStream.get(corpusKey(req, owners.ownerOf(req).graph));
        return t ? t(req, head, body, signal) : body;
      },
    };
    checks = await runAgainst("framing", fault, ids(["SSE-*"]));
  }, 180_000);

  const EXPECTED_OUTCOME: Record<string, string> = { "SSE-003": "warn", "SSE-004": "notice", "SSE-008": "warn", "SSE-010": "warn" };
  for (const [id, f] of Object.entries(FRAMING_FAULTS)) {
    it(`${id} fails on the stream that breaks its rule (${f.stream}: ${f.mutant}) and names that stream alone`, () => {
      const c = checks.get(id);
      expect(c?.outcome, `${id}: ${c?.message}`).toBe(EXPECTED_OUTCOME[id] ?? "fail");
      expect(c!.message, id).toMatch(/^1 of \d+ streams /);
      expect(c!.message, id).toMatch(f.names);
      // The offending stream's transcript is in the evidence, as the exchange in focus.
      const focus = c!.evidence.exchanges[c!.evidence.focus ?? -1];
      expect(focus?.stream?.transcript ?? focus?.response?.body ?? "", id).not.toBe("");
    });
  }

  it("SSE-007 judges the events of the same corpus: the non-JSON data of the broken stream is among its findings", () => {
    const c = checks.get("SSE-007");
    // SHOULD: the event names and schemas are the contract's, built from the SDKs' types.
    expect(c?.outcome).toBe("warn");
    expect(
      c!.evidence.notes?.some((n) => /thread run of 'interrupt'.*not JSON/.test(n)),
      c!.message,
    ).toBe(true);
  });
});

// ------------------------------------------------------------ semantics and interop: one fault per check

const STREAM_TIMEOUT_MS = 8_000;

/** Stream mutants by the check whose streams they break (the proxy knows a stream's check by the suite's metadata). */
const CHECK_FAULTS: Record<string, { mutant: string; message: RegExp }> = {
  "STR-001": { mutant: "stream-metadata-missing", message: /first event .* is 'values', not 'metadata'/ },
  "STR-004": { mutant: "stream-metadata-not-first", message: /not 'metadata'/ },
  "STR-022": { mutant: "stream-event-duplicated", message: /updates events/ },
  "STR-024": { mutant: "stream-events-reordered", message: /custom events/ },
  "STR-021": { mutant: "stream-last-event-dropped", message: /last values event/ },
  "STR-023": { mutant: "stream-cut-midway", message: /chunks/ },
  "STR-010": { mutant: "stream-never-ends", message: /did not end: it was still open when the stream time limit ran out/ },
  "STR-011": { mutant: "stream-stalls", message: /did not end/ },
  "IOP-001": { mutant: "stream-heartbeat-event", message: /disagree .* the SDK saw 'ping' null, our reader 'values'/ },
  "IOP-002": { mutant: "stream-last-unterminated", message: /the SDK saw 'values' .*, our reader saw no more events/ },
  "IOP-004": { mutant: "stream-never-ends", message: /did not end: it was still open when the stream time limit ran out/ },
  "IOP-003": { mutant: "stream-data-not-json", message: /could not read .* threw SyntaxError/ },
};
const CHECK_IDS = Object.keys(CHECK_FAULTS);

describe("semantic and interop checks, each against a stream broken for it alone", () => {
  let baseline: Map<string, Check>;
  let broken: Map<string, Check>;
  beforeAll(async () => {
    const owners = ownerRegistry();
    const fault: Fault = {
      name: "one fault per check",
      observe: owners.observe,
      stream: (req, head, body, signal) => {
        const f = CHECK_FAULTS[owners.ownerOf(req).check ?? ""];
        return f ? transformOf(f.mutant)(req, head, body, signal) : body;
      },
    };
    const args = [...ids(CHECK_IDS), "--stream-timeout-ms", String(STREAM_TIMEOUT_MS)];
    [baseline, broken] = await Promise.all([runAgainst("semantics-baseline", undefined, args), runAgainst("semantics-broken", fault, args)]);
  }, 180_000);

  it("the checks pass against the unmodified server", () => {
    for (const id of CHECK_IDS) expect(baseline.get(id)?.outcome, `${id}: ${baseline.get(id)?.message}`).toBe("pass");
  });

  for (const [id, f] of Object.entries(CHECK_FAULTS)) {
    it(`${id} fails on ${mutant(f.mutant).description} (${f.mutant}), with the stream's transcript in the evidence`, () => {
      const c = broken.get(id);
      expect(c?.outcome, `${id}: ${c?.message}`).toBe("fail");
      expect(c!.message, id).toMatch(f.message);
      const transcripts = c!.evidence.exchanges.map((x) => x.stream?.transcript ?? "").filter((t) => t.includes("event: "));
      expect(transcripts.length, `${id}: no stream transcript in the evidence`).toBeGreaterThan(0);
    });
  }

  it("a stream that never ends or stalls fails within the stream time limit, not the check's deadline", () => {
    for (const id of ["STR-010", "STR-011", "IOP-004"]) {
      const c = broken.get(id)!;
      expect(c.durationMs, id).toBeLessThan(STREAM_TIMEOUT_MS + 15_000);
      const stream = c.evidence.exchanges.find((x) => x.stream)?.stream;
      expect(stream?.end, id).toBe("timeout");
    }
  });
});
