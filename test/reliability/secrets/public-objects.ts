import { type ClientKind, makeClient, settle, type AnyClient } from "../../helpers/clients.js";
import { WEATHER_TOOLS } from "../../helpers/test-flows.js";
import { findSecret } from "./scan.js";

/**
 * Every kind of object a caller of `kind` can hold, walked while it is live
 * (a stream with its request still open, a paused run, a queued job), the
 * way a debugger, `console.dir(x, { depth: null })` or an error reporter
 * would walk it: own properties of every kind, getters, map and set entries,
 * and the `util.inspect` and `JSON.stringify` forms. Returns where the key
 * could be read; empty when nowhere.
 */
export async function keyInPublicObjects(kind: ClientKind, baseUrl: string, key: string): Promise<string[]> {
  const found: string[] = [];
  const look = (value: unknown, label: string): void => void found.push(...findSecret(value, key, label));
  const client: AnyClient = makeClient(kind, { apiKey: key, baseUrl, maxRetries: 0 });
  try {
    look(client, "client");
    const weather = client.flow("examples/demo/weather");
    look(weather, "flow");
    const paused = await weather.execute({ message: "weather in Oslo", tools: WEATHER_TOOLS });
    look(paused, "paused result");
    const job = await client.flow("examples/demo/slow").executeAsync({ message: "queued" });
    look(job, "job");
    look(client.flow("examples/demo/slow").run(job.executionId), "run");
    look(client.flow("examples/demo/slow").job(job.executionId), "re-attached job");
    const events = client.flow("examples/demo/slow").events({ message: "streaming" });
    const first = await events.next();
    // The stream's request is open now: its socket, parser and request headers are alive.
    look(events, "events() iterator, mid-stream");
    look(first, "first event");
    await events.return?.(undefined);
    const steps = client.flow("examples/demo/two-step").steps({ message: "tides" });
    look(await steps.next(), "first step");
    look(steps, "steps() iterator, between steps");
    await steps.return?.(undefined);
    const pause = client.flow("examples/demo/weather").events({ message: "weather in Lisbon", tools: WEATHER_TOOLS });
    for await (const event of pause) {
      if (event.type !== "tool_calls_required") continue;
      look(event, "streamed tool pause");
      break;
    }
    look(await settle(() => client.flow("examples/demo/slow").run(job.executionId).trace()).catch((error: unknown) => error), "trace");
    look(await settle(() => client.flow("examples/demo/nope").execute({ message: "x" })).catch((error: unknown) => error), "error");
    look(client, "client, after its calls");
  } finally {
    await client.close();
  }
  return found;
}
