import { closestName } from "../server/did-you-mean.js";

/**
 * " (did you mean --message?)" for a word a user probably mistyped, else "".
 * The server's measure (a third of the letters away, two for short words):
 * near enough for `--mesage` and `runn`, far enough not to suggest nonsense.
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  if (word === "") return "";
  const near = closestName(word, candidates);
  return near === undefined ? "" : ` (did you mean ${near}?)`;
}
