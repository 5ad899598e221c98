/**
 * Server CPU per request, interleaved A/B: the bare node:http server and one
 * or more builds of the local server, each in its own process
 * (server-cpu-host.ts), loaded in turn by the same closed-loop client as the
 * bench (keep-alive node:http). For each round and concurrency every server
 * gets one window, in a rotating order; the figure is the server process's
 * CPU time over the window divided by the requests answered in it, which a
 * shared machine disturbs far less than throughput. Prints both per round,
 * then medians and the ratio to the bare server of the same round.
 *
 *   node --import tsx bench/server-cpu.ts [--rounds 5] [--ms 1500] [--conc 1,32] [--body JSON] NAME=DISTDIR …
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { Agent, request } from "node:http";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";
import { scriptOptions } from "./script-options.js";

interface Host {
  name: string;
  port: number;
  child: ChildProcessByStdio<Writable, Readable, null>;
  lines: Interface;
  next(): Promise<string>;
}

const args = process.argv.slice(2);
const option = scriptOptions(args);
const rounds = Number(option("rounds", "5"));
const windowMs = Number(option("ms", "1500"));
const concurrencies = option("conc", "1,32").split(",").map(Number);
const body = option("body", '{"message":"bench","trace":false}');
// --prof DIR: every server process writes a CPU profile into DIR when it ends.
const profDir = option("prof", "");
// NAME=DIR serves DIR's app (NAME=DIR@JSON with these app options too); NAME=binding:DIR serves DIR's Node binding around an app that does nothing.
const builds = args.map((arg) => {
  const at = arg.indexOf("=");
  const name = arg.slice(0, at);
  const target = arg.slice(at + 1);
  if (target.startsWith("binding:")) return { name, kind: "binding", dir: target.slice("binding:".length), extra: "" };
  const [dir = "", extra = "{}"] = target.split("@");
  return { name, kind: "app", dir, extra };
});
const PATH = "/api/v1/seq/examples/demo/hello/execute";
const headers = { authorization: "Bearer nk_bench", "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) };
const hostScript = fileURLToPath(new URL("./server-cpu-host.ts", import.meta.url));

function startHost(name: string, hostArgs: string[]): Promise<Host> {
  const prof = profDir === "" ? [] : ["--cpu-prof", `--cpu-prof-dir=${profDir}`];
  const child = spawn(process.execPath, [...prof, "--import", "tsx", hostScript, ...hostArgs], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  return next().then((port) => ({ name, port: Number(port), child, lines, next }));
}

async function cpuOf(host: Host): Promise<number> {
  const answer = host.next();
  host.child.stdin.write("cpu\n");
  return Number(await answer);
}

/** One window of closed-loop load: requests answered and the server's CPU µs over it. */
async function window(host: Host, concurrency: number): Promise<{ rate: number; cpuPerRequest: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let counting = false;
  let stop = false;
  let done = 0;
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ agent, host: "127.0.0.1", port: host.port, path: PATH, method: "POST", headers }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode} from ${host.name}`));
        res.on("data", () => undefined);
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end(body);
    });
  const loop = async () => {
    while (!stop) {
      await once();
      served.set(host.name, (served.get(host.name) ?? 0) + 1);
      if (counting) done++;
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  await sleep(400);
  const cpuBefore = await cpuOf(host);
  counting = true;
  const started = performance.now();
  await sleep(windowMs);
  counting = false;
  const elapsed = performance.now() - started;
  const cpuAfter = await cpuOf(host);
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  return { rate: (done / elapsed) * 1000, cpuPerRequest: (cpuAfter - cpuBefore) / done };
}

/** Every request each server answered, warm-ups included (to read a CPU profile per request). */
const served = new Map<string, number>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const fmt = (values: number[], digits = 0) => values.map((v) => v.toFixed(digits)).join(" ");

const sample = await (async () => {
  const first = await startHost(builds[0]?.name ?? "", ["app", builds[0]?.dir ?? ""]);
  const text = await new Promise<string>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: first.port, path: PATH, method: "POST", headers }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (data += chunk));
      res.on("end", () => resolve(data));
    });
    req.on("error", reject);
    req.end(body);
  });
  first.child.stdin.end();
  return text;
})();
const hosts = [await startHost("bare", ["bare", sample]), ...(await Promise.all(builds.map((build) => startHost(build.name, [build.kind, build.dir, build.kind === "app" ? build.extra : sample]))))];
const results = new Map<string, { rate: number[]; cpu: number[]; ratio: number[] }>();
for (const concurrency of concurrencies) for (const host of hosts) results.set(`${host.name}@${concurrency}`, { rate: [], cpu: [], ratio: [] });

// A first window each, not counted: the first rounds otherwise measure the JIT warming up.
for (const host of hosts) for (const concurrency of concurrencies) await window(host, concurrency);
for (let round = 0; round < rounds; round++) {
  for (const concurrency of concurrencies) {
    const order = hosts.map((_, i) => hosts[(i + round) % hosts.length] as Host);
    const rates = new Map<string, number>();
    for (const host of order) {
      const measured = await window(host, concurrency);
      rates.set(host.name, measured.rate);
      const entry = results.get(`${host.name}@${concurrency}`);
      entry?.rate.push(measured.rate);
      entry?.cpu.push(measured.cpuPerRequest);
    }
    for (const host of hosts) results.get(`${host.name}@${concurrency}`)?.ratio.push((rates.get(host.name) ?? 0) / (rates.get("bare") ?? 1));
    process.stderr.write(`round ${round + 1} c${concurrency}: ${hosts.map((h) => `${h.name} ${Math.round(rates.get(h.name) ?? 0)}/s`).join(", ")}\n`);
  }
}

for (const concurrency of concurrencies) {
  console.log(`\nconcurrency ${concurrency}`);
  for (const host of hosts) {
    const r = results.get(`${host.name}@${concurrency}`);
    if (!r) continue;
    console.log(
      `  ${host.name.padEnd(8)} cpu µs/req median ${median(r.cpu).toFixed(1)} least ${Math.min(...r.cpu).toFixed(1)} [${fmt(r.cpu, 1)}]` +
        `  req/s median ${median(r.rate).toFixed(0)} [${fmt(r.rate)}]  ratio to bare median ${(median(r.ratio) * 100).toFixed(0)}% [${r.ratio.map((x) => (x * 100).toFixed(0)).join(" ")}]`,
    );
  }
}
console.log(`\nrequests answered in all: ${hosts.map((host) => `${host.name} ${served.get(host.name) ?? 0} (pid ${host.child.pid})`).join(", ")}`);
for (const host of hosts) host.child.stdin.end();
