/**
 * The least any blocking client's first call can cost here, measured like
 * ./first-call.mjs: import the package (as the blocking client's user does),
 * start a worker thread that does nothing but send the execute request over
 * raw `node:http`, and block with `Atomics.wait` until it has the answer.
 * No client, no core, no module of the worker's own: what is left of the
 * blocking client's first call beyond this is what it could still save.
 *
 *   node bench/client/first-call-floor.mjs <port> [early]
 *
 * With `early`, the worker starts before the package is imported, as
 * `noukai/blocking` starts its I/O thread: the floor of that entry, where
 * the thread boots on another core while this one imports
 * (./first-call-floor-early.mjs runs it so, for first-call-pairs.mjs).
 *
 * Prints wall milliseconds, then CPU milliseconds of every thread, like
 * first-call.mjs with FIRST_CALL_CPU=1.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

const [portText, when] = process.argv.slice(2);
const started = performance.now();
const cpuAtStart = process.cpuUsage();

if (when !== "early") await import("../../dist/index.js");
const flag = new Int32Array(new SharedArrayBuffer(4));
const { port1, port2 } = new MessageChannel();
const worker = new Worker(
  `const { workerData: { port, flag, portText } } = require("node:worker_threads");
  const request = require("node:http").request(
    { hostname: "127.0.0.1", port: portText, method: "POST", path: "/api/v1/seq/bench/fixed/execute/execute",
      headers: { authorization: "Bearer nk_bench_key", "content-type": "application/json" } },
    (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => {
        port.postMessage(text);
        Atomics.store(new Int32Array(flag), 0, 1);
        Atomics.notify(new Int32Array(flag), 0);
      });
    },
  );
  request.end(JSON.stringify({ message: "hi" }));`,
  { eval: true, workerData: { port: port2, flag: flag.buffer, portText }, transferList: [port2], execArgv: [] },
);
worker.unref();
// What noukai/blocking loads once its thread is started (not the entry itself, which would start a second thread).
if (when === "early") await import("../../dist/index.js");
Atomics.wait(flag, 0, 0, 10_000);
const answer = receiveMessageOnPort(port1)?.message;
if (typeof answer !== "string" || !answer.includes("completed")) throw new Error(`unexpected answer: ${String(answer)}`);
const cpu = process.cpuUsage(cpuAtStart);
process.stdout.write(`${performance.now() - started}\n${(cpu.user + cpu.system) / 1000}\n`);
process.exit(0);
