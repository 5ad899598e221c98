/**
 * Import plus first call, as a short script meets it: in a fresh Node
 * process, the time from before the client's `import()` to the first
 * execute's answer (module loading, client construction, for the blocking
 * client its I/O worker, the first connection). The process's own start is
 * the same for every contender and is left out.
 *
 *   node bench/client/first-call.mjs <ours|blocking|blocking-cjs|blocking-main|official> <port>
 *
 * `blocking` is `Noukai` from `noukai/blocking`, the entry for blocking
 * users, which starts the I/O thread as it is imported (`blocking-cjs`: the
 * same entry loaded with `require`); `blocking-main` is the same client from
 * the main entry, whose thread starts with the first `new Noukai()`.
 *
 * Prints milliseconds on stdout; with FIRST_CALL_CPU=1, also the CPU time of
 * the same span on a second line (every thread of the process, the blocking
 * client's I/O worker included), which a loaded machine disturbs less than
 * the wall time. Plain JavaScript, unlike the rest of the
 * benchmarks, so that no TypeScript loader sits between Node and the modules
 * being timed: the clients are loaded from `dist/` and the package, as a
 * user's program loads them.
 */
import { createRequire } from "node:module";

const [name, portText] = process.argv.slice(2);
const baseUrl = `http://127.0.0.1:${portText}/api/v1`;
const KEY = "nk_bench_key";

const started = performance.now();
const cpuAtStart = process.cpuUsage();
if (name === "ours") {
  const { AsyncNoukai } = await import("../../dist/index.js");
  const client = new AsyncNoukai({ apiKey: KEY, baseUrl });
  await client.flow("bench/fixed/execute").execute({ message: "hi" });
  report();
  await client.close();
} else if (name === "blocking" || name === "blocking-cjs" || name === "blocking-main") {
  // The files `noukai/blocking` and `noukai` resolve to (package.json's exports).
  const { Noukai } =
    name === "blocking-cjs"
      ? createRequire(import.meta.url)("../../dist/blocking-entry.cjs")
      : await import(name === "blocking" ? "../../dist/blocking-entry.js" : "../../dist/index.js");
  const client = new Noukai({ apiKey: KEY, baseUrl });
  client.flow("bench/fixed/execute").execute({ message: "hi" });
  report();
  client.close();
} else if (name === "official") {
  // The official client only knows localhost:8080 (`env: "dev"`); its fetch is pointed at the fixed server.
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) =>
    realFetch(String(input instanceof Request ? input.url : input).replace("http://localhost:8080/api/v1", baseUrl), init);
  const { Noukai: Official } = await import("@noukai/sdk");
  const client = new Official({ apiKey: KEY, env: "dev" });
  await client.flow("bench/fixed/execute").execute({ message: "hi" });
  report();
} else {
  throw new Error(`unknown contender ${name}`);
}
process.exit(0);

function report() {
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  process.stdout.write(process.env.FIRST_CALL_CPU === "1" ? `${wall}\n${(cpu.user + cpu.system) / 1000}\n` : `${wall}\n`);
}
