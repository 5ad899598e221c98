import { describe, expect, it } from "vitest";
import { advanceExecution } from "../../src/server/engine/advance-execution.js";
import type { Execution, ExecutionInput } from "../../src/server/engine/execution.js";
import { renderTemplate } from "../../src/server/engine/template.js";
import { formatUsd, parseUsd } from "../../src/server/money.js";
import { costPico, countTokens, tokens } from "../../src/server/engine/usage.js";
import { FlowRegistry } from "../../src/server/flows/registry.js";
import type { FlowDefinition, StepDefinition } from "../../src/server/flows/types.js";
import { executionOf, parseSse } from "./helpers.js";

function flowOf(steps: StepDefinition[], extra: Partial<FlowDefinition> = {}): FlowDefinition {
  return { org: "o", project: "p", slug: "s", draft: { steps }, ...extra };
}

function runOf(flow: FlowDefinition, input: Partial<ExecutionInput> = {}): Execution {
  return executionOf(new FlowRegistry([flow]), input);
}

async function runAll(run: Execution, mode: "one" | "all" = "all") {
  const frames: string[] = [];
  const outcome = await advanceExecution(run, { mode, signal: undefined, now: () => 1000, onFrame: (f) => frames.push(f) });
  return { outcome, events: parseSse(frames.join("")) };
}

describe("templates", () => {
  const scope = { message: "What is the weather in Paris?", params: { n: 3 }, steps: { a: { x: [1, 2] } } };

  it("splices values into text and keeps a lone placeholder's type", () => {
    expect(renderTemplate("say {{message | upper}}", scope)).toBe("say WHAT IS THE WEATHER IN PARIS?");
    expect(renderTemplate("{{steps.a}}", scope)).toEqual({ x: [1, 2] });
    expect(renderTemplate("n={{params.n}} x={{steps.a.x}}", scope)).toBe("n=3 x=[1,2]");
    expect(renderTemplate({ city: "{{message | lastWord}}", list: ["{{params.n}}"] }, scope)).toEqual({ city: "Paris", list: [3] });
  });

  it("knows only its own filters: a prototype name is an unknown filter, never a function of Object", async () => {
    const { unknownFilters } = await import("../../src/server/engine/template.js");
    for (const name of ["valueOf", "hasOwnProperty", "toLocaleString", "constructor", "toString", "isPrototypeOf"]) {
      expect(unknownFilters(`{{message | ${name}}}`)).toEqual([name]);
      expect(renderTemplate(`{{message | ${name}}}`, scope)).toBe(scope.message);
    }
    expect(unknownFilters("{{message | upper | lastWord}}")).toEqual([]);
  });

  it("keeps a template key named __proto__ as a key of the output", () => {
    const template = JSON.parse('{"__proto__":"{{message | lastWord}}","plain":"x"}') as Record<string, string>;
    const out = renderTemplate(template, scope) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":"Paris?","plain":"x"}'.replace("Paris?", "Paris"));
  });

  it("renders missing values as empty text and leaves non-placeholders alone", () => {
    expect(renderTemplate("[{{nope.deeper}}]", scope)).toBe("[]");
    expect(renderTemplate("{ not a placeholder }", scope)).toBe("{ not a placeholder }");
    expect(renderTemplate(42, scope)).toBe(42);
  });
});

describe("usage and money", () => {
  it("counts tokens from text length and prices them exactly", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("abcde")).toBe(2);
    expect(costPico("noukai/mock-1", tokens(10, 4))).toBe(10 * 500_000 + 4 * 1_500_000);
    expect(costPico("someone/unknown", tokens(10, 4))).toBe(costPico("noukai/mock-1", tokens(10, 4)));
    expect(formatUsd(11_000_000)).toBe("0.00001100");
    expect(formatUsd(-1_500_000_000_000n)).toBe("-1.50000000");
    expect(parseUsd("12.5")).toBe(12_500_000_000_000n);
    expect(parseUsd("abc")).toBeUndefined();
  });
});

