import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAppRequest, serveOnHosts, type BindableServerApp, type ServerApp } from "../app/create-app.js";
import { nodeRequestHandler } from "./binding.js";
import { Exchanges } from "./exchanges.js";
import { fetchRequestHandler } from "./fetch-binding.js";
import { hostNamesOf } from "./host-names.js";
import { capConnections } from "./connection-cap.js";
import { bind, createHttpServer } from "./http-server.js";
import { Backlog } from "./backlog.js";
import { refuse } from "./refuse.js";
import type { ListenOptions } from "../options.js";
import { MAX_TIMER_MS } from "../../core/timer-limit.js";

// Declared with the other options (startServer takes them too); named here as listen()'s own.
export type { ListenOptions };

export interface ListeningServer {
  /** The listener (the IPv4 one, with `localhost`). */
  server: Server;
  port: number;
  host: string;
  /** Every address listened on, e.g. ["127.0.0.1", "::1"]. */
  addresses: string[];
  /** `http://HOST:PORT/api/v1` */
  baseUrl: string;
  /**
   * Stops accepting connections, lets the calls in flight finish for up to
   * `graceMs` (new requests on open connections get 503 SERVER_CLOSING), then
   * closes the app, which interrupts what remains with its final answer
   * (503 SERVER_CLOSING, a terminal step_error, the end of a live trace), and
   * closes the connections once those answers are written (or after 2 s more
   * for a client that does not read them). Idempotent.
   */
  close(): Promise<void>;
}

/** What listen() serves: any fetch-style app that can be closed. */
export type FetchApp = Pick<ServerApp, "fetch" | "close">;

const DEFAULT_GRACE_MS = 5_000;
const DEFAULT_MAX_CONNECTIONS = 1_000;
const DEFAULT_MAX_ANSWER_BYTES_WAITING = 64 * 1024 * 1024;
const DEFAULT_STALL_MS = 30_000;
/** After the app closed, how long final answers get to reach a client that reads slowly. */
const FLUSH_MS = 2_000;

/** Serves an app over `node:http` in this thread (any fetch-style app; the server's own takes a faster path). */
export async function listen(app: FetchApp, options: ListenOptions = {}): Promise<ListeningServer> {
  const host = options.host ?? "127.0.0.1";
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  if (!(graceMs >= 0 && graceMs <= MAX_TIMER_MS)) throw new RangeError(`option graceMs must be a number from 0 to ${MAX_TIMER_MS}, got ${String(graceMs)}`);
  const exchanges = new Exchanges();
  const backlog = new Backlog(positiveOption("maxAnswerBytesWaiting", options.maxAnswerBytesWaiting, DEFAULT_MAX_ANSWER_BYTES_WAITING), positiveOption("readerStallMs", options.readerStallMs, DEFAULT_STALL_MS, MAX_TIMER_MS));
  const own = handleAppRequest in app;
  const inner = own ? nodeRequestHandler(app as BindableServerApp, exchanges, backlog) : fetchRequestHandler(app, exchanges, backlog);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    exchanges.begin(res);
    if (exchanges.closing || backlog.full) {
      refuse(res, exchanges.closing ? "SERVER_CLOSING" : "SERVER_BUSY");
      return exchanges.end(res);
    }
    inner(req, res);
  };
  const maxConnections = positiveOption("maxConnections", options.maxConnections, DEFAULT_MAX_CONNECTIONS);
  const servers = await bindAll(handler, options.port ?? 8080, host);
  servers.forEach((server) => exchanges.watch(server));
  capConnections(servers, maxConnections, exchanges);
  const primary = servers[0] as Server;
  const port = (primary.address() as AddressInfo).port;
  if (own) (app as BindableServerApp)[serveOnHosts](hostNamesOf(host));
  let closing: Promise<void> | undefined;
  return {
    server: primary,
    port,
    host,
    addresses: servers.map((server) => (server.address() as AddressInfo).address),
    baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${port}/api/v1`,
    close: () => {
      closing ??= (async () => {
        const stopped = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
        exchanges.beginClosing();
        await exchanges.settled(graceMs, { observers: false });
        await app.close();
        // The final answers are handed over, then written: each connection closes once idle.
        const flushBy = Date.now() + FLUSH_MS;
        await exchanges.settled(FLUSH_MS, { observers: true });
        await exchanges.drained(flushBy - Date.now());
        for (const server of servers) server.closeAllConnections();
        backlog.close();
        await Promise.all(stopped);
      })();
      return closing;
    },
  };
}

function positiveOption(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) && value >= 1 && value <= max)) throw new RangeError(`option ${name} must be a whole number from 1 to ${max}, got ${String(value)}`);
  return value;
}

/** The listeners: one, or two for `localhost` (the IPv6 one only where this machine has IPv6). */
async function bindAll(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number, host: string): Promise<Server[]> {
  const primary = createHttpServer(handler);
  await bind(primary, port, host === "localhost" ? "127.0.0.1" : host);
  if (host !== "localhost") return [primary];
  const ipv6 = createHttpServer(handler);
  try {
    await bind(ipv6, (primary.address() as AddressInfo).port, "::1");
    return [primary, ipv6];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT" || code === "EINVAL") return [primary];
    // Another program on [::1]:PORT would receive the calls (and keys) meant for this server.
    await new Promise<void>((resolve) => primary.close(() => resolve()));
    throw error;
  }
}
