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

export function isDerivable(name: string): name is DerivableEvent {
  return KIND.has(name);
}

/** What rebuilds the payload of a derivable event of step `index` (-1 for run-level events): the run itself. */
export interface PayloadSource {
  derivedPayload(name: DerivableEvent, index: number): object;
  /** Its frame, as formatEvent would make it from that payload. */
  derivedFrame(name: DerivableEvent, index: number): SseFrame;
}

type Entry = PendingEvent | number;

/** A log as plain data: its kept entries (derivable events as their integers) and how many were dropped. */
export interface StoredLog {
  entries: Entry[];
  dropped: number;
}

/** What one kept entry weighs: a small integer in an array, or an event object with its shallow copies. */
const ENTRY_BYTES = 8;

export interface LogSubscriber {
  frame(frame: SseFrame): void;
  /** The run reached a state where a live trace closes (finished, or paused for tools). */
  settled(): void;
}

/**
 * The events of one run, plus the live-trace streams tailing it. Nothing is
 * kept serialised: an event is an integer when its payload can be rebuilt
 * from the run's records, else its payload object, and a frame is formatted
 * when a reader needs it. Payloads must not be mutated after they are
 * recorded. Bounded: past `limit` events the oldest are dropped and
 * `dropped` counts them.
 */
export class EventLog {
  #entries: Entry[] = [];
  #start = 0;
  /** Entries removed from the front of the array so far: positions stay absolute for a replay under way. */
  #compacted = 0;
  #dropped = 0;
  #pendingBytes = 0;
  // Most runs are never tailed: the set is made on first use.
  #subscribers: Set<LogSubscriber> | undefined;
  readonly #limit: number;
  readonly #source: PayloadSource;

  constructor(limit: number, source: PayloadSource) {
    this.#limit = limit;
    this.#source = source;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** About how much memory the kept events hold. */
  get bytes(): number {
    return (this.#entries.length - this.#start) * ENTRY_BYTES + this.#pendingBytes;
  }

  /** Records an event; it is serialised now only if a live trace is listening. */
  record(name: string, stepIndex: number, payload: object): void {
    this.#push(name, payload, stepIndex);
    if (this.#subscribers?.size) this.#notify(formatEvent(name, payload));
  }

  /** Records a derivable event; its payload is built only if a live trace is listening (or the log is read). */
  recordDerived(name: DerivableEvent, stepIndex: number): void {
    this.#entries.push((stepIndex + 1) * 16 + (KIND.get(name) ?? 0));
    this.#bound();
    if (this.#subscribers?.size) this.#notify(this.#source.derivedFrame(name, stepIndex));
  }

  /** Records a derivable event a stream has just sent as `frame`. */
  sentDerived(name: DerivableEvent, stepIndex: number, frame: SseFrame): void {
    this.#entries.push((stepIndex + 1) * 16 + (KIND.get(name) ?? 0));
    this.#bound();
    if (this.#subscribers?.size) this.#notify(frame);
  }

  /** Records an event a stream has just sent as `frame`. */
  sent(name: string, stepIndex: number, payload: object, frame: SseFrame): void {
    this.#push(name, payload, stepIndex);
    if (this.#subscribers?.size) this.#notify(frame);
  }

  #notify(frame: SseFrame): void {
    if (this.#subscribers) for (const subscriber of this.#subscribers) subscriber.frame(frame);
  }

  #push(name: string, payload: object, stepIndex: number): void {
    const kind = KIND.get(name);
    if (kind === undefined) {
      this.#pendingBytes += pendingWeight(payload);
      this.#entries.push({ name, payload });
    } else {
      this.#entries.push((stepIndex + 1) * 16 + kind);
    }
    this.#bound();
  }

  /** Past `limit` events, drops the oldest. */
  #bound(): void {
    if (this.#entries.length - this.#start > this.#limit) {
      const oldest = this.#entries[this.#start];
      if (typeof oldest === "object") this.#pendingBytes -= pendingWeight(oldest.payload);
      this.#start++;
      this.#dropped++;
      // Compact now and then rather than shifting on every append.
      if (this.#start > 1024 && this.#start * 2 > this.#entries.length) {
        this.#entries = this.#entries.slice(this.#start);
        this.#compacted += this.#start;
        this.#start = 0;
      }
    }
  }

  /**
   * The kept events' frames one at a time, each made when it is read, so a
   * slow reader holds one frame rather than the whole log. Events recorded
   * while it is read come too; events dropped meanwhile (past the limit) are skipped.
   */
  *replay(): Generator<SseFrame> {
    for (let at = this.#compacted + this.#start; at < this.#compacted + this.#entries.length; at++) {
      at = Math.max(at, this.#compacted + this.#start);
      const entry = this.#entries[at - this.#compacted] as Entry;
      if (typeof entry === "number") {
        const name = DERIVABLE[entry % 16] as DerivableEvent;
        yield this.#source.derivedFrame(name, Math.floor(entry / 16) - 1);
      } else {
        yield formatEvent(entry.name, entry.payload);
      }
    }
  }

  /** The kept events as plain data, for a data directory (payloads are JSON: they are sent as such). */
  stored(): StoredLog {
    return { entries: this.#entries.slice(this.#start), dropped: this.#dropped };
  }

  /** Puts back what `stored()` gave, in a new, empty log. */
  restore(stored: StoredLog): void {
    this.#entries = stored.entries.slice();
    this.#start = 0;
    this.#compacted = 0;
    this.#dropped = stored.dropped;
    this.#pendingBytes = 0;
    for (const entry of this.#entries) if (typeof entry === "object") this.#pendingBytes += pendingWeight(entry.payload);
  }

  /** Keeps the entries in an array of their own size (see Execution.compact). */
  compact(): void {
    this.#entries = this.#entries.slice(this.#start);
    this.#compacted += this.#start;
    this.#start = 0;
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

/** An event kept as its payload holds that object and shallow copies (arrays, objects) of the run's data. */
function pendingWeight(payload: object): number {
  let references = 0;
  for (const value of Object.values(payload) as unknown[]) {
    if (Array.isArray(value)) references += value.length;
    else if (value !== null && typeof value === "object") references += Object.keys(value).length;
    else references += 1;
  }
  return 64 + references * ENTRY_BYTES * 2;
}
