/**
 * The parts of OpenTelemetry's API the client uses, by shape: the `tracer`
 * and `otel` options take OpenTelemetry's own objects, and these types let
 * them (a `Tracer`, the `@opentelemetry/api` module) without the package's
 * types depending on `@opentelemetry/api`, which is an optional peer
 * dependency: a project without it still compiles against `noukai`.
 */

export type OtelAttributeValue = string | number | boolean | string[] | number[] | boolean[];

export type OtelAttributes = Record<string, OtelAttributeValue | undefined>;

/** A context, as OpenTelemetry's `Context`: opaque here, handed back to the API. */
export interface OtelContext {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): OtelContext;
  deleteValue(key: symbol): OtelContext;
}

/** What the client does with a span. */
export interface OtelSpan {
  setAttribute(key: string, value: OtelAttributeValue): unknown;
  setAttributes(attributes: OtelAttributes): unknown;
  addEvent(name: string, attributes?: OtelAttributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error): void;
  /** A `Date`: OpenTelemetry reads a plain number as time since the process started, not since the epoch. */
  end(endTime?: Date): void;
}

/** An OpenTelemetry `Tracer`, e.g. `trace.getTracer("my-app")`. */
export interface OtelTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: OtelAttributes; startTime?: Date }, context?: OtelContext): OtelSpan;
}

/** A histogram, as OpenTelemetry's metrics API makes it. */
export interface OtelHistogram {
  record(value: number, attributes?: OtelAttributes): void;
}

/** A meter, as OpenTelemetry's metrics API gives it. */
export interface OtelMeter {
  createHistogram(name: string, options?: { description?: string; unit?: string; advice?: { explicitBucketBoundaries?: number[] } }): OtelHistogram;
}

/** The `@opentelemetry/api` module (`import * as otel from "@opentelemetry/api"`), as far as the client uses it. */
export interface OtelApi {
  readonly trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
  };
  readonly context: {
    active(): OtelContext;
    with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: OtelContext, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F>;
  };
  readonly propagation: {
    inject(context: OtelContext, carrier: Record<string, string>): void;
  };
  /** From API 1.3; absent from older ones, which then record no metrics. */
  readonly metrics?: {
    getMeter(name: string, version?: string): OtelMeter;
  };
}
