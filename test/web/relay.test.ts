import { createRelayFlow, FlowExecutionError, type RelayEvent, type RelayPausedResult, type StepCompleted } from "noukai/relay";
import { describe, expect, it } from "vitest";
import { useRelays } from "./support/relay-http.js";
import { RELAY_KEY, sessionRuns, useRelayService, WEATHER_TOOLS, weatherHandler } from "./support/relay-service.js";

/**
 * The relay and its browser client working together over loopback HTTP,
 * with the local server behind: whole answers, tool rounds answered by the
 * page (automatically and by hand), events and steps streamed as they
 * happen, and what the browser gets to see of a run.
 */
const service = useRelayService();
const relayFor = useRelays(service);

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe("whole answers", () => {
  it("runs the weather flow with the tool answered by the page's handler", async () => {
    const { url, sessionId } = await relayFor();
    const result = await createRelayFlow({ url }).execute({ message: "Weather in Lisbon", toolHandler: weatherHandler });
    expect(result).toMatchObject({ status: "completed", result: 'Weather in Lisbon: {"location":"Lisbon","sky":"sunny","answeredBy":"page"}', requiresToolCalls: false });
    const executionId = result.requiresToolCalls ? undefined : result.executionId;
    expect(await sessionRuns(service.client(), sessionId)).toEqual([{ executionId, status: "completed" }]);
  });

  it("hands a pause over without a handler: calls and an opaque token, resumed by hand or from its JSON", async () => {
    const { url } = await relayFor();
    const flow = createRelayFlow({ url });
    const paused = (await flow.execute({ message: "Weather in Oslo" })) as RelayPausedResult;
    expect(paused.requiresToolCalls).toBe(true);
    expect(Object.keys(paused).sort()).toEqual(["expiresAt", "status", "token", "toolCalls"]);
    expect(paused.token).toMatch(/^nkr1\.[A-Za-z0-9_-]+$/);
    expect(Date.parse(paused.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    const call = paused.toolCalls[0];
    expect(call?.function.name).toBe("get_weather");
    const stored = JSON.parse(JSON.stringify(paused)) as RelayPausedResult;
    const result = await flow.resume(stored, { toolResults: [{ toolCallId: call?.id ?? "", output: "fog" }] });
    expect(result).toMatchObject({ status: "completed", result: "Weather in Oslo: fog" });
  });

  it("answers several rounds of one run, each with its own token", async () => {
    const { url } = await relayFor({ flow: "tests/contract/three-rounds", version: "draft" });
    const tokens: string[] = [];
    const result = await createRelayFlow({ url, fetch: async (input, init) => {
      const body = JSON.parse(typeof init?.body === "string" ? init.body : "{}") as { token?: string };
      if (body.token !== undefined) tokens.push(body.token);
      return fetch(input, init);
    } }).execute({ message: "Weather in Rome", toolHandler: weatherHandler });
    expect(result.status).toBe("completed");
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(3);
  });

  it("gives the run the server's fields from prepare(), which sees the request and the browser's input", async () => {
    const seen: unknown[] = [];
    const { url } = await relayFor({
      flow: "tests/contract/params",
      version: "draft",
      prepare: (request, input) => {
        seen.push([request.headers.get("x-user"), input]);
        return { parameters: { greeting: "Welcome", tone: "warm" } };
      },
    });
    const result = await createRelayFlow({ url, headers: { "x-user": "ada" } }).execute({ message: "Ada" });
    expect(result).toMatchObject({ status: "completed", result: "Welcome, Ada! (tone: warm)" });
    expect(seen).toEqual([["ada", { message: "Ada" }]]);
  });

  it("returns a failed run as a result, as AsyncFlow does", async () => {
    const { url } = await relayFor({ flow: "examples/demo/broken", prepare: () => ({}) });
    const result = await createRelayFlow({ url }).execute({ message: "x" });
    expect(result).toMatchObject({ status: "failed" });
  });
});

describe("streams", () => {
  it("streams every event, the tool pause answered by the page, without the run's execution state", async () => {
    const { url, sessionId } = await relayFor();
    const events = await collect(createRelayFlow({ url }).events({ message: "Weather in Lisbon", toolHandler: weatherHandler }));
    expect(events.map((event) => event.type)).toEqual(["run_started", "step_started", "tool_calls_required", "step_output", "step_completed", "flow_completed"]);
    const pause = events[2] as Extract<RelayEvent, { type: "tool_calls_required" }>;
    expect(Object.keys(pause).sort()).toEqual(["expiresAt", "resume", "stepId", "stepIndex", "token", "toolCalls", "type"]);
    expect(events[4]).toMatchObject({ stepId: "forecast", stepIndex: 0, output: 'Weather in Lisbon: {"location":"Lisbon","sky":"sunny","answeredBy":"page"}' });
    const [run] = await sessionRuns(service.client(), sessionId);
    expect(events[5]).toMatchObject({ type: "flow_completed", executionId: run?.executionId });
    expect(run?.status).toBe("completed");
  });

  it("sends no execution state and no step inputs over the wire, only the token", async () => {
    const weather = await relayFor({ prepare: () => ({ tools: WEATHER_TOOLS, parameters: { apiRegion: "server-only-value" } }) });
    const response = await fetch(weather.url, { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify({ message: "Weather in Bergen" }) });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    for (const secret of ["accumulatedOutputs", "toolCallMessages", "iterationsUsed", "pausedAtStep", "executionId", "runId", "server-only-value", RELAY_KEY]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toMatch(/event: tool_calls_required\ndata: \{.*"token":"nkr1\./);
  });

  it("delivers each step as it completes, not at the end", async () => {
    const { url } = await relayFor({ flow: "examples/demo/slow", prepare: () => ({}) });
    const arrivals: [string, number][] = [];
    const started = Date.now();
    for await (const step of createRelayFlow({ url }).steps({ message: "tides" })) arrivals.push([step.stepId, Date.now() - started]);
    expect(arrivals).toHaveLength(3);
    const [first, , last] = arrivals.map(([, at]) => at);
    // Three 300 ms steps: the first arrives a whole step before the last.
    expect((last ?? 0) - (first ?? 0)).toBeGreaterThan(450);
  });

  it("steps() yields completed steps, answering tools with the handler", async () => {
    const { url } = await relayFor();
    const steps: StepCompleted[] = await collect(createRelayFlow({ url }).steps({ message: "Weather in Nice", toolHandler: weatherHandler }));
    expect(steps.map((step) => [step.stepId, step.output])).toEqual([["forecast", 'Weather in Nice: {"location":"Nice","sky":"sunny","answeredBy":"page"}']]);
  });

  it("lets the page resume a streamed pause by hand, and refuses to go on without it", async () => {
    const { url } = await relayFor();
    const flow = createRelayFlow({ url });
    const types: string[] = [];
    for await (const event of flow.events({ message: "Weather in Graz" })) {
      types.push(event.type);
      if (event.type === "tool_calls_required") await event.resume({ toolResults: [{ toolCallId: event.toolCalls[0]?.id ?? "", output: "hail" }] });
      if (event.type === "flow_completed") expect(event.result).toBe("Weather in Graz: hail");
    }
    expect(types.at(-1)).toBe("flow_completed");
    const stream = flow.events({ message: "Weather in Linz" });
    await expect(collect(stream)).rejects.toThrow(/call event.resume/);
  });

  it("throws a failed step from steps() and yields it from events()", async () => {
    const { url } = await relayFor({ flow: "examples/demo/broken", prepare: () => ({}) });
    const flow = createRelayFlow({ url });
    const error = await collect(flow.steps({ message: "x" })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowExecutionError);
    expect(error).toMatchObject({ code: "MODEL_ERROR", step: { stepId: "explode" } });
    const events = await collect(flow.events({ message: "x" }));
    expect(events.at(-1)).toMatchObject({ type: "step_error", stepId: "explode", error: { code: "MODEL_ERROR" } });
  });

  it("ends the run's request to the service when the page leaves the stream early", async () => {
    const { url, sessionId } = await relayFor({ flow: "examples/demo/slow", prepare: () => ({}) });
    const before = (await service.server.stats()).requests["step"] ?? 0;
    for await (const step of createRelayFlow({ url }).steps({ message: "tides" })) {
      expect(step.stepId).toBeDefined();
      break;
    }
    await expect.poll(async () => (await service.server.stats()).stored.openStreams, { timeout: 3_000 }).toBe(0);
    // Three 300 ms steps, one /step request each: had the relay gone on, all three would have run by now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(((await service.server.stats()).requests["step"] ?? 0) - before).toBeLessThan(3);
    expect((await sessionRuns(service.client(), sessionId)).map((run) => run.status)).toEqual(["running"]);
  });
});
