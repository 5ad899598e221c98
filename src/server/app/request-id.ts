import { RANDOM_POOL, takeRandom16 } from "./random-pool.js";

/** `req_` + 32 random hex digits, the X-Request-ID of every answer. */
export function newRequestId(): string {
  const at = takeRandom16();
  return `req_${RANDOM_POOL.toString("hex", at, at + 16)}`;
}
