/**
 * What a user ships is minified, and a minifier renames classes: every
 * error must still say its own name (`error.name`, `String(error)`), since
 * that is what logs and error reporters show.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as NoukaiPackage from "noukai";
import { afterAll, describe, expect, it } from "vitest";
import { measureBrowserFootprint } from "../../scripts/size/footprint.js";

const dir = mkdtempSync(join(tmpdir(), "noukai-minified-"));
const file = join(dir, "noukai.min.mjs");
writeFileSync(file, (await measureBrowserFootprint()).code);
const minified = (await import(pathToFileURL(file).href)) as typeof NoukaiPackage;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ERRORS = [
  "NoukaiError",
  "AuthenticationError",
  "InsufficientCreditsError",
  "PermissionDeniedError",
  "FlowNotFoundError",
  "VersionNotFoundError",
  "RunNotFoundError",
  "StepNotFoundError",
  "RateLimitError",
  "FlowExecutionError",
  "BadRequestError",
  "ConflictError",
  "UnprocessableEntityError",
  "InternalServerError",
  "APIConnectionError",
  "APITimeoutError",
  "APIUserAbortError",
  "ToolCallLimitError",
  "ValueError",
] as const;

describe("error names in the minified browser bundle", () => {
  it("the bundle does rename its classes (so this test means something)", () => {
    expect(minified.APIUserAbortError.name).not.toBe("APIUserAbortError");
  });

  it.each(ERRORS)("%s says its own name", (name) => {
    const error = new minified[name]("boom");
    expect(error.name).toBe(name);
    expect(String(error)).toBe(`${name}: boom`);
  });
});
