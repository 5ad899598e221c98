/**
 * `Retry-After` is either delay-seconds or an HTTP-date. Returns seconds from
 * `nowMs` (never negative), or undefined when the header is absent or
 * unreadable: never NaN.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}
