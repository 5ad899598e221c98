import type { AppOptions, ServerOptions } from "../options.js";
import type { ListenOptions } from "./listen.js";

/**
 * `startServer`'s options as the two halves it hands on: those of the app
 * (`createServerApp`) and those of the listener (`listen`), flows aside (a
 * directory is loaded first). For a program that runs the server its own way.
 */
export function splitServerOptions(options: ServerOptions): { app: Omit<AppOptions, "flows">; listen: ListenOptions; flows: ServerOptions["flows"] } {
  const { port, host, graceMs, maxConnections, maxAnswerBytesWaiting, readerStallMs, flows, ...app } = options;
  const listen: ListenOptions = {};
  if (port !== undefined) listen.port = port;
  if (host !== undefined) listen.host = host;
  if (graceMs !== undefined) listen.graceMs = graceMs;
  if (maxConnections !== undefined) listen.maxConnections = maxConnections;
  if (maxAnswerBytesWaiting !== undefined) listen.maxAnswerBytesWaiting = maxAnswerBytesWaiting;
  if (readerStallMs !== undefined) listen.readerStallMs = readerStallMs;
  return { app, listen, flows };
}
