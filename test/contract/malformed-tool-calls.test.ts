/**
 * A pause's tool calls are what the client matches results to (by id) and
 * hands to the caller's handler. A server that pauses for calls that are not
 * objects with an id is refused when the pause is read, as a malformed
 * answer or event, not later inside a resume with an error from within the
 * client.
 */
import { FlowExecutionError } from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { RecordingServer } from "../helpers/recording-server.js";

let server: RecordingServer;

beforeAll(async () => {
  server = await RecordingServer.start(new URL("../helpers/responders/malformed-tool-calls.ts", import.meta.url));
});
afterAll(async () => {
  await server.close();
});

describe.each(CLIENT_KINDS)("%s with a pause for malformed tool calls", (kind) => {
  const client = () => makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl, maxRetries: 0 });
  let handled = 0;
  const toolHandler = () => {
    handled++;
    return [];
  };

  it.each([
    ["pausedWithNull", "toolCalls[0] is not an object"],
    ["pausedWithNumber", "toolCalls[0] is not an object"],
    ["pausedWithString", "toolCalls[0] is not an object"],
    ["pausedWithoutId", 'toolCalls[0] has no string "id"'],
  ])("refuses an /execute answer %s as INVALID_RESPONSE, before any handler runs", async (responder, problem) => {
    await server.respond(responder);
    for (const options of [{ message: "hi" }, { message: "hi", toolHandler }]) {
      const failure = await settle(() => client().flow("o/p/s").execute(options)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(FlowExecutionError);
      expect(failure).toMatchObject({ code: "INVALID_RESPONSE", requestId: "req_junk_calls" });
      expect((failure as Error).message).toBe(`The server's answer to execute cannot be read: the tool-call pause's ${problem}.`);
    }
    expect(handled).toBe(0);
  });

  it("refuses a stream's pause for a call without an id as INVALID_EVENT, after the events before it", async () => {
    await server.respond("streamPausedWithoutId");
    const seen: string[] = [];
    const failure = await settle(async () => {
      for await (const event of client().flow("o/p/s").events({ message: "hi", toolHandler })) seen.push(event.type);
    }).catch((error: unknown) => error);
    expect(seen).toEqual(["run_started"]);
    expect(failure).toBeInstanceOf(FlowExecutionError);
    expect(failure).toMatchObject({ code: "INVALID_EVENT" });
    expect((failure as Error).message).toBe('The server sent a malformed "step_paused_for_tool_calls" event: toolCalls[0] has no string "id".');
    expect(handled).toBe(0);
  });
});
