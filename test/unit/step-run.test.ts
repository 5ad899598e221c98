import { describe, expect, it } from "vitest";
import type { Effect, HttpRequest } from "../../src/core/effects.js";
import { APIConnectionError, FlowExecutionError, ToolCallLimitError, ValueError } from "../../src/core/errors.js";
import { flowRef } from "../../src/core/flow-ref.js";
import { KEPT_OUTPUTS_BUDGET } from "../../src/core/operations/step-cursor.js";
import { type EmittedToolPause, stepRun } from "../../src/core/operations/step-run.js";
import { frame, readFrom, runScripted, streamOf, testConfig } from "../helpers/scripted.js";

const context = () => ({ config: testConfig(), flow: flowRef("acme", "spelling", "two-step") });

/** Serves one scripted stream per `/step` call and records the request bodies. */
function server(streams: string[][]) {
  const requests: HttpRequest[] = [];
  return {
    requests,
    bodies: () => requests.map((r) => JSON.parse(r.body ?? "{}") as Record<string, unknown>),
    answer: (effect: Effect): unknown => {
      if (effect.op === "open") {
        requests.push(effect.request);
        const chunks = streams.shift();
        if (chunks === undefined) throw new Error("unexpected extra /step call");
        return streamOf(200, chunks);
      }
      if (effect.op === "read") return readFrom(effect);
      if (effect.op === "discard") return undefined;
      if (effect.op === "call") return effect.fn(...(effect.args as never[]));
      throw new Error(`unexpected ${effect.op}`);
    },
  };
}

const twoSteps = [
  [
    frame("run_started", { runId: "e-1", executionId: "e-1", flowId: "f", stepCount: 2 }),
    frame("step_started", { stepId: "s-1", name: "A", stepIndex: 0 }),
    frame("step_completed", { stepId: "s-1", name: "A", output: { a: 1 }, durationMs: 5, costUsd: "0.000001" }),
    frame("step_paused", { stepId: "s-1", stepIndex: 0 }),
  ],
  [
    frame("step_started", { stepId: "s-2", name: "B", stepIndex: 0 }),
    frame("step_completed", { stepId: "s-2", name: "B", output: "done" }),
    frame("flow_completed", { runId: "e-1", executionId: "e-1", result: "done" }),
  ],
];

