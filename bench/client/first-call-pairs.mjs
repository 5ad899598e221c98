/**
 * The first call of several contenders, interleaved: round after round, each
 * contender once in a fresh process (A, B, A, B…), so that a machine whose
 * load changes over the run weighs on all of them alike. Reports each one's
 * median and range of wall time and of CPU time (./first-call.mjs), and how
 * many times the first contender's time it takes: the median of the rounds'
 * own ratios, steadier on a shared machine than a ratio of medians.
 *
 *   node bench/client/first-call-pairs.mjs <port> [rounds=9] [contender…]
 *
 * A contender is a client first-call.mjs knows (`ours`, `blocking`,
 * `blocking-main`, `official`) or the path of a script that is called with the port and
 * prints the same two lines (wall ms, CPU ms). The default is `ours blocking`.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const [portText, roundsText = "9", ...named] = process.argv.slice(2);
if (portText === undefined) throw new Error("usage: first-call-pairs.mjs <port> [rounds] [contender…]");
const contenders = named.length > 0 ? named : ["ours", "blocking"];
const firstCall = fileURLToPath(new URL("./first-call.mjs", import.meta.url));

const samples = new Map(contenders.map((name) => [name, { wall: [], cpu: [] }]));
for (let round = 0; round < Number(roundsText); round++) {
  for (const name of contenders) {
    const args = name.includes("/") || name.endsWith(".mjs") ? [name, portText] : [firstCall, name, portText];
    const child = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, FIRST_CALL_CPU: "1" } });
    if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr}`);
    const [wall, cpu] = child.stdout.trim().split("\n").map(Number);
    samples.get(name).wall.push(wall);
    samples.get(name).cpu.push(cpu);
  }
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const range = (list) => `${Math.min(...list).toFixed(1)}–${Math.max(...list).toFixed(1)}`;
// Each round's ratio to the first contender, then their median: a round that met a busy moment weighs on both sides of its ratio.
const base = samples.get(contenders[0]);
const pairedRatio = (list, baseList) => median(list.map((value, round) => value / baseList[round]));
for (const [name, { wall, cpu }] of samples) {
  const ratio = `${pairedRatio(wall, base.wall).toFixed(2)}× wall, ${pairedRatio(cpu, base.cpu).toFixed(2)}× cpu (median of each round's ratio)`;
  console.log(
    `${name.padEnd(24)} wall ${median(wall).toFixed(1).padStart(6)} ms (${range(wall)})  cpu ${median(cpu).toFixed(1).padStart(6)} ms (${range(cpu)})  ${ratio}`,
  );
}
