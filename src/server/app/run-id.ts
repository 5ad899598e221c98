import { RANDOM_POOL, takeRandom16 } from "./random-pool.js";

const HEX = Buffer.from("0123456789abcdef", "latin1");
const DASH = 0x2d;
const TEXT = Buffer.alloc(36);

/**
 * A run's id: a random (version 4) UUID in lower case, as crypto.randomUUID
 * makes them. Written byte by byte and read as one latin1 string, it is a
 * flat string from the start: the run store's first lookup hashes it without
 * first flattening the pieces a string built by concatenation would be.
 */
export function newRunId(): string {
  const at = takeRandom16();
  let out = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) TEXT[out++] = DASH;
    let byte = RANDOM_POOL[at + i] as number;
    // The version (4) and the RFC 4122 variant (10xx).
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    TEXT[out++] = HEX[byte >> 4] as number;
    TEXT[out++] = HEX[byte & 0x0f] as number;
  }
  return TEXT.toString("latin1", 0, 36);
}
