import { startServer } from "noukai/server";
import { type LogEvent, RateLimitError } from "noukai";
import { describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, settle } from "../helpers/clients.js";
import { BOUNDED_RUN } from "./fault/plan.js";
import { EXIT_LIMIT_MS, runFaultScenario } from "./fault/run-fault-scenario.js";
import { runServerStop } from "./fault/server-stop.js";

/**
 * The fault suite, bounded: a few thousand mixed calls from both clients
 * against a local server that fails in every way it knows, moves, and goes
 * away. The same run, longer, is `npm run soak` (figures in RELIABILITY.md).
 */
describe("the fault suite", () => {
  it("settles every call with a value or a typed error, in time; runs nothing twice; leaks nothing", async () => {
    const report = await runFaultScenario(BOUNDED_RUN);

    expect(report.problems).toEqual([]);
    expect(report.settled).toBe(BOUNDED_RUN.calls);
    expect(report.outcomes.wrong).toBe(0);
    expect(report.duplicates).toBe(0);
    expect(report.missing).toBe(0);
    expect(report.unaccounted).toBe(0);
    expect(report.unhandledRejections).toBe(0);
    expect(report.resourcesLeft).toEqual([]);
    expect(report.exitMs).toBeLessThan(EXIT_LIMIT_MS);

    // The run met what it was meant to meet.
    expect(report.byClient.AsyncNoukai).toBeGreaterThan(BOUNDED_RUN.calls / 2);
    expect(report.byClient.Noukai).toBeGreaterThan(20);
    expect(Object.keys(report.faultsInjected).sort()).toEqual(["cut", "latency", "resetAfter", "resetBefore", "status"]);
    for (const reason of ["429", "500", "502", "503", "504", "connection"]) expect(report.retries[reason]).toBeGreaterThan(0);
    expect(report.idempotentReplays).toBeGreaterThan(0);
    expect(report.byPhase["second door"]?.ok).toBeGreaterThan(0);
    expect(report.byPhase["no door"]?.ok ?? 0).toBe(0);
  }, 120_000);

  it.each(CLIENT_KINDS)("%s: a server that stops for good mid-call leaves every call settled and typed", async (kind) => {
    const report = await runServerStop(kind, kind === "AsyncNoukai" ? 24 : 3);
    expect(report.problems).toEqual([]);
    expect(report.afterCloseMs).toBeLessThan(10_000);
  }, 60_000);

  it.each(CLIENT_KINDS)("%s: does not wait for a Retry-After it has no time left for", async (kind) => {
    const server = await startServer({ port: 0, faults: [{ route: "execute", status: 429, retryAfter: 120, times: 1 }] });
    try {
      const log: LogEvent[] = [];
      const client = makeClient(kind, { apiKey: "nk_reliability_deadline", baseUrl: server.baseUrl, timeout: 5_000, onLog: (e) => log.push(e) });
      const started = Date.now();
      const attempt = settle(() => client.flow("examples/demo/hello").execute({ message: "x" }));
      await expect(attempt).rejects.toBeInstanceOf(RateLimitError);
      await expect(attempt).rejects.toMatchObject({ retryAfter: 120 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(log.filter((e) => e.phase === "retry")).toEqual([]);
      await client.close();
    } finally {
      await server.close();
    }
  });
});
