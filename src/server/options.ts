import type { FaultRule } from "./faults/rules.js";
import type { FlowDefinition } from "./flows/types.js";
import type { RateLimit } from "./state/rate-limiter.js";
import { MAX_TIMER_MS } from "../core/timer-limit.js";

/** An accepted API key, optionally limited to one org (and one project of it). */
export interface ApiKeyRule {
  key: string;
  org?: string;
  project?: string;
}

/** Options of the app itself (no network): plain data, so they cross to a worker thread. */
export interface AppOptions {
  /** Flows to serve, beside (and overriding) the built-in examples. */
  flows?: FlowDefinition[];
  /** Serve the built-in `examples/demo/*` flows (default true). */
  builtInFlows?: boolean;
  /** When set, only these keys are accepted (else any well-formed `nk_` key). */
  apiKeys?: ApiKeyRule[];
  /** Fault rules, as objects or in the `--fault` syntax (`"execute:503:times=1"`). */
  faults?: (FaultRule | string)[];
  /** Credit budget per org, in USD as a decimal string; orgs not listed are not billed. */
  credits?: Record<string, string>;
  /** Requests allowed per API key and window. */
  rateLimit?: RateLimit;
  /** Seed of the fault rules' probabilities (default 1). */
  seed?: number;
  /** Job workers: jobs picked up or running at once (default 4; `noukai dev --job-workers`). */
  jobConcurrency?: number;
  /**
   * How long a free worker takes to pick a job up (default 250 ms; `noukai
   * dev --job-latency`): the job stays `pending` meanwhile, as on the hosted
   * queue, so code that handles a pending job is exercised. 0 runs a job as
   * soon as a worker is free.
   */
  jobLatencyMs?: number;
  /** Jobs waiting at most (default 1000); past it `/jobs` answers 503 QUEUE_FULL. */
  maxQueuedJobs?: number;
  /** A new job's poll answers 404 for this long, like the real service (default 0). */
  jobVisibilityDelayMs?: number;
  /** Idle SSE streams get a `: ping` comment this often (default 15000). */
  heartbeatMs?: number;
  /** Executions kept (default 10000) and for how long after their last use (default 1 h). */
  maxExecutions?: number;
  executionTtlMs?: number;
  /**
   * Bytes all executions may hold, kept and in flight (default 128 MiB):
   * their input, outputs, tool conversations, records and events, weighed as
   * they grow. The least recently used kept ones go first; a run in flight
   * that would pass it fails (SERVER_BUSY), and a new one is refused (503).
   */
  maxRunBytes?: number;
  /** Bytes of JSON one step may output (default 2 MiB); past it the step fails with OUTPUT_TOO_LARGE. */
  maxStepOutputBytes?: number;
  /** Bytes of JSON all outputs of one run may take (default 8 MiB); past it the step fails with OUTPUT_TOO_LARGE. */
  maxRunOutputBytes?: number;
  /** Bytes of runs waiting in the job queue (default 32 MiB); past it `/jobs` answers 503 QUEUE_FULL. */
  maxQueuedJobBytes?: number;
  /** Bytes of request bodies being received at once (default 32 MiB); past it a request is answered 503 SERVER_BUSY. */
  maxBodyBytesInFlight?: number;
  /** Sessions kept (default 1000) and for how long after their last use (default 1 h). */
  maxSessions?: number;
  sessionTtlMs?: number;
  /** Executions listed per session (default 100; the oldest drop out). */
  maxExecutionsPerSession?: number;
  /** Idempotency records kept (default 10000, at most 64 MiB of recorded answers) and for how long (default 24 h). */
  maxIdempotencyRecords?: number;
  maxIdempotencyBytes?: number;
  idempotencyTtlMs?: number;
  /** Events kept per run for live traces and replays (default 100000). */
  maxEventsPerRun?: number;
  /**
   * Host names answered beside localhost, IP addresses and the name bound to
   * (DNS-rebinding protection): exact names, `.example.test` for a domain and
   * its subdomains, or `*` for any.
   */
  allowedHosts?: string[];
  /** Web origins (`https://app.example`) whose pages may call the server, or `*` for every page; none by default. */
  cors?: string[];
  /**
   * A directory that keeps executions, jobs, sessions and idempotency records
   * across restarts (`noukai dev --data DIR`), created if missing, one server
   * at a time. Without it all of them live in memory and a restart loses them.
   */
  dataDir?: string;
}

/** Options of `createServerApp`: the app options plus an injectable clock (tests). */
export interface ServerAppOptions extends AppOptions {
  /** Wall clock in ms (default Date.now); timers stay real. */
  now?: () => number;
  /** Called once per request when its answer is done (a stream: when it ends), e.g. for a request log. */
  onRequest?: (entry: RequestLogEntry) => void;
}

/** One request, as `onRequest` sees it once answered. */
export interface RequestLogEntry {
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  /** The status answered; 0 when the connection was dropped on purpose (a reset fault). */
  status: number;
  /** From the request's arrival to the end of its answer (a stream's last event). */
  durationMs: number;
  requestId: string;
  /** The execution the request started or concerns, when there is one. */
  executionId?: string;
}

