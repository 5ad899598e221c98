import { describe, expect, it } from "vitest";
import { APIConnectionError } from "../../src/core/errors.js";
import { WorkerBridge } from "../../src/drivers/sync/worker-bridge.js";

const worker = (name: string) => new URL(`../helpers/workers/${name}`, import.meta.url);

describe("the blocking client's bridge to its I/O worker", () => {
  it("gives up on a worker that never answers, with a typed error, instead of blocking for good", () => {
    const bridge = new WorkerBridge(worker("silent-worker.mjs"));
    const started = Date.now();
    let caught: unknown;
    try {
      bridge.request({ type: "register", baseUrl: "http://127.0.0.1:1/api/v1", fetchModule: undefined }, 10);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(APIConnectionError);
    expect(caught).toMatchObject({ code: "WORKER_LOST", message: expect.stringMatching(/stopped answering/) as string });
    // The command's own timeout plus the bridge's margin: bounded, not forever.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("reports a worker that died, on the next request, with its cause", async () => {
    const bridge = new WorkerBridge(worker("crashing-worker.mjs"));
    // The worker's failure reaches this thread as an event, once it is free to take it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(() => bridge.request({ type: "register", baseUrl: "http://127.0.0.1:1/api/v1", fetchModule: undefined }, 10)).toThrow(
      expect.objectContaining({ code: "WORKER_LOST", message: expect.stringMatching(/failed to start/) as string }) as Error,
    );
  });
});
