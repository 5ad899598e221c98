import * as otel from "@opentelemetry/api";
import type { ClientOptions } from "noukai";
import { describe, expectTypeOf, it } from "vitest";

/** Checked by `tsc` (the test run only proves the file loads): the telemetry options take OpenTelemetry's own objects. */
describe("telemetry option types", () => {
  it("take a Tracer, the API module, and booleans", () => {
    const options: ClientOptions = { tracer: otel.trace.getTracer("app"), otel, otelSteps: true, otelPayloads: false, redact: ["parameters.ssn"] };
    expectTypeOf(options.otel).toEqualTypeOf<ClientOptions["otel"]>();
    const switched: ClientOptions = { otel: true };
    expectTypeOf(switched).toMatchTypeOf<ClientOptions>();
  });

  it("refuse what is neither", () => {
    // @ts-expect-error a string is not a tracer
    const tracer: ClientOptions = { tracer: "app" };
    // @ts-expect-error a path list is strings
    const redact: ClientOptions = { redact: [1] };
    expectTypeOf(tracer).toMatchTypeOf<ClientOptions>();
    expectTypeOf(redact).toMatchTypeOf<ClientOptions>();
  });
});
