import { formatEvent, type SseFrame } from "../sse/frame.js";

/** An event not serialised yet: most runs' logs are never read, so they are formatted on demand. */
interface PendingEvent {
  name: string;
  payload: object;
}

export interface LogSubscriber {
  frame(frame: SseFrame): void;
  /** The run reached a state where a live trace closes (finished, or paused for tools). */
  settled(): void;
}

/**
 * The events of one run, each serialised at most once (when a /step stream or
 * a live trace first needs it), plus the live-trace streams tailing it.
 * Payloads must not be mutated after they are recorded. Bounded: past `limit` frames the oldest are
 * dropped and `dropped` counts them.
 */
export class EventLog {
  #frames: Array<SseFrame | PendingEvent> = [];
  #start = 0;
  #dropped = 0;
  // Most runs are never tailed: the set is made on first use.
  #subscribers: Set<LogSubscriber> | undefined;
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** Records an event; it is serialised now only if a live trace is listening. */
  record(name: string, payload: object): void {
    if (this.#subscribers?.size) this.append(formatEvent(name, payload));
    else this.#push({ name, payload });
  }

  append(frame: SseFrame): void {
    this.#push(frame);
    if (this.#subscribers) for (const subscriber of this.#subscribers) subscriber.frame(frame);
  }

  #push(entry: SseFrame | PendingEvent): void {
    this.#frames.push(entry);
    if (this.#frames.length - this.#start > this.#limit) {
      this.#start++;
      this.#dropped++;
      // Compact now and then rather than shifting on every append.
      if (this.#start > 1024 && this.#start * 2 > this.#frames.length) {
        this.#frames = this.#frames.slice(this.#start);
        this.#start = 0;
      }
    }
  }

  frames(): SseFrame[] {
    const frames: SseFrame[] = [];
    for (let i = this.#start; i < this.#frames.length; i++) {
      let entry = this.#frames[i] as SseFrame | PendingEvent;
      if (typeof entry !== "string") this.#frames[i] = entry = formatEvent(entry.name, entry.payload);
      frames.push(entry);
    }
    return frames;
  }

  settle(): void {
    if (this.#subscribers) for (const subscriber of [...this.#subscribers]) subscriber.settled();
  }

  subscribe(subscriber: LogSubscriber): () => void {
    const subscribers = (this.#subscribers ??= new Set());
    subscribers.add(subscriber);
    return () => subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.#subscribers?.size ?? 0;
  }
}
