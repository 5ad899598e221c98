import { createRequire } from "node:module";
import { ValueError } from "../core/errors.js";
import type { OtelApi } from "../core/telemetry-types.js";
import { isOtelApi } from "./otel-api-shape.js";

/**
 * Loads `@opentelemetry/api` (an optional peer dependency) the first time a
 * client turns telemetry on, synchronously, so that a client's constructor can
 * say at once when it is missing, and a client without telemetry never loads
 * it.
 */
export function loadOtelApi(clientName: string): OtelApi {
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)("@opentelemetry/api");
  } catch (error) {
    throw new ValueError(
      `new ${clientName}() was asked for OpenTelemetry spans, which need @opentelemetry/api (an optional peer dependency of noukai), ` +
        `and it could not be loaded: install it (npm install @opentelemetry/api), or pass the API itself as otel ` +
        `(import * as otel from "@opentelemetry/api").`,
      { cause: error },
    );
  }
  if (!isOtelApi(loaded)) throw new ValueError(`new ${clientName}() loaded an @opentelemetry/api without trace, context and propagation; it needs version 1.3 or later.`);
  return loaded;
}
