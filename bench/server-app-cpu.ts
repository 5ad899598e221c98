/**
 * The app's own CPU, with no sockets: each build's app (createServerApp of
 * DIR/server.js) is called straight through the entry the Node binding uses,
 * in a fresh process per build and round, interleaved. Two figures: CPU µs
 * per one-step execute (the store full at its default 10,000 kept runs, as
 * in a server that has been up a while), and CPU ns per event of a
 * 10,000-step `runRemaining` /step stream read by a sink that only counts.
 * Client, kernel and HTTP parsing are left out, so a change to the app shows
 * up at a few percent where server-cpu.ts needs many rounds to see it. Prints
 * the least and the median of each build's rounds.
 *
 *   node --import tsx bench/server-app-cpu.ts [--rounds 3] [--requests 200000] [--streams 15] NAME=DISTDIR …
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as ServerEntry from "../dist/server.js";
import { scriptOptions } from "./script-options.js";

interface Request {
  method: string;
  path: string;
  query: string;
  header(name: string): string | undefined;
  readBody(limit: number, budget: { take(bytes: number): boolean }): Promise<{ text: string; bytes: number }>;
  onAbort(): void;
}
interface Answer {
  status: number;
  body: string | ((sink: object) => Promise<void>) | null;
}
type Handle = (request: Request) => Promise<Answer>;

const STREAM_STEPS = 10_000;

function requestOf(path: string, body: string): Request {
  const headers: Record<string, string> = { host: "127.0.0.1:8080", authorization: "Bearer nk_bench", "content-type": "application/json", "content-length": String(body.length) };
  return {
    method: "POST",
    path,
    query: "",
    header: (name) => headers[name],
    readBody: (_limit, budget) => {
      budget.take(body.length);
      return Promise.resolve({ text: body, bytes: body.length });
    },
    onAbort: () => undefined,
  };
}

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** The child: one build, one round. Prints `executeMicros streamNanosPerEvent`. */
async function child(dir: string, requests: number, streams: number): Promise<void> {
  const { createServerApp } = (await import(pathToFileURL(`${dir}/server.js`).href)) as typeof ServerEntry;
  const longFlow = { org: "bench", project: "load", slug: "long", draft: { steps: Array.from({ length: STREAM_STEPS }, (_, i) => ({ id: `s${i}`, template: "{{message}}" })) } };
  const app = createServerApp({ maxEventsPerRun: 50_000, flows: [longFlow] }) as unknown as Record<symbol, unknown>;
  const entry = Object.getOwnPropertySymbols(app).find((symbol) => String(symbol).includes("handleAppRequest"));
  if (entry === undefined) throw new Error(`${dir}: no handleAppRequest entry`);
  const handle = app[entry] as Handle;
  const execute = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const answer = await handle(requestOf("/api/v1/seq/examples/demo/hello/execute", '{"message":"bench","trace":false}'));
      if (answer.status !== 200) throw new Error(`execute answered ${answer.status}`);
    }
  };
  const stream = async (): Promise<number> => {
    const answer = await handle(requestOf("/api/v1/seq/bench/load/long/step", '{"message":"x","runRemaining":true}'));
    if (typeof answer.body !== "function") throw new Error(`step answered ${answer.status}`);
    let events = 0;
    let closed = false;
    await answer.body({
      write: (chunk: string) => {
        for (let at = chunk.indexOf("event: "); at >= 0; at = chunk.indexOf("event: ", at + 7)) events++;
        return true;
      },
      drain: () => Promise.resolve(),
      end: () => (closed = true),
      destroy: () => (closed = true),
      get closed() {
        return closed;
      },
      onClose: () => undefined,
    });
    return events;
  };
  // Warm up, and fill the run store to its default 10,000 before counting.
  await execute(20_000);
  let started = cpuMicros();
  await execute(requests);
  const executeMicros = (cpuMicros() - started) / requests;
  for (let i = 0; i < 3; i++) await stream();
  const perEvent: number[] = [];
  for (let i = 0; i < streams; i++) {
    started = cpuMicros();
    const events = await stream();
    perEvent.push(((cpuMicros() - started) * 1000) / events);
  }
  process.stdout.write(`${executeMicros} ${Math.min(...perEvent)}\n`);
}

const args = process.argv.slice(2);
const option = scriptOptions(args);
const requests = Number(option("requests", "200000"));
const streams = Number(option("streams", "15"));

if (option("child", "") !== "") {
  await child(args[0] ?? "dist", requests, streams);
} else {
  const rounds = Number(option("rounds", "3"));
  const builds = args.map((arg) => ({ name: arg.slice(0, arg.indexOf("=")), dir: arg.slice(arg.indexOf("=") + 1), execute: [] as number[], stream: [] as number[] }));
  const script = fileURLToPath(import.meta.url);
  for (let round = 0; round < rounds; round++) {
    for (const build of builds) {
      const run = spawnSync(process.execPath, ["--import", "tsx", script, "--child", "1", "--requests", String(requests), "--streams", String(streams), build.dir], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(`${build.name} failed:\n${run.stderr}`);
      const [execute = NaN, stream = NaN] = run.stdout.trim().split(" ").map(Number);
      build.execute.push(execute);
      build.stream.push(stream);
      process.stderr.write(`round ${round + 1} ${build.name}: execute ${execute.toFixed(2)} µs, stream ${stream.toFixed(0)} ns/event\n`);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;
  for (const build of builds) {
    console.log(
      `${build.name.padEnd(8)} execute CPU µs least ${Math.min(...build.execute).toFixed(2)} median ${median(build.execute).toFixed(2)} [${build.execute.map((v) => v.toFixed(2)).join(" ")}]` +
        `  stream CPU ns/event least ${Math.min(...build.stream).toFixed(0)} median ${median(build.stream).toFixed(0)} [${build.stream.map((v) => v.toFixed(0)).join(" ")}]`,
    );
  }
}
