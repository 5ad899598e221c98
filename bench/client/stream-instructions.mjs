/**
 * Instructions per event, counted by valgrind's callgrind: a figure that the
 * load of a shared machine does not move, unlike events/s. The client runs
 * under callgrind twice (one stream after a warm-up, then four), against the
 * fixed server running outside it; the difference over the three extra
 * streams is the instructions the client spends per event, whatever else
 * the machine is doing.
 *
 *   node --import tsx bench/client/fixed-server.ts    (prints its port)
 *   node bench/client/stream-instructions.mjs <ours|bare> <port>
 *
 * `ours` reads `AsyncNoukai.events({ runRemaining })` with `for await`;
 * `bare` is the limit of the client benchmarks (node:http, eventsource-parser,
 * JSON.parse per event). Needs valgrind and `dist/` (npm run build). Prints
 * "<contender> <n> instructions per event"; takes a few minutes.
 */
import { spawnSync } from "node:child_process";
import http from "node:http";

const STREAM_EVENTS = 20_000;
const WARM_UP_STREAMS = 3;

const [name, portText, streamsText] = process.argv.slice(2);
if (streamsText === undefined) {
  // The parent: run this file under callgrind with one stream, then with four, and subtract.
  const collected = (streams) => {
    const run = spawnSync(
      "valgrind",
      ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, new URL(import.meta.url).pathname, name, portText, String(streams)],
      { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] },
    );
    // callgrind reports on stderr, after the program's own output.
    const match = run.status === 0 ? /Collected : (\d+)/.exec(run.stderr) : null;
    if (match === null) throw new Error(`the counted run failed (exit ${run.status}):\n${run.stderr}`);
    return Number(match[1]);
  };
  const one = collected(1);
  const four = collected(4);
  // Each stream is a run_started, the steps, and a flow_completed.
  const perEvent = (four - one) / (3 * (STREAM_EVENTS + 2));
  process.stdout.write(`${name} ${Math.round(perEvent)} instructions per event\n`);
} else {
  // The child, under callgrind: warm up, then read the streams being counted.
  const port = Number(portText);
  const read = name === "ours" ? await oursReader(port) : await bareReader(port);
  for (let i = 0; i < WARM_UP_STREAMS; i++) await read();
  for (let i = 0; i < Number(streamsText); i++) {
    const events = await read();
    if (events !== STREAM_EVENTS + 2) throw new Error(`a stream gave ${events} events`);
  }
  process.exit(0);
}

async function oursReader(port) {
  const { AsyncNoukai } = await import("../../dist/index.js");
  const client = new AsyncNoukai({ apiKey: "nk_bench_key", baseUrl: `http://127.0.0.1:${port}/api/v1` });
  return async () => {
    let events = 0;
    for await (const _event of client.flow(`bench/fixed/events-${STREAM_EVENTS}`).events({ message: "go", runRemaining: true })) events++;
    return events;
  };
}

async function bareReader(port) {
  const { createParser } = await import("eventsource-parser");
  const agent = new http.Agent({ keepAlive: true });
  const body = '{"message":"go","runRemaining":true}';
  const headers = {
    authorization: "Bearer nk_bench_key",
    "x-noukai-api-version": "2026-05-31",
    "content-type": "application/json",
    accept: "text/event-stream",
    "content-length": String(body.length),
  };
  return () =>
    new Promise((resolve, reject) => {
      let events = 0;
      const parser = createParser({
        onEvent: (event) => {
          JSON.parse(event.data);
          events++;
        },
      });
      const path = `/api/v1/seq/bench/fixed/events-${STREAM_EVENTS}/step`;
      const req = http.request({ agent, host: "127.0.0.1", port, method: "POST", path, headers }, (res) => {
        res.setEncoding("utf8");
        res.on("data", (text) => parser.feed(text));
        res.on("end", () => resolve(events));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
}
