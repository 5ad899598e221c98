/**
 * Deeper JSON is refused wherever it comes in (request bodies, flow files):
 * the engine, the validator and the idempotency fingerprint walk values
 * recursively, and must not run out of stack on a crafted one.
 */
export const MAX_JSON_DEPTH = 256;

/** How deeply objects and arrays nest in `value` (counting stops past `limit`), measured without recursion. */
export function depthOf(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item) as unknown[]) pending.push([child, depth + 1]);
  }
  return deepest;
}
