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
 * `blocking-cjs`, `blocking-main`, `official`) or the path of a script that
 * is called with the port and prints the same two lines (wall ms, CPU ms).
 * The default is `ours blocking blocking-main`: the async client, then the
 * blocking one from `noukai/blocking` and from the main entry.
 *
 * With FIRST_CALL_IDLE=0.8, each round waits (up to a minute) for a moment
 * when the machine's cores were at least 80 % idle over the last quarter
 * second: on a machine shared with other work, the blocking client's gain
 * from booting its thread on another core only shows when that core is
 * free. The rounds that found no such moment run anyway and are counted.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [portText, roundsText = "9", ...named] = process.argv.slice(2);
if (portText === undefined) throw new Error("usage: first-call-pairs.mjs <port> [rounds] [contender…]");
const contenders = named.length > 0 ? named : ["ours", "blocking", "blocking-main"];
const firstCall = fileURLToPath(new URL("./first-call.mjs", import.meta.url));

const idleWanted = Number(process.env.FIRST_CALL_IDLE ?? 0);
let busyRounds = 0;
const samples = new Map(contenders.map((name) => [name, { wall: [], cpu: [] }]));
for (let round = 0; round < Number(roundsText); round++) {
  if (idleWanted > 0 && !waitForIdle(idleWanted, 60_000)) busyRounds++;
  for (const name of contenders) {
    const args = name.includes("/") || name.endsWith(".mjs") ? [name, portText] : [firstCall, name, portText];
    const child = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, FIRST_CALL_CPU: "1" } });
    if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr}`);
    const [wall, cpu] = child.stdout.trim().split("\n").map(Number);
    samples.get(name).wall.push(wall);
    samples.get(name).cpu.push(cpu);
  }
}

if (idleWanted > 0) console.log(`rounds run without ${idleWanted * 100} % idle cores: ${busyRounds} of ${roundsText}`);

/** Waits until the cores were idle for at least `fraction` of a quarter second (from /proc/stat); false if that never came. */
function waitForIdle(fraction, timeoutMs) {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const cpu = () => readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const before = cpu();
    Atomics.wait(sleeper, 0, 0, 250);
    const spent = cpu().map((value, i) => value - before[i]);
    const total = spent.reduce((a, b) => a + b, 0);
    // Fields 3 and 4 are idle and iowait.
    if (total > 0 && (spent[3] + spent[4]) / total >= fraction) return true;
  }
  return false;
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
