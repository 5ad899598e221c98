import { describe, expect, it } from "vitest";
import { BOUNDED_ATTACKS } from "./attack/attacks.js";
import { runAttacks } from "./attack/run-attacks.js";

/**
 * The local server, alone in a process of its own, under hostile clients:
 * slow-loris bodies and headers, thousands of idle connections, oversized and
 * malformed requests, clients that leave mid-stream. A well-behaved client
 * keeps being served throughout; the server refuses what it must with a 4xx,
 * never a crash; it warns about nothing; and its memory comes back down.
 */
describe("the local server under hostile clients", () => {
  it("keeps serving others, refuses what it must, and its memory stays bounded", async () => {
    const report = await runAttacks(BOUNDED_ATTACKS);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([]);
    for (const result of report.results) expect(result.served).toMatchObject({ failed: 0 });
    expect(report.after.openStreams).toBe(0);
  }, 120_000);
});
