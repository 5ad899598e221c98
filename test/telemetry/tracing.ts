/**
 * OpenTelemetry as a user's test would set it up: an SDK tracer provider
 * whose spans go to an in-memory exporter, with the async-hooks context
 * manager and the W3C propagator registered globally (what
 * `NodeTracerProvider.register()` does), so that a span the caller makes
 * active is the parent of the client's, and `traceparent` goes out.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

export interface Tracing {
  readonly exporter: InMemorySpanExporter;
  readonly provider: BasicTracerProvider;
  /** A tracer of the caller's own, for the spans around the client's calls. */
  readonly tracer: Tracer;
  spans(): ReadableSpan[];
}

/** Registers the context manager, propagator and a fresh provider (as the global one too); call once per test file. */
export function setUpTracing(): Tracing {
  context.disable();
  propagation.disable();
  trace.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  return { exporter, provider, tracer: provider.getTracer("the-app"), spans: () => exporter.getFinishedSpans() };
}

const KINDS: Record<number, string> = { [SpanKind.INTERNAL]: "INTERNAL", [SpanKind.CLIENT]: "CLIENT", [SpanKind.SERVER]: "SERVER" };
const STATUSES: Record<number, string> = { [SpanStatusCode.UNSET]: "UNSET", [SpanStatusCode.OK]: "OK", [SpanStatusCode.ERROR]: "ERROR" };

export function idOf(span: ReadableSpan): string {
  return span.spanContext().spanId;
}

export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** The spans whose name is this, in the order they started. */
export function named(spans: readonly ReadableSpan[], name: string): ReadableSpan[] {
  return byStart(spans.filter((span) => span.name === name));
}

/** The one span of that name. */
export function only(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = named(spans, name);
  if (found.length !== 1) throw new Error(`expected one span ${name}, found ${found.length}: ${spans.map((span) => span.name).join(", ")}`);
  return found[0] as ReadableSpan;
}

function byStart(spans: readonly ReadableSpan[]): ReadableSpan[] {
  const at = (span: ReadableSpan) => span.startTime[0] * 1e9 + span.startTime[1];
  return [...spans].sort((a, b) => at(a) - at(b));
}

/**
 * The spans as a tree in text, one line each: name, kind and status, then
 * the attributes asked for. Children are in the order they started, so a
 * tree reads as what happened.
 */
export function renderTree(spans: readonly ReadableSpan[], show: readonly string[] = []): string[] {
  const ids = new Set(spans.map(idOf));
  const lines: string[] = [];
  const visit = (span: ReadableSpan, prefix: string, last: boolean, root: boolean) => {
    const shown = show.filter((key) => span.attributes[key] !== undefined).map((key) => `${key}=${String(span.attributes[key])}`);
    const head = `${span.name}  ${KINDS[span.kind] ?? span.kind} ${STATUSES[span.status.code] ?? span.status.code}${shown.length > 0 ? `  ${shown.join(" ")}` : ""}`;
    lines.push(root ? head : `${prefix}${last ? "└── " : "├── "}${head}`);
    const children = byStart(spans.filter((child) => parentOf(child) === idOf(span)));
    children.forEach((child, index) => visit(child, root ? "" : `${prefix}${last ? "    " : "│   "}`, index === children.length - 1, false));
  };
  for (const root of byStart(spans.filter((span) => parentOf(span) === undefined || !ids.has(parentOf(span) ?? "")))) visit(root, "", true, true);
  return lines;
}
