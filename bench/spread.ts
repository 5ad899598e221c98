/**
 * Several runs of `npm run bench -- --json FILE` side by side: for each
 * measurement, its figure in every run, its ratio to its limit from the
 * lowest to the highest, and in how many runs it met its goal. One run on
 * this shared 2-core machine is one sample; the spread says how far a single
 * figure can be trusted.
 *
 *   node --import tsx bench/spread.ts run1.json run2.json run3.json [--write]
 *
 * `--write` replaces the block between `<!-- spread:start -->` and
 * `<!-- spread:end -->` in BENCHMARKS.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { BenchRow } from "./types.js";

interface Run {
  machine: string;
  rows: BenchRow[];
}

const files = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
if (files.length < 2) throw new Error("give at least two files written by npm run bench -- --json FILE");
const runs = files.map((file) => JSON.parse(readFileSync(file, "utf8")) as Run);

/** A row's name without the figures it quotes in parentheses, which change from run to run. */
const keyOf = (row: BenchRow) => `${row.suite} | ${row.name.replace(/\s*\([^()]*\d[^()]*\)/g, "")}`;
const number = (value: number, decimals = 0) => value.toLocaleString("en", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

const keys = [...new Set(runs.flatMap((run) => run.rows.map(keyOf)))];
const lines = [
  `| suite | measurement | ${runs.map((_, i) => `run ${i + 1}`).join(" | ")} | ratio to limit, lowest–highest | goal met |`,
  `|---|---|${runs.map(() => "---:").join("|")}|---:|---|`,
];
for (const key of keys) {
  const found = runs.map((run) => run.rows.find((row) => keyOf(row) === key));
  const first = found.find((row) => row !== undefined);
  if (first === undefined) continue;
  const figures = found.map((row) => (row === undefined ? "–" : `${number(row.value, row.decimals)} ${row.unit}`));
  const ratios = found.flatMap((row) => (row?.limit ? [row.value / row.limit] : []));
  const ratio = ratios.length === 0 ? "" : `${Math.round(Math.min(...ratios) * 100)}–${Math.round(Math.max(...ratios) * 100)}%`;
  const goals = found.filter((row) => row?.met !== undefined);
  const met = goals.length === 0 ? "" : `${goals.filter((row) => row?.met).length} of ${goals.length}${first.goal === undefined ? "" : `: ${first.goal.replace(/\s*\([^()]*\d[^()]*\)/g, "")}`}`;
  const [suite, name] = key.split(" | ");
  lines.push(`| ${suite} | ${name} | ${figures.join(" | ")} | ${ratio} | ${met} |`);
}
const report = `${runs.map((run, i) => `Run ${i + 1}: ${run.machine}`).join("  \n")}\n\n${lines.join("\n")}\n`;
console.log(report);

if (process.argv.includes("--write")) {
  const file = new URL("../BENCHMARKS.md", import.meta.url);
  const text = readFileSync(file, "utf8");
  const start = text.indexOf("<!-- spread:start -->");
  const end = text.indexOf("<!-- spread:end -->");
  if (start < 0 || end < start) throw new Error("BENCHMARKS.md has no <!-- spread:start --> … <!-- spread:end --> block");
  writeFileSync(file, `${text.slice(0, start)}<!-- spread:start -->\n${report}<!-- spread:end -->${text.slice(end + "<!-- spread:end -->".length)}`);
}
