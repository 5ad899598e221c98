/**
 * `toolChoice` as a model API reads it: auto follows the step's script,
 * none never calls, required and a named function call on every turn while
 * tools are offered, until the flow's toolIterationLimit stops the step.
 */
import { describe, expect, it } from "vitest";
import { call, expectError, flowPath, makeApp, post, WEATHER_TOOLS, type TestApp } from "./helpers.js";

const SEARCH_TOOLS = [{ type: "function", function: { name: "search", parameters: { type: "object" } } }];

/** Answers every pause of an /execute run until it ends; returns the end and the calls asked, round by round. */
async function answerAll(app: TestApp, slug: string, body: Record<string, unknown>) {
  let answer = await post(app, slug, "execute", body);
  const rounds: { name: string; arguments: unknown }[][] = [];
  while (answer.json.status === "tool_calls_required") {
    const paused = answer.json;
    rounds.push(paused.toolCalls.map((c: { function: { name: string; arguments: string } }) => ({ name: c.function.name, arguments: JSON.parse(c.function.arguments) })));
    const results = paused.toolCalls.map((c: { id: string }) => ({ role: "tool", tool_call_id: c.id, content: `result ${rounds.length}` }));
    answer = await post(app, slug, "execute", { ...body, message: null, executionId: paused.executionId, pausedAtStep: paused.pausedAtStep, iterationsUsed: paused.iterationsUsed, toolCallMessages: [...paused.toolCallMessages, ...results] });
  }
  return { end: answer.json, rounds };
}

describe("toolChoice", () => {
  it("auto (or none given) follows the step's script: the research example asks three rounds, then answers", async () => {
    const app = makeApp();
    for (const choice of [{}, { toolChoice: "auto" }, { toolChoice: null }]) {
      const { end, rounds } = await answerAll(app, "research", { message: "tides", tools: SEARCH_TOOLS, ...choice });
      expect(rounds).toEqual([1, 2, 3].map((page) => [{ name: "search", arguments: { query: "tides", page } }]));
      expect(end).toMatchObject({ status: "completed", result: 'Findings on tides: ["result 1","result 2","result 3"]' });
    }
  });

  it("none never calls a tool, even one the step would ask for", async () => {
    const app = makeApp();
    const { end, rounds } = await answerAll(app, "weather", { message: "weather in Oslo", tools: WEATHER_TOOLS, toolChoice: "none" });
    expect(rounds).toEqual([]);
    expect(end).toMatchObject({ status: "completed", result: "I would need a get_weather tool to check the weather in Oslo." });
  });

  it("required keeps calling while tools are offered, past the script, until the flow's toolIterationLimit fails the step", async () => {
    const app = makeApp();
    const { end, rounds } = await answerAll(app, "research", { message: "tides", tools: SEARCH_TOOLS, toolChoice: "required", trace: true });
    // research declares toolIterationLimit 5 (and a script of 3 rounds).
    expect(rounds).toHaveLength(5);
    expect(rounds.map((round) => round[0]?.arguments)).toEqual([1, 2, 3, 4, 5].map((page) => ({ query: "tides", page })));
    expect(end).toMatchObject({ status: "failed", result: expect.stringContaining("still asked for tools after 5 rounds, this flow's toolIterationLimit") });
    const trace = await call(app, flowPath("research", `/runs/${end.executionId}/trace`));
    expect(trace.json.steps[0]).toMatchObject({ status: "failed", errorContext: { code: "TOOL_ITERATION_LIMIT" } });
  });

  it("required calls an offered tool the script does not name, with no arguments, as a model that must call something would", async () => {
    const app = makeApp();
    const answer = await post(app, "weather", "execute", { message: "weather in Oslo", tools: SEARCH_TOOLS, toolChoice: "required" });
    expect(answer.json.toolCalls).toEqual([{ id: "call_1", type: "function", function: { name: "search", arguments: "{}" } }]);
    // auto, with the same unrelated tool, answers at once.
    expect((await post(app, "weather", "execute", { message: "weather in Oslo", tools: SEARCH_TOOLS })).json.status).toBe("completed");
  });

  it("a named function is the only one called, on every turn, in either spelling", async () => {
    const app = makeApp();
    const both = [...SEARCH_TOOLS, ...WEATHER_TOOLS];
    for (const toolChoice of [{ type: "function", function: { name: "get_weather" } }, { type: "function", name: "get_weather" }]) {
      const { end, rounds } = await answerAll(app, "research", { message: "tides", tools: both, toolChoice });
      expect(rounds).toEqual(Array.from({ length: 5 }, () => [{ name: "get_weather", arguments: {} }]));
      expect(end.status).toBe("failed");
    }
    const search = await post(app, "research", "execute", { message: "tides", tools: both, toolChoice: { type: "function", function: { name: "search" } } });
    expect(search.json.toolCalls.map((c: { function: { name: string } }) => c.function.name)).toEqual(["search"]);
  });

  it("follows a toolChoice changed on a resume: auto after required lets the model answer", async () => {
    const app = makeApp();
    const paused = (await post(app, "weather", "execute", { message: "weather in Oslo", tools: WEATHER_TOOLS, toolChoice: "required" })).json;
    const resume = (toolChoice: string) =>
      post(app, "weather", "execute", { tools: WEATHER_TOOLS, toolChoice, executionId: paused.executionId, pausedAtStep: "forecast", iterationsUsed: 1, toolCallMessages: [...paused.toolCallMessages, { role: "tool", tool_call_id: "call_1", content: "sunny" }] });
    expect((await resume("auto")).json).toMatchObject({ status: "completed", result: "Weather in Oslo: sunny" });
  });

  it("refuses a toolChoice no model API accepts, and a named function that was not offered", async () => {
    const app = makeApp();
    for (const toolChoice of ["always", 3, [], { type: "function" }, { type: "tool", name: "x" }, { type: "function", function: { name: "" } }]) {
      const refused = expectError(await post(app, "weather", "execute", { message: "m", tools: WEATHER_TOOLS, toolChoice }), 400, "BAD_REQUEST");
      expect(refused.message).toContain('field "toolChoice" must be "auto", "none", "required", or {"type":"function","function":{"name":NAME}}');
    }
    const unknown = expectError(await post(app, "weather", "execute", { message: "m", tools: WEATHER_TOOLS, toolChoice: { type: "function", function: { name: "search" } } }), 400, "TOOLS_INVALID");
    expect(unknown.message).toBe('toolChoice names the function "search", which is not among the offered tools');
    expectError(await post(app, "weather", "step", { message: "m", stepIndex: 0, toolChoice: { type: "function", name: "get_weather" } }), 400, "TOOLS_INVALID");
  });
});
