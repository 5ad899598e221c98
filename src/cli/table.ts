import { visible } from "./visible.js";

/** Left-aligned columns, two spaces apart; trailing spaces trimmed. Cells hold what servers sent: their control characters are shown as escapes. */
export function formatTable(header: readonly string[], cellsOf: readonly (readonly string[])[]): string[] {
  const rows = cellsOf.map((row) => row.map(visible));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
