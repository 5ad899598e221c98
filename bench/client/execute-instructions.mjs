/**
 * Instructions per execute round trip, counted by valgrind's callgrind: a
 * figure that the load of a shared machine does not move, unlike calls/s.
 * The client runs under callgrind twice (after the same warm-up, a few calls,
 * then many more), against the fixed server running outside it; the
 * difference over the extra calls is the instructions the client spends per
 * call, whatever else the machine is doing.
 *
 *   node --import tsx bench/client/fixed-server.ts    (prints its port)
 *   node bench/client/execute-instructions.mjs <contender> <port> [concurrency] [--keep DIR]
 *
 * `contender` is `ours` (AsyncNoukai) or `undici` (raw `Pool.request`, as in
 * contenders.ts); `concurrency` is how many loops call
 * at once (1 by default). `--keep DIR` keeps both runs' callgrind files and
 * V8's code maps (`--perf-basic-prof`) in DIR, for callgrind-diff.mjs, which
 * names the functions the extra calls spent their instructions in.
 * Needs valgrind and `dist/` (npm run build). Prints "<contender> c<n>
 * <instructions> instructions per call"; takes a few minutes.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/*
 * The contenders of contenders.ts, in plain JavaScript: under tsx, its loader
 * and source maps spent instructions in the counted calls too. The same
 * bytes as there: keep the two in step.
 */
const KEY = "nk_bench_key";
const EXECUTE_BODY = '{"message":"hi","trace":false}';
const EXECUTE_HEADERS = {
  authorization: `Bearer ${KEY}`,
  "x-noukai-api-version": "2026-05-31",
  "user-agent": `noukai-ts/0.1.0 (node/${process.versions.node}; ${process.platform})`,
  accept: "application/json",
  "content-type": "application/json",
  "idempotency-key": "7b0c2f5e-2a1d-4c55-9a57-3f1b7d0e9a10",
  "content-length": String(EXECUTE_BODY.length),
};
const contenders = {
  async ours(port) {
    const { AsyncNoukai } = await import("../../dist/index.js");
    const flow = new AsyncNoukai({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/api/v1` }).flow("bench/fixed/execute");
    return () => flow.execute({ message: "hi" });
  },
  async undici(port) {
    const { Pool } = await import("undici");
    const pool = new Pool(`http://127.0.0.1:${port}`);
    return async () => {
      const answer = await pool.request({ method: "POST", path: "/api/v1/seq/bench/fixed/execute/execute", headers: EXECUTE_HEADERS, body: EXECUTE_BODY });
      return JSON.parse(await answer.body.text());
    };
  },
};

const WARM_UP_CALLS = 4_000;
const FEW_CALLS = 1_000;
/*
 * Far more counted calls than warm-up: a collection of the whole heap costs
 * millions of instructions, and one that falls in one run but not the other
 * must be shared out over many calls to stay small per call.
 */
const MANY_CALLS = 11_000;

const args = process.argv.slice(2);
const keepAt = args.indexOf("--keep");
const keepDir = keepAt === -1 ? undefined : args.splice(keepAt, 2)[1];
const [name, portText, concurrencyText = "1", callsText] = args;

if (callsText === undefined) {
  // The parent: run the child under callgrind with a few calls, then many, and subtract.
  const collected = (calls, keep) => {
    const label = `${name}.c${concurrencyText}.${calls}`;
    const outFile = keep === undefined ? "/dev/null" : join(keep, `callgrind.${label}.out`);
    // V8's own log (which --perf-basic-prof would also write) is not wanted, and costs instructions per call.
    const node = keep === undefined ? [process.execPath] : [process.execPath, "--perf-basic-prof", "--logfile=/dev/null"];
    const run = spawnSync(
      "valgrind",
      ["--tool=callgrind", `--callgrind-out-file=${outFile}`, ...node, new URL(import.meta.url).pathname, name, portText, concurrencyText, String(calls)],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    // callgrind reports on stderr, after the program's own output.
    const match = run.status === 0 ? /Collected : (\d+)/.exec(run.stderr) : null;
    if (match === null) throw new Error(`the counted run failed (exit ${run.status}):\n${run.stderr}`);
    if (keep !== undefined) {
      const pid = /^==(\d+)==/m.exec(run.stderr)?.[1];
      if (pid !== undefined) {
        copyFileSync(`/tmp/perf-${pid}.map`, join(keep, `perf.${label}.map`));
        unlinkSync(`/tmp/perf-${pid}.map`);
      }
    }
    return Number(match[1]);
  };
  if (keepDir !== undefined) mkdirSync(keepDir, { recursive: true });
  const few = collected(FEW_CALLS, keepDir);
  const many = collected(MANY_CALLS, keepDir);
  const perCall = (many - few) / (MANY_CALLS - FEW_CALLS);
  process.stdout.write(`${name} c${concurrencyText} ${Math.round(perCall)} instructions per call\n`);
} else {
  // The child, under callgrind: warm up, then make the calls being counted.
  const contender = await contenders[name]?.(Number(portText));
  if (contender === undefined) throw new Error(`unknown contender ${name}`);
  const concurrency = Number(concurrencyText);
  const run = async (calls) => {
    let left = calls;
    const loop = async () => {
      while (left > 0) {
        left--;
        await contender();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
  };
  // No collection is forced before counting: after a forced one the counted
  // calls paid for more collecting than a warm client does (at concurrency 1,
  // AsyncNoukai counted 182,000 per call that way and 136,000 without; raw
  // undici 142,000 and 134,500).
  await run(WARM_UP_CALLS);
  await run(Number(callsText));
  process.exit(0);
}
