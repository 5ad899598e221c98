import { describe } from "../core/identifiers.js";
import type { ClientOptions } from "../core/options.js";
import type { PayloadRedactor } from "../core/redact-paths.js";
import type { Redact } from "../core/redact.js";
import type { OtelApi, OtelTracer } from "../core/telemetry-types.js";
import { VERSION } from "../version.js";
import { callMetrics, type CallMetrics } from "./metrics.js";
import { loadOtelApi } from "./load-otel-api.js";
import { isOtelApi, isOtelTracer } from "./otel-api-shape.js";

/** The tracer's name: the instrumentation scope of every span the client makes. */
export const TRACER_NAME = "noukai";

/** Where the client's requests go, as span attributes say it (no credentials, no key). */
export interface ServerFacts {
  readonly address: string;
  readonly port: number;
  /** The base URL, to which a request's path is appended for `url.full`. */
  readonly base: string;
}

/** A client's telemetry, resolved once at construction and shared by its calls. */
export interface Telemetry {
  /** Context and propagation: the user's active span, and `traceparent` on every request. */
  readonly api: OtelApi;
  readonly tracer: OtelTracer;
  /** The GenAI client metrics, when the API has a metrics part. */
  readonly metrics: CallMetrics | undefined;
  /** `otelPayloads`. */
  readonly payloads: boolean;
  readonly redact: PayloadRedactor;
  /**
   * The API key's scrub, for what telemetry parses itself (a tool call's
   * arguments, a tool's result as JSON text): an escape there can spell the
   * key where the scrub of the answer saw none.
   */
  readonly scrubKey: Redact;
  /** `otelSteps`: fetch an ended run's trace for its step spans. */
  readonly fetchSteps: boolean;
  readonly server: ServerFacts;
}

type TelemetryOptions = Pick<ClientOptions, "otel" | "tracer" | "otelSteps" | "otelPayloads">;

/**
 * The telemetry options, checked: undefined when telemetry is off (nothing
 * is loaded, nothing built), else what every call's spans need. The API is
 * loaded only when the caller did not give it as `otel`.
 */
export function resolveTelemetry(given: TelemetryOptions, clientName: string, baseUrl: URL, redact: PayloadRedactor, scrubKey: Redact): Telemetry | undefined {
  const { otel, tracer, otelSteps, otelPayloads } = given;
  if (otel !== undefined && typeof otel !== "boolean" && !isOtelApi(otel)) {
    throw new TypeError(`otel must be true, false, or the @opentelemetry/api module (import * as otel from "@opentelemetry/api"), got ${describe(otel)}.`);
  }
  if (tracer !== undefined && !isOtelTracer(tracer)) throw new TypeError(`tracer must be an OpenTelemetry Tracer (trace.getTracer("my-app")), got ${describe(tracer)}.`);
  if (otelSteps !== undefined && typeof otelSteps !== "boolean") throw new TypeError(`otelSteps must be true or false, got ${describe(otelSteps)}.`);
  if (otelPayloads !== undefined && typeof otelPayloads !== "boolean") throw new TypeError(`otelPayloads must be true or false, got ${describe(otelPayloads)}.`);
  // `otel: false` is the switch: off, whatever else is set (a tracer kept in a config stays unused).
  if (otel === false) return undefined;
  if (otel === undefined && tracer === undefined && otelSteps !== true && otelPayloads !== true) return undefined;
  const api = isOtelApi(otel) ? otel : loadOtelApi(clientName);
  return {
    api,
    tracer: tracer ?? api.trace.getTracer(TRACER_NAME, VERSION),
    metrics: callMetrics(api),
    payloads: otelPayloads === true,
    redact,
    scrubKey,
    fetchSteps: otelSteps === true,
    server: serverFacts(baseUrl),
  };
}

function serverFacts(baseUrl: URL): ServerFacts {
  const port = baseUrl.port !== "" ? Number(baseUrl.port) : baseUrl.protocol === "https:" ? 443 : 80;
  // url.full must never carry credentials, even ones written into the base URL.
  const base = new URL(baseUrl.href);
  base.username = "";
  base.password = "";
  return { address: baseUrl.hostname.replace(/^\[(.*)\]$/, "$1"), port, base: base.href.replace(/\/+$/, "") };
}
