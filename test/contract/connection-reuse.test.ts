import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY } from "../helpers/clients.js";
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

/** Every event of a stream, from either client's iterable. */
async function collect<T>(events: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const connectionOfRun = (events: { type: string }[]): unknown =>
  (events.find((event) => event.type === "run_started") as { connection?: unknown } | undefined)?.connection;

describe.each(CLIENT_KINDS)("%s: connections of event streams", (kind) => {
  it("sends the next stream on the connection of a stream read to its end", async () => {
    await server.respond("completeStream");
    const client = makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl });
    try {
      const flow = client.flow("acme/support/triage");
      const first = await collect(flow.events({ message: "one", runRemaining: true }));
      const second = await collect(flow.events({ message: "two", runRemaining: true }));
      expect(first.at(-1)?.type).toBe("flow_completed");
      expect(connectionOfRun(second)).toBe(connectionOfRun(first));
    } finally {
      await client.close();
    }
  });

  it("closes the connection of an answer that never ends after its last event, without waiting for it", async () => {
    await server.respond("unendingStream");
    const client = makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl });
    try {
      const flow = client.flow("acme/support/triage");
      const first = await collect(flow.events({ message: "one", runRemaining: true }));
      const second = await collect(flow.events({ message: "two", runRemaining: true }));
      expect(connectionOfRun(second)).not.toBe(connectionOfRun(first));
    } finally {
      await client.close();
    }
  });
});