describe("the flow engine", () => {
  it("runs steps in order, each seeing the earlier outputs, and emits the full event sequence", async () => {
    const run = runOf(flowOf([{ id: "a", template: "A({{message}})" }, { id: "b", name: "Bee", template: "B({{steps.a}})" }]));
    const { outcome, events } = await runAll(run);
    expect(outcome).toBe("completed");
    expect(run.result).toBe("B(A(hello world))");
    expect(events.map((e) => e.event)).toEqual([
      "run_started",
      ...["step_started", "step_input", "step_output", "step_completed"],
      ...["step_started", "step_input", "step_output", "step_completed"],
      "flow_completed",
    ]);
    const completed = events.find((e) => e.event === "step_completed" && e.data.stepId === "b")?.data;
    expect(completed).toMatchObject({ name: "Bee", output: "B(A(hello world))", durationMs: expect.any(Number) });
    expect(Number.isInteger(completed.durationMs)).toBe(true);
    expect(completed.costUsd).toMatch(/^\d+\.\d{8}$/);
    expect(completed.tokens.total).toBe(completed.tokens.prompt + completed.tokens.completion);
  });

  it("is deterministic apart from ids and timestamps", async () => {
    const flow = flowOf([{ id: "a", template: { echo: "{{message}}", n: "{{params.n}}" } }]);
    const first = await runAll(runOf(flow, { parameters: { n: 2 } }));
    const second = await runAll(runOf(flow, { parameters: { n: 2 } }));
    expect(second.events).toEqual(first.events);
  });

  it("runs one step at a time in 'one' mode", async () => {
    const run = runOf(flowOf([{ id: "a" }, { id: "b" }]));
    expect((await runAll(run, "one")).outcome).toBe("paused");
    expect(run.nextStep).toBe(1);
    const second = await runAll(run, "one");
    expect(second.outcome).toBe("completed");
    expect(second.events.map((e) => e.event)).not.toContain("run_started");
  });

  it("retries failing attempts and records each of them", async () => {
    const run = runOf(flowOf([{ id: "flaky", retries: 2, failAttempts: 2, template: "ok on {{attempt}}" }]));
    await runAll(run);
    expect(run.result).toBe("ok on 3");
    expect(run.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
      [3, "completed"],
    ]);
  });

  it("fails the run when a step runs out of attempts, naming the step", async () => {
    const run = runOf(flowOf([{ id: "a" }, { id: "bad", name: "Bad", fail: { code: "X", message: "nope" } }, { id: "c" }]));
    const { outcome, events } = await runAll(run);
    expect(outcome).toBe("failed");
    expect(run.result).toContain('"bad"');
    expect(events.at(-1)).toMatchObject({ event: "step_error", data: { stepId: "bad", name: "Bad", error: { code: "X", message: "nope" } } });
  });

  it("loops a step and outputs the array of iterations", async () => {
    const run = runOf(flowOf([{ id: "each", loop: { count: 3 }, template: "#{{loop.index}}" }]));
    await runAll(run);
    expect(run.result).toEqual(["#0", "#1", "#2"]);
    expect(run.attempts.map((a) => a.loopIndex)).toEqual([0, 1, 2]);
  });

  it("applies blockOverrides and inputOverrides visibly", async () => {
    const run = runOf(flowOf([{ id: "a", template: "{{message}} / {{input.tone}}" }]), {
      blockOverrides: { a: { model: "noukai/mock-large", temperature: 0.5 } },
      inputOverrides: { a: { tone: "formal", message: "overridden" } },
    });
    const { events } = await runAll(run);
    expect(run.result).toBe("overridden / formal");
    expect(run.attempts[0]?.modelUsed).toBe("noukai/mock-large");
    expect(events.find((e) => e.event === "step_input")?.data.inputData).toMatchObject({ tone: "formal", blockOverrides: { temperature: 0.5 } });
  });

  it("pauses a tool-calling step when its function is offered, over the declared rounds, then answers with the results", async () => {
    const flow = flowOf([
      {
        id: "t",
        template: "no tools",
        tools: { calls: [{ name: "lookup", arguments: { q: "{{message | lastWord}}", round: "{{tool.round}}" } }], rounds: 2, template: "got {{tool.results}}" },
      },
    ]);
    const run = runOf(flow, { tools: [{ type: "function", function: { name: "lookup" } }] });
    const first = await runAll(run);
    expect(first.outcome).toBe("awaiting_tools");
    const pause = first.events.at(-1)?.data;
    expect(pause.toolCalls).toEqual([{ id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"world","round":1}' } }]);
    expect(pause.toolCallMessages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
    const second = await advanceExecution(run, { mode: "all", signal: undefined, now: () => 0, toolResults: [{ toolCallId: "call_1", value: "r1" }] });
    expect(second).toBe("awaiting_tools");
    expect(run.toolState?.pendingCalls[0]?.id).toBe("call_2");
    await advanceExecution(run, { mode: "all", signal: undefined, now: () => 0, toolResults: [{ toolCallId: "call_2", value: { v: 2 } }] });
    expect(run.status).toBe("completed");
    expect(run.result).toBe('got ["r1",{"v":2}]');
  });

  it("answers a tool-calling step directly when the caller offers no matching tool", async () => {
    const flow = flowOf([{ id: "t", template: "no tools", tools: { calls: [{ name: "lookup" }], template: "x" } }]);
    for (const run of [runOf(flow, { tools: [{ type: "function", function: { name: "other" } }] }), runOf(flow)]) {
      expect((await runAll(run)).outcome).toBe("completed");
      expect(run.result).toBe("no tools");
    }
  });

  it("keeps steps named like Object.prototype members as plain outputs, overridable by their names", async () => {
    const ids = ["__proto__", "constructor", "valueOf", "toString", "hasOwnProperty"];
    const run = runOf(flowOf(ids.map((id) => ({ id, template: { from: id } }))), {
      blockOverrides: JSON.parse('{"__proto__":{"model":"noukai/mock-large"},"valueOf":{"template":"{{steps.__proto__.from}}"}}') as Record<string, never>,
      inputOverrides: JSON.parse('{"constructor":{"__proto__":"shadow"}}') as Record<string, never>,
    });
    const { outcome, events } = await runAll(run);
    expect(outcome).toBe("completed");
    expect(Object.keys(run.outputs)).toEqual(ids);
    expect(Object.entries(run.outputs)).toContainEqual(["valueOf", "__proto__"]);
    expect(run.attempts[0]?.modelUsed).toBe("noukai/mock-large");
    const constructorInput = events.find((e) => e.event === "step_input" && e.data.stepId === "constructor")?.data.inputData;
    expect(constructorInput.__proto__).toBe("shadow");
  });

  it("prices a model named like an Object.prototype member as the default model", () => {
    for (const model of ["constructor", "__proto__", "toString", "valueOf"]) {
      expect(costPico(model, tokens(10, 4))).toBe(costPico("noukai/mock-1", tokens(10, 4)));
    }
  });

  it("fails the run with INTERNAL_ERROR, and ends the stream with step_error, when a step hits a bug", async () => {
    let armed = false;
    const step = { id: "a" } as StepDefinition;
    Object.defineProperty(step, "template", {
      enumerable: true,
      get: () => {
        if (armed) throw new Error("a bug in the engine");
        return "{{message}}";
      },
    });
    const run = runOf(flowOf([{ id: "first" }, step, { id: "never" }]));
    armed = true;
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    const { outcome, events } = await runAll(run);
    await new Promise((resolve) => setImmediate(resolve));
    process.off("warning", onWarning);
    expect(outcome).toBe("failed");
    expect(run.status).toBe("failed");
    expect(run.error).toContain("unexpected error");
    expect(events.at(-1)).toMatchObject({ event: "step_error", data: { stepId: "a", error: { code: "INTERNAL_ERROR" } } });
    expect(run.steps.map((record) => [record.stepId, record.status])).toEqual([
      ["first", "completed"],
      ["a", "failed"],
    ]);
    expect(warnings.join("\n")).toContain("a bug in the engine");
  });

  it("leaves the run consistent when a step is interrupted", async () => {
    const run = runOf(flowOf([{ id: "a" }, { id: "slow", latencyMs: 5_000 }]));
    const controller = new AbortController();
    const pending = advanceExecution(run, { mode: "all", signal: controller.signal, now: () => 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect(await pending).toBe("interrupted");
    expect(run.status).toBe("paused");
    expect(run.nextStep).toBe(1);
    expect(Object.keys(run.outputs)).toEqual(["a"]);
  });
});
