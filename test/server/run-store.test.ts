import { describe, expect, it } from "vitest";
import { FlowRegistry } from "../../src/server/flows/registry.js";
import { RunStore } from "../../src/server/state/run-store.js";
import { executionOf } from "./helpers.js";

const registry = new FlowRegistry([{ org: "o", project: "p", slug: "s", draft: { steps: [{ id: "a" }] } }]);

function runWithId(id: string) {
  const run = executionOf(registry);
  Object.defineProperty(run, "id", { value: id });
  return run;
}

describe("the run store's holds", () => {
  it("never pushes out a run held by a request or job, counts nested holds, and lets it go once the last one ends", () => {
    const store = new RunStore({ maxRuns: 1, maxBytes: 1 << 30, ttlMs: 60_000, now: () => 0 });
    const first = runWithId("first");
    expect(store.add(first)).toBe(true);
    expect(first.holds).toBe(1);
    store.hold(first);
    expect(first.holds).toBe(2);
    // Past maxRuns, the held run stays.
    expect(store.add(runWithId("second"))).toBe(true);
    expect(store.peek("first")).toBe(first);
    store.release(first);
    expect(first.holds).toBe(1);
    expect(store.peek("first")).toBe(first);
    store.release(first);
    expect(first.holds).toBe(0);
    // Unheld, it goes at once: the store is past maxRuns, and the other run is held.
    expect(store.peek("first")).toBeUndefined();
    expect(store.peek("second")?.holds).toBe(1);
    // A release with no hold left changes nothing.
    store.release(first);
    expect(first.holds).toBe(0);
  });
});
