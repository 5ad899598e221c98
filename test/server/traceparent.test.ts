import { describe, expect, it } from "vitest";
import { call, flowPath, makeApp, parseSse, post } from "./helpers.js";

const app = makeApp();
const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

/** A run remembers the traceparent it was created with, so that a client's propagation can be checked end to end. */
describe("traceparent", () => {
  it("shows the traceparent of the request that created the run, in its trace and its summary", async () => {
    const id = (await post(app, "hello", "execute", { message: "m" }, { headers: { traceparent: TRACEPARENT } })).json.executionId;
    const trace = await call(app, flowPath("hello", `/runs/${id}/trace`));
    expect(trace.json.flowRun.traceparent).toBe(TRACEPARENT);
    expect((await call(app, flowPath("hello", `/runs/${id}`))).json.traceparent).toBe(TRACEPARENT);
  });

  it("records it for jobs and /step runs too", async () => {
    const job = (await post(app, "hello", "jobs", { message: "m" }, { headers: { traceparent: TRACEPARENT } })).json.executionId;
    expect((await call(app, flowPath("hello", `/runs/${job}/trace`))).json.flowRun.traceparent).toBe(TRACEPARENT);
    const stream = await post(app, "two-step", "step", { message: "m", stepIndex: 0 }, { headers: { traceparent: TRACEPARENT } });
    const started = parseSse(stream.text).find((frame) => frame.event === "run_started");
    const runId = (started?.data as { executionId: string }).executionId;
    expect((await call(app, flowPath("two-step", `/runs/${runId}/trace`))).json.flowRun.traceparent).toBe(TRACEPARENT);
  });

  it("leaves it out when none came, or when it is not a traceparent", async () => {
    const plain = (await post(app, "hello", "execute", { message: "m" })).json.executionId;
    expect((await call(app, flowPath("hello", `/runs/${plain}/trace`))).json.flowRun).not.toHaveProperty("traceparent");
    const bad = (await post(app, "hello", "execute", { message: "m" }, { headers: { traceparent: "not-a-traceparent" } })).json.executionId;
    expect((await call(app, flowPath("hello", `/runs/${bad}/trace`))).json.flowRun).not.toHaveProperty("traceparent");
  });
});
