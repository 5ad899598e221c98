import { describe, expect, it } from "vitest";
import { compileRedactPaths } from "../../src/core/redact-paths.js";
import { argumentsPayload } from "../../src/telemetry/payloads.js";

describe("argumentsPayload", () => {
  const redact = compileRedactPaths(["card"]);

  it("applies the redact paths inside a tool call's arguments", () => {
    expect(argumentsPayload('{"city":"Oslo","card":"4111"}', redact)).toBe('{"city":"Oslo","card":"[redacted]"}');
    expect(argumentsPayload("not json, card 4111", redact)).toBe("not json, card 4111");
  });

  it("does not show arguments nested deeper than the client reads: as text, what the redact paths hide would show", () => {
    const deep = `${"[".repeat(2_001)}{"card":"4111"}${"]".repeat(2_001)}`;
    expect(argumentsPayload(deep, redact)).toBe("[not shown: nested more than 2000 levels deep]");
  });
});
