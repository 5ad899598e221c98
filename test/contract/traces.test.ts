import { FlowNotFoundError } from "noukai";
import { describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY, settle } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";

const local = useLocalServer();

describe.each(CLIENT_KINDS)("%s traces", (kind) => {
  const client = () => makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, org: "examples", project: "demo" });

  it("reads a run's trace, with snapshots when the run asked for them", async () => {
    const flow = client().flow("two-step");
    const run = await flow.execute({ message: "traced", trace: true });
    const trace = await flow.run(run.executionId as string).trace();
    expect(trace.flowRun).toMatchObject({ id: run.executionId, status: "completed", triggerType: "execute", stepCount: 2 });
    expect(trace.steps.map((step) => step.stepId)).toEqual(["outline", "write"]);
    for (const step of trace.steps) {
      expect(step).toMatchObject({ attempt: 1, status: "completed", costUsd: expect.stringMatching(/^\d+\.\d+$/) as string });
      expect(step.inputContext).toBeDefined();
    }
  });

  it("reads one step: latest attempt, a numbered one, all of them, one loop iteration", async () => {
    const flow = client().flow("retry-loop");
    const run = await flow.execute({ message: "items" });
    const traces = flow.run(run.executionId as string);
    const latest = (await traces.stepTrace("flaky"));
    expect(latest).toMatchObject({ stepId: "flaky", attempt: 3, status: "completed" });
    const second = (await traces.stepTrace("flaky", { attempt: 2 }));
    expect(second).toMatchObject({ attempt: 2, status: "failed" });
    const all = (await traces.stepTrace("flaky", { attempt: "all" }));
    expect(all.attempts.map((a) => a.status)).toEqual(["failed", "failed", "completed"]);
    const iteration = (await traces.stepTrace("each", { loopIndex: 1 }));
    expect(iteration).toMatchObject({ stepId: "each", loopIndex: 1 });
  });

  it("follows a run live, from its first event to its end", async () => {
    const flow = client().flow("slow");
    const job = await flow.executeAsync({ message: "watch" });
    const types: string[] = [];
    for await (const event of flow.run(job.executionId).liveTrace()) types.push(event.type);
    expect(types[0]).toBe("run_started");
    expect(types.filter((t) => t === "step_completed")).toHaveLength(3);
    expect(types.at(-1)).toBe("flow_completed");
  });

  it("refuses bad step ids and attempts before any request, and reports unknown runs", async () => {
    const traces = client().flow("hello").run("some-run");
    await expect(settle(() => traces.stepTrace("a/b"))).rejects.toThrow(/stepId/);
    await expect(settle(() => traces.stepTrace("s", { attempt: 0 }))).rejects.toThrow(/attempt/);
    await expect(settle(() => traces.stepTrace("s", { loopIndex: -1 }))).rejects.toThrow(/loopIndex/);
    await expect(settle(() => traces.trace())).rejects.toBeInstanceOf(FlowNotFoundError);
    expect(() => client().flow("hello").run("../etc")).toThrow(/executionId/);
  });
});
