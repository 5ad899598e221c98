import type { FaultRoute, FaultRule } from "noukai/server";

/**
 * The size and shape of a fault run. The bounded form runs inside `npm test`;
 * the soak form is the same run, longer.
 */
export interface FaultRunSize {
  seed: number;
  /** Calls made in all, by both clients together. */
  calls: number;
  /** `AsyncNoukai` lanes, each making one call at a time: the async client's concurrency. */
  asyncLanes: number;
  /** Worker threads, each making blocking `Noukai` calls one after another. */
  blockingLanes: number;
  /** The `timeout` of every call (per request, and per silence in a stream). */
  timeoutMs: number;
  /** The `timeout` of `job.wait()`. */
  jobWaitMs: number;
  maxRetries: number;
  /** Fraction of calls settled when the server's door closes; it reopens on another port `outageMs` later. */
  moveAt: number;
  outageMs: number;
  /** Fraction of calls settled when the door closes for good. */
  goneAt: number;
  /** A lane closes its client and opens a new one every this many calls. */
  recycleEvery: number;
  /** Memory is measured each time this fraction of the calls has settled. */
  sampleEvery: number;
  /** The run is abandoned (and fails) past this. */
  maxDurationMs: number;
}

export const BOUNDED_RUN: FaultRunSize = {
  seed: 20260531,
  calls: 2_400,
  asyncLanes: 64,
  blockingLanes: 3,
  timeoutMs: 4_000,
  jobWaitMs: 8_000,
  maxRetries: 2,
  moveAt: 0.45,
  outageMs: 600,
  goneAt: 0.97,
  recycleEvery: 40,
  sampleEvery: 0.1,
  maxDurationMs: 90_000,
};

export const SOAK_RUN: FaultRunSize = {
  ...BOUNDED_RUN,
  calls: 60_000,
  blockingLanes: 4,
  goneAt: 0.995,
  sampleEvery: 0.05,
  maxDurationMs: 30 * 60_000,
};

/** Routes the faults hit: every route a call uses, not the session listing the checker reads. */
const ROUTES: readonly FaultRoute[] = ["execute", "step", "jobs", "poll", "trace", "stepTrace", "liveTrace"];
const STREAM_ROUTES: readonly FaultRoute[] = ["step", "liveTrace"];

/** Retry-After of the 429s, in seconds. */
export const RATE_LIMIT_RETRY_AFTER_S = 1;
/** The 503s carry an HTTP-date this many seconds after the answer. */
export const UNAVAILABLE_RETRY_AFTER_S = 3;

/**
 * What the server does to requests, seeded. Each status has one meaning, so
 * that a retry log event (which carries the status) says which `Retry-After`
 * the client was given: 429 → seconds, 503 → an HTTP-date, 500/502/504 → none.
 */
export function faultRules(size: FaultRunSize): FaultRule[] {
  const everywhere: FaultRule[] = [
    // Latencies add up and do not stop the request; the long one outlasts the timeout.
    { latencyMs: 150, probability: 0.05 },
    { latencyMs: size.timeoutMs + 1_500, probability: 0.002 },
    { status: 429, retryAfter: RATE_LIMIT_RETRY_AFTER_S, probability: 0.015 },
    { status: 503, retryAfter: `http-date+${UNAVAILABLE_RETRY_AFTER_S}`, probability: 0.01 },
    { status: 500, probability: 0.015 },
    { status: 502, body: "html", probability: 0.015 },
    { status: 504, body: "empty", probability: 0.01 },
    { reset: "before", probability: 0.02 },
    { reset: "after", probability: 0.02 },
  ];
  const rules = ROUTES.flatMap((route) => everywhere.map((rule) => ({ ...rule, route })));
  for (const route of STREAM_ROUTES) rules.push({ route, cutAfterEvents: 2, probability: 0.04 });
  return rules;
}

/**
 * Server limits wide enough that nothing of the run is evicted before it is
 * counted, by number or by bytes (a session lists only the executions the
 * server still keeps, and a forgotten idempotency record would let a retry
 * run again).
 */
export function serverLimits(size: FaultRunSize) {
  return {
    maxSessions: size.calls + 100,
    maxExecutions: size.calls + 100,
    maxRunBytes: size.calls * 16 * 1024,
    maxExecutionsPerSession: 10,
    maxIdempotencyRecords: 4 * size.calls,
    maxIdempotencyBytes: 4 * size.calls * 2 * 1024,
    jobConcurrency: 8,
  };
}
