/**
 * JSON nested deeper than anything can walk. `JSON.parse` reads any depth, but
 * `JSON.stringify` and every walk over a value recurse, and a few thousand
 * levels down the stack runs out with a `RangeError` that names nothing. The
 * client sends values nested up to 1,000 levels and reads answers up to
 * 2,000 (an answer may carry a caller's value a few levels down); past
 * those, the caller gets an error that says so. At the limit, every layer
 * around a call (the key's scrub, logged payloads with `redact` paths, spans
 * with payloads, a cassette recorded and replayed) takes the value whole.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { BadRequestError, FlowExecutionError, type LogEvent, replayScope, replayScopeSync } from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, collect, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { RecordingServer } from "../helpers/recording-server.js";
import { READ_DEPTH } from "../helpers/responders/deep-json.js";

const SEND_DEPTH = 1_000;
let server: RecordingServer;
const dir = mkdtempSync(join(tmpdir(), "noukai-deep-"));

beforeAll(async () => {
  server = await RecordingServer.start(new URL("../helpers/responders/deep-json.ts", import.meta.url));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Arrays nested `levels` deep around `inner`. */
function nested(levels: number, inner: unknown = "x"): unknown {
  let value: unknown = inner;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

/** How many arrays are nested one inside the other, and what is at the bottom. */
function unwrap(value: unknown): { levels: number; bottom: unknown } {
  let levels = 0;
  let at = value;
  while (Array.isArray(at)) {
    levels++;
    at = at[0] as unknown;
  }
  return { levels, bottom: at };
}

describe.each(CLIENT_KINDS)("%s with deeply nested JSON", (kind) => {
  const client = (extra = {}) => makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl, maxRetries: 0, ...extra });

  it("refuses a caller's value nested more than 1,000 levels deep with a TypeError that names it, before any request", async () => {
    await server.respond("plainAnswer");
    // parameters is one level; 1,000 arrays inside make it 1,001.
    const failure = await settle(() => client().flow("o/p/s").execute({ message: "x", parameters: { deep: nested(SEND_DEPTH) } })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toBe("execute() option parameters is nested more than 1000 levels deep, more than the client sends as JSON.");
    expect(await server.requests()).toEqual([]);
    // 1,000 levels in all go out.
    await settle(() => client().flow("o/p/s").execute({ message: "x", parameters: { deep: nested(SEND_DEPTH - 1) } }));
    expect(await server.requests()).toHaveLength(1);
  });

  it("reads an answer and events nested 2,000 levels deep whole, the key spelled with an escape scrubbed at the bottom", async () => {
    await server.respond("answerAtLimit");
    const result = (await settle(() => client().flow("o/p/s").execute({ message: "x" }))) as { result: unknown };
    expect(unwrap(result.result)).toEqual({ levels: READ_DEPTH - 1, bottom: "[redacted]" });
    await server.respond("eventsAtLimit");
    const events = await collect(client().flow("o/p/s").events({ message: "x" }));
    expect(events.map((event) => event.type)).toEqual(["run_started", "step_completed", "flow_completed"]);
    expect(unwrap((events[2] as { result: unknown }).result)).toEqual({ levels: READ_DEPTH - 1, bottom: "[redacted]" });
  });

  it("refuses an answer or an event nested deeper than 2,000 levels with an error that says so", async () => {
    await server.respond("answerPastLimit");
    const answer = await settle(() => client().flow("o/p/s").execute({ message: "x" })).catch((error: unknown) => error);
    expect(answer).toBeInstanceOf(FlowExecutionError);
    expect(answer).toMatchObject({ code: "INVALID_RESPONSE", statusCode: 200 });
    expect((answer as Error).message).toBe(
      "The server answered POST /seq/o/p/s/execute with HTTP 200 but a JSON body nested more than 2000 levels deep, deeper than the client reads.",
    );
    await server.respond("eventsPastLimit");
    const seen: string[] = [];
    const stream = await (async () => {
      try {
        for await (const event of client().flow("o/p/s").events({ message: "x" })) seen.push(event.type);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(stream).toBeInstanceOf(FlowExecutionError);
    expect(stream).toMatchObject({ code: "INVALID_EVENT" });
    expect((stream as Error).message).toBe('The server sent a malformed "step_completed" event: its data is nested more than 2000 levels deep, deeper than the client reads.');
    // The event before it was handed over; the malformed one ended the stream.
    expect(seen).toEqual(["run_started"]);
  });

  it("keeps a refusal's status and type when its body is nested too deep to read", async () => {
    await server.respond("refusalPastLimit");
    const failure = await settle(() => client().flow("o/p/s").execute({ message: "x" })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BadRequestError);
    expect(failure).toMatchObject({ statusCode: 400 });
    // Its text speaks for it, cut short.
    expect((failure as Error).message).toMatch(/^HTTP 400: \{"detail":\{"code":"BAD_INPUT"/);
    expect((failure as Error).message.length).toBeLessThan(1_000);
  });

  it("logs, spans, records and replays an answer 2,000 levels deep", async () => {
    await server.respond("answerAtLimit");
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer("deep");
    const log: LogEvent[] = [];
    const layered = client({ onLog: (event: LogEvent) => log.push(event), logPayloads: true, redact: ["nowhere"], tracer, otelPayloads: true });
    const cassette = join(dir, `${kind}.json`);
    const call = (): unknown => layered.flow("o/p/s").execute({ message: "x" });
    const recorded = kind === "AsyncNoukai" ? await replayScope(call, { record: cassette }) : replayScopeSync(call, { record: cassette });
    expect(unwrap((recorded as { result: unknown }).result).levels).toBe(READ_DEPTH - 1);
    const logged = log.find((event) => event.responseBody !== undefined)?.responseBody as { result: unknown };
    expect(unwrap(logged.result)).toEqual({ levels: READ_DEPTH - 1, bottom: "[redacted]" });
    const shown = exporter.getFinishedSpans().flatMap((span) => Object.values(span.attributes)).filter((value) => typeof value === "string" && value.startsWith("[[[["));
    expect(shown.length).toBeGreaterThan(0);
    // Replayed from the cassette alone: the server is never asked.
    await server.respond("answerPastLimit");
    const replayed = kind === "AsyncNoukai" ? await replayScope(call, { cassette }) : replayScopeSync(call, { cassette });
    expect(replayed).toEqual(recorded);
    expect(await server.requests()).toEqual([]);
  });
});
