import { BoundedMap } from "./bounded-map.js";

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
}

/** Idempotency records: scope (key holder + path + Idempotency-Key) → first answer. */
export class IdempotencyStore {
  readonly #records: BoundedMap<string, Entry>;

  constructor(options: { maxEntries: number; ttlMs: number; now: () => number }) {
    this.#records = new BoundedMap(options);
  }

  claim(scope: string, fingerprint: string): IdempotencyClaim {
    const existing = this.#records.get(scope);
    if (existing) return existing.fingerprint === fingerprint ? { kind: "repeat", response: existing.response } : { kind: "conflict" };
    let settle!: (response: RecordedResponse | undefined) => void;
    const response = new Promise<RecordedResponse | undefined>((resolve) => (settle = resolve));
    const entry: Entry = { fingerprint, response };
    this.#records.set(scope, entry);
    return {
      kind: "first",
      settle: (recorded) => {
        // A forgotten answer (interrupted, server error) lets the next try run for real.
        if (!recorded && this.#records.peek(scope) === entry) this.#records.delete(scope);
        settle(recorded);
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
