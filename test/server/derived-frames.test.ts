import { describe, expect, it } from "vitest";
import { advanceExecution } from "../../src/server/engine/advance-execution.js";
import { derivedFrame } from "../../src/server/engine/derived-frames.js";
import { derivedPayload } from "../../src/server/engine/event-payloads.js";
import { DERIVABLE } from "../../src/server/engine/event-log.js";
import type { Execution } from "../../src/server/engine/execution.js";
import { FlowRegistry } from "../../src/server/flows/registry.js";
import type { FlowDefinition } from "../../src/server/flows/types.js";
import { formatEvent } from "../../src/server/sse/frame.js";
import { executionOf } from "./helpers.js";

/** Every derivable event of every step (and of the run) as both paths make it. */
function bothWays(run: Execution): [string, string][] {
  const pairs: [string, string][] = [];
  for (let index = -1; index <= run.stepCount; index++) {
    for (const name of DERIVABLE) pairs.push([derivedFrame(run, name, index), formatEvent(name, derivedPayload(run, name, index))]);
  }
  return pairs;
}

describe("derived frames", () => {
  it("are byte for byte what formatEvent makes of the derived payload, whatever the steps hold", async () => {
    const flow: FlowDefinition = {
      org: "o",
      project: "p",
      slug: "s",
      draft: {
        steps: [
          { id: "plain", template: "{{message}}" },
          { id: "named", name: 'Quote " and\nline', template: { text: "{{message}}", list: [1, "two\r\n", null], nested: { "k\u2028": "\u0000" } } },
          { id: "__proto__", template: "{{steps.plain}}", retries: 2, failAttempts: 1 },
          { id: "looped", template: "{{loop.index}}", loop: { count: 3 } },
          { id: "failing", template: "x", fail: { message: "broken \n here" } },
        ],
      },
    };
    for (const input of [{ message: 'hi "there"\n\t\u2028' }, { message: "x", trace: true }]) {
      const run = executionOf(new FlowRegistry([flow]), input);
      for (const [fast, general] of bothWays(run)) expect(fast).toBe(general);
      await advanceExecution(run, { mode: "all", signal: undefined, now: () => 1000 });
      expect(run.status).toBe("failed");
      for (const [fast, general] of bothWays(run)) expect(fast).toBe(general);
    }
  });
});
