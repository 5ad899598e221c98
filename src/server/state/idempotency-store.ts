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
  /** Bytes of the recorded answer, once known. */
  bytes: number;
}

/** Answers bigger than this are not kept whole; a repeat gets a short refusal instead (it still never runs twice). */
export const MAX_RECORDED_BYTES = 8 * 1024 * 1024;

/** Idempotency records: scope (key holder + path + Idempotency-Key) → first answer. */
export class IdempotencyStore {
  readonly #records: BoundedMap<string, Entry>;

  constructor(options: { maxEntries: number; maxBytes: number; ttlMs: number; now: () => number }) {
    this.#records = new BoundedMap({ ...options, maxWeight: options.maxBytes, weigh: (entry) => entry.bytes });
  }

  claim(scope: string, fingerprint: string): IdempotencyClaim {
    const existing = this.#records.get(scope);
    if (existing) return existing.fingerprint === fingerprint ? { kind: "repeat", response: existing.response } : { kind: "conflict" };
    let settle!: (response: RecordedResponse | undefined) => void;
    const response = new Promise<RecordedResponse | undefined>((resolve) => (settle = resolve));
    const entry: Entry = { fingerprint, response, bytes: 0 };
    this.#records.set(scope, entry);
    return {
      kind: "first",
      settle: (answer) => {
        // A forgotten answer (interrupted, server error) lets the next try run for real.
        if (!answer && this.#records.peek(scope) === entry) this.#records.delete(scope);
        const kept = answer && sizeOf(answer) > MAX_RECORDED_BYTES ? tooLargeToKeep(answer) : answer;
        if (kept && this.#records.peek(scope) === entry) {
          entry.bytes = sizeOf(kept);
          this.#records.set(scope, entry);
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

function tooLargeToKeep(answer: RecordedResponse): RecordedResponse {
  const message = `the first answer to this Idempotency-Key (HTTP ${answer.status}) was too large to keep for replay; the request was not run again`;
  return { status: 409, headers: { "content-type": "application/json" }, body: { kind: "json", text: JSON.stringify({ detail: { code: "IDEMPOTENT_REPLAY_UNAVAILABLE", message } }) } };
}
