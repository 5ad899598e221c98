import type { ListeningServer } from "noukai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, serve, sseEvents } from "./served.js";

/**
 * Rule: what a step outputs is bounded while it renders, never after: each
 * step (maxStepOutputBytes, 2 MiB) and a whole run (maxRunOutputBytes,
 * 8 MiB), counting spliced values by their JSON size each time they are
 * referenced. Past a limit the step fails at once, naming the limit: /execute
 * answers `failed` with a result that says so, /step ends with step_error
 * OUTPUT_TOO_LARGE, and the server keeps nothing big.
 */
const MIB = 1024 * 1024;
const big = {
  org: "o",
  project: "p",
  slug: "big",
  draft: { steps: ["a", "b", "c", "d", "e"].map((id) => ({ id, template: "{{message}}" })) },
};
const objects = { org: "o", project: "p", slug: "objects", draft: { steps: [{ id: "make", template: { list: "{{messages}}" } }, { id: "use", template: "{{steps.make}}" }] } };

describe("output limits", () => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await serve({ flows: [big, objects] });
  });
  afterAll(() => server.close());

  it("echoes a 1 MiB message (under the step limit) end to end", async () => {
    const message = "x".repeat(MIB - 100);
    const answer = await postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message });
    expect(answer.json).toMatchObject({ status: "completed" });
    expect(answer.json.result).toHaveLength(message.length + "Hello! You said: ".length);
  });

  it("refuses the reported 28 KB amplification at once, naming the limit, and keeps nothing big", async () => {
    const started = Date.now();
    const answer = await postJson(server.baseUrl, "/seq/examples/demo/two-step/v0/execute", {
      message: "y".repeat(400),
      blockOverrides: { outline: { template: "{{message}}".repeat(1000) }, write: { template: "{{message}}{{steps.outline}}".repeat(600) } },
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(answer.text.length).toBeLessThan(1_000_000);
    expect(answer.json.status).toBe("failed");
    expect(answer.json.result).toMatch(/step "write" would output more than 2 MiB of JSON, the server's maxStepOutputBytes/);
  });

  it("reads a caller's template in linear time: `{{` and a megabyte of spaces is answered at once", async () => {
    const started = Date.now();
    const answer = await postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message: "m", blockOverrides: { greet: { template: `{{${" ".repeat(1_000_000)}x` } } });
    expect(answer.json.status).toBe("completed");
    // The backtracking pattern this replaced took 9 s on 4,000 spaces, and grew with their cube.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("counts a referenced value each time, by its JSON size, objects included", async () => {
    const messages = [{ role: "user", content: "z".repeat(300_000) }];
    const ok = await postJson(server.baseUrl, "/seq/o/p/objects/execute", { messages, blockOverrides: { use: { template: ["{{steps.make}}", "{{steps.make}}"] } } });
    expect(ok.json.status).toBe("completed");
    const eight = Array.from({ length: 8 }, () => "{{steps.make}}");
    const refused = await postJson(server.baseUrl, "/seq/o/p/objects/execute", { messages, blockOverrides: { use: { template: eight } } });
    expect(refused.json).toMatchObject({ status: "failed", result: expect.stringContaining("maxStepOutputBytes") });
    const spliced = await postJson(server.baseUrl, "/seq/o/p/objects/execute", { messages, blockOverrides: { use: { template: "{{steps.make}}".repeat(8) } } });
    expect(spliced.json.result).toContain("maxStepOutputBytes");
  });

  it("bounds a run's outputs together: the step that would pass 8 MiB fails, on /execute and /step", async () => {
    const message = "w".repeat(1_000_000);
    const blockOverrides = Object.fromEntries(["a", "b", "c", "d", "e"].map((id) => [id, { template: "{{message}}{{message}}" }]));
    const executed = await postJson(server.baseUrl, "/seq/o/p/big/execute", { message, blockOverrides });
    expect(executed.json).toMatchObject({ status: "failed", result: expect.stringMatching(/step "e" would take this run's outputs past 8 MiB of JSON, the server's maxRunOutputBytes/) });
    const stream = await fetch(`${server.baseUrl}/seq/o/p/big/step`, {
      method: "POST",
      headers: { authorization: "Bearer nk_hardening", "content-type": "application/json" },
      body: JSON.stringify({ message, blockOverrides, runRemaining: true }),
    });
    const events = sseEvents(await stream.text());
    expect(events.filter((event) => event.event === "step_completed").map((event) => event.data.stepId)).toEqual(["a", "b", "c", "d"]);
    expect(events.at(-1)).toMatchObject({ event: "step_error", data: { stepId: "e", error: { code: "OUTPUT_TOO_LARGE", message: expect.stringContaining("maxRunOutputBytes") } } });
  });

  it("bounds tool-call arguments and loops the same way", async () => {
    const loop = { org: "o", project: "p", slug: "loop", draft: { steps: [{ id: "each", loop: { count: 100 }, template: "{{message}}" }] } };
    const tools = {
      org: "o",
      project: "p",
      slug: "tools",
      draft: { steps: [{ id: "ask", template: "no", tools: { calls: [{ name: "f", arguments: { a: "{{message}}", b: "{{message}}", c: "{{message}}" } }], template: "done" } }] },
    };
    const local = await serve({ flows: [loop, tools] });
    try {
      const looped = await postJson(local.baseUrl, "/seq/o/p/loop/execute", { message: "v".repeat(50_000) });
      expect(looped.json).toMatchObject({ status: "failed", result: expect.stringContaining("maxStepOutputBytes") });
      const asked = await postJson(local.baseUrl, "/seq/o/p/tools/execute", { message: "t".repeat(900_000), tools: [{ type: "function", function: { name: "f" } }] });
      expect(asked.json).toMatchObject({ status: "failed", result: expect.stringContaining("maxStepOutputBytes") });
    } finally {
      await local.close();
    }
  });
});
