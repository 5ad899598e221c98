/**
 * The API key is never in a span: every scenario of the secrets suite (every
 * operation, every error path, a hostile server that echoes the key back in
 * each place an answer has) run again with telemetry on, payloads and step
 * fetches included, and every exported span searched for it.
 */
import { InMemorySpanExporter, SimpleSpanProcessor, BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS } from "../helpers/clients.js";
import { closeSharedServer, runSecretScenario, SECRET } from "../reliability/secrets/run-secrets.js";
import { findSecret } from "../reliability/secrets/scan.js";
import { ERROR_PATHS, OPERATIONS, type SecretScenario } from "../reliability/secrets/scenarios.js";
import { RawServer } from "../reliability/support/raw-server.js";
import { setUpTracing } from "./tracing.js";

setUpTracing();
const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer("noukai");

let echo: RawServer;
beforeAll(async () => {
  echo = await RawServer.start(new URL("../helpers/responders/echo-secret.ts", import.meta.url));
});
afterAll(async () => {
  await echo.close();
  await closeSharedServer();
});

/** The scenario with every telemetry option on. */
function traced(scenario: SecretScenario): SecretScenario {
  return { ...scenario, client: (key) => ({ ...scenario.client?.(key), tracer, otelPayloads: true, otelSteps: true }) };
}

/** What an exporter sends of each span: its name, attributes, events, status and links. */
function exported(): unknown[] {
  return exporter.getFinishedSpans().map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, status: span.status, links: span.links }));
}

describe.each(CLIENT_KINDS)("%s never puts the API key in a span", (kind) => {
  it.each([...OPERATIONS, ...ERROR_PATHS].map((scenario, index) => [`${scenario.name} #${index}`, scenario] as const))("%s", async (_name, scenario) => {
    exporter.reset();
    const result = await runSecretScenario(kind, traced(scenario), echo);
    expect(result.leaks).toEqual([]);
    const spans = exported();
    expect(findSecret(spans, SECRET, "spans")).toEqual([]);
  });

  it("made spans in those scenarios", async () => {
    exporter.reset();
    await runSecretScenario(kind, traced(OPERATIONS[0] as SecretScenario), echo);
    expect(exported().length).toBeGreaterThan(0);
  });
});
