/**
 * Captured sessions as the service lists them (`GET /sessions/{id}`), made
 * by hand: one completed execution of acme/sup/hello whose steps a test
 * chooses, to turn into a cassette.
 */
import type { Session, SessionStep } from "../../src/core/types.js";

/** A completed first attempt of step s1, with `fields` over it. */
export const sessionStep = (fields: Partial<SessionStep>): SessionStep => ({
  stepId: "s1",
  attempt: 1,
  loopIndex: null,
  status: "completed",
  startedAt: null,
  completedAt: null,
  durationMs: 5,
  inputSnapshot: { message: "hi" },
  outputSnapshot: { answer: 42 },
  errorSnapshot: null,
  truncated: false,
  ...fields,
});

export const sessionOf = (steps: SessionStep[]): Session => ({
  sessionId: "00000000-0000-4000-8000-000000000001",
  executions: [
    {
      executionId: "exec-1",
      flowId: "flow_acme/sup/hello",
      slug: "hello",
      triggerType: "execute",
      status: "completed",
      startedAt: null,
      completedAt: null,
      traceCaptureMode: "full",
      snapshotsAvailable: true,
      errorAtStep: null,
      steps,
    },
  ],
});
