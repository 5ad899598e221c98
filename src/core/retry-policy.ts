/**
 * The single retry decision. Pure: the caller passes the clock reading and a
 * random number, so the decision is unit-tested without waiting.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). */
  maxRetries: number;
  /** First backoff; doubles each retry. */
  baseDelayMs: number;
  /** Longest backoff when the server gave no `Retry-After`. */
  maxDelayMs: number;
  /** Longest wait we accept from a `Retry-After`. */
  maxRetryAfterMs: number;
  /** Backoff is multiplied by a factor in [1 - jitter, 1]. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, "maxRetries"> = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  jitter: 0.25,
};

export type Failure =
  /** The server answered with this status. */
  | { kind: "status"; status: number; retryAfterSeconds: number | undefined }
  /** The connection failed before any byte of a response arrived. */
  | { kind: "connection" };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

export function decideRetry(
  failure: Failure,
  attempt: number,
  timing: { nowMs: number; deadlineMs: number; random: number },
  policy: RetryPolicy,
): RetryDecision {
  if (attempt >= policy.maxRetries) return { retry: false };
  if (failure.kind === "status" && !isRetryableStatus(failure.status)) return { retry: false };
  const delayMs = retryDelay(failure, attempt, timing.random, policy);
  // A retry that cannot finish before the deadline would only delay the error.
  if (timing.nowMs + delayMs >= timing.deadlineMs) return { retry: false };
  return { retry: true, delayMs };
}

function retryDelay(failure: Failure, attempt: number, random: number, policy: RetryPolicy): number {
  if (failure.kind === "status" && failure.retryAfterSeconds !== undefined) {
    return Math.min(failure.retryAfterSeconds * 1000, policy.maxRetryAfterMs);
  }
  const backoff = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
  return Math.round(backoff * (1 - policy.jitter * random));
}
