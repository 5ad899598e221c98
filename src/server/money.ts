/**
 * Money is counted in picodollars (1e-12 USD) as integers so sums never
 * drift, and shown as a decimal string (the wire wants `costUsd` as a string,
 * never a float).
 */

/** Picodollars → a decimal string with 8 decimals, e.g. 6_000_000 → "0.00000600". */
export function formatUsd(pico: number | bigint): string {
  // Fast path for the usual small amounts; exact while the integers stay safe.
  if (typeof pico === "number" && Number.isSafeInteger(pico) && pico >= 0 && pico < 9e15) {
    const units = Math.round(pico / 10_000);
    return `${Math.floor(units / 1e8)}.${String(units % 1e8).padStart(8, "0")}`;
  }
  const value = BigInt(pico);
  const negative = value < 0n;
  const units = (negative ? -value : value + 0n) / 10_000n + ((negative ? -value : value) % 10_000n >= 5_000n ? 1n : 0n);
  const whole = units / 100_000_000n;
  const fraction = (units % 100_000_000n).toString().padStart(8, "0");
  return `${negative ? "-" : ""}${whole.toString()}.${fraction}`;
}

/** A decimal USD string ("12.5", "0.000001") → picodollars; undefined if malformed. */
export function parseUsd(text: string): bigint | undefined {
  const match = /^(-)?(\d+)(?:\.(\d{1,12}))?$/.exec(text.trim());
  if (!match) return undefined;
  const whole = BigInt(match[2] ?? "0") * 1_000_000_000_000n;
  const fraction = BigInt((match[3] ?? "").padEnd(12, "0") || "0");
  const value = whole + fraction;
  return match[1] ? -value : value;
}
