import type { LogEvent } from "noukai";
import { DEFAULT_RETRY_POLICY } from "../../../src/core/retry-policy.js";
import { RATE_LIMIT_RETRY_AFTER_S, UNAVAILABLE_RETRY_AFTER_S } from "./plan.js";

/** A log event and when the lane's `onLog` received it (`Date.now()`, the clock the client uses too). */
export interface TimedEvent {
  at: number;
  event: LogEvent;
}

/** Clock readings in `onLog` and in the client differ by the time between them: a few ms. */
const CLOCK_SLACK_MS = 25;

/**
 * Checks every `retry` log event of one call against what the client was
 * told and what it promised: the delay is the server's `Retry-After` (429:
 * seconds; 503: an HTTP-date), or a jittered backoff when there was none; the
 * next attempt waited at least that long; and no retry was scheduled to end
 * after the request's deadline (its first attempt + the timeout). Returns
 * what is wrong, in words.
 */
export function auditRetries(log: readonly TimedEvent[], timeoutMs: number, maxRetries: number): string[] {
  const problems: string[] = [];
  const firstAttemptAt = new Map<string, number>();
  log.forEach(({ at, event }, index) => {
    const key = `${event.method} ${event.path}`;
    if (event.phase === "request" && event.attempt === 0) firstAttemptAt.set(key, at);
    if (event.phase !== "retry") return;
    const where = `retry ${event.attempt + 1} of ${key}${event.statusCode ? ` after HTTP ${event.statusCode}` : ` after ${event.error ?? "a failure"}`}`;
    const delay = event.delayMs;
    if (delay === undefined) return void problems.push(`${where} has no delayMs`);
    if (event.attempt + 1 > maxRetries) problems.push(`${where} goes beyond maxRetries ${maxRetries}`);
    if (event.statusCode !== undefined && !isRetryable(event.statusCode)) problems.push(`${where}: that status is not retryable`);
    const expected = expectedDelay(event.statusCode, event.attempt);
    if (delay < expected.min || delay > expected.max || delay % expected.step !== 0) {
      problems.push(`${where} waits ${delay} ms; expected ${expected.min}–${expected.max} ms in steps of ${expected.step}`);
    }
    const start = firstAttemptAt.get(key);
    if (start !== undefined && at + delay > start + timeoutMs + CLOCK_SLACK_MS) {
      problems.push(`${where} was scheduled to end ${at + delay - start - timeoutMs} ms past the request's deadline`);
    }
    const next = log.slice(index + 1).find((e) => e.event.phase === "request" && `${e.event.method} ${e.event.path}` === key);
    if (next === undefined) return void problems.push(`${where} was announced but never made`);
    if (next.event.attempt !== event.attempt + 1) problems.push(`${where} was followed by attempt ${next.event.attempt}`);
    if (next.at - at < delay - CLOCK_SLACK_MS) problems.push(`${where} came after ${next.at - at} ms instead of ${delay} ms`);
  });
  return problems;
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** The delays the fault plan's answers call for. */
export function expectedDelay(statusCode: number | undefined, attempt: number): { min: number; max: number; step: number } {
  if (statusCode === 429) return { min: RATE_LIMIT_RETRY_AFTER_S * 1000, max: RATE_LIMIT_RETRY_AFTER_S * 1000, step: 1000 };
  if (statusCode === 503) {
    // Whole seconds: the date is written to the second and the wait read up to the next one. The
    // lower bound leaves up to two seconds for the answer to travel and be read on a loaded machine.
    return { min: (UNAVAILABLE_RETRY_AFTER_S - 2) * 1000, max: UNAVAILABLE_RETRY_AFTER_S * 1000, step: 1000 };
  }
  const { baseDelayMs, maxDelayMs, jitter } = DEFAULT_RETRY_POLICY;
  const backoff = Math.min(baseDelayMs * 2 ** attempt, maxDelayMs);
  return { min: Math.floor(backoff * (1 - jitter)), max: backoff, step: 1 };
}

/** Which failure a retry answered: a status, or the connection. */
export function retryReason(event: LogEvent): string {
  return event.statusCode === undefined ? "connection" : String(event.statusCode);
}
