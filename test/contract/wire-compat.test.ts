/**
 * The same calls, made by this client and by the official `@noukai/sdk`
 * 0.3.0, arrive at a recording server as the same requests: method, path
 * and JSON body equal; headers as Part A §5 says (ours add an
 * Idempotency-Key, keep the session on resumes, and name this SDK).
 */
import { Noukai as OfficialNoukai } from "@noukai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnyClient, CLIENT_KINDS, makeClient, TEST_KEY } from "../helpers/clients.js";
import { type RecordedRequest, RecordingServer } from "../helpers/recording-server.js";

const DEV_ORIGIN = "http://localhost:8080";
const realFetch = globalThis.fetch;
let server: RecordingServer;

beforeAll(async () => {
  server = await RecordingServer.start(new URL("../helpers/responders/wire.ts", import.meta.url));
  const origin = new URL(server.baseUrl).origin;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    return realFetch(url.startsWith(DEV_ORIGIN) ? origin + url.slice(DEV_ORIGIN.length) : input, init);
  };
  await server.respond("answer");
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  await server.close();
});

type Scenario = (client: AnyClient) => unknown;

async function drain(iterable: AsyncIterable<unknown> | Iterable<unknown>, resume = false): Promise<void> {
  for await (const event of iterable) {
    const e = event as { type: string; resume?: (a: unknown) => Promise<void> };
    if (resume && e.type === "tool_calls_required") await e.resume?.({ toolResults: [{ role: "tool", tool_call_id: "call_1", content: "sunny" }] });
  }
}

const handler = (calls: { id: string }[]) => calls.map((call) => ({ role: "tool" as const, tool_call_id: call.id, content: "sunny" }));
const tools = [{ type: "function", function: { name: "get_weather" } }];

/** Each scenario is written once and run by both clients (the official one sees the same calls). */
const SCENARIOS: Record<string, Scenario> = {
  "execute with a message": (c) => c.flow("acme/spelling/grade-3").execute({ message: "hi" }),
  "execute with every option": (c) =>
    c.flow("acme/spelling/grade-3").execute({
      message: "hi",
      parameters: { k: "v" },
      blockOverrides: { "step-1": { temperature: 0.5 } },
      attachments: [{ url: "https://x/y.png", mimeType: "image/png" }],
      toolChoice: "auto",
      trace: true,
      version: 3,
      sessionId: "sess-explicit",
    }),
  "execute with a tool handler, then the resume": (c) =>
    c.flow("acme/spelling/grade-3").execute({ message: "hi", parameters: { p: 1 }, tools, toolHandler: handler }),
  "identifiers that need encoding": (c) => c.flow({ org: "café", project: "a-b", slug: "s[1]|{x}" }).execute({ message: "hi" }),
  "steps, one call per step": (c) => drain(c.flow("acme/spelling/two-step").steps({ message: "hi", parameters: { p: 1 }, inputOverrides: { s: 1 } })),
  "events with runRemaining": (c) => drain(c.flow("acme/spelling/two-step").events({ message: "hi", runRemaining: true, trace: true, version: 2 })),
  "events paused for tools, resumed in the stream": (c) => drain(c.flow("acme/spelling/two-step").events({ message: "hi", tools }), true),
  "executeAsync, poll and wait": async (c) => {
    const job = await c.flow("acme/spelling/grade-3").executeAsync({ message: "hi", parameters: { k: 1 }, blockOverrides: { s: { m: 1 } }, version: 2 });
    await job.poll();
    await job.wait({ pollInterval: 10 });
  },
  "traces": async (c) => {
    const run = c.flow("acme/spelling/grade-3").run("exec-1");
    await run.trace();
    await run.stepTrace("s-1");
    await run.stepTrace("s-1", { attempt: "all", loopIndex: 3 });
    await run.stepTrace("s-1", { attempt: 2 });
    await drain(run.liveTrace());
  },
};

async function record(scenario: Scenario, client: () => unknown): Promise<RecordedRequest[]> {
  await server.respond("answer");
  await scenario(client() as AnyClient);
  return server.requests();
}

const comparable = (request: RecordedRequest) => ({
  method: request.method,
  url: request.url,
  body: request.body === "" ? undefined : (JSON.parse(request.body) as unknown),
});

describe.each(CLIENT_KINDS)("%s on the wire, beside @noukai/sdk 0.3.0", (kind) => {
  it.each(Object.keys(SCENARIOS))("%s", async (name) => {
    const scenario = SCENARIOS[name] as Scenario;
    const official = await record(scenario, () => new OfficialNoukai({ apiKey: TEST_KEY, env: "dev", maxRetries: 0 }));
    const ours = await record(scenario, () => makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl, maxRetries: 0 }));
    expect(official.length).toBeGreaterThan(0);
    expect(ours.map(comparable)).toEqual(official.map(comparable));
    ours.forEach((request, index) => {
      const theirs = official[index] as RecordedRequest;
      expect(request.headers["authorization"]).toBe(`Bearer ${TEST_KEY}`);
      expect(request.headers["x-noukai-api-version"]).toBe(theirs.headers["x-noukai-api-version"]);
      expect(request.headers["user-agent"]).toMatch(/^noukai-ts\/\d+\.\d+\.\d+ \(node\//);
      expect(request.headers["content-type"]).toBe(request.method === "POST" ? "application/json" : undefined);
      const startsOrResumes = request.method === "POST";
      expect(request.headers["idempotency-key"] !== undefined).toBe(startsOrResumes);
      // The session travels wherever the official client sends it, and on resumes too.
      if (theirs.headers["x-session-id"] !== undefined) expect(request.headers["x-session-id"]).toBe(theirs.headers["x-session-id"]);
    });
  });
});

// The one call the two clients do not both send: a fresh run with no input, which the service refuses (MISSING_MESSAGE).
describe.each(CLIENT_KINDS)("%s with no input", (kind) => {
  it("refuses execute({}) before any request, where @noukai/sdk sends it", async () => {
    await server.respond("answer");
    const official = new OfficialNoukai({ apiKey: TEST_KEY, env: "dev", maxRetries: 0 });
    await official.flow("acme/spelling/grade-3").execute({});
    expect(await server.requests()).toHaveLength(1);
    await server.respond("answer");
    const ours = makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl, maxRetries: 0 });
    const refused = await Promise.resolve()
      .then(async () => {
        await ours.flow("acme/spelling/grade-3").execute({});
      })
      .then(() => undefined, (error: unknown) => error);
    expect(refused).toMatchObject({ name: "ValueError", message: "execute() needs the run's input: message (a string) or messages (a conversation)." });
    expect(await server.requests()).toEqual([]);
  });
});
