import type { BodyHandle, Effect, Op, StreamHead, StreamOp } from "../../core/effects.js";
import { cancelled } from "../../core/client-errors.js";
import type { APIUserAbortError } from "../../core/errors.js";
import { NOTHING, type Resume, resumeOp } from "../resume.js";
import type { BlockingBridge } from "./protocol.js";


/** A response body open in the worker, as the core sees it. */
interface RemoteBody extends BodyHandle {
  readonly id: number;
  /** What the worker handed over and the core has not taken yet. */
  rest: Uint8Array | undefined;
}

/**
 * The core is given a stream at most this much at a time. The worker hands
 * over up to 256 KiB at once (./read-ahead.ts); decoded whole, each piece's
 * text and events stay alive long enough for V8 to grow its young
 * generation to keep them, where smaller pieces die young.
 */
const PIECE_BYTES = 16 * 1024;

/** Why calls must stop now, if they must: the client was closed, or its signal fired. */
export type StopCheck = () => APIUserAbortError | undefined;

/**
 * Runs core operations on the caller's thread, blocking: HTTP effects go to
 * the I/O worker and the thread waits for each answer; tool handlers and
 * `onLog` run right here, in order. Cancellation is checked before every
 * effect (a blocked thread cannot hear a signal fire meanwhile).
 */
export class SyncDriver {
  readonly #sleeper = new Int32Array(new SharedArrayBuffer(4));

  readonly #bridge: BlockingBridge;
  readonly #transport: number;
  readonly #stopped: StopCheck;

  constructor(bridge: BlockingBridge, transport: number, stopped: StopCheck) {
    this.#bridge = bridge;
    this.#transport = transport;
    this.#stopped = stopped;
  }

  value<T>(op: Op<T>, signal: AbortSignal | undefined): T {
    const open = new Set<number>();
    let resume = NOTHING;
    try {
      for (;;) {
        const step = resumeOp(op, resume);
        if (step.done) return step.value;
        resume = this.#attempt(step.value, signal, open);
      }
    } finally {
      this.#discardAll(open);
    }
  }

  /** A stream as a plain iterator: each `next()` blocks until the next value; leaving the loop ends the request at once. */
  *stream<E, P>(op: StreamOp<E>, signal: AbortSignal | undefined, present: (value: E) => P): Generator<P, void, undefined> {
    const open = new Set<number>();
    let resume = NOTHING;
    try {
      for (;;) {
        const step = resumeOp(op, resume);
        if (step.done) return;
        if (step.value.op === "emit") {
          this.#checkStream(signal);
          yield present(step.value.value);
          resume = NOTHING;
        } else if (step.value.op === "emitEach") {
          for (const value of step.value.values) {
            this.#checkStream(signal);
            yield present(value);
          }
          resume = NOTHING;
        } else {
          resume = this.#attempt(step.value, signal, open);
        }
      }
    } finally {
      op.return(undefined);
      this.#discardAll(open);
    }
  }

  #attempt(effect: Effect<unknown>, signal: AbortSignal | undefined, open: Set<number>): Resume {
    try {
      return { ok: true, value: this.#perform(effect, signal, open) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  #perform(effect: Effect<unknown>, signal: AbortSignal | undefined, open: Set<number>): unknown {
    if (effect.op !== "discard") this.#checkCancelled(signal);
    switch (effect.op) {
      case "fetch":
        return this.#bridge.request(
          {
            type: "fetch",
            transport: this.#transport,
            request: effect.request,
            timeoutMs: effect.timeoutMs,
            maxBodyBytes: effect.maxBodyBytes,
            maxErrorBytes: effect.maxErrorBytes,
          },
          effect.timeoutMs,
        );
      case "open": {
        const head = this.#bridge.request({ type: "open", transport: this.#transport, request: effect.request, timeoutMs: effect.timeoutMs }, effect.timeoutMs) as {
          status: number;
          headers: Record<string, string>;
          body: number;
        };
        open.add(head.body);
        const body: RemoteBody = { kind: "body", id: head.body, rest: undefined };
        return { status: head.status, headers: head.headers, body } satisfies StreamHead;
      }
      case "read":
        return this.#read(effect.body as RemoteBody, effect.timeoutMs);
      case "readText": {
        const id = (effect.body as RemoteBody).id;
        open.delete(id);
        return this.#bridge.request({ type: "readText", body: id, maxBytes: effect.maxBytes, timeoutMs: effect.timeoutMs }, effect.timeoutMs);
      }
      case "discard": {
        const id = (effect.body as RemoteBody).id;
        if (open.delete(id)) this.#bridge.send({ type: "discard", body: id });
        return undefined;
      }
      case "sleep":
        Atomics.wait(this.#sleeper, 0, 0, effect.ms);
        return undefined;
      case "call":
        return callSynchronously(effect.fn, effect.args, effect.name);
      case "emit":
      case "emitEach":
        throw new Error("emit is handled by the stream runner");
    }
  }

  #read(body: RemoteBody, timeoutMs: number): Uint8Array | null {
    const bytes = body.rest ?? (this.#bridge.request({ type: "read", body: body.id, timeoutMs }, timeoutMs) as Uint8Array | null);
    if (bytes === null || bytes.length <= PIECE_BYTES) {
      body.rest = undefined;
      return bytes;
    }
    body.rest = bytes.subarray(PIECE_BYTES);
    return bytes.subarray(0, PIECE_BYTES);
  }

  #checkCancelled(signal: AbortSignal | undefined): void {
    const stop = this.#stopped();
    if (stop !== undefined) throw stop;
    if (signal?.aborted) {
      throw cancelled("The call", signal.reason);
    }
  }

  /**
   * A stop (the call's signal, or the client's close(), often from the loop's
   * own body) counts from the next value on, even where more were already
   * read: they are dropped.
   */
  #checkStream(signal: AbortSignal | undefined): void {
    const stop = this.#stopped();
    if (stop !== undefined) throw stop;
    if (signal?.aborted) throw cancelled("The event stream", signal.reason);
  }

  #discardAll(open: Set<number>): void {
    for (const id of open) this.#bridge.send({ type: "discard", body: id });
    open.clear();
  }
}

/** A caller's function on the caller's thread; a Promise cannot be waited for here. */
function callSynchronously(fn: (...args: never[]) => unknown, args: readonly unknown[], name: string): unknown {
  const result = fn(...(args as never[]));
  if (typeof (result as { then?: unknown } | null)?.then === "function") {
    // Nobody will await it; keep its rejection from becoming an unhandled one.
    (result as Promise<unknown>).then(undefined, () => undefined);
    throw new TypeError(
      `${name} returned a Promise, but the blocking Noukai client runs it on the caller's thread and cannot wait for it. ` +
        "Return the results directly, or use AsyncNoukai for an async handler.",
    );
  }
  return result;
}
