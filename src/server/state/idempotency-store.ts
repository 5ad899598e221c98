import { BoundedMap } from "../bounded-map.js";

/** A first answer, kept so that a repeat gets it back without running anything. */
export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  /** A JSON body, or the frames of a /step stream. */
  body: { kind: "json"; text: string } | { kind: "sse"; chunks: readonly string[] };
}

export type IdempotencyClaim =
  /** First use of the key: run the request, then settle() with its answer (or undefined to forget it). */
  | { kind: "first"; settle: (response: RecordedResponse | undefined) => void }
  /** A repeat: wait for the first answer (undefined if it was forgotten: claim again). */
  | { kind: "repeat"; response: Promise<RecordedResponse | undefined> }
  /** The key was used with another body. */
  | { kind: "conflict" };

interface Entry {
  fingerprint: string;
  response: Promise<RecordedResponse | undefined>;
  /** Bytes of the recorded answer, once known. */
  bytes: number;
  /** The first request has answered: until then a repeat waits on it, so the entry may not go. */
  settled: boolean;
}

/** What a record holds besides its answer: its hashed scope, fingerprint and promise. */
const ENTRY_BYTES = 256;

/** Answers bigger than this are not kept whole; a repeat gets a short refusal instead (it still never runs twice). */
export const MAX_RECORDED_BYTES = 8 * 1024 * 1024;

/**
 * Idempotency records: scope (key holder + route + Idempotency-Key) → first
 * answer, within `maxBytes` together with the answers still being recorded
 * (a /step stream is kept as it is sent). A record whose first request has
 * not answered yet is never pushed out: a repeat must find it, or the flow
 * would run twice.
 */
export class IdempotencyStore {
  readonly #records: BoundedMap<string, Entry>;
  readonly #maxBytes: number;
  /** Bytes of streams being recorded. */
  #recording = 0;

  readonly #onChange: ((scope: string, kept: { fingerprint: string; response: RecordedResponse } | undefined) => void) | undefined;

  /** `onChange` hears of each answer recorded (and of each record that goes: undefined). */
  constructor(options: {
    maxEntries: number;
    maxBytes: number;
    ttlMs: number;
    now: () => number;
    onChange?: (scope: string, kept: { fingerprint: string; response: RecordedResponse } | undefined) => void;
  }) {
    const { onChange, ...bounds } = options;
    this.#maxBytes = options.maxBytes;
    this.#onChange = onChange;
    this.#records = new BoundedMap({
      ...bounds,
      maxWeight: options.maxBytes,
      weigh: (entry) => ENTRY_BYTES + entry.bytes,
      evictable: (entry) => entry.settled,
      ...(onChange ? { onEvict: (scope: string) => onChange(scope, undefined) } : {}),
    });
  }

  /** Keeps an answered record read back from a data directory. */
  restore(scope: string, fingerprint: string, response: RecordedResponse): void {
    this.#records.set(scope, { fingerprint, response: Promise.resolve(response), bytes: sizeOf(response), settled: true });
  }

  /** Bytes the records hold, those being recorded included. */
  get bytes(): number {
    return this.#records.weight + this.#recording;
  }

  /**
   * Room for `bytes` more of an answer being recorded, made by pushing out
   * older records if needed; false when even that leaves none (the answer is
   * then not kept whole; a repeat still never runs again).
   */
  reserve(bytes: number): boolean {
    this.#records.trimTo(this.#maxBytes - this.#recording - bytes);
    if (this.#records.weight + this.#recording + bytes > this.#maxBytes) return false;
    this.#recording += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#recording = Math.max(0, this.#recording - bytes);
  }

  claim(scope: string, fingerprint: string): IdempotencyClaim {
    const existing = this.#records.get(scope);
    if (existing) return existing.fingerprint === fingerprint ? { kind: "repeat", response: existing.response } : { kind: "conflict" };
    let settle!: (response: RecordedResponse | undefined) => void;
    const response = new Promise<RecordedResponse | undefined>((resolve) => (settle = resolve));
    const entry: Entry = { fingerprint, response, bytes: 0, settled: false };
    this.#records.set(scope, entry);
    return {
      kind: "first",
      settle: (answer) => {
        entry.settled = true;
        // A forgotten answer (interrupted, server error) lets the next try run for real.
        if (!answer && this.#records.peek(scope) === entry) this.#records.delete(scope);
        const kept = answer && sizeOf(answer) > MAX_RECORDED_BYTES ? unkeptAnswer(answer.status) : answer;
        if (kept && this.#records.peek(scope) === entry) {
          entry.bytes = sizeOf(kept);
          this.#records.set(scope, entry);
          this.#onChange?.(scope, { fingerprint, response: kept });
          this.#records.trimTo(this.#maxBytes - this.#recording);
        }
        settle(kept);
      },
    };
  }

  sweep(): void {
    this.#records.sweep();
  }

  get size(): number {
    return this.#records.size;
  }
}

function sizeOf(answer: RecordedResponse): number {
  const body = answer.body;
  if (body.kind === "json") return body.text.length;
  let bytes = 0;
  for (const chunk of body.chunks) bytes += chunk.length;
  return bytes;
}

/** What a repeat gets when the first answer could not be kept whole: a refusal that says so (nothing runs again). */
export function unkeptAnswer(status: number): RecordedResponse {
  const message = `the first answer to this Idempotency-Key (HTTP ${status}) was too large to keep for replay; the request was not run again`;
  return { status: 409, headers: { "content-type": "application/json" }, body: { kind: "json", text: JSON.stringify({ detail: { code: "IDEMPOTENT_REPLAY_UNAVAILABLE", message } }) } };
}
