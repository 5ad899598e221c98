import type { OtelApi, OtelTracer } from "../core/telemetry-types.js";

/**
 * OpenTelemetry's numbers for span kinds and statuses, which its API fixes
 * (`SpanKind`, `SpanStatusCode`): written here so that nothing has to be
 * imported for them.
 */
export const SPAN_KIND = { internal: 0, client: 2 } as const;
export const SPAN_STATUS = { ok: 1, error: 2 } as const;

/** Whether a value is the `@opentelemetry/api` module, as far as the client uses it. */
export function isOtelApi(value: unknown): value is OtelApi {
  const trace = member(value, "trace");
  const context = member(value, "context");
  return (
    typeof member(trace, "getTracer") === "function" &&
    typeof member(trace, "setSpan") === "function" &&
    typeof member(context, "active") === "function" &&
    typeof member(context, "with") === "function" &&
    typeof member(member(value, "propagation"), "inject") === "function"
  );
}

/** Whether a value can make spans like an OpenTelemetry `Tracer`. */
export function isOtelTracer(value: unknown): value is OtelTracer {
  return typeof member(value, "startSpan") === "function";
}

function member(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (Reflect.get(value, key) as unknown) : undefined;
}
