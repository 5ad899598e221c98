import type { RunLimits } from "./limits.js";
import type { Emit } from "./step-records.js";

/** How a step ended; with StepContext, shared by the plain and the tool-calling step runners, which call each other. */
export type StepOutcome = "completed" | "failed" | "awaiting_tools";

export interface StepContext {
  emit: Emit;
  /** Aborts the mock model's wait (client gone, server closing); the step then throws. */
  signal: AbortSignal | undefined;
  now: () => number;
  /** What the step may output, and the room the server has left for runs. */
  limits: RunLimits;
}
