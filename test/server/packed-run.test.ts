import { describe, expect, it } from "vitest";
import { advanceExecution } from "../../src/server/engine/advance-execution.js";
import type { Execution, ExecutionInput } from "../../src/server/engine/execution.js";
import { FlowRegistry } from "../../src/server/flows/registry.js";
import type { FlowDefinition, StepDefinition } from "../../src/server/flows/types.js";
import { decodeRun, encodeRun } from "../../src/server/persist/run-codec.js";
import { executionOf, parseSse } from "./helpers.js";

/** Retries, a loop, a tool-calling step and a step that fails: every kind of record and attempt a run keeps. */
function registryOf(steps: StepDefinition[]): FlowRegistry {
  const flow: FlowDefinition = { org: "o", project: "p", slug: "s", draft: { steps } };
  return new FlowRegistry([flow]);
}

const COMPLETING = registryOf([
  { id: "a", template: { echo: "{{message}}" } },
  { id: "__proto__", retries: 2, failAttempts: 2, template: "B({{steps.a.echo}})" },
  { id: "each", loop: { count: 3 }, template: "#{{loop.index}}" },
  { id: "t", template: "no tools", tools: { calls: [{ name: "lookup", arguments: { q: "{{message | lastWord}}" } }], rounds: 2, template: "got {{tool.results}}" } },
]);
const FAILING = registryOf([
  { id: "a", template: "ok" },
  { id: "broken", retries: 1, fail: { code: "MODEL_ERROR", message: "always" } },
  { id: "never", template: "unreached" },
]);
const TOOLS = [{ type: "function", function: { name: "lookup" } }];

/** Runs to the end, answering tool calls, at a clock that moves (timestamps differ between records and attempts). */
async function finish(run: Execution): Promise<void> {
  let clock = 1_700_000_000_000;
  const now = () => (clock += 7);
  let outcome = await advanceExecution(run, { mode: "all", signal: undefined, now });
  for (let call = 1; outcome === "awaiting_tools"; call++) {
    outcome = await advanceExecution(run, { mode: "all", signal: undefined, now, toolResults: [{ toolCallId: `call_${call}`, value: `r${call}` }] });
  }
  expect(["completed", "failed"]).toContain(outcome);
}

/** Two runs of the same flow and input: the first is packed when it ends, the second kept as objects (a live trace listens to it). */
async function twins(registry: FlowRegistry, input: Partial<ExecutionInput>): Promise<{ packed: Execution; kept: Execution }> {
  const packed = executionOf(registry, input);
  const kept = executionOf(registry, input);
  kept.log.subscribe({ frame: () => undefined, settled: () => undefined });
  await finish(packed);
  await finish(kept);
  expect(packed.packed).toBe(true);
  expect(kept.packed).toBe(false);
  return { packed, kept };
}

/** Everything a read route or the data directory takes from a run, with each object's keys in order and undefined values marked. */
function everything(run: Execution): string {
  const bytes = run.bytes;
  const timestamps = [run.createdAt, run.startedAt, run.completedAt];
  const frames = [...run.log.replay()].join("");
  return JSON.stringify(
    { bytes, timestamps, attempts: run.attempts, steps: run.steps, records: run.records, failedStep: run.failedStep, frames, stored: encodeRun(run), dropped: run.log.dropped },
    (_key, value: unknown) => (value === undefined ? "(undefined)" : value),
  );
}

describe("a finished run, packed until it is read", () => {
  for (const [name, registry, input] of [
    ["completed, with retries and a loop", COMPLETING, {}],
    ["completed, traced (snapshots kept)", COMPLETING, { trace: true }],
    ["failed", FAILING, {}],
    ["failed, traced", FAILING, { trace: true }],
  ] as const) {
    it(`reads back exactly as the same run kept as objects: ${name}`, async () => {
      const { packed, kept } = await twins(registry, input);
      // Weighed the same while packed, before anything is rebuilt.
      expect(packed.bytes).toBe(kept.bytes);
      expect(packed.createdAt).toBe(kept.createdAt);
      expect(packed.completedAt).toBe(kept.completedAt);
      expect(packed.packed).toBe(true);
      expect(everything(packed)).toBe(everything(kept));
      expect(parseSse([...packed.log.replay()].join("")).length).toBeGreaterThan(4);
      // Rebuilt once, for good: the lists are shared as a kept run's are, and what a reader changes stays.
      expect(packed.packed).toBe(false);
      expect(packed.steps).toBe(packed.records);
      expect(packed.records[0]?.tokens).toBe(packed.attempts[0]?.tokens);
      if (packed.failedStep) expect(packed.records).toContain(packed.failedStep);
    });
  }

  it("is not packed when its log holds events with payloads of their own (tool calls): it keeps its objects", async () => {
    const run = executionOf(COMPLETING, { tools: TOOLS });
    await finish(run);
    expect(run.status).toBe("completed");
    expect(run.packed).toBe(false);
    expect(run.records[3]?.toolRounds).toHaveLength(2);
  });

  it("is packed again after a round trip through a data directory, and reads back the same", async () => {
    const { packed, kept } = await twins(COMPLETING, { trace: true });
    const restored = decodeRun(JSON.parse(JSON.stringify(encodeRun(kept))), COMPLETING, 1000);
    expect(restored.packed).toBe(true);
    expect(everything(restored)).toBe(everything(packed));
  });

  it("is not packed past 64 steps: a long run keeps its objects", async () => {
    const long = registryOf(Array.from({ length: 65 }, (_, i) => ({ id: `s${i}` })));
    const run = executionOf(long);
    await finish(run);
    expect(run.status).toBe("completed");
    expect(run.packed).toBe(false);
  });
});
