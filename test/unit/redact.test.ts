import { describe, expect, it } from "vitest";
import { createRedactor } from "../../src/core/redact.js";

describe("createRedactor", () => {
  const redact = createRedactor("nk_secret_key");

  it("masks the key wherever a server put it, in keys and values", () => {
    expect(redact({ a: "Bearer nk_secret_key", nk_secret_key: ["x nk_secret_key"] })).toEqual({ a: "Bearer [redacted]", "[redacted]": ["x [redacted]"] });
  });

  it("returns what holds no key as it is", () => {
    const value = { a: [1, { b: "c" }] };
    expect(redact(value)).toBe(value);
  });

  it("keeps a key named __proto__ as a key, never as the copy's prototype", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": "nk_secret_key"}, "ok": 1}') as unknown;
    const scrubbed: Record<string, unknown> = redact(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype);
    expect(Object.hasOwn(scrubbed, "__proto__")).toBe(true);
    expect(scrubbed["polluted"]).toBeUndefined();
    expect(JSON.stringify(scrubbed)).toBe('{"__proto__":{"polluted":"[redacted]"},"ok":1}');
  });
  it("finds and masks the key in a value nested far deeper than any stack", () => {
    let deep: unknown = ["Bearer nk_secret_key", { "nk_secret_key": 1 }];
    for (let level = 0; level < 100_000; level++) deep = { a: [deep] };
    let at: unknown = redact(deep);
    for (let level = 0; level < 100_000; level++) at = (at as { a: unknown[] }).a[0];
    expect(at).toEqual(["Bearer [redacted]", { "[redacted]": 1 }]);
    let clean: unknown = "no key here";
    for (let level = 0; level < 100_000; level++) clean = [clean];
    expect(redact(clean)).toBe(clean);
  });
});
