/**
 * What only the blocking client does: it returns values, its iterators block
 * per event, it refuses async callbacks, it runs callbacks on the caller's
 * thread in order, and it refuses runtimes where it cannot block.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type LogEvent, Noukai, type SyncStreamEvent, type ToolCall } from "noukai";
import { describe, expect, it } from "vitest";
import { TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";
import { WEATHER_TOOLS } from "../helpers/test-flows.js";

const local = useLocalServer();
const distIndex = fileURLToPath(new URL("../../dist/index.js", import.meta.url));
const client = (extra = {}) => new Noukai({ apiKey: TEST_KEY, baseUrl: local.baseUrl, org: "examples", project: "demo", ...extra });

describe("Noukai, the blocking client", () => {
  it("returns results directly, and `await` on them still works", async () => {
    const result = client().flow("hello").execute({ message: "plain" });
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toMatchObject({ status: "completed", result: "Hello! You said: plain" });
    // Code written for the async client keeps working.
    // eslint-disable-next-line @typescript-eslint/await-thenable
    expect(await client().flow("hello").execute({ message: "awaited" })).toMatchObject({ status: "completed" });
  });

  it("yields each event as it arrives, before the stream ends", () => {
    const arrivals: [string, number][] = [];
    const started = Date.now();
    for (const event of client().flow("slow").events({ message: "x", runRemaining: true })) {
      arrivals.push([event.type, Date.now() - started]);
    }
    const completions = arrivals.filter(([type]) => type === "step_completed").map(([, at]) => at);
    expect(completions).toHaveLength(3);
    // The slow flow's steps take ≥ 300 ms each: the first arrives well before the last.
    expect((completions[2] ?? 0) - (completions[0] ?? 0)).toBeGreaterThanOrEqual(500);
  });

  it("stops the stream at once on break", () => {
    const events: SyncStreamEvent[] = [];
    const started = Date.now();
    for (const event of client().flow("slow").events({ message: "x", runRemaining: true })) {
      events.push(event);
      if (event.type === "step_started") break;
    }
    expect(events.map((e) => e.type)).toEqual(["run_started", "step_started"]);
    expect(Date.now() - started).toBeLessThan(600);
  });

  it("refuses an async tool handler, and one that returns a Promise, pointing at AsyncNoukai", () => {
    const flow = client().flow("weather");
    const asyncHandler = async (calls: ToolCall[]) => calls.map((c) => ({ toolCallId: c.id, output: "x" }));
    expect(() => flow.execute({ message: "weather in Oslo", tools: WEATHER_TOOLS, toolHandler: asyncHandler as never })).toThrow(TypeError);
    expect(() => flow.execute({ message: "weather in Oslo", tools: WEATHER_TOOLS, toolHandler: asyncHandler as never })).toThrow(/AsyncNoukai/);
    const sneaky = (calls: ToolCall[]) => Promise.resolve(calls.map((c) => ({ toolCallId: c.id, output: "x" })));
    expect(() => flow.execute({ message: "weather in Oslo", tools: WEATHER_TOOLS, toolHandler: sneaky as never })).toThrow(/returned a Promise.*AsyncNoukai/);
  });

  it("runs onLog and the tool handler on the caller's thread, in order", () => {
    const order: string[] = [];
    const result = client({ onLog: (e: LogEvent) => order.push(`${e.phase}`) })
      .flow("weather")
      .execute({
        message: "weather in Oslo",
        tools: WEATHER_TOOLS,
        toolHandler: (calls) => {
          order.push("handler");
          return calls.map((c) => ({ toolCallId: c.id, output: "clear" }));
        },
      });
    order.push("returned");
    expect(result.status).toBe("completed");
    expect(order).toEqual(["request", "response", "handler", "request", "response", "returned"]);
  });

  it("resumes a streamed tool pause with a blocking resume", () => {
    const types: string[] = [];
    for (const event of client().flow("weather").events({ message: "weather in Lima", tools: WEATHER_TOOLS })) {
      types.push(event.type);
      if (event.type === "tool_calls_required") {
        const returned: unknown = event.resume({ toolResults: event.toolCalls.map((c) => ({ toolCallId: c.id, output: "mild" })) });
        expect(returned).toBeUndefined();
      }
    }
    expect(types.at(-1)).toBe("flow_completed");
  });

  it("closes at the end of a `using` block", () => {
    let escaped: Noukai | undefined;
    {
      using scoped = client();
      escaped = scoped;
      expect(scoped.flow("hello").execute({ message: "x" }).status).toBe("completed");
    }
    expect(() => escaped.flow("hello").execute({ message: "x" })).toThrow(/client was closed/);
  });

  it("points errors' stacks at the caller's line", () => {
    let stack = "";
    try {
      client().flow("no-such-flow").execute({ message: "x" });
    } catch (error) {
      stack = (error as Error).stack ?? "";
    }
    expect(stack).toContain("blocking-client.test.ts");
  });

  it("refuses to be built where it cannot block, naming AsyncNoukai", () => {
    const script = `
      delete globalThis.SharedArrayBuffer;
      const { Noukai } = await import(${JSON.stringify(distIndex)});
      try { new Noukai({ apiKey: "nk_x" }); } catch (error) { console.log(error.constructor.name + ": " + error.message); }
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 10_000 });
    expect(child.stdout).toMatch(/^TypeError: .*Use AsyncNoukai\./);
  });

  it("starts its I/O thread when the first blocking client is made, and never for a program that only imports or uses AsyncNoukai", () => {
    const threadsAfter = (steps: string) => {
      const script = `
        let threads = 0;
        process.on("worker", () => threads++);
        const { AsyncNoukai, Noukai } = await import(${JSON.stringify(distIndex)});
        ${steps}
        await new Promise((resolve) => setTimeout(resolve, 50));
        console.log(threads);
        process.exit(0);
      `;
      return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 10_000 }).stdout.trim();
    };
    expect(threadsAfter("")).toBe("0");
    expect(threadsAfter(`new AsyncNoukai({ apiKey: "nk_x" });`)).toBe("0");
    expect(threadsAfter(`new Noukai({ apiKey: "nk_x" }); new Noukai({ apiKey: "nk_y" });`)).toBe("1");
  });
});
