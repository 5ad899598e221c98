import { FlowNotFoundError, type LogEvent, ValueError } from "noukai";
import { describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY, settle } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";
import { TEST_FLOWS } from "../helpers/test-flows.js";

const local = useLocalServer({ flows: TEST_FLOWS });

async function fetchSession(id: string): Promise<{ executions: { executionId: string; triggerType: string }[] }> {
  const response = await fetch(`${local.baseUrl}/seq/sessions/${id}`, { headers: { authorization: `Bearer ${TEST_KEY}` } });
  return (await response.json()) as { executions: { executionId: string; triggerType: string }[] };
}

describe.each(CLIENT_KINDS)("%s execute", (kind) => {
  const client = () => makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, org: "examples", project: "demo" });

  it("runs a flow and returns its result", async () => {
    const result = await client().flow("hello").execute({ message: "good morning" });
    expect(result.status).toBe("completed");
    expect(result.requiresToolCalls).toBe(false);
    if (result.status === "tool_calls_required") throw new Error("not paused");
    expect(result.result).toBe("Hello! You said: good morning");
    expect(result.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result).toMatchObject({ flowId: expect.any(String) as string, blockCount: 1 });
    expect(JSON.parse(JSON.stringify(result))).not.toHaveProperty("requiresToolCalls");
  });

  it("runs production by default, the draft on request, and numbered versions", async () => {
    const flow = client().flow("two-step");
    const production = await flow.execute({ message: "tides" });
    const draft = await flow.execute({ message: "tides", version: "draft" });
    const zero = await flow.execute({ message: "tides", version: 0 });
    const one = await flow.execute({ message: "tides", version: 1 });
    expect(production).toMatchObject({ result: "Article from [Outline of: tides]" });
    expect(one).toMatchObject({ result: "Article from [Outline of: tides]" });
    expect(draft).toMatchObject({ result: "Article (draft) from [Outline (draft) of: tides]" });
    expect(zero).toMatchObject({ result: draft.status === "completed" ? draft.result : undefined });
    await expect(settle(() => flow.execute({ message: "tides", version: 9 }))).rejects.toBeInstanceOf(FlowNotFoundError);
  });

  it("refuses bad versions before any request", async () => {
    const requests: LogEvent[] = [];
    const flow = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, onLog: (e) => requests.push(e) }).flow("examples/demo/hello");
    for (const version of [-1, 1.5, Number.NaN, "latest"]) {
      await expect(settle(() => flow.execute({ message: "x", version: version as number }))).rejects.toBeInstanceOf(ValueError);
    }
    expect(requests).toEqual([]);
  });

  it("sends parameters and block overrides, visibly", async () => {
    const flow = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl }).flow("tests/contract/params");
    const result = await flow.execute({
      message: "Ada",
      parameters: { greeting: "Bonjour", tone: "warm" },
      blockOverrides: { shout: { model: "noukai/mock-large" } },
      trace: true,
    });
    expect(result).toMatchObject({ status: "completed", result: "Bonjour, Ada! (tone: warm)" });
    const trace = await flow.run(result.executionId as string).trace();
    expect(trace.steps.find((step) => step.stepId === "shout")?.modelUsed).toBe("noukai/mock-large");
  });

  it("takes a messages conversation instead of a message", async () => {
    const result = await client().flow("hello").execute({
      messages: [
        { role: "user", content: "first" },
        { role: "assistant", content: "noted" },
        { role: "user", content: "second" },
      ],
    });
    expect(result).toMatchObject({ result: "Hello! You said: second" });
  });

  it("refuses bad input before any request, naming the option", async () => {
    const requests: LogEvent[] = [];
    const flow = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, onLog: (e) => requests.push(e) }).flow("examples/demo/hello");
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ message: "a", messages: [{ role: "user", content: "b" }] }, /either message or messages/],
      [{ messages: [{ role: "system", content: "x" }] }, /messages\[0\]\.role/],
      [{ message: "a", parameters: { when: () => 1 } }, /parameters\.when.*function/],
      [{ message: "a", parameters: { n: 10n } }, /parameters\.n/],
      [{ message: "a", maxToolRounds: 0 }, /maxToolRounds/],
      [{ message: "a", timeout: -1 }, /timeout/],
      [{ message: "a", toolHandler: "nope" }, /toolHandler/],
      [{ message: "a", sessionId: "x\ny" }, /sessionId/],
      [{ mesage: "typo" }, /no option "mesage"/],
    ];
    for (const [options, problem] of bad) {
      await expect(settle(() => flow.execute(options as never))).rejects.toThrow(problem);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    await expect(settle(() => flow.execute({ message: "a", parameters: cyclic }))).rejects.toThrow(/cycle/);
    expect(requests).toEqual([]);
  });

  it("returns a failed run as a result, not an exception", async () => {
    const result = await client().flow("broken").execute({ message: "x" });
    expect(result.status).toBe("failed");
    expect(result).toMatchObject({ result: expect.stringContaining("failed") as string });
  });

  it("tags runs with the session id, per call over the client's", async () => {
    const sessionA = crypto.randomUUID();
    const sessionB = crypto.randomUUID();
    const tagged = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, sessionId: sessionA }).flow("examples/demo/hello");
    const first = await tagged.execute({ message: "one" });
    const second = await tagged.execute({ message: "two", sessionId: sessionB });
    expect(first).toMatchObject({ sessionId: sessionA });
    expect(second).toMatchObject({ sessionId: sessionB });
    expect((await fetchSession(sessionA)).executions.map((e) => e.executionId)).toEqual([first.executionId]);
    expect((await fetchSession(sessionB)).executions.map((e) => e.triggerType)).toEqual(["execute"]);
  });

  it("accepts attachments and passes them on, as given", async () => {
    const attachments = [{ url: "https://x/y.png", mimeType: "image/png" }, { url: "https://x/doc.pdf", mime_type: "application/pdf", name: "spec" }];
    const sent: unknown[] = [];
    const watch = makeClient(kind, {
      apiKey: TEST_KEY,
      baseUrl: local.baseUrl,
      middleware: [{ onRequest: (request) => void sent.push(request.body?.["attachments"]) }],
    });
    const result = await settle(() => watch.flow("examples/demo/hello").execute({ message: "see attached", attachments }));
    expect(result).toMatchObject({ status: "completed", result: "Hello! You said: see attached" });
    // Nested caller objects go through untouched: no key renamed, none dropped.
    expect(sent).toEqual([attachments]);
  });
});
