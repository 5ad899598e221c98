import type { ByteSink } from "../byte-sink.js";
import { formatComment, formatEvent, type SseFrame } from "./frame.js";

export interface SseWriterOptions {
  /** A `: ping` comment goes out after this much silence (0 = never). */
  heartbeatMs: number;
  /** Fault injection: cut the connection after this many events. */
  cutAfterEvents?: number | undefined;
}

const FLUSH_BYTES = 64 * 1024;
const PING = formatComment("ping");

/**
 * Writes SSE frames to a sink. It only accepts `SseFrame`s (built by
 * formatEvent/formatComment), so it cannot emit a malformed frame. Frames
 * written in one tick are batched into one socket write; backpressure is
 * reported through drain().
 */
export class SseWriter {
  readonly #sink: ByteSink;
  readonly #cutAfter: number | undefined;
  #pending = "";
  #scheduled = false;
  #blocked = false;
  #backlog = 0;
  #events = 0;
  #idle = true;
  #done = false;
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(sink: ByteSink, options: SseWriterOptions) {
    this.#sink = sink;
    this.#cutAfter = options.cutAfterEvents;
    if (options.heartbeatMs > 0) {
      this.#heartbeat = setInterval(() => {
        if (this.#idle) this.send(PING);
        this.#idle = true;
      }, options.heartbeatMs);
      this.#heartbeat.unref?.();
    }
    sink.onClose(() => this.#stop());
  }

  /** True once the stream is over (closed, cut, or the client went away). */
  get done(): boolean {
    return this.#done || this.#sink.closed;
  }

  get eventCount(): number {
    return this.#events;
  }

  event(name: string, payload: object): void {
    this.sendEvent(formatEvent(name, payload));
  }

  /** Sends a frame, an event or a comment. */
  send(frame: SseFrame): void {
    this.#send(frame, frame !== PING && frame.charCodeAt(0) !== 58 /* ":" */);
  }

  /**
   * Sends a frame known to be an event (what a run emits). It is not looked
   * into: reading a character of a frame still in pieces would join it, a
   * copy of every frame on the path of every streamed step.
   */
  sendEvent(frame: SseFrame): void {
    this.#send(frame, true);
  }

  #send(frame: SseFrame, isEvent: boolean): void {
    if (this.done) return;
    this.#idle = false;
    this.#pending += frame;
    if (isEvent) {
      this.#events += 1;
      if (this.#cutAfter !== undefined && this.#events >= this.#cutAfter) {
        this.flush();
        this.#stop();
        this.#sink.destroy();
        return;
      }
    }
    if (this.#pending.length >= FLUSH_BYTES) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  flush(): void {
    if (this.#pending === "" || this.#sink.closed) return;
    const chunk = this.#pending;
    this.#pending = "";
    if (this.#blocked) {
      this.#backlog += chunk.length;
      this.#sink.write(chunk);
    } else if (!this.#sink.write(chunk)) {
      this.#blocked = true;
      this.#backlog = 0;
      // Noticed even when no one waits on drain(): a reader that stops is seen falling behind.
      void this.#sink.drain().then(() => {
        this.#blocked = false;
        this.#backlog = 0;
      });
    }
  }

  /** Bytes written since the reader stopped taking them (0 while it keeps up). */
  get backlog(): number {
    return this.#blocked ? this.#backlog + this.#pending.length : 0;
  }

  /** A promise while the sink is saturated, else undefined (cheap to call per step). */
  drain(): Promise<void> | undefined {
    if (!this.#blocked || this.done) return undefined;
    return this.#sink.drain();
  }

  /** Flushes and ends the stream. */
  close(): void {
    if (this.done) return;
    this.flush();
    this.#stop();
    this.#sink.end();
  }

  #stop(): void {
    this.#done = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
