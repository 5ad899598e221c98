/**
 * The browser and edge build carries no telemetry (it would weigh on every
 * page that does not use it, and the build's size only shrinks): it holds
 * no way to load `@opentelemetry/api`, and refuses the telemetry options
 * rather than ignoring them.
 */
import { readFileSync } from "node:fs";
import * as otel from "@opentelemetry/api";
import type * as NoukaiPackage from "noukai";
import { describe, expect, it } from "vitest";
import { TEST_KEY } from "../helpers/clients.js";

const browserBuild = new URL("../../dist/index.browser.js", import.meta.url);

describe("telemetry in the browser build", () => {
  it("holds no way to load the API, and none of the telemetry", () => {
    const source = readFileSync(browserBuild, "utf8");
    expect(source).not.toMatch(/createRequire|from\s*["']module["']|import\(\s*["']@opentelemetry/);
    expect(source).not.toContain("noukai.flow.execute");
  });

  it("refuses each telemetry option, saying where tracing works; otel: false and no option are fine", async () => {
    const { AsyncNoukai, ValueError } = (await import(browserBuild.href)) as typeof NoukaiPackage;
    for (const options of [{ otel: true }, { otel }, { tracer: otel.trace.getTracer("app") }, { otelSteps: true }, { otelPayloads: true }]) {
      expect(() => new AsyncNoukai({ apiKey: TEST_KEY, ...options })).toThrow(ValueError);
      expect(() => new AsyncNoukai({ apiKey: TEST_KEY, ...options })).toThrow(/not in the browser and edge build; trace from Node, Bun or Deno/);
    }
    await new AsyncNoukai({ apiKey: TEST_KEY, otel: false, tracer: otel.trace.getTracer("app") }).close();
    await new AsyncNoukai({ apiKey: TEST_KEY }).close();
  });
});
