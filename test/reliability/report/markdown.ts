/** Small Markdown helpers for the reliability report. */

export const count = (n: number): string => n.toLocaleString("en-US");

/** A table cell: pipes escaped, line breaks flattened, long text cut. */
export function cell(text: string, max = 220): string {
  const flat = text.replace(/\s+/g, " ").replaceAll("|", "\\|").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** `{a: 2, b: 1}` → "a 2, b 1", largest first. */
export function counts(record: Record<string, number | undefined>): string {
  const entries = Object.entries(record).filter((entry): entry is [string, number] => entry[1] !== undefined && entry[1] > 0);
  return entries.length === 0 ? "none" : entries.sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key} ${count(n)}`).join(", ");
}

/** ✓ when there is nothing wrong, else what is. */
export function verdict(problems: readonly string[]): string {
  return problems.length === 0 ? "✓" : `✗ ${cell(problems.join("; "), 300)}`;
}
