import { validateFlow, type ListeningServer } from "noukai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH, postJson, serve, sseEvents, waitFor } from "./served.js";

/**
 * Rule: every table the server looks a caller's or a flow file's name up in
 * answers only its own entries, and a bug met while a run advances still ends
 * that run (failed, INTERNAL_ERROR), its stream (a terminal step_error) and
 * its job (failed, not "cancelled by shutdown").
 */
const PROTOTYPE_NAMES = ["__proto__", "constructor", "valueOf", "hasOwnProperty", "toString", "toLocaleString", "isPrototypeOf"];
const FILTER_NAMES = PROTOTYPE_NAMES.filter((name) => /^[A-Za-z]+$/.test(name));

/** A step whose template reads fine while the flow is checked, then throws once armed: a stand-in for a bug in the engine. */
function buggyStep(): { step: { id: string }; arm: () => void } {
  const step = { id: "buggy" };
  let armed = false;
  Object.defineProperty(step, "template", {
    enumerable: true,
    get: () => {
      if (armed) throw new Error("a bug in the engine (simulated)");
      return "{{message}}";
    },
  });
  return { step, arm: () => (armed = true) };
}

const prototypeFlow = {
  org: "hasOwnProperty",
  project: "__proto__",
  slug: "valueOf",
  draft: { steps: PROTOTYPE_NAMES.map((id) => ({ id, template: `${id}: {{message}}` })) },
};

describe("names that are Object.prototype members", () => {
  let server: ListeningServer;
  beforeAll(async () => {
    const buggy = buggyStep();
    const bug = { org: "o", project: "p", slug: "bug", draft: { steps: [{ id: "first" }, buggy.step, { id: "never" }] } };
    const billed = ["constructor", "__proto__"].map((org) => ({ org, project: "p", slug: "s", draft: { steps: [{ id: "a" }] } }));
    server = await serve({ flows: [prototypeFlow, bug, ...billed], credits: Object.fromEntries([["constructor", "0"], ["__proto__", "1"]]) });
    buggy.arm();
  });
  afterAll(() => server.close());

  it.each(["execute", "step", "jobs"])("refuses a blockOverrides template with a prototype-named filter on /%s (400 naming it)", async (action) => {
    for (const name of FILTER_NAMES) {
      const answer = await postJson(server.baseUrl, `/seq/examples/demo/hello/${action}`, { message: "m", blockOverrides: { greet: { template: `{{message | ${name}}}` } } });
      expect(answer.status).toBe(400);
      expect(answer.json.detail).toMatchObject({ code: "TEMPLATE_INVALID", message: expect.stringContaining(`"${name}"`) });
    }
  });

  it("refuses the same filters in flow files", () => {
    for (const name of FILTER_NAMES) {
      const problems = validateFlow({ org: "o", project: "p", slug: "s", draft: { steps: [{ id: "a", template: `{{message | ${name}}}` }] } }, "f.json");
      expect(problems.map((problem) => problem.message)).toEqual([`unknown template filter "${name}"`]);
    }
  });

  it("runs flows and steps named after them, with overrides and model names named after them", async () => {
    const blockOverrides = Object.fromEntries(PROTOTYPE_NAMES.map((id) => [id, { model: id }]));
    const answer = await postJson(server.baseUrl, "/seq/hasOwnProperty/__proto__/valueOf/execute", { message: "m", blockOverrides, trace: true });
    expect(answer.json).toMatchObject({ status: "completed", result: "isPrototypeOf: m" });
    const trace = await fetch(`${server.baseUrl}/seq/hasOwnProperty/__proto__/valueOf/runs/${answer.json.executionId as string}/trace`, { headers: AUTH });
    const steps = ((await trace.json()) as { steps: { stepId: string; modelUsed: string; costUsd: string }[] }).steps;
    expect(steps.map((step) => [step.stepId, step.modelUsed])).toEqual(PROTOTYPE_NAMES.map((id) => [id, id]));
    const stream = await fetch(`${server.baseUrl}/seq/hasOwnProperty/__proto__/valueOf/step`, { method: "POST", headers: AUTH, body: JSON.stringify({ message: "m", runRemaining: true }) });
    const events = sseEvents(await stream.text());
    expect(events.at(-1)).toMatchObject({ event: "flow_completed", data: { result: "isPrototypeOf: m" } });
    const completed = events.filter((event) => event.event === "step_completed").map((event) => event.data.stepId);
    expect(completed).toEqual(PROTOTYPE_NAMES);
  });

  it("bills an org named like a prototype member from its own credits only", async () => {
    expect((await postJson(server.baseUrl, "/seq/constructor/p/s/execute", { message: "m" })).status).toBe(402);
    expect((await postJson(server.baseUrl, "/seq/__proto__/p/s/execute", { message: "m" })).status).toBe(200);
    // Orgs with no credits of their own are not billed, whatever their name.
    expect((await postJson(server.baseUrl, "/seq/hasOwnProperty/__proto__/valueOf/execute", { message: "m" })).status).toBe(200);
  });

  it("ends a run that hits a bug: failed with INTERNAL_ERROR on /execute, a terminal step_error on /step, a failed job", async () => {
    const executed = await postJson(server.baseUrl, "/seq/o/p/bug/execute", { message: "m" });
    expect(executed.status).toBe(200);
    expect(executed.json).toMatchObject({ status: "failed", result: expect.stringContaining("unexpected error") });
    const summary = await fetch(`${server.baseUrl}/seq/o/p/bug/runs/${executed.json.executionId as string}`, { headers: AUTH });
    expect(((await summary.json()) as { status: string }).status).toBe("failed");

    const stream = await fetch(`${server.baseUrl}/seq/o/p/bug/step`, { method: "POST", headers: AUTH, body: JSON.stringify({ message: "m", runRemaining: true }) });
    const events = sseEvents(await stream.text());
    expect(events.at(-1)).toMatchObject({ event: "step_error", data: { stepId: "buggy", error: { code: "INTERNAL_ERROR" } } });

    const job = await postJson(server.baseUrl, "/seq/o/p/bug/jobs", { message: "m" });
    const poll = () => fetch(`${server.baseUrl}/seq/o/p/bug/jobs/${job.json.executionId as string}`, { headers: AUTH }).then((r) => r.json() as Promise<{ status: string; error: string }>);
    const finished = await waitFor(poll, (state) => state.status !== "pending" && state.status !== "running");
    expect(finished.status).toBe("failed");
    expect(finished.error).toContain("unexpected error");
  });
});
