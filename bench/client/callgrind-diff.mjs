/**
 * Where the extra calls of execute-instructions.mjs spent their instructions:
 * each function's own instructions (not those of what it calls) in the run
 * with many calls, less those in the run with few, per extra call. V8's
 * compiled JavaScript has no symbols; callgrind names it by address, which
 * the code map `--perf-basic-prof` wrote turns into the function's name.
 *
 *   node bench/client/callgrind-diff.mjs <dir> <contender> <concurrency> [top]
 *
 * reads <dir>/callgrind.<contender>.c<n>.<calls>.out and perf.<…>.map, as
 * `execute-instructions.mjs … --keep <dir>` left them.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [dir, contender, concurrency, topText = "60"] = process.argv.slice(2);
const prefix = `callgrind.${contender}.c${concurrency}.`;
const runs = readdirSync(dir)
  .filter((file) => file.startsWith(prefix) && file.endsWith(".out"))
  .map((file) => Number(file.slice(prefix.length, -".out".length)))
  .sort((a, b) => a - b);
if (runs.length < 2) throw new Error(`want two runs of ${contender} c${concurrency} in ${dir}, found ${runs.length}`);
const [few, many] = [runs[0], runs[runs.length - 1]];

/** Self cost per function name in one run. */
function selfCosts(calls) {
  const label = `${contender}.c${concurrency}.${calls}`;
  const names = codeNames(join(dir, `perf.${label}.map`));
  const text = readFileSync(join(dir, `callgrind.${label}.out`), "utf8");
  const fnNames = new Map();
  const costs = new Map();
  let current = "?";
  let skipNext = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("fn=")) {
      current = compressed(fnNames, line.slice(3));
      continue;
    }
    if (line.startsWith("cfn=")) {
      compressed(fnNames, line.slice(4));
      continue;
    }
    if (line.startsWith("calls=")) {
      // The next cost line is what the call cost, inclusive: not this function's own.
      skipNext = true;
      continue;
    }
    const first = line.charCodeAt(0);
    const isCost = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 42;
    if (!isCost) continue;
    if (skipNext) {
      skipNext = false;
      continue;
    }
    const cost = Number(line.split(" ")[1] ?? 0);
    const name = resolve(names, current);
    costs.set(name, (costs.get(name) ?? 0) + cost);
  }
  return costs;
}

/** `(id) name` defines a name, `(id)` refers to it. */
function compressed(table, spec) {
  const match = /^\((\d+)\)(?: (.*))?$/.exec(spec);
  if (match === null) return spec;
  if (match[2] !== undefined) table.set(match[1], match[2]);
  return table.get(match[1]) ?? spec;
}

/** The code map's ranges, sorted by start. */
function codeNames(file) {
  const entries = readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [start, size, ...name] = line.split(" ");
      return { start: BigInt(`0x${start}`), end: BigInt(`0x${start}`) + BigInt(`0x${size}`), name: name.join(" ") };
    });
  entries.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return entries;
}

function resolve(entries, fullName) {
  // callgrind marks a recursive call's cost with 'N after the name.
  const name = fullName.replace(/'\d+$/, "");
  if (!/^0x[0-9a-f]+$/i.test(name)) return name.length > 110 ? `${name.slice(0, 110)}…` : name;
  const address = BigInt(name);
  // The last range starting at or before the address that holds it (code moves; a later entry reuses the space).
  let low = 0;
  let high = entries.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (entries[mid].start <= address) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  for (let i = found; i >= 0 && i > found - 50; i--) if (entries[i].start <= address && address < entries[i].end) return entries[i].name;
  return "JIT ?";
}

const before = selfCosts(few);
const after = selfCosts(many);
const extra = many - few;
const rows = [...new Set([...before.keys(), ...after.keys()])]
  .map((name) => ({ name, perCall: ((after.get(name) ?? 0) - (before.get(name) ?? 0)) / extra }))
  .sort((a, b) => b.perCall - a.perCall);
const total = rows.reduce((sum, row) => sum + row.perCall, 0);
process.stdout.write(`${contender} c${concurrency}: ${Math.round(total)} instructions per call (${few} and ${many} calls)\n`);
for (const row of rows.slice(0, Number(topText))) process.stdout.write(`${Math.round(row.perCall).toString().padStart(8)}  ${row.name}\n`);
