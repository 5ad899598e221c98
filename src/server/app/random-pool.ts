import { randomFillSync } from "node:crypto";

/**
 * Random bytes for the ids made on every request (request ids, run ids),
 * drawn in batches: one call into the system's generator per 512 ids
 * instead of one per id. Each block of 16 bytes is handed out once.
 */
export const RANDOM_POOL = Buffer.alloc(16 * 512);
let offset = RANDOM_POOL.length;

/** The offset in RANDOM_POOL of 16 fresh random bytes, valid until the next call. */
export function takeRandom16(): number {
  if (offset >= RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    offset = 0;
  }
  const at = offset;
  offset += 16;
  return at;
}
