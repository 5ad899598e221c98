import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, type ClientKind, collect, makeClient, TEST_KEY } from "../helpers/clients.js";
import { RawServer } from "../reliability/support/raw-server.js";

/**
 * A stream is left as soon as its terminal event is read. When the answer
 * has fully arrived by then, its connection serves the next call (over TLS,
 * a handshake saved per stream); when it is still arriving, it is closed
 * rather than waited for.
 */
let server: RawServer;
beforeAll(async () => {
  server = await RawServer.start(new URL("../helpers/responders/keep-alive-streams.ts", import.meta.url));
});
afterAll(() => server.close());

const connectionOfRun = (events: { type: string }[]): unknown =>
  (events.find((event) => event.type === "run_started") as { connection?: unknown } | undefined)?.connection;

/** Reads two streams to their end, one right after the other, from one client; the connection each run came on. */
async function twoStreams(kind: ClientKind, responder: string): Promise<[unknown, unknown]> {
  await server.respond(responder);
  const client = makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl });
  try {
    const flow = client.flow("acme/support/triage");
    const first = await collect(flow.events({ message: "one", runRemaining: true }));
    const second = await collect(flow.events({ message: "two", runRemaining: true }));
    expect([first.at(-1)?.type, second.at(-1)?.type]).toEqual(["flow_completed", "flow_completed"]);
    return [connectionOfRun(first), connectionOfRun(second)];
  } finally {
    await client.close();
  }
}

describe.each(CLIENT_KINDS)("%s: connections of event streams", (kind) => {
  it("sends the next stream on the connection of a stream read to its end", async () => {
    const [first, second] = await twoStreams(kind, "completeStream");
    expect(second).toBe(first);
  });

  it("closes the connection of an answer that never ends after its last event, without waiting for it", async () => {
    const [first, second] = await twoStreams(kind, "unendingStream");
    expect(second).not.toBe(first);
  });
});
