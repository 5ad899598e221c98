import { describe, expect, it } from "vitest";
import { advanceExecution } from "../../src/server/engine/advance-execution.js";
import type { Execution, ExecutionInput } from "../../src/server/engine/execution.js";
import { FlowRegistry } from "../../src/server/flows/registry.js";
import type { FlowDefinition, StepDefinition } from "../../src/server/flows/types.js";
import { decodeRun, encodeRun } from "../../src/server/persist/run-codec.js";
import { executionOf, parseSse } from "./helpers.js";

const FLOW: FlowDefinition = {
  org: "o",
  project: "p",
  slug: "s",
  draft: {
    steps: [
      { id: "a", template: { echo: "{{message}}" } },
      { id: "__proto__", retries: 1, failAttempts: 1, template: "B({{steps.a.echo}})" },
      {
        id: "t",
        template: "no tools",
        tools: { calls: [{ name: "lookup", arguments: { q: "{{message | lastWord}}" } }], rounds: 2, template: "got {{tool.results}}" },
      },
    ] satisfies StepDefinition[],
  },
};
const registry = new FlowRegistry([FLOW]);

/** A traced run (trace: true): the codec must keep everything a trace shows. */
function runOf(input: Partial<ExecutionInput> = {}): Execution {
  return executionOf(registry, { trace: true, ...input });
}

/** Through JSON, as a data directory keeps it. */
function roundTrip(run: Execution): Execution {
  return decodeRun(JSON.parse(JSON.stringify(encodeRun(run))), registry, 1000);
}

function trace(run: Execution) {
  return parseSse([...run.log.replay()].join(""));
}

function shape(run: Execution) {
  return {
    status: run.status,
    result: run.result,
    outputs: { ...run.outputs },
    attempts: run.attempts,
    steps: run.steps,
    records: run.records,
    usage: run.usage,
    costPico: run.costPico,
    durationMs: run.durationMs,
    bytes: run.bytes,
    outputBytes: run.outputBytes,
    toolState: run.toolState,
  };
}

describe("a run read back from a data directory", () => {
  it("is the finished run it was: its trace (rebuilt from the records), exact-size lists, outputs table and shared Tokens", async () => {
    const live = runOf();
    expect(await advanceExecution(live, { mode: "all", signal: undefined, now: () => 1000 })).toBe("completed");
    const restored = roundTrip(live);
    expect(shape(restored)).toEqual(shape(live));
    const events = trace(restored);
    expect(events).toEqual(trace(live));
    expect(events.find((e) => e.event === "step_output")?.data).toMatchObject({ stepId: "a", outputData: { echo: "hello world" }, outputContext: { echo: "hello world" } });
    // The outputs table inherits nothing, `__proto__` included, as a live one.
    expect(Object.getPrototypeOf(Object.getPrototypeOf(restored.outputs))).toBeNull();
    expect(Object.hasOwn(restored.outputs, "__proto__")).toBe(true);
    expect(restored.outputs.__proto__).toBe("B(hello world)");
    // Compacted as a live run that ended: when each step ran once in order, one array serves steps and records.
    expect(live.steps).toBe(live.records);
    expect(restored.steps).toBe(restored.records);
    // A step that ran once shares its attempt's Tokens.
    expect(restored.records[0]?.tokens).toBe(restored.attempts[0]?.tokens);
  });

  it("waits for tool results as the live run did, and goes on exactly as it would have", async () => {
    const tools = [{ type: "function", function: { name: "lookup" } }];
    const live = runOf({ tools, toolChoice: "required" });
    expect(await advanceExecution(live, { mode: "all", signal: undefined, now: () => 1000 })).toBe("awaiting_tools");
    const restored = roundTrip(live);
    expect(shape(restored)).toEqual(shape(live));
    // The tool state still shares its record and attempt with the run's lists.
    expect(restored.toolState?.record).toBe(restored.records[2]);
    expect(restored.toolState?.attempt).toBe(restored.attempts.at(-1));
    for (const run of [live, restored]) {
      const frames: string[] = [];
      const outcome = await advanceExecution(run, { mode: "all", signal: undefined, now: () => 2000, onFrame: (f) => frames.push(f), toolResults: [{ toolCallId: "call_1", value: "r1" }] });
      expect(outcome).toBe("awaiting_tools");
      expect(parseSse(frames.join("")).at(-1)?.data.toolCalls[0].id).toBe("call_2");
    }
    expect(shape(restored)).toEqual(shape(live));
    expect(trace(restored)).toEqual(trace(live));
  });
});
