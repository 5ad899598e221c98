/**
 * Tokens and cost of the mock model, all deterministic. Costs are in
 * picodollars (see money.ts).
 */

/** Never mutated once made: a sum may hand back one of its terms, and records share them. */
export interface Tokens {
  readonly prompt: number;
  readonly completion: number;
  readonly total: number;
}

/** About four characters per token, like real tokenizers on English text. */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function tokens(prompt: number, completion: number): Tokens {
  return { prompt, completion, total: prompt + completion };
}

/** No tokens: one shared object (Tokens are never mutated), where each new record and run made its own. */
export const NO_TOKENS: Tokens = Object.freeze(tokens(0, 0));

/** The sum; a term added to zero is returned as it is, so most runs keep one Tokens object where they kept three. */
export function addTokens(a: Tokens, b: Tokens): Tokens {
  if (a.prompt === 0 && a.completion === 0) return b;
  if (b.prompt === 0 && b.completion === 0) return a;
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
