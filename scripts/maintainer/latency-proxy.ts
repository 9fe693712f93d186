// A TCP proxy on loopback that delays every chunk of bytes by half a round
// trip in each direction, and a new connection by a whole one (the handshake):
// a slow link between the suite and a server on this machine, for the
// benchmark. Bytes pass unchanged and in order. Bounded: loopback only (it
// listens on 127.0.0.1 and forwards to a loopback address only), a fixed
// number of connections, a cap on the bytes held in flight per connection
// (reading pauses above it), and an idle limit after which a connection is
// closed.

import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface LatencyProxyOptions {
  /** The round trip to add, in milliseconds. */
  rttMs: number;
  maxConnections?: number;
  /** Bytes held (delayed, not yet written) per direction of a connection before reading pauses. */
  maxInFlightBytes?: number;
  /** A connection with no traffic for this long is closed. */
  idleMs?: number;
}

export interface LatencyProxy {
  url: string;
  /** Connections accepted so far, and chunks delayed. */
  stats: { connections: number; chunks: number; refused: number };
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** Forwards `from` to `to`, each chunk after `delayMs`, in order, pausing `from` while too much is held. */
function pipeDelayed(from: Socket, to: Socket, delayMs: number, maxInFlight: number, stats: LatencyProxy["stats"]): void {
  let held = 0;
  from.on("data", (chunk: Buffer) => {
    stats.chunks++;
    held += chunk.length;
    if (held > maxInFlight) from.pause();
    // Timers of one duration fire in the order they were set: the bytes keep their order.
    setTimeout(() => {
      held -= chunk.length;
      if (!to.destroyed) to.write(chunk);
      if (held <= maxInFlight && from.isPaused()) from.resume();
    }, delayMs);
  });
  // The end goes after the last chunk, with the same delay.
  from.on("end", () => setTimeout(() => to.end(), delayMs));
}

export async function startLatencyProxy(upstream: string, opts: LatencyProxyOptions): Promise<LatencyProxy> {
  const target = new URL(upstream);
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (!isLoopback(host)) throw new Error(`the latency proxy forwards to this machine only, not to ${target.host}`);
  const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  const half = Math.max(0, Math.round(opts.rttMs / 2));
  const maxConnections = opts.maxConnections ?? 512;
  const maxInFlight = opts.maxInFlightBytes ?? 8 * 1024 * 1024;
  const idleMs = opts.idleMs ?? 120_000;
  const stats = { connections: 0, chunks: 0, refused: 0 };
  const open = new Set<Socket>();

  const server: Server = createServer((client) => {
    if (open.size / 2 >= maxConnections) {
      stats.refused++;
      client.destroy();
      return;
    }
    stats.connections++;
    client.pause();
    const up = connect({ host, port });
    for (const s of [client, up]) {
      open.add(s);
      s.setTimeout(idleMs, () => s.destroy());
      s.on("close", () => {
        open.delete(s);
        client.destroy();
        up.destroy();
      });
      s.on("error", () => undefined);
    }
    // The handshake costs a round trip: the first bytes pass once it is over.
    up.once("connect", () =>
      setTimeout(() => {
        pipeDelayed(client, up, half, maxInFlight, stats);
        pipeDelayed(up, client, half, maxInFlight, stats);
        client.resume();
      }, opts.rttMs),
    );
  });
  server.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port: own } = server.address() as AddressInfo;
  return {
    url: `${target.protocol}//127.0.0.1:${own}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
