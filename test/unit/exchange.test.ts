import { describe, expect, it } from "vitest";
import { markFailedBeforeResponse } from "../../src/core/connection-failure.js";
import type { Effect } from "../../src/core/effects.js";
import { APIConnectionError, FlowExecutionError, RateLimitError } from "../../src/core/errors.js";
import { callJson } from "../../src/core/exchange.js";
import type { LogEvent } from "../../src/core/log-event.js";
import { FakeClock, json, runScripted, testConfig } from "../helpers/scripted.js";

const call = { method: "POST" as const, path: "/seq/o/p/s/execute", body: { message: "hi" }, idempotent: true, timeoutMs: 30_000 };

/** Answers fetches from a list; sleeps move the fake clock. */
function scripted(clock: FakeClock, answers: (() => unknown)[]) {
  const fetches: Effect[] = [];
  const sleeps: number[] = [];
  return {
    fetches,
    sleeps,
    answer: (effect: Effect): unknown => {
      if (effect.op === "sleep") {
        sleeps.push(effect.ms);
        clock.time += effect.ms;
        return undefined;
      }
      fetches.push(effect);
      const next = answers.shift();
      if (next === undefined) throw new Error("no more answers");
      return next();
    },
  };
}

describe("callJson", () => {
  it("retries a 503 once, with the same body and idempotency key", () => {
    const clock = new FakeClock();
    const script = scripted(clock, [() => json(503, { detail: "busy" }), () => json(200, { ok: true })]);
    const outcome = runScripted(callJson(testConfig({}, clock), call), script.answer);
    expect(outcome.value?.data).toEqual({ ok: true });
    expect(script.fetches).toHaveLength(2);
    const [first, second] = script.fetches.map((e) => (e.op === "fetch" ? e.request : undefined));
    expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
    expect(second?.body).toBe(first?.body);
    expect(script.sleeps).toEqual([438]);
  });

  it("waits for Retry-After given as an HTTP-date", () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 29, 12));
    const date = new Date(clock.time + 9_000).toUTCString();
    const script = scripted(clock, [() => json(429, {}, { "retry-after": date }), () => json(200, {})]);
    runScripted(callJson(testConfig({}, clock), call), script.answer);
    expect(script.sleeps).toEqual([9_000]);
  });

  it("gives up at once when Retry-After would pass the deadline", () => {
    const clock = new FakeClock();
    const script = scripted(clock, [() => json(429, { detail: { code: "RATE_LIMITED", message: "slow down" } }, { "retry-after": "60" })]);
    const outcome = runScripted(callJson(testConfig({}, clock), { ...call, timeoutMs: 10_000 }), script.answer);
    expect(outcome.error).toBeInstanceOf(RateLimitError);
    expect((outcome.error as RateLimitError).retryAfter).toBe(60);
    expect(script.sleeps).toEqual([]);
  });

  it("retries a connection that failed before any response, not one cut mid-body", () => {
    const clock = new FakeClock();
    const early = () => {
      throw markFailedBeforeResponse(new APIConnectionError("refused", { code: "ECONNREFUSED" }));
    };
    const late = () => {
      throw new APIConnectionError("cut", { code: "ECONNRESET" });
    };
    expect(runScripted(callJson(testConfig({}, clock), call), scripted(clock, [early, () => json(200, {})]).answer).value).toBeDefined();
    const cut = scripted(clock, [late, () => json(200, {})]);
    expect(runScripted(callJson(testConfig({}, clock), call), cut.answer).error).toBeInstanceOf(APIConnectionError);
    expect(cut.fetches).toHaveLength(1);
  });

  it("does not retry 4xx answers", () => {
    const clock = new FakeClock();
    const script = scripted(clock, [() => json(409, { detail: { code: "TOOL_ITERATION_LIMIT", message: "lim" } })]);
    const outcome = runScripted(callJson(testConfig({}, clock), call), script.answer);
    expect(outcome.error).toBeInstanceOf(FlowExecutionError);
    expect((outcome.error as FlowExecutionError).code).toBe("TOOL_ITERATION_LIMIT");
    expect(script.fetches).toHaveLength(1);
  });

  it("logs request, response and retry, with bodies only when asked, and never the key", () => {
    const clock = new FakeClock();
    const events: LogEvent[] = [];
    const config = testConfig({ onLog: (e) => events.push(e), logPayloads: true }, clock);
    const script = scripted(clock, [() => json(503, { detail: "busy nk_secret_key" }), () => json(200, { ok: 1 })]);
    runScripted(callJson(config, call), script.answer);
    expect(events.map((e) => e.phase)).toEqual(["request", "response", "retry", "request", "response"]);
    expect(events[0]).toEqual({ phase: "request", method: "POST", path: "/seq/o/p/s/execute", attempt: 0, requestBody: { message: "hi" } });
    expect(events[2]).toMatchObject({ phase: "retry", attempt: 0, statusCode: 503, requestId: "req_test", delayMs: 438 });
    expect(events[4]).toMatchObject({ attempt: 1, statusCode: 200, responseBody: { ok: 1 } });
    expect(JSON.stringify(events)).not.toContain("nk_secret_key");

    const quiet: LogEvent[] = [];
    runScripted(callJson(testConfig({ onLog: (e) => quiet.push(e) }, clock), call), scripted(clock, [() => json(200, {})]).answer);
    expect(quiet.every((e) => e.requestBody === undefined && e.responseBody === undefined)).toBe(true);
  });

  it("survives an onLog that throws", () => {
    const clock = new FakeClock();
    const config = testConfig({ onLog: () => { throw new Error("bad hook"); } }, clock);
    const outcome = runScripted(callJson(config, call), scripted(clock, [() => json(200, { ok: 1 })]).answer);
    expect(outcome.value?.data).toEqual({ ok: 1 });
  });

  it("turns a 2xx body that is not JSON into a typed error", () => {
    const clock = new FakeClock();
    const outcome = runScripted(
      callJson(testConfig({}, clock), call),
      scripted(clock, [() => ({ status: 200, headers: {}, text: "<html>oops</html>" })]).answer,
    );
    expect(outcome.error).toBeInstanceOf(FlowExecutionError);
    expect((outcome.error as FlowExecutionError).code).toBe("INVALID_RESPONSE");
  });

  it("removes the key from error messages, bodies and headers a server echoes", () => {
    const clock = new FakeClock();
    const echo = () => json(400, { detail: { code: "BAD", message: "key nk_secret_key is wrong" } }, { "x-echo": "Bearer nk_secret_key" });
    const outcome = runScripted(callJson(testConfig({}, clock), call), scripted(clock, [echo]).answer);
    const error = outcome.error as FlowExecutionError;
    expect(error.message).toContain("[redacted]");
    expect(JSON.stringify([error.message, error.responseBody, error.headers, error])).not.toContain("nk_secret_key");
  });

  it("gives the first attempt the whole timeout, even when time passes before it is sent", () => {
    const clock = new FakeClock();
    // An onLog that takes 5 ms runs between setting the deadline and sending the first request.
    const config = testConfig({ onLog: () => void (clock.time += 5) }, clock);
    const script = scripted(clock, [() => json(200, {})]);
    runScripted(callJson(config, { ...call, timeoutMs: 150 }), script.answer);
    expect(script.fetches.map((e) => (e.op === "fetch" ? e.timeoutMs : undefined))).toEqual([150]);
  });
});
