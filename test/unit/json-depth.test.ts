import { describe, expect, it } from "vitest";
import { depthOf, nestedDeeperThan } from "../../src/core/json-depth.js";

describe("depthOf", () => {
  it("counts levels of objects and arrays, the deepest branch's, and stops counting past the limit", () => {
    expect(depthOf("text", 10)).toBe(0);
    expect(depthOf(null, 10)).toBe(0);
    expect(depthOf({}, 10)).toBe(1);
    expect(depthOf({ a: [1, { b: [] }], c: {} }, 10)).toBe(4);
    let deep: unknown = [];
    for (let level = 1; level < 1_000_000; level++) deep = [deep];
    expect(depthOf(deep, 10)).toBe(11);
    expect(depthOf(deep, 2_000_000)).toBe(1_000_000);
  });
});

describe("nestedDeeperThan", () => {
  it("measures only a text long enough to nest past the limit, two characters a level", () => {
    const text = "[".repeat(6) + "]".repeat(6);
    expect(nestedDeeperThan(text, JSON.parse(text), 5)).toBe(true);
    expect(nestedDeeperThan(text, JSON.parse(text), 6)).toBe(false);
    // A text of 12 characters cannot nest 7 deep, whatever value it is said to hold.
    expect(nestedDeeperThan(text, [[[[[[[[]]]]]]]], 6)).toBe(false);
  });
});
