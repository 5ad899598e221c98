import { jsonBytes } from "../../json/json-size.js";

/**
 * What one read answer (a session listing, a trace) may hold. Snapshots are
 * the big part: each is weighed before it is put in, and once the room is
 * spent the rest are left out and marked `truncated`, so a small GET cannot
 * make an answer many times what the server keeps.
 */
export const MAX_READ_ANSWER_BYTES = 8 * 1024 * 1024;
/** What one listed step or attempt takes besides its snapshots. */
export const ENTRY_BYTES = 400;

export class AnswerRoom {
  #left: number;

  constructor(bytes = MAX_READ_ANSWER_BYTES) {
    this.#left = bytes;
  }

  /** Takes room for `bytes`; false (nothing taken) when they do not fit. */
  take(bytes: number): boolean {
    if (bytes > this.#left) return false;
    this.#left -= bytes;
    return true;
  }

  /** Takes room for these values' JSON if it all fits; false (nothing taken) if not. */
  fit(...values: unknown[]): boolean {
    let bytes = 0;
    for (const value of values) {
      bytes += jsonBytes(value, this.#left - bytes);
      if (bytes > this.#left) return false;
    }
    return this.take(bytes);
  }
}
