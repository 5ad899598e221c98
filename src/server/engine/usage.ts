/**
 * Tokens and cost of the mock model, all deterministic. Money is counted in
 * picodollars (1e-12 USD) as integers so sums never drift, and shown as a
 * decimal string (the wire wants `costUsd` as a string, never a float).
 */

export interface Tokens {
  prompt: number;
  completion: number;
  total: number;
}

/** About four characters per token, like real tokenizers on English text. */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function tokens(prompt: number, completion: number): Tokens {
  return { prompt, completion, total: prompt + completion };
}

export function addTokens(a: Tokens, b: Tokens): Tokens {
  return tokens(a.prompt + b.prompt, a.completion + b.completion);
}

// USD per million tokens [prompt, completion]. Unknown models cost as much as
// the default. A Map: the model name comes from the caller's blockOverrides.
export const DEFAULT_MODEL = "noukai/mock-1";
const DEFAULT_PRICE = [0.5, 1.5] as const;
const PRICES = new Map<string, readonly [number, number]>([
  [DEFAULT_MODEL, DEFAULT_PRICE],
  ["noukai/mock-large", [5, 15]],
  ["noukai/mock-mini", [0.1, 0.4]],
]);

/** Cost of one model call, in picodollars. */
export function costPico(model: string, usage: Tokens): number {
  const [prompt, completion] = PRICES.get(model) ?? DEFAULT_PRICE;
  // 1 USD per million tokens = 1e6 picodollars per token.
  return Math.round(usage.prompt * prompt * 1e6 + usage.completion * completion * 1e6);
}

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
