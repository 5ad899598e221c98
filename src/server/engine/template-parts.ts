/**
 * Templates split into literal text and `{{path | filter…}}` placeholders, by
 * a scanner that runs in linear time: templates come from callers too
 * (blockOverrides), and a backtracking pattern over a megabyte of `{{   `
 * would hold the server for minutes.
 */
export type Part = string | Placeholder;

export interface Placeholder {
  path: string[];
  filters: string[];
}

const FILTER_NAME = /^[A-Za-z]+$/;

/**
 * A placeholder is `{{`, a path (no `{`, `}` or `|`), then `| name` filters
 * (letters only), then `}}`; spaces around each piece are allowed. Anything
 * else is literal text.
 */
export function parseTemplate(template: string): Part[] {
  const parts: Part[] = [];
  let literalFrom = 0;
  // The first `}}`, `{` and `}` at or after a position: each only moves forward, so the scan is linear.
  let close = -1;
  let nextOpen = -1;
  let nextBrace = -1;
  for (let start = template.indexOf("{{"); start >= 0; ) {
    const inner = start + 2;
    if (close < inner) close = template.indexOf("}}", inner);
    if (close < 0) break;
    if (nextOpen < inner) nextOpen = indexOr(template, "{", inner);
    if (nextBrace < inner) nextBrace = indexOr(template, "}", inner);
    const placeholder = nextOpen < close || nextBrace < close ? undefined : placeholderOf(template.slice(inner, close));
    if (!placeholder) {
      start = template.indexOf("{{", start + 1);
      continue;
    }
    if (start > literalFrom) parts.push(template.slice(literalFrom, start));
    parts.push(placeholder);
    literalFrom = close + 2;
    start = template.indexOf("{{", literalFrom);
  }
  if (literalFrom < template.length || parts.length === 0) parts.push(template.slice(literalFrom));
  return parts;
}

function indexOr(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

function placeholderOf(inner: string): Placeholder | undefined {
  const [pathText = "", ...filterTexts] = inner.split("|");
  const filters = filterTexts.map((filter) => filter.trim());
  if (!filters.every((filter) => FILTER_NAME.test(filter))) return undefined;
  const path = pathText.trim();
  if (pathText === "") return undefined;
  // `{{ }}` is a placeholder for a missing value, as it always was.
  return { path: (path === "" ? pathText : path).split("."), filters };
}
