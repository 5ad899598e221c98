/**
 * The browser footprint (issue 18): the browser build bundled with its
 * dependencies and minified, gzipped, must stay within its budget. `npm run
 * size` shows what weighs in it.
 */
import { describe, expect, it } from "vitest";
import { BROWSER_GZIP_BUDGET, measureBrowserFootprint } from "../../scripts/size/footprint.js";

const footprint = await measureBrowserFootprint();

describe("the browser footprint", () => {
  it(`stays within ${BROWSER_GZIP_BUDGET} bytes gzipped`, () => {
    console.log(`browser footprint: ${footprint.minifiedBytes} bytes minified, ${footprint.gzipBytes} bytes gzipped, budget ${BROWSER_GZIP_BUDGET}`);
    expect(footprint.gzipBytes, "over budget: `npm run size` shows what weighs").toBeLessThanOrEqual(BROWSER_GZIP_BUDGET);
  });

  it("accounts for every byte, minified and gzipped, by source file", () => {
    const sum = (key: "minifiedBytes" | "gzipBytes") => footprint.parts.reduce((total, part) => total + part[key], 0);
    expect(sum("minifiedBytes")).toBe(footprint.minifiedBytes);
    expect(sum("gzipBytes")).toBe(footprint.gzipBytes);
    // The build's source map leads back to src/, so the bundle is not one opaque file.
    expect(footprint.parts.filter((part) => part.source.startsWith("src/")).length).toBeGreaterThan(10);
    expect(footprint.parts.some((part) => part.source === "src/core/sse-frames.ts")).toBe(true);
  });
});
