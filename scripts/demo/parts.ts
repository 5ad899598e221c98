import { type AsyncNoukai, FlowExecutionError, Noukai } from "../../dist/index.js";
import { resultText, stepLine } from "../../src/cli/format.js";
import { traceLines } from "../../src/cli/trace-view.js";
import { weatherTool } from "./weather-tool.js";

/** What every part gets: the async client, how to make another one, and where to write. */
export interface DemoContext {
  client: AsyncNoukai;
  connection: { apiKey: string; baseUrl: string };
  say: (text: string) => void;
}

const quote = (value: unknown) => JSON.stringify(value);
const shown = (result: unknown) => resultText(result, process.stdout.isTTY === true).replace(/\n/g, "\n   ");

/** 1. One call, one result. */
export async function plainExecute({ client, say }: DemoContext): Promise<void> {
  const result = await client.flow("examples/demo/hello").execute({ message: "Hello from the demo" });
  if (result.status === "tool_calls_required") throw new Error("hello never asks for tools");
  say(`result: ${shown(result.result)}`);
  say(`status ${result.status}, execution ${result.executionId ?? "?"}`);
}

/** 2. A step at a time, each printed as it completes. */
export async function streamedSteps({ client, say }: DemoContext): Promise<void> {
  let last: unknown;
  for await (const step of client.flow("examples/demo/two-step").steps({ message: "the demo" })) {
    say(stepLine(step));
    last = step.output;
  }
  say(`last output: ${shown(last)}`);
}

/** 3. The flow asks for a tool; local code answers, and the run goes on. */
export async function localToolCall({ client, say }: DemoContext): Promise<void> {
  const toolHandler = weatherTool((call, answer) => say(`the flow asked ${call}; the local handler answered ${quote(answer)}`));
  const result = await client.flow("examples/demo/weather").execute({
    message: "What is the weather in Lisbon",
    tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } } }],
    toolHandler,
  });
  if (result.status === "tool_calls_required") throw new Error("the tool handler should have answered the pause");
  say(`result: ${shown(result.result)}`);
}

/** 4. Queued, then waited on. Returns the job's execution id for the trace. */
export async function queuedJob({ client, say }: DemoContext): Promise<string> {
  const job = await client.flow("examples/demo/slow").executeAsync({ message: "a queued job" });
  say(`queued job ${job.executionId}`);
  const status = await job.wait({ pollInterval: 100 });
  say(`${status.status}: ${shown(status.result)}`);
  return job.executionId;
}

/** 5. What the service recorded about that run. */
export async function runTrace({ client, say }: DemoContext, executionId: string): Promise<void> {
  const trace = await client.flow("examples/demo/slow").run(executionId).trace();
  for (const line of traceLines(trace)) say(line);
}

/** 6. A failing step, through `steps()`, which throws it as a typed error. */
export async function typedError({ client, say }: DemoContext): Promise<void> {
  try {
    for await (const step of client.flow("examples/demo/broken").steps({ message: "the demo" })) say(stepLine(step));
  } catch (error) {
    if (!(error instanceof FlowExecutionError)) throw error;
    say(`steps() threw ${error.name}: ${error.message}`);
    const step = error.step?.["stepId"];
    say(`  code ${error.code ?? "?"}, step ${String(step)}, execution ${error.executionId ?? "?"}, request ${error.requestId ?? "?"}`);
    say('  (branch on error.code; execute() returns the same failure as a result with status "failed")');
    return;
  }
  throw new Error("examples/demo/broken did not fail");
}

/** 7. The blocking client: the same surface, no `await`. */
export function blockingClient({ connection, say }: DemoContext): void {
  const client = new Noukai(connection);
  try {
    const result = client.flow("examples/demo/hello").execute({ message: "no await needed" });
    if (result.status === "tool_calls_required") throw new Error("hello never asks for tools");
    say(`result: ${shown(result.result)}`);
  } finally {
    client.close();
  }
}
