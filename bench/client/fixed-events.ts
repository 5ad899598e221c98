/** The SSE frames of the fixed benchmark stream, shared by the fixed server and the in-memory replay. */

export const frame = (event: string, data: object): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const runStarted = (count: number): string => frame("run_started", { runId: "r-1", executionId: "r-1", flowId: "f", stepCount: count });

/** A step whose output is a short text, or `outputChars` characters of it. */
export const stepCompleted = (index: number, outputChars = 0): string =>
  frame("step_completed", {
    stepId: `s-${index}`,
    name: "step",
    output: { text: outputChars > 0 ? "x".repeat(outputChars) : "a short step output" },
    durationMs: 1,
    tokens: { prompt: 10, completion: 5, total: 15 },
    costUsd: "0.000015",
  });

export const flowCompleted = (): string => frame("flow_completed", { runId: "r-1", executionId: "r-1", result: "done" });
