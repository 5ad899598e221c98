/**
 * Telemetry on, as a service in production would have it: the async-hooks
 * context manager and the W3C propagator registered globally, an SDK tracer
 * provider whose batch processor hands spans to an exporter (here one that
 * drops them, so that what is measured is the client's work, not a
 * collector's). The client gets the provider's tracer.
 */
import { context, propagation, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";

const dropping: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => undefined,
};

export function benchTracer(): Tracer {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping)] }).getTracer("noukai");
}
