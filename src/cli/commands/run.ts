import type { AsyncFlow } from "../../index.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect } from "../connection.js";
import { CliError, EXIT } from "../errors.js";
import { jsonLine, resultText, stepLine } from "../format.js";
import type { CliIo } from "../io.js";
import { flowArg, HELP_OPTION, parseCommand, positionalArgs } from "../parse.js";
import { resultRecord, runFailure, stepFailure } from "../run-outcome.js";
import { INPUT_HELP, INPUT_OPTIONS, type RunInput, runInput } from "../run-input.js";

export const RUN_HELP = {
  usage: "noukai run",
  text: `Usage: noukai run <org/project/slug> [input] [--json]

Runs a flow to its end and prints its result. On a terminal, a line per step as
it completes (name, duration, tokens, cost), then the result; in a pipe, only the
result; with --json, NDJSON: each completed step, then {"type":"result",…}.
A failed run prints one line on stderr and exits 6.

${INPUT_HELP}

Output:
  --json                   NDJSON instead of text
  -h, --help               show this help

${CONNECTION_HELP}`,
};

const OPTIONS = { ...CONNECTION_OPTIONS, ...INPUT_OPTIONS, json: { type: "boolean" }, ...HELP_OPTION } as const;

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, OPTIONS, RUN_HELP, io);
  if (parsed === undefined) return EXIT.ok;
  const flowName = flowArg(positionalArgs(parsed.positionals, ["org/project/slug"], RUN_HELP.usage)[0] ?? "");
  const input = await runInput(parsed.values);
  const json = parsed.values.json === true;
  const { client, lastRequestId } = connect(parsed.values, io);
  try {
    const flow = client.flow(flowName);
    // Streams cannot run drafts, so a draft runs in one call even on a terminal.
    const isDraft = input.version === "draft" || input.version === 0;
    const output = { json, io, lastRequestId };
    if ((io.isTTY || json) && !isDraft) return await streamRun(flow, input, output);
    if (io.isTTY && !json) io.stdout("(a draft runs in one call: no progress per step)");
    return await executeRun(flow, input, output);
  } finally {
    await client.close();
  }
}

interface Output {
  json: boolean;
  io: CliIo;
  lastRequestId: () => string | undefined;
}

/** Step by step (`events()`), printing each step as it completes. */
async function streamRun(flow: AsyncFlow, input: RunInput, { json, io, lastRequestId }: Output): Promise<number> {
  let executionId: string | undefined;
  for await (const event of flow.events({ ...input, signal: io.signal })) {
    switch (event.type) {
      case "run_started":
        executionId = event.executionId ?? event.runId;
        break;
      case "step_completed":
        io.stdout(json ? jsonLine(event) : stepLine(event));
        break;
      case "step_error": {
        const failure = stepFailure(event, executionId, lastRequestId());
        if (json) io.stdout(jsonLine(resultRecord("failed", executionId, failure.message)));
        throw failure;
      }
      case "flow_completed":
        io.stdout(json ? jsonLine(resultRecord("completed", event.executionId ?? executionId, event.result)) : resultText(event.result));
        return EXIT.ok;
    }
  }
  throw new CliError("the run's event stream ended without a result", EXIT.connection);
}

/** In one call (`execute()`): what a pipe wants. */
async function executeRun(flow: AsyncFlow, input: RunInput, { json, io, lastRequestId }: Output): Promise<number> {
  const result = await flow.execute({ ...input, signal: io.signal });
  const ids = { executionId: result.executionId, requestId: lastRequestId() };
  if (result.status === "tool_calls_required") {
    const names = result.toolCalls.map((call) => call.function.name).join(", ");
    throw runFailure(`the flow asks for tool calls (${names}), which the command line cannot answer`, ids, "TOOL_CALLS_REQUIRED");
  }
  if (json) io.stdout(jsonLine(resultRecord(result.status, result.executionId, result.result)));
  if (result.status === "failed") throw runFailure(result.result, ids);
  if (!json) io.stdout(resultText(result.result));
  return EXIT.ok;
}
