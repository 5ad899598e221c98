import { describe, expect, it } from "vitest";
import { KEPT_OUTPUTS_BUDGET, keepOutput, newCursor, restoreOutputs, stepBody } from "../../src/core/operations/step-cursor.js";

const outputsSent = (cursor: ReturnType<typeof newCursor>) => JSON.parse(JSON.stringify(stepBody({}, cursor)["accumulatedOutputs"])) as unknown;

describe("the outputs a step-by-step run sends back", () => {
  it("sends every completed step's output, in the order the steps completed", () => {
    const cursor = newCursor();
    keepOutput(cursor, "draft", "a draft", 20, false);
    keepOutput(cursor, "review", { score: 3 }, 20, false);
    expect(outputsSent(cursor)).toEqual({ draft: "a draft", review: { score: 3 } });
    expect(Object.keys(outputsSent(cursor) as object)).toEqual(["draft", "review"]);
  });

  it("keeps a step that ran twice in its first place, with its latest output", () => {
    const cursor = newCursor();
    keepOutput(cursor, "loop", 1, 10, false);
    keepOutput(cursor, "after", "x", 10, false);
    keepOutput(cursor, "loop", 2, 10, false);
    expect(Object.entries(outputsSent(cursor) as object)).toEqual([
      ["loop", 2],
      ["after", "x"],
    ]);
  });

  it("treats a step named __proto__ as any other key", () => {
    const cursor = newCursor();
    keepOutput(cursor, "__proto__", { polluted: true }, 10, false);
    expect(JSON.stringify(stepBody({}, cursor)["accumulatedOutputs"])).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("stops keeping outputs past the budget on runRemaining streams, and takes them back from a pause", () => {
    const cursor = newCursor();
    keepOutput(cursor, "first", "kept", KEPT_OUTPUTS_BUDGET, true);
    expect(outputsSent(cursor)).toEqual({ first: "kept" });
    keepOutput(cursor, "second", "too much", 1, true);
    expect(cursor.outputsComplete).toBe(false);
    restoreOutputs(cursor, { first: "kept", second: "too much" });
    expect(outputsSent(cursor)).toEqual({ first: "kept", second: "too much" });
  });

  it("keeps every output of a one-step-per-call run, whatever its size", () => {
    const cursor = newCursor();
    keepOutput(cursor, "big", "x", KEPT_OUTPUTS_BUDGET * 2, false);
    expect(outputsSent(cursor)).toEqual({ big: "x" });
  });
});
