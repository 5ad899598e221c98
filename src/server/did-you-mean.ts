import { closest, distance } from "fastest-levenshtein";

/** ` (did you mean "flows"?)` when a name is a likely typo of one of `names`, else "". */
export function suggestion(word: string, names: readonly string[]): string {
  const near = closestName(word, names);
  return near === undefined ? "" : ` (did you mean "${near}"?)`;
}

/** The name `word` was probably meant to be: at most a third of its letters away (two for short words). */
export function closestName(word: string, names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  const near = closest(word, [...names]);
  return distance(word.toLowerCase(), near.toLowerCase()) <= Math.max(2, Math.floor(near.length / 3)) ? near : undefined;
}
