// A receiver for the webhooks a server posts when a run finishes: a small HTTP
// server of the suite's own on a free loopback port. It records what arrives
// (bounded) and lets a check wait, bounded in time, for what it expects.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Delivery {
  atMs: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  json: any;
}

export interface WebhookReceiver {
  /** The URL to give as `webhook`; each check should use a path of its own. */
  url(path?: string): string;
  deliveries: Delivery[];
  /** Resolves with the deliveries matching `pred` once there are `count` of them, or undefined after timeoutMs. */
  waitFor(pred: (d: Delivery) => boolean, opts?: { count?: number; timeoutMs?: number }): Promise<Delivery[] | undefined>;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const MAX_DELIVERIES = 1000;

/**
 * Listens on `listen` (loopback by default); the URLs it hands out name
 * `advertise`, the address the target reaches this machine at.
 */
export async function startWebhookReceiver(listen = "127.0.0.1", advertise = listen): Promise<WebhookReceiver> {
  const t0 = performance.now();
  const deliveries: Delivery[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: any;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      if (deliveries.length < MAX_DELIVERIES) {
        deliveries.push({ atMs: Math.round(performance.now() - t0), method: req.method ?? "", path: req.url ?? "", headers, body, json });
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, listen, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${advertise.includes(":") ? `[${advertise}]` : advertise}:${port}`;
  return {
    url: (path = "/") => `${base}${path.startsWith("/") ? path : `/${path}`}`,
    deliveries,
    server,
    waitFor(pred, { count = 1, timeoutMs = 30_000 } = {}) {
      return new Promise((resolve) => {
        const check = () => {
          const hits = deliveries.filter(pred);
          if (hits.length >= count) {
            done(hits);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => done(undefined), timeoutMs);
        function done(v: Delivery[] | undefined) {
          clearTimeout(timer);
          waiters.delete(onDelivery);
          resolve(v);
        }
        const onDelivery = () => void check();
        if (!check()) waiters.add(onDelivery);
      });
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
