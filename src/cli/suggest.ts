import { closest, distance } from "fastest-levenshtein";

/**
 * " (did you mean --message?)" for a word a user probably mistyped, else "".
 * The server's measure for its own suggestions: at most a third of the
 * letters away (two for short words), near enough for `--mesage` and
 * `runn`, far enough not to suggest nonsense.
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  if (word === "" || candidates.length === 0) return "";
  const near = closest(word, [...candidates]);
  return distance(word.toLowerCase(), near.toLowerCase()) <= Math.max(2, Math.floor(near.length / 3)) ? ` (did you mean ${near}?)` : "";
}
