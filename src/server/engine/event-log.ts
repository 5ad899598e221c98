import { formatEvent, type SseFrame } from "../sse/frame.js";

/** An event not serialised yet: most runs' logs are never read, so they are formatted on demand. */
interface PendingEvent {
  name: string;
  payload: object;
}

/**
 * Events whose payload can be rebuilt from the run's final records are kept as
 * one small integer (`stepIndex * 16 + kind`), not as objects: a run then
 * retains almost nothing for its log, which keeps the garbage collector cheap.
 */
export const DERIVABLE = ["run_started", "step_started", "step_input", "step_output", "step_completed", "step_error", "flow_completed", "step_paused"] as const;
export type DerivableEvent = (typeof DERIVABLE)[number];
const KIND = new Map<string, number>(DERIVABLE.map((name, kind) => [name, kind]));

/** Rebuilds the payload of a derivable event of step `index` (-1 for run-level events). */
export type Deriver = (name: DerivableEvent, index: number) => object;

type Entry = SseFrame | PendingEvent | number;

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
  #frames: Entry[] = [];
  #start = 0;
  #dropped = 0;
  // Most runs are never tailed: the set is made on first use.
  #subscribers: Set<LogSubscriber> | undefined;
  readonly #limit: number;
  readonly #derive: Deriver;

  constructor(limit: number, derive: Deriver) {
    this.#limit = limit;
    this.#derive = derive;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** Records an event; it is serialised now only if a live trace is listening. */
  record(name: string, payload: object, stepIndex: number): void {
    if (this.#subscribers?.size) return this.append(formatEvent(name, payload));
    const kind = KIND.get(name);
    this.#push(kind === undefined ? { name, payload } : (stepIndex + 1) * 16 + kind);
  }

  append(frame: SseFrame): void {
    this.#push(frame);
    if (this.#subscribers) for (const subscriber of this.#subscribers) subscriber.frame(frame);
  }

  #push(entry: Entry): void {
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
      const entry = this.#frames[i] as Entry;
      if (typeof entry === "string") {
        frames.push(entry);
      } else if (typeof entry === "number") {
        const name = DERIVABLE[entry % 16] as DerivableEvent;
        frames.push(formatEvent(name, this.#derive(name, Math.floor(entry / 16) - 1)));
      } else {
        frames.push((this.#frames[i] = formatEvent(entry.name, entry.payload)));
      }
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