describe("stepRun", () => {
  const oneChunk = [
    frame("run_started", { runId: "e-1", executionId: "e-1" }) +
      frame("step_started", { stepId: "s-1" }) +
      frame("step_completed", { stepId: "s-1", output: 1 }) +
      frame("flow_completed", { runId: "e-1", executionId: "e-1", result: 1 }),
  ];

  it("hands over the events read in one chunk together, in order", () => {
    const outcome = runScripted(stepRun(context(), { message: "hi", runRemaining: true }, "events"), server([[...oneChunk]]).answer);
    expect(outcome.error).toBeUndefined();
    const emits = outcome.effects.filter((effect) => effect.op === "emit" || effect.op === "emitEach");
    expect(emits.map((effect) => (effect.op === "emitEach" ? effect.values.map((event) => (event as { type: string }).type) : effect.op))).toEqual([
      ["run_started", "step_started", "step_completed", "flow_completed"],
    ]);
  });

  it("emits each event alone, right after its onEvent, when a middleware watches events", () => {
    const seen: string[] = [];
    const config = testConfig({ middleware: [{ name: "watch", onEvent: (event) => void seen.push(`onEvent ${event.type}`) }] });
    const op = stepRun({ config, flow: flowRef("acme", "spelling", "two-step") }, { message: "hi", runRemaining: true }, "events");
    const answer = server([[...oneChunk]]).answer;
    for (let step = op.next(); !step.done; ) {
      const effect = step.value;
      if (effect.op === "emitEach") throw new Error("events handed over together past a middleware");
      if (effect.op === "emit") {
        seen.push(`emit ${(effect.value as { type: string }).type}`);
        step = op.next();
      } else {
        step = op.next(answer(effect));
      }
    }
    expect(seen).toEqual(["run_started", "step_started", "step_completed", "flow_completed"].flatMap((type) => [`onEvent ${type}`, `emit ${type}`]));
  });

  it("threads the cursor from stream to stream, with the official client's bodies", () => {
    const fake = server(twoSteps.map((s) => [...s]));
    const options = { message: "hi", parameters: { p: 1 }, inputOverrides: { s: 1 } };
    const outcome = runScripted(stepRun(context(), options, "events"), fake.answer);
    expect(outcome.error).toBeUndefined();
    expect(fake.requests.map((r) => r.path)).toEqual(["/seq/acme/spelling/two-step/step", "/seq/acme/spelling/two-step/step"]);
    expect(fake.requests[0]?.body).toBe(
      '{"stepIndex":0,"accumulatedOutputs":{},"message":"hi","parameters":{"p":1},"inputOverrides":{"s":1},"runRemaining":false,"iterationsUsed":0,"trace":false}',
    );
    expect(fake.requests[1]?.body).toBe(
      '{"stepIndex":1,"accumulatedOutputs":{"s-1":{"a":1}},"message":null,"parameters":{},"inputOverrides":{"s":1},"runRemaining":false,"iterationsUsed":0,"trace":false,"executionId":"e-1"}',
    );
    const types = outcome.emitted.map((e) => (e as { type: string }).type);
    expect(types).toEqual(["run_started", "step_started", "step_completed", "step_paused", "step_started", "step_completed", "flow_completed"]);
    const indexes = outcome.emitted.map((e) => (e as { stepIndex?: number }).stepIndex);
    expect(indexes).toEqual([undefined, 0, 0, 0, 1, 1, undefined]);
  });

  it("yields only completed steps in steps mode", () => {
    const fake = server(twoSteps.map((s) => [...s]));
    const outcome = runScripted(stepRun(context(), { message: "hi" }, "steps"), fake.answer);
    expect(outcome.emitted.map((e) => (e as { stepId: string }).stepId)).toEqual(["s-1", "s-2"]);
  });

  it("turns a failed step into an error carrying the step in steps mode, an event in events mode", () => {
    const failing = [[frame("run_started", { executionId: "e-1" }), frame("step_error", { stepId: "s-1", name: "A", error: { code: "MODEL_ERROR", message: "boom" } })]];
    const steps = runScripted(stepRun(context(), { message: "hi" }, "steps"), server(failing.map((s) => [...s])).answer);
    expect(steps.error).toBeInstanceOf(FlowExecutionError);
    expect(steps.error).toMatchObject({ code: "MODEL_ERROR", executionId: "e-1", step: { stepId: "s-1" } });
    expect((steps.error as Error).message).toBe('Step "A" failed: boom');
    const events = runScripted(stepRun(context(), { message: "hi" }, "events"), server(failing.map((s) => [...s])).answer);
    expect(events.error).toBeUndefined();
    expect(events.emitted.at(-1)).toMatchObject({ type: "step_error", stepId: "s-1" });
  });

  it("fails, without asking again, when a stream ends before a pause or terminal event", () => {
    const fake = server([[frame("run_started", { executionId: "e-1" }), frame("step_started", { stepId: "s-1" })]]);
    const outcome = runScripted(stepRun(context(), { message: "hi" }, "events"), fake.answer);
    expect(outcome.error).toBeInstanceOf(APIConnectionError);
    expect(outcome.error).toMatchObject({ code: "STREAM_INCOMPLETE", executionId: "e-1" });
    expect(fake.requests).toHaveLength(1);
  });

  const toolPause = {
    runId: "e-1",
    executionId: "e-1",
    stepId: "s-1",
    stepIndex: 5,
    iterationsUsed: 1,
    toolCallMessages: [{ role: "user", content: "weather in Paris?" }],
    toolCalls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } }],
    accumulatedOutputs: {},
  };
  const pausedThenDone = () => [
    [frame("run_started", { executionId: "e-1" }), frame("step_paused_for_tool_calls", toolPause)],
    [frame("step_completed", { stepId: "s-1", output: "sunny" }), frame("flow_completed", { result: "sunny" })],
  ];

  it("answers a tool pause with the handler and resumes the same step", () => {
    const fake = server(pausedThenDone());
    const handler = () => [{ toolCallId: "call_1", output: "sunny" }];
    const outcome = runScripted(stepRun(context(), { message: "hi", tools: [{ type: "function" }], toolHandler: handler }, "steps"), fake.answer);
    expect(outcome.error).toBeUndefined();
    expect(fake.bodies()[1]).toEqual({
      stepIndex: 0,
      accumulatedOutputs: {},
      message: null,
      parameters: {},
      inputOverrides: {},
      runRemaining: false,
      iterationsUsed: 1,
      trace: false,
      executionId: "e-1",
      tools: [{ type: "function" }],
      toolCallMessages: [...toolPause.toolCallMessages, { role: "tool", tool_call_id: "call_1", content: "sunny" }],
    });
  });

  it("lets an events() consumer resume a tool pause, and refuses to go on without it", () => {
    const fake = server(pausedThenDone());
    const op = stepRun(context(), { message: "hi" }, "events");
    let step = op.next();
    const seen: string[] = [];
    for (;;) {
      if (step.done) break;
      const effect = step.value;
      if (effect.op === "emit" || effect.op === "emitEach") {
        for (const value of effect.op === "emit" ? [effect.value] : effect.values) {
          const event = value as { type: string } & Partial<EmittedToolPause>;
          seen.push(event.type);
          if (event.type === "tool_calls_required") event.resume?.({ toolResults: [{ toolCallId: "call_1", output: "sunny" }] });
        }
        step = op.next();
      } else {
        step = op.next(fake.answer(effect));
      }
    }
    expect(seen).toEqual(["run_started", "tool_calls_required", "step_completed", "flow_completed"]);

    const unanswered = runScripted(stepRun(context(), { message: "hi" }, "events"), server(pausedThenDone()).answer);
    expect(unanswered.error).toBeInstanceOf(ValueError);
    expect((unanswered.error as Error).message).toContain("event.resume({ toolResults })");
  });

  it("says to pass a toolHandler when steps() meets a tool pause without one", () => {
    const outcome = runScripted(stepRun(context(), { message: "hi" }, "steps"), server(pausedThenDone()).answer);
    expect(outcome.error).toBeInstanceOf(FlowExecutionError);
    expect((outcome.error as Error).message).toMatch(/without a toolHandler.*events\(\)/);
  });

  it("stops at maxToolRounds", () => {
    const again = [frame("step_paused_for_tool_calls", toolPause)];
    const fake = server([[frame("run_started", { executionId: "e-1" }), ...again], again, again]);
    const handler = () => [{ toolCallId: "call_1", output: "x" }];
    const outcome = runScripted(stepRun(context(), { message: "hi", toolHandler: handler, maxToolRounds: 2 }, "steps"), fake.answer);
    expect(outcome.error).toBeInstanceOf(ToolCallLimitError);
    expect(fake.requests).toHaveLength(3);
  });

  it("sends messages instead of message on the first call only", () => {
    const fake = server(twoSteps.map((s) => [...s]));
    runScripted(stepRun(context(), { messages: [{ role: "user", content: "hi" }] }, "steps"), fake.answer);
    expect(fake.bodies()[0]).toMatchObject({ messages: [{ role: "user", content: "hi" }] });
    expect(fake.bodies()[0]).not.toHaveProperty("message");
    expect(fake.bodies()[1]).toMatchObject({ message: null });
    expect(fake.bodies()[1]).not.toHaveProperty("messages");
  });
});

