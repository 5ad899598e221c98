/**
 * Flush-to-caller latency in a process of its own: how long after the fixed
 * server stamped and wrote each of 300 events (10 ms apart) the caller's
 * `for await` loop receives it.
 *
 *   node --import tsx bench/client/measure-latency.ts <port>
 *
 * Prints `{ p50, p99, max }` in ms as JSON on stdout.
 */
import { AsyncNoukai } from "../../dist/index.js";
import { BENCH_KEY } from "./contenders.js";
import { percentile } from "../measure.js";

const port = Number(process.argv[2]);
const client = new AsyncNoukai({ apiKey: BENCH_KEY, baseUrl: `http://127.0.0.1:${port}/api/v1` });
const delays: number[] = [];
for await (const event of client.flow("bench/timed/flow").events({ message: "go", runRemaining: true })) {
  const sentAt = (event as { sentAt?: number }).sentAt;
  if (sentAt !== undefined) delays.push(performance.timeOrigin + performance.now() - sentAt);
}
await client.close();
process.stdout.write(`${JSON.stringify({ p50: percentile(delays, 50), p99: percentile(delays, 99), max: Math.max(...delays) })}\n`);
