import { describe, expect, it } from "vitest";
import { BOUNDED_MEMORY, HEAP_LIMIT_MB, measureServerMemory, STATED_BUDGET_MB } from "./server-memory.js";

/**
 * Rule: the server's memory stays within what its README states, whatever
 * its callers send. It runs alone in a child process whose V8 heap is capped
 * at 384 MB (a server that kept what it used to, about 2 MB per 1 MB
 * execution and 400 MB per amplified request, dies here within seconds);
 * 250 one-megabyte executions (half with an Idempotency-Key) and 24
 * amplification attempts must all be answered, the amplified ones refused on
 * an output limit, and its resident memory after a collection must stay under
 * the stated budget. `server-memory.ts` runs the full 5,000 / 100.
 */
describe("the server's memory under 1 MB executions and amplification attempts", () => {
  it(`stays under ${STATED_BUDGET_MB} MB resident, with a ${HEAP_LIMIT_MB} MB heap`, async () => {
    const report = await measureServerMemory(BOUNDED_MEMORY);
    expect(report.problems).toEqual([]);
    expect(report.executions.answers).toEqual({ "200 completed": BOUNDED_MEMORY.executions });
    expect(Object.keys(report.amplifications.answers).every((answer) => answer.includes("maxStepOutputBytes"))).toBe(true);
    expect(report.executions.storedMB.executions).toBeLessThanOrEqual(128);
    expect(report.executions.storedMB.idempotency).toBeLessThanOrEqual(64);
  }, 120_000);
});
