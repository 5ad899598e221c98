/**
 * The `redact` option: key paths whose values never reach a logged payload
 * (and, with telemetry, a span: see test/telemetry/), for both clients.
 */
import { type LogEvent, ValueError } from "noukai";
import { describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";
import { WEATHER_TOOLS } from "../helpers/test-flows.js";

const local = useLocalServer();

describe.each(CLIENT_KINDS)("%s redact", (kind) => {
  const client = (extra = {}) => makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, ...extra });

  it("removes the values at its key paths from every logged request and response body", async () => {
    const log: LogEvent[] = [];
    const c = client({ onLog: (event: LogEvent) => log.push(event), logPayloads: true, redact: ["parameters.ssn", "messages.*.content", "toolCallMessages.*.content"] });
    await settle(() =>
      c.flow("examples/demo/weather").execute({
        messages: [{ role: "user", content: "weather in Oslo" }],
        parameters: { ssn: "123-45-6789", city: "Oslo" },
        tools: WEATHER_TOOLS,
        toolHandler: (calls) => calls.map((call) => ({ toolCallId: call.id, output: "sunny" })),
      }),
    );
    const bodies = log.flatMap((event) => [event.requestBody, event.responseBody]).filter((body) => body !== undefined);
    // The fresh call, the tool resume, and both answers.
    expect(bodies).toHaveLength(4);
    expect(log[0]?.requestBody).toMatchObject({ parameters: { ssn: "[redacted]", city: "Oslo" }, messages: [{ role: "user", content: "[redacted]" }] });
    expect(log[1]?.responseBody).toMatchObject({ status: "tool_calls_required", toolCallMessages: [{ content: "[redacted]" }, { content: "[redacted]" }] });
    const text = JSON.stringify(bodies);
    expect(text).not.toContain("123-45-6789");
    expect(text).not.toContain("weather in Oslo");
  });

  it("refuses what is not a list of key paths, naming the entry", () => {
    expect(() => client({ redact: "parameters.ssn" })).toThrow(TypeError);
    expect(() => client({ redact: ["ok", "a..b"] })).toThrow(ValueError);
    expect(() => client({ redact: ["ok", "a..b"] })).toThrow(/redact\[1\] has an empty key/);
    expect(() => client({ redact: [""] })).toThrow(/redact\[0\] is empty/);
  });
});
