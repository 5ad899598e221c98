import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/core/retry-after.js";
import { decideRetry, DEFAULT_RETRY_POLICY, isRetryableStatus } from "../../src/core/retry-policy.js";

const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3 };
const now = Date.UTC(2026, 10, 29, 12, 0, 0);
const timing = (random = 0) => ({ nowMs: now, deadlineMs: now + 300_000, random });

describe("isRetryableStatus", () => {
  it("retries 408, 429 and 5xx, nothing else", () => {
    expect([408, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 301, 400, 401, 402, 403, 404, 409, 413, 422].some(isRetryableStatus)).toBe(false);
  });
});

describe("decideRetry", () => {
  it("backs off exponentially with jitter", () => {
    const delays = [0, 1, 2].map((attempt) => decideRetry({ kind: "connection" }, attempt, timing(0), policy));
    expect(delays).toEqual([
      { retry: true, delayMs: 500 },
      { retry: true, delayMs: 1000 },
      { retry: true, delayMs: 2000 },
    ]);
    expect(decideRetry({ kind: "connection" }, 0, timing(1), policy)).toEqual({ retry: true, delayMs: 375 });
  });

  it("waits what Retry-After asks, capped at 60 s", () => {
    const status = (retryAfterSeconds: number | undefined) => ({ kind: "status" as const, status: 429, retryAfterSeconds });
    expect(decideRetry(status(7), 0, timing(), policy)).toEqual({ retry: true, delayMs: 7000 });
    expect(decideRetry(status(3600), 0, timing(), policy)).toEqual({ retry: true, delayMs: 60_000 });
  });

  it("stops after maxRetries", () => {
    expect(decideRetry({ kind: "connection" }, 3, timing(), policy)).toEqual({ retry: false });
    expect(decideRetry({ kind: "connection" }, 0, timing(), { ...policy, maxRetries: 0 })).toEqual({ retry: false });
  });

  it("does not retry statuses that will not change", () => {
    expect(decideRetry({ kind: "status", status: 400, retryAfterSeconds: undefined }, 0, timing(), policy)).toEqual({
      retry: false,
    });
  });

  it("never starts a retry that would outlive the deadline", () => {
    const close = { nowMs: now, deadlineMs: now + 5_000, random: 0 };
    expect(decideRetry({ kind: "status", status: 503, retryAfterSeconds: 5 }, 0, close, policy)).toEqual({ retry: false });
    expect(decideRetry({ kind: "status", status: 503, retryAfterSeconds: 4 }, 0, close, policy)).toEqual({
      retry: true,
      delayMs: 4000,
    });
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP-dates, and never returns NaN", () => {
    expect(parseRetryAfter("7", now)).toBe(7);
    expect(parseRetryAfter("1.5", now)).toBe(1.5);
    expect(parseRetryAfter(new Date(now + 12_000).toUTCString(), now)).toBe(12);
    expect(parseRetryAfter(new Date(now - 12_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
