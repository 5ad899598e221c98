/**
 * What telemetry costs `AsyncNoukai` (issue 17): execute round trips and a
 * stream replayed from memory, with telemetry off and on (a real SDK tracer
 * provider, spans batched to an exporter that drops them), alternating in
 * fresh processes, each keeping its best. Off, the client builds no
 * middleware at all, so its figures are the client rows' own; on, the
 * difference is the price per call (a CLIENT span, its traceparent) and
 * per event (a step span per step, its attributes).
 */
import { measureInProcess } from "../measure.js";
import type { BenchRow } from "../types.js";
import { startFixedServer } from "./fixed-server-process.js";

const DURATION_MS = 1_500;
const ROUNDS = 3;
const STREAM_PROCESS_ROUNDS = 6;
const STREAM_EVENTS = 20_000;
const STREAM_MS = 1_500;
const SUITE = "telemetry";

export async function benchTelemetry(): Promise<BenchRow[]> {
  const server = await startFixedServer();
  try {
    const names = ["ours", "otelOnly", "traced"];
    const calls = best(names, ["execute", server.port, 1, DURATION_MS], ROUNDS);
    const events = best(names, ["replay", 0, STREAM_EVENTS, STREAM_MS], STREAM_PROCESS_ROUNDS);
    const [off, otel, on] = names.map((name) => calls[name] ?? 0) as [number, number, number];
    const [eventsOff, eventsOtel, eventsOn] = names.map((name) => events[name] ?? 0) as [number, number, number];
    const execute = (state: string) => `execute round trips/s, concurrency 1: AsyncNoukai, ${state}`;
    const stream = (state: string) => `events/s, ${STREAM_EVENTS.toLocaleString("en")}-event stream replayed from memory: AsyncNoukai, ${state}`;
    return [
      { suite: SUITE, name: execute("telemetry off"), value: off, unit: "calls/s" },
      { suite: SUITE, name: execute("telemetry off, OpenTelemetry's SDK set up in the process"), value: otel, unit: "calls/s" },
      { suite: SUITE, name: execute("telemetry on (a span per call, its traceparent on the request)"), value: on, unit: "calls/s" },
      { suite: SUITE, name: "per-call cost of telemetry on, beside the SDK set up and off", value: 1000 / on - 1000 / otel, unit: "ms", decimals: 3 },
      { suite: SUITE, name: stream("telemetry off"), value: eventsOff, unit: "events/s" },
      { suite: SUITE, name: stream("telemetry off, OpenTelemetry's SDK set up in the process"), value: eventsOtel, unit: "events/s" },
      { suite: SUITE, name: stream("telemetry on (a span per step, opened and closed live)"), value: eventsOn, unit: "events/s" },
      { suite: SUITE, name: "per-event cost of telemetry on, beside the SDK set up and off", value: 1e6 / eventsOn - 1e6 / eventsOtel, unit: "µs", decimals: 2 },
    ];
  } finally {
    server.stop();
  }
}

/** Each contender's best figure over alternating rounds, each in a process of its own. */
function best(names: string[], args: (string | number)[], rounds: number): Record<string, number> {
  const figures: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const figure = Number(measureInProcess(new URL("./measure-one.ts", import.meta.url), [name, ...args]));
      if (!Number.isFinite(figure)) throw new Error(`measuring ${name} ${args.join(" ")} gave no figure`);
      figures[name] = Math.max(figures[name] ?? figure, figure);
    }
  }
  return figures;
}
