import { randomFillSync } from "node:crypto";

// Random bytes are drawn in batches: one call per 512 ids instead of one per request.
const POOL = Buffer.alloc(16 * 512);
let offset = POOL.length;

/** `req_` + 32 random hex digits, the X-Request-ID of every answer. */
export function newRequestId(): string {
  if (offset >= POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const id = POOL.toString("hex", offset, offset + 16);
  offset += 16;
  return `req_${id}`;
}
