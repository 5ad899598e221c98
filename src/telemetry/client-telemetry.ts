import type { Middleware } from "../core/middleware.js";
import type { ClientOptions } from "../core/options.js";
import type { PayloadRedactor } from "../core/redact-paths.js";
import type { Redact } from "../core/redact.js";
import { resolveTelemetry } from "./setup.js";
import { type StepTraceFetcher, telemetryMiddleware } from "./telemetry-middleware.js";

/**
 * A client's telemetry layer, from its options: undefined when telemetry is
 * off. The browser and edge build has a twin (./client-telemetry.web.ts)
 * that holds none of this.
 */
export function telemetryLayer(
  given: Pick<ClientOptions, "otel" | "tracer" | "otelSteps" | "otelPayloads">,
  clientName: string,
  baseUrl: URL,
  redact: PayloadRedactor,
  scrubKey: Redact,
  fetchStepTrace: StepTraceFetcher | undefined,
): Middleware | undefined {
  const telemetry = resolveTelemetry(given, clientName, baseUrl, redact, scrubKey);
  return telemetry === undefined ? undefined : telemetryMiddleware(telemetry, fetchStepTrace);
}
