import type { ClientOptions, StreamEvent, SyncStreamEvent } from "noukai";
import type { AnyClient } from "../../helpers/clients.js";
import type { ServerOptions } from "noukai/server";
import { WEATHER_TOOLS } from "../../helpers/test-flows.js";

/** Where a scenario's calls go. */
export type Where =
  /** The local server, with these options (given the client's key). */
  | { server: "local"; options?: (key: string) => ServerOptions }
  /** A raw server that echoes the Authorization header, answering with this responder. */
  | { server: "echo"; responder: string }
  /** A port nothing listens on. */
  | { server: "nowhere" };

export interface SecretScenario {
  name: string;
  where: Where;
  /** More client options (given the key the client is made with). */
  client?: (key: string) => ClientOptions;
  /** The calls; what they return is scanned too. */
  run(client: AnyClient): unknown;
}

const collect = async <T>(items: AsyncIterable<T> | Iterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};
const answer = (calls: { id: string }[]) => calls.map((call) => ({ toolCallId: call.id, output: "sunny" }));
const local: Where = { server: "local" };
const hello = (client: AnyClient) => client.flow("examples/demo/hello");
const echo = (responder: string, run: SecretScenario["run"], client?: ClientOptions): SecretScenario => ({
  name: `a server that echoes the key: ${responder}`,
  where: { server: "echo", responder },
  ...(client ? { client: () => client } : {}),
  run,
});
const localWith = (options: ServerOptions | ((key: string) => ServerOptions)): Where => ({
  server: "local",
  options: typeof options === "function" ? options : () => options,
});

/** Every operation, with `logPayloads: true`: requests, responses and retries are all logged with their bodies. */
export const OPERATIONS: SecretScenario[] = [
  { name: "execute", where: local, run: (c) => hello(c).execute({ message: "hi", trace: true }) },
  {
    name: "execute with a tool handler",
    where: local,
    run: (c) => c.flow("examples/demo/weather").execute({ message: "weather in Oslo", tools: WEATHER_TOOLS, toolHandler: answer }),
  },
  {
    name: "execute, pause, resume",
    where: local,
    run: async (c) => {
      const paused = await c.flow("examples/demo/weather").execute({ message: "weather in Lima", tools: WEATHER_TOOLS });
      return paused.status === "tool_calls_required" ? [paused, await paused.resume({ toolResults: answer(paused.toolCalls) })] : paused;
    },
  },
  { name: "steps", where: local, run: (c) => collect(c.flow("examples/demo/two-step").steps({ message: "rivers" })) },
  { name: "events", where: local, run: (c) => collect(c.flow("examples/demo/two-step").events({ message: "lakes" })) },
  {
    name: "events paused for tools, resumed by the caller",
    where: local,
    run: async (c) => {
      const seen: (StreamEvent | SyncStreamEvent)[] = [];
      for await (const event of c.flow("examples/demo/weather").events({ message: "weather in Riga", tools: WEATHER_TOOLS })) {
        seen.push(event);
        if (event.type === "tool_calls_required") await event.resume({ toolResults: answer(event.toolCalls) });
      }
      return seen;
    },
  },
  {
    name: "executeAsync, poll, wait, and a re-attached job",
    where: local,
    run: async (c) => {
      const job = await hello(c).executeAsync({ message: "later" });
      return [await job.poll(), await job.wait({ pollInterval: 20 }), await hello(c).job(job.executionId).poll()];
    },
  },
  {
    name: "trace, step traces, live trace",
    where: local,
    run: async (c) => {
      const done = await c.flow("examples/demo/retry-loop").execute({ message: "items", trace: true });
      const run = c.flow("examples/demo/retry-loop").run(done.executionId ?? "");
      return [await run.trace(), await run.stepTrace("flaky"), await run.stepTrace("flaky", { attempt: "all" }), await collect(run.liveTrace())];
    },
  },
];

