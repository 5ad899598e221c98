import { AsyncNoukai } from "noukai";
import type { ListeningServer } from "noukai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY, postJson, serve } from "./served.js";

/**
 * Rule: what the server accepts is consistent with what a client must send
 * back. Each /step call (and each tool resume on /execute) re-sends the run's
 * earlier outputs in accumulatedOutputs, which the server lets grow to
 * maxRunOutputBytes; so a run route takes 1 MiB of the caller's own input
 * plus that much re-sent output, and steps() works wherever execute() does.
 */
const MESSAGE = "q".repeat(900_000);
const four = { org: "o", project: "p", slug: "four", draft: { steps: ["s1", "s2", "s3", "s4"].map((id) => ({ id, template: "{{message}}{{message}}" })) } };
const tool = {
  org: "o",
  project: "p",
  slug: "tool",
  draft: {
    steps: [
      { id: "big1", template: "{{message}}{{message}}" },
      { id: "big2", template: "{{message}}{{message}}" },
      { id: "ask", template: "no", tools: { calls: [{ name: "f" }], template: "got {{tool.results.0}}" } },
    ],
  },
};

describe("request size on run routes", () => {
  let server: ListeningServer;
  let client: AsyncNoukai;
  beforeAll(async () => {
    server = await serve({ flows: [four, tool] });
    client = new AsyncNoukai({ apiKey: KEY, baseUrl: server.baseUrl, maxRetries: 0, timeout: 60_000 });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it("runs steps() and events() through a flow whose outputs total 7 MB, as execute() does", async () => {
    const executed = await client.flow("o/p/four").execute({ message: MESSAGE });
    expect(executed.status).toBe("completed");
    const steps: string[] = [];
    for await (const step of client.flow("o/p/four").steps({ message: MESSAGE })) steps.push(`${step.stepId} ${String(step.output).length}`);
    expect(steps).toEqual(["s1", "s2", "s3", "s4"].map((id) => `${id} 1800000`));
    let last = "";
    for await (const event of client.flow("o/p/four").events({ message: MESSAGE })) last = event.type;
    expect(last).toBe("flow_completed");
  });

  it("resumes tool calls on /execute with several MB of earlier outputs", async () => {
    const result = await client.flow("o/p/tool").execute({
      message: MESSAGE,
      tools: [{ type: "function", function: { name: "f" } }],
      toolHandler: (calls) => calls.map((call) => ({ toolCallId: call.id, output: "ok" })),
    });
    expect(result).toMatchObject({ status: "completed", result: "got ok" });
  });

  it("still caps the caller's own input at 1 MiB, re-sent outputs aside (413 naming the limit)", async () => {
    const own = await postJson(server.baseUrl, "/seq/o/p/four/step", { message: "x".repeat(1_100_000), accumulatedOutputs: {} });
    expect(own.status).toBe(413);
    expect(own.json.detail).toMatchObject({ code: "BODY_TOO_LARGE", message: expect.stringContaining("besides accumulatedOutputs") });
    const jobs = await postJson(server.baseUrl, "/seq/o/p/four/jobs", { message: "x".repeat(1_100_000) });
    expect(jobs.status).toBe(413);
    const disguised = await postJson(server.baseUrl, "/seq/o/p/four/step", { message: "m", parameters: { p: "x".repeat(2_000_000) }, accumulatedOutputs: { s1: "y" } });
    expect(disguised.status).toBe(413);
  });
});
