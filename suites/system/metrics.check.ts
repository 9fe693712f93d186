// GET /metrics in its two formats: Prometheus exposition text (the default) and
// a JSON object. The contract ties the media type to `format`; the wire
// validation accepts either declared type, so these checks judge which one came.

import { check } from "../../harness/check";
import { ensure, expectJsonObject, expectStatus, fail } from "../../harness/expect";
import type { HttpResponse } from "../../harness/http";
import { badExpositionLines } from "../_support/prometheus";

const OPS = ["GET /metrics"];

const mediaType = (res: HttpResponse) => (res.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();

function expectPrometheus(res: HttpResponse, what: string): void {
  expectStatus(res, 200);
  ensure(mediaType(res) === "text/plain", `${what} answered Content-Type '${res.headers["content-type"] ?? "(none)"}', expected text/plain (Prometheus exposition format)`, res);
  const bad = badExpositionLines(res.text);
  if (bad.length > 0) fail(`${what}: ${bad.length} line(s) are not Prometheus exposition format, the first: ${JSON.stringify(bad[0]!.slice(0, 200))}`, res);
}

check(
  {
    id: "SYS-010",
    level: "MUST",
    profile: "system",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "System Metrics, query format", quote: "Response format: prometheus (default) or json" },
      { source: "openapi", section: "GET /metrics, 200 text/plain", quote: "Metrics in Prometheus exposition format", note: "the same in openapi-prev" },
      { source: "prometheus", section: "Text format details", quote: "Prometheus' text-based format is line oriented." },
    ],
    title: "GET /metrics without format answers 200 with Prometheus exposition text (text/plain)",
  },
  async ({ api }) => {
    expectPrometheus(await api.get("/metrics"), "GET /metrics");
  },
);

check(
  {
    id: "SYS-011",
    level: "MUST",
    profile: "system",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "System Metrics, query format", quote: "Response format: prometheus (default) or json" },
      { source: "openapi", section: "GET /metrics, 200 text/plain", quote: "Metrics in Prometheus exposition format", note: "the same in openapi-prev" },
      { source: "prometheus", section: "Text format details", quote: "Prometheus' text-based format is line oriented." },
    ],
    title: "GET /metrics?format=prometheus answers 200 with Prometheus exposition text (text/plain)",
  },
  async ({ api }) => {
    expectPrometheus(await api.get("/metrics", { query: { format: "prometheus" } }), "GET /metrics?format=prometheus");
  },
);

check(
  {
    id: "SYS-012",
    level: "SHOULD",
    profile: "system",
    operations: OPS,
    spec: [
      {
        source: "api-ref",
        section: "System Metrics",
        quote: "Get system metrics in Prometheus or JSON format for monitoring and observability.",
        note: "the documents name no metric, so an empty text is not ruled out: SHOULD",
      },
    ],
    title: "GET /metrics in Prometheus format carries at least one sample",
  },
  async ({ api }) => {
    const res = await api.get("/metrics", { query: { format: "prometheus" } });
    expectStatus(res, 200);
    const samples = res.text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    ensure(samples.length > 0, "GET /metrics?format=prometheus carries no sample line", res);
  },
);

check(
  {
    id: "SYS-013",
    level: "MUST",
    profile: "system",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "System Metrics, query format", quote: "Response format: prometheus (default) or json" },
      { source: "openapi", section: "GET /metrics, 200 application/json", quote: "Metrics in JSON format including queue stats, worker stats, and HTTP metrics", note: "the same in openapi-prev" },
    ],
    title: "GET /metrics?format=json answers 200 with a JSON object",
  },
  async ({ api }) => {
    const res = await api.get("/metrics", { query: { format: "json" } });
    expectStatus(res, 200);
    ensure(mediaType(res) === "application/json", `GET /metrics?format=json answered Content-Type '${res.headers["content-type"] ?? "(none)"}', expected application/json`, res);
    expectJsonObject(res);
  },
);

check(
  {
    id: "SYS-014",
    level: "SHOULD",
    profile: "system",
    operations: OPS,
    spec: [
      { source: "api-ref", section: "System Metrics, query format", quote: "Response format: prometheus (default) or json", note: "an enum of prometheus and json" },
      {
        source: "contract",
        section: "GET /metrics, query format",
        note: "a value outside the enum is an invalid request, answered 422 as on every other operation; no document declares an error response for GET /metrics, hence SHOULD",
      },
    ],
    title: "GET /metrics?format=xml answers 422",
  },
  async ({ api }) => {
    const res = await api.get("/metrics", { query: { format: "xml" } });
    ensure(res.status < 500, `GET /metrics answered ${res.status}, a server error, to format=xml`, res);
    expectStatus(res, 422, "format is one of prometheus, json");
  },
);
