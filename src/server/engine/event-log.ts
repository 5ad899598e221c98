import type { SseFrame } from "../sse/frame.js";

export interface LogSubscriber {
  frame(frame: SseFrame): void;
  /** The run reached a state where a live trace closes (finished, or paused for tools). */
  settled(): void;
}

/**
 * The events of one run, kept as ready-made frames (serialised once, whether
 * they go to a /step stream, a live trace or an idempotent replay), plus the
 * live-trace streams tailing it. Bounded: past `limit` frames the oldest are
 * dropped and `dropped` counts them.
 */
export class EventLog {
  #frames: SseFrame[] = [];
  #start = 0;
  #dropped = 0;
  readonly #subscribers = new Set<LogSubscriber>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get dropped(): number {
    return this.#dropped;
  }

  append(frame: SseFrame): void {
    this.#frames.push(frame);
    if (this.#frames.length - this.#start > this.#limit) {
      this.#start++;
      this.#dropped++;
      // Compact now and then rather than shifting on every append.
      if (this.#start > 1024 && this.#start * 2 > this.#frames.length) {
        this.#frames = this.#frames.slice(this.#start);
        this.#start = 0;
      }
    }
    for (const subscriber of this.#subscribers) subscriber.frame(frame);
  }

  frames(): SseFrame[] {
    return this.#frames.slice(this.#start);
  }

  settle(): void {
    for (const subscriber of [...this.#subscribers]) subscriber.settled();
  }

  subscribe(subscriber: LogSubscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }
}