/** Every way a call can fail, on the local server and on one that echoes the key back. */
export const ERROR_PATHS: SecretScenario[] = [
  { name: "401: a key the server does not know", where: localWith({ apiKeys: [{ key: "nk_someone_else" }] }), run: (c) => hello(c).execute({ message: "x" }) },
  { name: "403: a key for another organisation", where: localWith((key) => ({ apiKeys: [{ key, org: "acme" }] })), run: (c) => hello(c).execute({ message: "x" }) },
  { name: "402: no credits left", where: localWith({ credits: { examples: "0" } }), run: (c) => hello(c).execute({ message: "x" }) },
  { name: "404: no such flow", where: local, run: (c) => c.flow("examples/demo/nope").execute({ message: "x" }) },
  {
    name: "429: rate limited",
    where: localWith({ rateLimit: { requests: 1, windowSeconds: 60 } }),
    client: () => ({ maxRetries: 0 }),
    run: async (c) => [await hello(c).execute({ message: "x" }), await hello(c).execute({ message: "y" })],
  },
  {
    name: "503, a 502 HTML page, resets before and after, all retried",
    where: localWith({
      faults: [
        { route: "execute", status: 503, retryAfter: 0, times: 1 },
        { route: "execute", status: 502, body: "html", times: 1 },
        { route: "execute", reset: "before", times: 1 },
        { route: "execute", reset: "after", times: 1 },
      ],
    }),
    client: () => ({ maxRetries: 4 }),
    run: (c) => hello(c).execute({ message: "x" }),
  },
  { name: "a stream cut after two events", where: localWith({ faults: [{ route: "step", cutAfterEvents: 2 }] }), run: (c) => collect(c.flow("examples/demo/two-step").events({ message: "x" })) },
  { name: "a failed step", where: local, run: (c) => collect(c.flow("examples/demo/broken").steps({ message: "x" })) },
  { name: "a timeout", where: localWith({ faults: [{ route: "execute", latencyMs: 1_000 }] }), run: (c) => hello(c).execute({ message: "x", timeout: 100 }) },
  {
    name: "an aborted call",
    where: local,
    run: (c) => {
      const controller = new AbortController();
      controller.abort(new Error("caller gave up"));
      return hello(c).execute({ message: "x", signal: controller.signal });
    },
  },
  {
    name: "a call after close()",
    where: local,
    run: async (c) => {
      await c.close();
      return hello(c).execute({ message: "x" });
    },
  },
  { name: "a server that is not there", where: { server: "nowhere" }, run: (c) => hello(c).execute({ message: "x" }) },
  { name: "bad input: a malformed flow name", where: local, run: async (c) => c.flow("a/b") },
  { name: "bad input: the key with a line break, at construction", where: local, client: (key) => ({ apiKey: `${key}\r\n` }), run: async () => undefined },
  { name: "bad input: http: to another host, at construction", where: local, client: () => ({ baseUrl: "http://10.0.0.1/api/v1" }), run: async () => undefined },
  echo("inErrorDetail", (c) => hello(c).execute({ message: "x" })),
  echo("inErrorDetail", (c) => collect(hello(c).events({ message: "x" }))),
  echo("inRateLimit", (c) => hello(c).execute({ message: "x" }), { maxRetries: 1 }),
  echo("inHtmlTitle", (c) => hello(c).execute({ message: "x" })),
  echo("inPlainText", (c) => hello(c).execute({ message: "x" })),
  echo("inWwwAuthenticate", (c) => hello(c).execute({ message: "x" })),
  echo("inLocation", (c) => hello(c).execute({ message: "x" })),
  echo("inSuccessWithoutStatus", (c) => hello(c).execute({ message: "x" })),
  echo("inJobWithoutId", (c) => hello(c).executeAsync({ message: "x" })),
  echo("inTraceNotAnObject", (c) => hello(c).run("run-1").trace()),
  echo("inSuccessNotJson", (c) => hello(c).execute({ message: "x" })),
  echo("inMalformedHead", (c) => hello(c).execute({ message: "x" })),
  echo("inStepError", (c) => collect(hello(c).steps({ message: "x" }))),
  echo("inStepError", (c) => collect(hello(c).events({ message: "x" }))),
  echo("inFlowFailed", (c) => collect(hello(c).events({ message: "x" }))),
  echo("inIncompleteStream", (c) => collect(hello(c).events({ message: "x" }))),
  echo("inEscapedErrorDetail", (c) => hello(c).execute({ message: "x" })),
  echo("inEscapedSuccessWithoutStatus", (c) => hello(c).execute({ message: "x" })),
  echo("inEscapedStepError", (c) => collect(hello(c).steps({ message: "x" }))),
  echo("inToolCallIds", (c) => hello(c).execute({ message: "x", tools: WEATHER_TOOLS, toolHandler: () => [{ toolCallId: "call_other", output: "x" }] })),
  echo("inEscapedToolArguments", (c) => hello(c).execute({ message: "x", tools: WEATHER_TOOLS, toolHandler: () => [{ toolCallId: "call_1", output: "x" }] })),
];
