/**
 * Seeded randomness, so that a run's plan (which operation each call makes,
 * its message, its session id) is the same every time for the same seed, in
 * every process that computes it: the load generator and the checker agree
 * on call N without sending each other a list.
 */
// The server's own generator (mulberry32): small, fast, good enough to pick operations.
import { seededRandom } from "../../../src/server/faults/seeded-random.js";

/** A random number for (seed, index), independent of the order calls are made in. */
export function randomAt(seed: number, index: number, salt = 0): number {
  return seededRandom((seed * 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35))();
}

/** A v4-shaped UUID that only depends on (seed, index): the session id of call `index`. */
export function uuidAt(seed: number, index: number): string {
  const random = seededRandom((seed * 0x9e3779b1) ^ Math.imul(index + 1, 0x27d4eb2f));
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
