/**
 * Runs every benchmark suite in one process and prints one markdown table,
 * with the machine it ran on. `npm run bench -- --write` also rewrites the
 * table in BENCHMARKS.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { benchBridge } from "./bridge/suite.js";
import { benchClients } from "./client/suite.js";
import { benchTelemetry } from "./client/telemetry-suite.js";
import { benchServer } from "./server.js";
import { formatTable } from "./table.js";
import type { BenchRow } from "./types.js";

const suites: [string, () => Promise<BenchRow[]>][] = [
  ["server", () => benchServer()],
  ["clients", () => benchClients()],
  ["blocking bridge", () => benchBridge()],
  ["telemetry", () => benchTelemetry()],
];

// `npm run bench -- --only telemetry` runs one suite (its table is printed, never written).
const only = process.argv.indexOf("--only");
const chosen = only < 0 ? suites : suites.filter(([name]) => name === process.argv[only + 1]);

const rows: BenchRow[] = [];
for (const [name, suite] of chosen) {
  process.stderr.write(`running ${name}…\n`);
  rows.push(...(await suite()));
}

const cpus = os.cpus();
const machine =
  `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
  `${os.type()} ${os.release()}, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}`;
const report = `Machine: ${machine}\n\n${formatTable(rows)}\n`;
console.log(report);

// `--json FILE` keeps the run's rows for bench/spread.ts, which sets several runs side by side.
const jsonAt = process.argv.indexOf("--json");
const jsonFile = jsonAt >= 0 ? process.argv[jsonAt + 1] : undefined;
if (jsonFile !== undefined) writeFileSync(jsonFile, JSON.stringify({ machine, rows }, null, 2));

if (process.argv.includes("--write") && only < 0) {
  const file = new URL("../BENCHMARKS.md", import.meta.url);
  const text = readFileSync(file, "utf8");
  const start = text.indexOf("<!-- bench:start -->");
  const end = text.indexOf("<!-- bench:end -->");
  if (start < 0 || end < start) throw new Error("BENCHMARKS.md has no <!-- bench:start --> … <!-- bench:end --> block");
  writeFileSync(file, `${text.slice(0, start)}<!-- bench:start -->\n${report}<!-- bench:end -->${text.slice(end + "<!-- bench:end -->".length)}`);
}

// The official client leaves its per-request timers armed after a call
// (a defect this SDK does not share), so the process is ended explicitly.
process.exit(0);
