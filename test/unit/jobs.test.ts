import { describe, expect, it } from "vitest";
import type { Effect } from "../../src/core/effects.js";
import { APITimeoutError, FlowNotFoundError } from "../../src/core/errors.js";
import { flowRef } from "../../src/core/flow-ref.js";
import { pollJob, waitJob } from "../../src/core/operations/jobs.js";
import { FakeClock, json, runScripted, testConfig } from "../helpers/scripted.js";

function jobServer(clock: FakeClock, statuses: (string | number)[]) {
  const polls: number[] = [];
  return {
    polls,
    answer: (effect: Effect): unknown => {
      if (effect.op === "sleep") {
        clock.time += effect.ms;
        return undefined;
      }
      if (effect.op !== "fetch") throw new Error(effect.op);
      polls.push(clock.time);
      const next = statuses.length > 1 ? statuses.shift() : statuses[0];
      if (next === 404) return json(404, { detail: { code: "JOB_NOT_FOUND", message: "Job not found" } });
      return json(200, { executionId: "j-1", status: next, result: next === "completed" ? 42 : null });
    },
  };
}

const setup = (clock: FakeClock) => ({ config: testConfig({ retry: { baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, jitter: 0, maxRetries: 0 } }, clock), flow: flowRef("o", "p", "s") });

describe("jobs", () => {
  it("polls until a final status, first at once, then every interval", () => {
    const clock = new FakeClock(0);
    const fake = jobServer(clock, ["pending", "running", "completed"]);
    const outcome = runScripted(waitJob(setup(clock), { executionId: "j-1", graceUntil: 0 }, { pollInterval: 100 }), fake.answer);
    expect(outcome.value).toMatchObject({ status: "completed", result: 42 });
    expect(fake.polls).toEqual([0, 100, 200]);
  });

  it("treats any other status as final, so a cancelled job returns at once", () => {
    const clock = new FakeClock(0);
    const fake = jobServer(clock, ["cancelled"]);
    const outcome = runScripted(waitJob(setup(clock), { executionId: "j-1", graceUntil: 0 }, {}), fake.answer);
    expect(outcome.value?.status).toBe("cancelled");
    expect(fake.polls).toHaveLength(1);
  });

  it("counts a 404 as pending within the grace window only", () => {
    const clock = new FakeClock(0);
    const inGrace = runScripted(pollJob(setup(clock), { executionId: "j-1", graceUntil: 5_000 }, {}), jobServer(clock, [404]).answer);
    expect(inGrace.value).toEqual({ executionId: "j-1", status: "pending" });
    const after = runScripted(pollJob(setup(clock), { executionId: "j-1", graceUntil: 0 }, {}), jobServer(clock, [404]).answer);
    expect(after.error).toBeInstanceOf(FlowNotFoundError);
  });

  it("gives up at its timeout, never sleeping past it", () => {
    const clock = new FakeClock(0);
    const fake = jobServer(clock, ["running"]);
    const outcome = runScripted(waitJob(setup(clock), { executionId: "j-1", graceUntil: 0 }, { timeout: 250, pollInterval: 100 }), fake.answer);
    expect(outcome.error).toBeInstanceOf(APITimeoutError);
    expect((outcome.error as Error).message).toBe("Job j-1 did not finish within 250 ms.");
    expect(fake.polls).toEqual([0, 100, 200]);
  });
});
