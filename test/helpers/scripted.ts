import type { Effect, HttpResponse, Op, StreamHead } from "../../src/core/effects.js";
import { type CoreConfig, DEFAULT_MAX_RESPONSE_BYTES } from "../../src/core/config.js";
import { Credentials } from "../../src/core/credentials.js";
import { createRedactor } from "../../src/core/redact.js";
import { DEFAULT_RETRY_POLICY } from "../../src/core/retry-policy.js";

/**
 * Runs a core operation with no I/O at all: every effect is answered by
 * `answer`, synchronously. Emitted values and slept time are recorded.
 */
export function runScripted<T, E>(op: Op<T, E>, answer: (effect: Exclude<Effect, { op: "emit" | "emitEach" }>) => unknown): Outcome<T> {
  const effects: Effect<unknown>[] = [];
  const emitted: unknown[] = [];
  let input: { ok: true; value: unknown } | { ok: false; error: unknown } = { ok: true, value: undefined };
  for (;;) {
    let step: IteratorResult<Effect<E>, T>;
    try {
      step = input.ok ? op.next(input.value) : op.throw(input.error);
    } catch (error) {
      return { error, effects, emitted };
    }
    if (step.done) return { value: step.value, effects, emitted };
    effects.push(step.value);
    if (step.value.op === "emit" || step.value.op === "emitEach") {
      if (step.value.op === "emit") emitted.push(step.value.value);
      else emitted.push(...step.value.values);
      input = { ok: true, value: undefined };
      continue;
    }
    try {
      input = { ok: true, value: answer(step.value) };
    } catch (error) {
      input = { ok: false, error };
    }
  }
}

export interface Outcome<T> {
  value?: T;
  error?: unknown;
  effects: Effect<unknown>[];
  emitted: unknown[];
}

/** A clock that only moves when the core sleeps (or the test moves it). */
export class FakeClock {
  constructor(public time = 1_000_000) {}
  now = (): number => this.time;
}

export function testConfig(overrides: Partial<CoreConfig> = {}, clock = new FakeClock()): CoreConfig {
  let id = 0;
  return {
    baseHeaders: { "x-noukai-api-version": "2026-05-31", "user-agent": "test" },
    credentials: new Credentials("nk_secret_key"),
    timeoutMs: 30_000,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 1 },
    onLog: undefined,
    logPayloads: false,
    redactPayload: (value) => value,
    defaultSessionId: undefined,
    redact: createRedactor("nk_secret_key"),
    now: clock.now,
    random: () => 0.5,
    newId: () => `id-${++id}`,
    middleware: [],
    ambient: () => undefined,
    ...overrides,
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { "x-request-id": "req_test", ...headers }, text: JSON.stringify(body) };
}

/** A streamed body made of the given chunks, for `open`/`read` effects. */
export function streamOf(status: number, chunks: (string | Uint8Array)[], headers: Record<string, string> = {}): StreamHead {
  const encoder = new TextEncoder();
  const body = { kind: "body" as const, chunks: chunks.map((c) => (typeof c === "string" ? encoder.encode(c) : c)) };
  return { status, headers: { "x-request-id": "req_stream", ...headers }, body: body };
}

/** Answers `read` effects from a body made by `streamOf`. */
export function readFrom(effect: Effect): Uint8Array | null {
  if (effect.op !== "read") throw new Error(`expected a read, got ${effect.op}`);
  const body = effect.body as unknown as { chunks: Uint8Array[] };
  return body.chunks.shift() ?? null;
}

/** An SSE frame as the local server writes it. */
export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
