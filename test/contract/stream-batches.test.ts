import { APIUserAbortError, FlowExecutionError } from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, collect, makeClient, TEST_KEY } from "../helpers/clients.js";
import { RawServer } from "../reliability/support/raw-server.js";

/**
 * The events decoded from what was read together reach the caller one by
 * one, in order, as if each had been read alone: a frame cut between two
 * chunks is whole, a malformed event fails the stream only after the events
 * before it were handed over, and leaving the loop in the middle of them,
 * or stopping the call there, closes the response.
 */
let server: RawServer;
beforeAll(async () => {
  server = await RawServer.start(new URL("../helpers/responders/batched-streams.ts", import.meta.url));
});
afterAll(() => server.close());

const label = (event: { type: string; stepId?: unknown }): string => (event.type === "step_completed" ? String(event.stepId) : event.type);

describe.each(CLIENT_KINDS)("%s: events read many to a chunk", (kind) => {
  const client = () => makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl });

  it("hands over every event in order, with a frame cut between two chunks whole", async () => {
    await server.respond("splitAcrossChunks");
    const events = await collect(client().flow("acme/support/triage").events({ message: "go", runRemaining: true }));
    expect(events.map(label)).toEqual(["run_started", "s-0", "s-1", "s-2", "s-3", "s-4", "flow_completed"]);
    expect(events.flatMap((event) => (event.type === "step_completed" ? [event.stepIndex] : []))).toEqual([0, 1, 2, 3, 4]);
  });

  it("fails at a malformed event, after handing over the events before it", async () => {
    await server.respond("invalidMidBatch");
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const event of client().flow("acme/support/triage").events({ message: "go", runRemaining: true })) seen.push(label(event));
    } catch (error) {
      failure = error;
    }
    expect(seen).toEqual(["run_started", "s-0", "s-1"]);
    expect(failure).toBeInstanceOf(FlowExecutionError);
    expect(failure).toMatchObject({ code: "INVALID_EVENT" });
  });

  it("closes the response when the caller leaves in the middle of the events read together", async () => {
    await server.respond("endlessAfterBurst");
    const before = await leftCount();
    const seen: string[] = [];
    for await (const event of client().flow("acme/support/triage").events({ message: "go", runRemaining: true })) {
      seen.push(label(event));
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(["run_started", "s-0", "s-1"]);
    const deadline = Date.now() + 2_000;
    while ((await leftCount()) === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await leftCount()).toBe(before + 1);
  });

  for (const stop of ["abort", "close"] as const) {
    it(`stops at the next event when the loop's body calls ${stop === "abort" ? "abort()" : "close()"}, dropping the events already read`, async () => {
      await server.respond("endlessAfterBurst");
      const before = await leftCount();
      const controller = new AbortController();
      const stopping = client();
      const seen: string[] = [];
      let failure: unknown;
      try {
        for await (const event of stopping.flow("acme/support/triage").events({ message: "go", runRemaining: true, signal: controller.signal })) {
          seen.push(label(event));
          if (seen.length === 2) {
            if (stop === "abort") controller.abort();
            else void stopping.close();
          }
        }
      } catch (error) {
        failure = error;
      }
      expect(seen).toEqual(["run_started", "s-0"]);
      expect(failure).toBeInstanceOf(APIUserAbortError);
      expect(failure).toMatchObject({ code: stop === "abort" ? "ABORTED" : "CLIENT_CLOSED" });
      const deadline = Date.now() + 2_000;
      while ((await leftCount()) === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await leftCount()).toBe(before + 1);
    });
  }
});

describe("AsyncNoukai: a stop while the stream waits for more", () => {
  it("fails with the cancelled request's own error, which names the request", async () => {
    await server.respond("endlessAfterBurst");
    const controller = new AbortController();
    const client = makeClient("AsyncNoukai", { apiKey: TEST_KEY, baseUrl: server.baseUrl });
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const event of client.flow("acme/support/triage").events({ message: "go", runRemaining: true, signal: controller.signal })) {
        seen.push(label(event));
        // The burst is read: the stream now waits, and the signal fires meanwhile.
        if (seen.length === 7) setTimeout(() => controller.abort(), 30);
      }
    } catch (error) {
      failure = error;
    }
    expect(seen).toHaveLength(7);
    expect(failure).toBeInstanceOf(APIUserAbortError);
    expect(failure).toMatchObject({ code: "ABORTED", message: expect.stringMatching(/^POST \/seq\/acme\/support\/triage\/step was cancelled/) as unknown });
  });
});

async function leftCount(): Promise<number> {
  const answer = await fetch(`${server.baseUrl}/left`);
  return ((await answer.json()) as { left: number }).left;
}
