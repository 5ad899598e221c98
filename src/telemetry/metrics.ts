import type { OtelApi, OtelAttributes, OtelHistogram } from "../core/telemetry-types.js";
import { VERSION } from "../version.js";

/**
 * The GenAI client metrics (OpenTelemetry's generative-AI conventions), from
 * the same calls as the spans: how long each run-starting call took, and the
 * tokens its run used when the service reported them (streams do; a whole
 * `execute` answer does not). Made by the global meter provider; with none
 * registered, the API's meter records nothing.
 */
export interface CallMetrics {
  /** `gen_ai.client.operation.duration`, seconds. */
  readonly duration: OtelHistogram;
  /** `gen_ai.client.token.usage`, tokens, with `gen_ai.token.type` `input` or `output`. */
  readonly tokens: OtelHistogram;
}

// The conventions' advised bucket boundaries.
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

export function callMetrics(api: OtelApi): CallMetrics | undefined {
  const meter = api.metrics?.getMeter("noukai", VERSION);
  if (meter === undefined) return undefined;
  return {
    duration: meter.createHistogram("gen_ai.client.operation.duration", {
      description: "Duration of a Noukai run-starting call, as the client saw it",
      unit: "s",
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    tokens: meter.createHistogram("gen_ai.client.token.usage", {
      description: "Tokens a Noukai run used, as the service reported them",
      unit: "{token}",
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
  };
}

/** Records one ended call. */
export function recordCall(metrics: CallMetrics, seconds: number, attributes: OtelAttributes, tokens: { input: number | undefined; output: number | undefined }): void {
  metrics.duration.record(seconds, attributes);
  if (tokens.input !== undefined) metrics.tokens.record(tokens.input, { ...attributes, "gen_ai.token.type": "input" });
  if (tokens.output !== undefined) metrics.tokens.record(tokens.output, { ...attributes, "gen_ai.token.type": "output" });
}
