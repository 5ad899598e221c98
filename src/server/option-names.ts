import { suggestion } from "./did-you-mean.js";
import type { ServerAppOptions, ServerOptions } from "./options.js";

type Names<T> = readonly (keyof T & string)[];

const APP_OPTION_NAMES = [
  "flows", "builtInFlows", "apiKeys", "faults", "credits", "rateLimit", "seed", "jobConcurrency", "maxQueuedJobs",
  "jobVisibilityDelayMs", "heartbeatMs", "maxExecutions", "executionTtlMs", "maxRunBytes", "maxStepOutputBytes",
  "maxRunOutputBytes", "maxQueuedJobBytes", "maxBodyBytesInFlight", "maxSessions", "sessionTtlMs",
  "maxExecutionsPerSession", "maxIdempotencyRecords", "maxIdempotencyBytes", "idempotencyTtlMs", "maxEventsPerRun",
  "allowedHosts", "cors", "jobLatencyMs", "dataDir",
] as const;

/** Every option `createServerApp` takes: each a key of its type, so the list cannot name what the type lacks. */
export const SERVER_APP_OPTION_NAMES = [...APP_OPTION_NAMES, "now", "onRequest"] as const satisfies Names<ServerAppOptions>;
/** Every option `startServer` takes. */
export const SERVER_OPTION_NAMES = [
  ...APP_OPTION_NAMES, "port", "host", "graceMs", "maxConnections", "maxAnswerBytesWaiting", "readerStallMs",
] as const satisfies Names<ServerOptions>;

/**
 * Refuses an option name the function does not take, naming the closest one:
 * `{ flwos: "./flows" }` must not start a server without the caller's flows.
 */
export function checkOptionNames(options: object, names: readonly string[], fn: string): void {
  for (const key of Object.keys(options)) {
    if (names.includes(key)) continue;
    throw new RangeError(`${fn} has no option "${key}"${suggestion(key, names)}; it takes ${names.join(", ")}`);
  }
}
