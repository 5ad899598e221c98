import type { BenchRow } from "./types.js";

const number = (value: number, decimals = 0) =>
  value.toLocaleString("en", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

/** The rows as a markdown table. */
export function formatTable(rows: readonly BenchRow[]): string {
  const lines = ["| suite | measurement | result | limit (raw node:http unless named) | ratio to limit | goal | met |", "|---|---|---:|---:|---:|---|---|"];
  for (const row of rows) {
    const limit = row.limit === undefined ? "" : `${number(row.limit)} ${row.unit}${row.limitIs === undefined ? "" : ` (${row.limitIs})`}`;
    const ratio = row.limit ? `${Math.round((row.value / row.limit) * 100)}%` : "";
    const met = row.met === undefined ? "" : row.met ? "yes" : "**no**";
    lines.push(`| ${row.suite} | ${row.name} | ${number(row.value, row.decimals)} ${row.unit} | ${limit} | ${ratio} | ${row.goal ?? ""} | ${met} |`);
  }
  return lines.join("\n");
}
