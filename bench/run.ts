/** Runs every benchmark suite in one process and prints one markdown table. */
import { benchServer } from "./server.js";
import { formatTable } from "./table.js";
import type { BenchRow } from "./types.js";

const suites: Array<[string, () => Promise<BenchRow[]>]> = [["server", () => benchServer()]];

const rows: BenchRow[] = [];
for (const [name, suite] of suites) {
  process.stderr.write(`running ${name}…\n`);
  rows.push(...(await suite()));
}
console.log(formatTable(rows));
