import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, expectError, makeApp, parseSse, post } from "./helpers.js";

describe("sessions", () => {
  it("groups executions by X-Session-Id in the SessionResponse shape", async () => {
    const app = makeApp();
    const session = randomUUID();
    const headers = { "x-session-id": session };
    const executed = (await post(app, "two-step", "execute", { message: "one" }, { headers })).json;
    const stepped = parseSse((await post(app, "hello", "step", { message: "two", runRemaining: true }, { headers })).text);
    await post(app, "broken", "execute", { message: "three" }, { headers });
    await post(app, "hello", "execute", { message: "untagged" });

    const answer = await call(app, `/seq/sessions/${session}`);
    expect(answer.status).toBe(200);
    const { sessionId, executions } = answer.json;
    expect(sessionId).toBe(session);
    expect(executions.map((e: { slug: string; triggerType: string; status: string }) => [e.slug, e.triggerType, e.status])).toEqual([
      ["two-step", "execute", "completed"],
      ["hello", "step", "completed"],
      ["broken", "execute", "failed"],
    ]);
    const first = executions[0];
    expect(first).toMatchObject({ executionId: executed.executionId, flowId: "flow_examples/demo/two-step", traceCaptureMode: "full", snapshotsAvailable: true, errorAtStep: null });
    expect(first.steps.map((s: { stepId: string }) => s.stepId)).toEqual(["outline", "write"]);
    expect(first.steps[0]).toMatchObject({ attempt: 1, loopIndex: null, status: "completed", inputSnapshot: { message: "one" }, errorSnapshot: null, truncated: false });
    expect(first.steps.at(-1).outputSnapshot).toBe(executed.result);
    expect(executions[1].steps.at(-1).outputSnapshot).toBe(stepped.at(-1)?.data.result);
    expect(executions[2]).toMatchObject({ errorAtStep: "explode" });
    expect(executions[2].steps.at(-1)).toMatchObject({ stepId: "explode", status: "failed", errorSnapshot: { code: "MODEL_ERROR" } });
  });

  it("answers 400 for a non-UUID, 404 for an unknown id, 410 for an expired session", async () => {
    const app = makeApp({ maxSessions: 1 });
    expectError(await call(app, "/seq/sessions/abc"), 400, "BAD_REQUEST");
    expectError(await call(app, `/seq/sessions/${randomUUID()}`), 404, "NOT_FOUND");
    const old = randomUUID();
    await post(app, "hello", "execute", { message: "m" }, { headers: { "x-session-id": old } });
    await post(app, "hello", "execute", { message: "m" }, { headers: { "x-session-id": randomUUID() } });
    expectError(await call(app, `/seq/sessions/${old.toUpperCase()}`), 404, "NOT_FOUND");
    expectError(await call(app, `/seq/sessions/${old}`), 410, "GONE");
  });
});
