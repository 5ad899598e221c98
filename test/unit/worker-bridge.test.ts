import { describe, expect, it } from "vitest";
import { APIConnectionError } from "../../src/core/errors.js";
import { WorkerBridge } from "../../src/drivers/sync/worker-bridge.js";

const worker = (name: string) => new URL(`../helpers/workers/${name}`, import.meta.url);
const REGISTER = { type: "register", transport: 1, baseUrl: "http://127.0.0.1:1/api/v1", fetchModule: undefined, maxConnections: 100 } as const;

describe("the blocking client's bridge to its I/O worker", () => {
  it("gives up on a worker that never answers, with a typed error, instead of blocking for good", () => {
    const bridge = new WorkerBridge(worker("silent-worker.mjs"));
    const started = Date.now();
    let caught: unknown;
    try {
      bridge.request(REGISTER, 10);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(APIConnectionError);
    expect(caught).toMatchObject({ code: "WORKER_LOST", message: expect.stringMatching(/stopped answering/) as string });
    // The command's own timeout plus the bridge's margin: bounded, not forever.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("gives up on a worker that does not start in time, however long the command itself may take", () => {
    const bridge = new WorkerBridge(worker("slow-starting-worker.mjs"), 300);
    const started = Date.now();
    expect(() => bridge.request(REGISTER, 60_000)).toThrow(expect.objectContaining({ code: "WORKER_LOST" }) as Error);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("waits for a started worker as long as the command's own timeout allows, past the start's bound", () => {
    const bridge = new WorkerBridge(worker("late-answering-worker.mjs"), 300);
    expect(bridge.request(REGISTER, 5_000)).toBe("late");
  });

  it("reports a worker that died, on the next request, with its cause", async () => {
    const bridge = new WorkerBridge(worker("crashing-worker.mjs"));
    // The worker's failure reaches this thread as an event, once it is free to take it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(() => bridge.request(REGISTER, 10)).toThrow(
      expect.objectContaining({ code: "WORKER_LOST", message: expect.stringMatching(/failed to start/) as string }) as Error,
    );
  });
});