/** Options of `listen()`: the listener, its connections and its shutdown. */
export interface ListenOptions {
  /** 0 picks a free port (default 8080). */
  port?: number;
  /**
   * Default 127.0.0.1: the server is for this machine unless told otherwise.
   * `localhost` listens on 127.0.0.1 and on ::1 (when this machine has IPv6),
   * so `localhost` reaches it whichever address it resolves to first.
   */
  host?: string;
  /** How long close() lets calls in flight finish before it interrupts them (default 5000 ms). */
  graceMs?: number;
  /**
   * Connections open at once (default 1000). Past it the oldest idle one is
   * closed to make room, or, when all have a request in flight, the new one
   * is refused.
   */
  maxConnections?: number;
  /**
   * Bytes of answers waiting for clients that do not read them (default
   * 64 MiB); past it new requests get 503 SERVER_BUSY.
   */
  maxAnswerBytesWaiting?: number;
  /** A connection whose reader takes nothing of an answer for this long is closed (default 30000 ms). */
  readerStallMs?: number;
}

/** Options of `startServer`: plain data only, since the server runs on a worker thread. */
export interface ServerOptions extends Omit<AppOptions, "flows">, ListenOptions {
  /** A directory of flow files, or flow definitions. */
  flows?: string | FlowDefinition[];
}

export interface ResolvedConfig {
  apiKeys: ApiKeyRule[] | undefined;
  jobConcurrency: number;
  jobLatencyMs: number;
  maxQueuedJobs: number;
  jobVisibilityDelayMs: number;
  heartbeatMs: number;
  maxExecutions: number;
  executionTtlMs: number;
  maxRunBytes: number;
  maxStepOutputBytes: number;
  maxRunOutputBytes: number;
  maxQueuedJobBytes: number;
  maxBodyBytesInFlight: number;
  maxSessions: number;
  sessionTtlMs: number;
  maxExecutionsPerSession: number;
  maxIdempotencyRecords: number;
  maxIdempotencyBytes: number;
  idempotencyTtlMs: number;
  maxEventsPerRun: number;
}

const HOUR = 3_600_000;
/** Long enough that a client's first poll finds a new job pending, short enough not to slow a script down. */
export const DEFAULT_JOB_LATENCY_MS = 250;
const MIB = 1024 * 1024;

export function resolveConfig(options: AppOptions): ResolvedConfig {
  const positive = (name: string, value: number | undefined, fallback: number, min = 1): number => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value < min) throw new RangeError(`option ${name} must be a number >= ${min}, got ${String(value)}`);
    return value;
  };
  /** What a timer waits for: longer than a timer keeps would fire at once. */
  const timerMs = (name: string, value: number | undefined, fallback: number): number => {
    const ms = positive(name, value, fallback, 0);
    if (ms > MAX_TIMER_MS) throw new RangeError(`option ${name} must be at most ${MAX_TIMER_MS} ms (about 24 days), got ${String(value)}`);
    return ms;
  };
  if (options.rateLimit && !(options.rateLimit.requests >= 1 && options.rateLimit.windowSeconds > 0)) {
    throw new RangeError("option rateLimit needs requests >= 1 and windowSeconds > 0");
  }
  for (const rule of options.apiKeys ?? []) {
    if (!/^nk_[\x21-\x7e]+$/.test(rule.key)) throw new RangeError("every apiKeys entry needs a key that starts with nk_ (printable ASCII, no spaces)");
    if (rule.project !== undefined && rule.org === undefined) throw new RangeError("an apiKeys entry with a project needs an org");
  }
  return {
    apiKeys: options.apiKeys,
    jobConcurrency: positive("jobConcurrency", options.jobConcurrency, 4),
    jobLatencyMs: timerMs("jobLatencyMs", options.jobLatencyMs, DEFAULT_JOB_LATENCY_MS),
    maxQueuedJobs: positive("maxQueuedJobs", options.maxQueuedJobs, 1000, 0),
    jobVisibilityDelayMs: timerMs("jobVisibilityDelayMs", options.jobVisibilityDelayMs, 0),
    heartbeatMs: timerMs("heartbeatMs", options.heartbeatMs, 15_000),
    maxExecutions: positive("maxExecutions", options.maxExecutions, 10_000),
    executionTtlMs: positive("executionTtlMs", options.executionTtlMs, HOUR),
    maxRunBytes: positive("maxRunBytes", options.maxRunBytes, 128 * MIB),
    maxStepOutputBytes: positive("maxStepOutputBytes", options.maxStepOutputBytes, 2 * MIB),
    maxRunOutputBytes: positive("maxRunOutputBytes", options.maxRunOutputBytes, 8 * MIB),
    maxQueuedJobBytes: positive("maxQueuedJobBytes", options.maxQueuedJobBytes, 32 * MIB),
    maxBodyBytesInFlight: positive("maxBodyBytesInFlight", options.maxBodyBytesInFlight, 32 * MIB),
    maxSessions: positive("maxSessions", options.maxSessions, 1000),
    sessionTtlMs: positive("sessionTtlMs", options.sessionTtlMs, HOUR),
    maxExecutionsPerSession: positive("maxExecutionsPerSession", options.maxExecutionsPerSession, 100),
    maxIdempotencyRecords: positive("maxIdempotencyRecords", options.maxIdempotencyRecords, 10_000),
    maxIdempotencyBytes: positive("maxIdempotencyBytes", options.maxIdempotencyBytes, 64 * MIB),
    idempotencyTtlMs: positive("idempotencyTtlMs", options.idempotencyTtlMs, 24 * HOUR),
    maxEventsPerRun: positive("maxEventsPerRun", options.maxEventsPerRun, 100_000),
  };
}
