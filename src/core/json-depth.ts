/**
 * How deeply JSON may nest where the client takes it in. `JSON.parse` reads
 * any depth, but `JSON.stringify` and `structuredClone` recurse, and so does
 * whatever writes a value out (a cassette, a relay's answer, a web adapter, a
 * caller's own code): a few thousand levels down they run out of stack with a
 * `RangeError` that names nothing. So values are measured where they come in,
 * and refused with an error that says why. (The client's own walks, the
 * key's scrub and the `redact` paths, go without recursion.)
 */

/** The deepest a caller's value may nest: checked before it is sent. */
export const MAX_SENT_DEPTH = 1_000;

/**
 * The deepest an answer, an event or a page's request to the relay may
 * nest. Deeper than what may be sent, since an answer can carry a caller's
 * value a few levels down.
 */
export const MAX_READ_DEPTH = 2_000;

/**
 * Whether `value`, parsed from `text`, nests deeper than `limit`. Each level
 * takes two characters of text, so most texts are too short for the question
 * and cost nothing; the rest are measured without recursion.
 */
export function nestedDeeperThan(text: string, value: unknown, limit: number): boolean {
  return text.length > 2 * limit && depthOf(value, limit) > limit;
}

/** How deeply objects and arrays nest in `value`, measured without recursion; counting stops past `limit`. */
export function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const items: object[] = [];
  const depths: number[] = [];
  const visit = (child: unknown, depth: number): void => {
    if (typeof child === "object" && child !== null) {
      items.push(child);
      depths.push(depth);
    }
  };
  visit(value, 1);
  while (items.length > 0) {
    const item = items.pop() as Record<string, unknown>;
    const depth = depths.pop() as number;
    if (depth > deepest && (deepest = depth) > limit) return deepest;
    // Indices and `for…in` rather than `Object.values`, which makes an array of every object's
    // values: on a 1 MB trace that took half as long as parsing it, this a tenth.
    if (Array.isArray(item)) for (let index = 0; index < item.length; index++) visit(item[index], depth + 1);
    else for (const key in item) visit(item[key], depth + 1);
  }
  return deepest;
}
