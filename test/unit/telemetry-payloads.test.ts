import { describe, expect, it } from "vitest";
import { createRedactor } from "../../src/core/redact.js";
import { compileRedactPaths } from "../../src/core/redact-paths.js";
import { jsonTextPayload } from "../../src/telemetry/payloads.js";

describe("jsonTextPayload", () => {
  const redact = compileRedactPaths(["card"]);
  const scrubKey = createRedactor("nk_secret_key_123");

  it("applies the redact paths inside JSON text (a tool call's arguments, a tool's result given as a string)", () => {
    expect(jsonTextPayload('{"city":"Oslo","card":"4111"}', redact, scrubKey)).toBe('{"city":"Oslo","card":"[redacted]"}');
    expect(jsonTextPayload("not json, card 4111", redact, scrubKey)).toBe("not json, card 4111");
  });

  it("scrubs the key that an escape in the text spells, which the scrub of the answer the text came in could not see", () => {
    expect(jsonTextPayload('{"apiKey":"\\u006ek_secret_key_123"}', redact, scrubKey)).not.toContain("nk_secret_key_123");
  });

  it("does not show JSON text nested deeper than the client reads: as text, what the redact paths hide would show", () => {
    const deep = `${"[".repeat(2_001)}{"card":"4111"}${"]".repeat(2_001)}`;
    expect(jsonTextPayload(deep, redact, scrubKey)).toBe("[not shown: nested more than 2000 levels deep]");
  });
});
