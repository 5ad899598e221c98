import type { BenchRow } from "./types.js";

const number = (value: number) => Math.round(value).toLocaleString("en");

/** The rows as a markdown table. */
export function formatTable(rows: readonly BenchRow[]): string {
  const lines = ["| suite | measurement | result | limit (minimal node:http) | ratio | goal | met |", "|---|---|---:|---:|---:|---|---|"];
  for (const row of rows) {
    const limit = row.limit === undefined ? "" : `${number(row.limit)} ${row.unit}`;
    const ratio = row.limit ? `${Math.round((row.value / row.limit) * 100)}%` : "";
    const met = row.met === undefined ? "" : row.met ? "yes" : "**no**";
    lines.push(`| ${row.suite} | ${row.name} | ${number(row.value)} ${row.unit} | ${limit} | ${ratio} | ${row.goal ?? ""} | ${met} |`);
  }
  return lines.join("\n");
}
