import { ValueError } from "../core/errors.js";
import type { Middleware } from "../core/middleware.js";
import type { ClientOptions } from "../core/options.js";

/**
 * The browser and edge build carries no telemetry: it would weigh on every
 * page that does not use it (the build's size only shrinks). Asking for it
 * here is refused rather than ignored.
 */
export function telemetryLayer(given: Pick<ClientOptions, "otel" | "tracer" | "otelSteps" | "otelPayloads">, clientName: string): Middleware | undefined {
  const { otel, tracer, otelSteps, otelPayloads } = given;
  if (otel !== false && (otel !== undefined || tracer !== undefined || otelSteps === true || otelPayloads === true)) {
    throw new ValueError(`new ${clientName}(): OpenTelemetry (otel, tracer) is not in the browser and edge build; trace from Node, Bun or Deno.`);
  }
  return undefined;
}