describe("outputs kept between /step calls", () => {
  // Two such outputs fit the budget; six do not.
  const big = "x".repeat(KEPT_OUTPUTS_BUDGET / 4);
  const longRun = (count: number) => [
    frame("run_started", { executionId: "e-1" }),
    ...Array.from({ length: count }, (_, i) => frame("step_completed", { stepId: `s-${i}`, output: big })),
  ];
  const pause = {
    runId: "e-1",
    executionId: "e-1",
    stepId: "tool",
    stepIndex: 5,
    iterationsUsed: 1,
    toolCallMessages: [],
    toolCalls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
    accumulatedOutputs: { "from-server": 1 },
  };
  const handler = () => [{ toolCallId: "call_1", output: "ok" }];

  it("are all sent again after a tool pause while they fit the budget", () => {
    const fake = server([[...longRun(2), frame("step_paused_for_tool_calls", pause)], [frame("flow_completed", {})]]);
    runScripted(stepRun(context(), { message: "x", runRemaining: true, toolHandler: handler }, "steps"), fake.answer);
    expect(Object.keys(fake.bodies()[1]?.["accumulatedOutputs"] as object)).toEqual(["s-0", "s-1"]);
  });

  it("are let go on a runRemaining stream past the budget, and taken from the pause", () => {
    const fake = server([[...longRun(6), frame("step_paused_for_tool_calls", pause)], [frame("flow_completed", {})]]);
    runScripted(stepRun(context(), { message: "x", runRemaining: true, toolHandler: handler }, "steps"), fake.answer);
    expect(fake.bodies()[1]?.["accumulatedOutputs"]).toEqual({ "from-server": 1 });
  });

  it("are all kept on one-step-per-call runs, whose every call needs them", () => {
    const steps = Array.from({ length: 6 }, (_, i) => [frame("step_completed", { stepId: `s-${i}`, output: big }), frame("step_paused", { stepId: `s-${i}` })]);
    const fake = server([[frame("run_started", { executionId: "e-1" }), ...(steps[0] ?? [])], ...steps.slice(1), [frame("flow_completed", {})]]);
    runScripted(stepRun(context(), { message: "x" }, "steps"), fake.answer);
    expect(Object.keys(fake.bodies()[6]?.["accumulatedOutputs"] as object)).toHaveLength(6);
  });
});
