import { describe, expect, it } from "vitest";
import { compileRedactPaths, REDACTED, redactPathProblem } from "../../src/core/redact-paths.js";

describe("compileRedactPaths", () => {
  it("replaces the value at a key path", () => {
    const redact = compileRedactPaths(["parameters.ssn"]);
    expect(redact({ message: "hi", parameters: { ssn: "123-45-6789", name: "Ada" } })).toEqual({
      message: "hi",
      parameters: { ssn: REDACTED, name: "Ada" },
    });
  });

  it("matches a path wherever it occurs, whatever the payload's root", () => {
    const redact = compileRedactPaths(["parameters.ssn"]);
    expect(redact({ body: { parameters: { ssn: 1 } }, list: [{ parameters: { ssn: { deep: true } } }] })).toEqual({
      body: { parameters: { ssn: REDACTED } },
      list: [{ parameters: { ssn: REDACTED } }],
    });
    // Only directly under a `parameters` key.
    expect(redact({ ssn: 1, other: { ssn: 2 } })).toEqual({ ssn: 1, other: { ssn: 2 } });
  });

  it("takes * for any one key or array index", () => {
    const redact = compileRedactPaths(["messages.*.content"]);
    expect(
      redact({
        messages: [
          { role: "user", content: "my card is 4111" },
          { role: "assistant", content: null, tool_calls: [] },
        ],
      }),
    ).toEqual({
      messages: [
        { role: "user", content: REDACTED },
        { role: "assistant", content: REDACTED, tool_calls: [] },
      ],
    });
    expect(compileRedactPaths(["*.secret"])({ a: { secret: 1 }, secret: 2 })).toEqual({ a: { secret: REDACTED }, secret: 2 });
  });

  it("redacts every key of a one-key path, at any depth, objects and arrays whole", () => {
    const redact = compileRedactPaths(["ssn"]);
    expect(redact({ ssn: { a: 1 }, x: [{ ssn: [1, 2] }] })).toEqual({ ssn: REDACTED, x: [{ ssn: REDACTED }] });
  });

  it("returns what matches nothing as it is, and never changes its input", () => {
    const redact = compileRedactPaths(["parameters.ssn"]);
    const untouched = { message: "hi", parameters: { name: "Ada" }, list: [1, { a: 2 }] };
    expect(redact(untouched)).toBe(untouched);
    const input = { parameters: { ssn: "x" }, keep: { a: [1] } };
    const output = redact(input) as typeof input;
    expect(input.parameters.ssn).toBe("x");
    // What was not redacted is shared, not copied.
    expect(output.keep).toBe(input.keep);
  });

  it("passes scalars, null and undefined through", () => {
    const redact = compileRedactPaths(["a"]);
    for (const value of ["text", 3, true, null, undefined]) expect(redact(value)).toBe(value);
  });

  it("is the identity with no paths", () => {
    const value = { ssn: 1 };
    expect(compileRedactPaths([])(value)).toBe(value);
  });

  it("keeps a key named __proto__ a key of the copy, never its prototype", () => {
    const parsed = JSON.parse('{"__proto__": {"ssn": "x"}, "ok": 1}') as unknown;
    const out = compileRedactPaths(["__proto__.ssn"])(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ ssn: REDACTED });
  });
  it("walks a payload nested far deeper than any stack, and copies only the way down to what it replaces", () => {
    // 100,000 levels of { a: … } with an ssn at the bottom, and a branch beside the top that holds none.
    const bottom = { ssn: "x" };
    let deep: Record<string, unknown> = bottom;
    for (let level = 0; level < 100_000; level++) deep = { a: deep };
    const beside = { name: "Ada" };
    const out = compileRedactPaths(["a.ssn"])({ deep, beside }) as { deep: Record<string, unknown>; beside: unknown };
    let at: Record<string, unknown> = out.deep;
    for (let level = 0; level < 100_000; level++) at = at["a"] as Record<string, unknown>;
    expect(at).toEqual({ ssn: REDACTED });
    expect(bottom.ssn).toBe("x");
    expect(out.beside).toBe(beside);
    expect(compileRedactPaths(["b"])(deep)).toBe(deep);
  });

  it("replaces the same value once per occurrence when a payload holds it twice", () => {
    const shared = { ssn: "x" };
    const out = compileRedactPaths(["ssn"])({ one: shared, two: [shared] }) as { one: unknown; two: unknown[] };
    expect(out).toEqual({ one: { ssn: REDACTED }, two: [{ ssn: REDACTED }] });
    expect(shared.ssn).toBe("x");
  });
});

describe("redactPathProblem", () => {
  it("accepts dotted keys and *", () => {
    for (const path of ["ssn", "parameters.ssn", "messages.*.content", "*"]) expect(redactPathProblem(path)).toBeUndefined();
  });

  it("names what is wrong with a path", () => {
    expect(redactPathProblem("")).toBe("is empty");
    expect(redactPathProblem(3)).toBe("is not a string");
    for (const path of ["a..b", ".a", "a."]) expect(redactPathProblem(path)).toMatch(/empty key/);
  });
});
