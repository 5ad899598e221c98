import type { AsyncFlow, StreamEvent } from "../../index.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect } from "../connection.js";
import { CliError, EXIT } from "../errors.js";
import { jsonLine, resultText, shownText, stepLine } from "../format.js";
import type { CliIo } from "../io.js";
import { COMMON_HELP, flowArg, parseCommand, positionalArgs } from "../parse.js";
import { progressFor, type Progress } from "../progress.js";
import { failedRunError, resultRecord, runFailure, stepFailure } from "../run-outcome.js";
import { INPUT_HELP, INPUT_OPTIONS, type RunInput, requireInput, runInput } from "../run-input.js";
import { paintStep, styleFor, type Style } from "../style.js";
import { eventLine } from "../trace-view.js";
import { visible } from "../visible.js";

export const RUN_HELP = {
  usage: "noukai run",
  text: `Usage: noukai run <org/project/slug> -m TEXT | --messages FILE [--param K=V]… [--json]

Runs a flow to its end and prints its result. On a terminal: the run's id, a
spinner with the running step and its time, a line per step as it completes
(name, duration, tokens, cost), then the result. In a pipe: only the result.
With --json: NDJSON, each completed step, then {"type":"result",…}.
A failed run prints one line on stderr (the same code whatever the output) and exits 6.

${INPUT_HELP}

Output:
  --json                   NDJSON instead of text
${COMMON_HELP}

${CONNECTION_HELP}`,
};

export const RUN_OPTIONS = { ...CONNECTION_OPTIONS, ...INPUT_OPTIONS, json: { type: "boolean" } } as const;

interface Output {
  json: boolean;
  io: CliIo;
  style: Style;
  progress: Progress;
  lastRequestId: () => string | undefined;
}

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, RUN_OPTIONS, RUN_HELP, io);
  if (parsed === undefined) return EXIT.ok;
  const flowName = flowArg(positionalArgs(parsed.positionals, ["org/project/slug"], RUN_HELP.usage)[0] ?? "");
  const input = requireInput(await runInput(parsed.values), RUN_HELP.usage);
  const json = parsed.values.json === true;
  const style = styleFor(io, parsed.values["no-color"]);
  const progress = await progressFor(io, style, !json);
  const { client, lastRequestId } = await connect(parsed.values, io);
  try {
    const flow = client.flow(flowName);
    const output = { json, io, style, progress, lastRequestId };
    // Streams cannot run drafts, so a draft runs in one call; everything else runs step by step, in every output mode,
    // so that a failure is reported from the same event (and with the same code) wherever the output goes.
    const isDraft = input.version === "draft" || input.version === 0;
    if (isDraft) return await executeRun(flow, input, output);
    return await streamRun(flow, input, output);
  } finally {
    progress.stop();
    await client.close();
  }
}

/** Step by step (`events()`): each step as it completes on a terminal, with a spinner while it runs. */
async function streamRun(flow: AsyncFlow, input: RunInput, { json, io, style, progress, lastRequestId }: Output): Promise<number> {
  const person = io.isTTY && !json;
  const say = (line: string) => {
    progress.stop();
    io.stdout(line);
  };
  let executionId: string | undefined;
  progress.start(`starting ${flow.org}/${flow.project}/${flow.slug}`);
  for await (const event of flow.events({ ...input, signal: io.signal })) {
    switch (event.type) {
      case "run_started":
        executionId = event.executionId ?? event.runId;
        if (person) say(style.dim(eventLine(event) ?? `run ${executionId ?? "?"}`));
        break;
      case "step_started":
        progress.start(stepLabel(event));
        break;
      case "step_completed":
        if (json) say(jsonLine(event));
        else if (person) say(paintStep(stepLine(event), style));
        break;
      case "step_error": {
        progress.stop();
        const failure = stepFailure(event, executionId, lastRequestId());
        if (json) io.stdout(jsonLine(resultRecord("failed", executionId, failure.message)));
        else if (person) io.stdout(style.red(eventLine(event) ?? "✗ failed"));
        throw failure;
      }
      case "flow_completed":
        say(json ? jsonLine(resultRecord("completed", event.executionId ?? executionId, event.result)) : resultText(event.result, io.isTTY));
        return EXIT.ok;
    }
  }
  throw new CliError("the run's event stream ended without a result", EXIT.connection);
}

/** A draft, in one call (`execute()`). A failed one is reported with its failed step's code, as a stream would. */
async function executeRun(flow: AsyncFlow, input: RunInput, { json, io, style, progress, lastRequestId }: Output): Promise<number> {
  if (io.isTTY && !json) io.stdout(style.dim("(a draft runs in one call: no line per step)"));
  progress.start(`running the draft of ${flow.org}/${flow.project}/${flow.slug}`);
  const result = await flow.execute({ ...input, signal: io.signal });
  progress.stop();
  const ids = { executionId: result.executionId, requestId: lastRequestId() };
  if (result.status === "tool_calls_required") {
    const names = result.toolCalls.map((call) => call.function.name).join(", ");
    throw runFailure(`the flow asks for tool calls (${names}), which the command line cannot answer`, ids, "TOOL_CALLS_REQUIRED");
  }
  if (io.isTTY && !json && result.executionId !== undefined) io.stdout(style.dim(`run ${shownText(result.executionId)}`));
  if (json) io.stdout(jsonLine(resultRecord(result.status, result.executionId, result.result)));
  if (result.status === "failed") throw await failedRunError(flow, result.result, ids, io.signal);
  if (!json) io.stdout(resultText(result.result, io.isTTY));
  return EXIT.ok;
}

function stepLabel(event: Extract<StreamEvent, { type: "step_started" }>): string {
  const index = typeof event.stepIndex === "number" ? `${event.stepIndex + 1}. ` : "";
  return visible(`${index}${shownText(event.name ?? event.stepId)}`);
}
