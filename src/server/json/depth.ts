/**
 * Deeper JSON is refused wherever it comes in (request bodies, flow files):
 * the engine, the validator and the idempotency fingerprint walk values
 * recursively, and must not run out of stack on a crafted one.
 */
export const MAX_JSON_DEPTH = 256;
