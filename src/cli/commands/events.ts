import { CONNECTION_HELP, CONNECTION_OPTIONS, connect } from "../connection.js";
import { EXIT } from "../errors.js";
import { jsonLine } from "../format.js";
import type { CliIo } from "../io.js";
import { COMMON_HELP, flowArg, parseCommand, positionalArgs } from "../parse.js";
import { runFailure, stepFailure } from "../run-outcome.js";
import { INPUT_HELP, INPUT_OPTIONS, requireInput, runInput } from "../run-input.js";

export const EVENTS_HELP = {
  usage: "noukai events",
  text: `Usage: noukai events <org/project/slug> -m TEXT | --messages FILE [--run-remaining] [--json]

Runs a flow step by step and prints every event as NDJSON (run_started,
step_started, step_input, step_output, step_completed, step_paused,
flow_completed, step_error). A failed step also prints one line on stderr and
exits 6. Its output is NDJSON already: --json is accepted, as every command takes it.

${INPUT_HELP}
  --run-remaining          run every step in one stream, without step_paused between steps
  --json                   NDJSON (the default here)
${COMMON_HELP}

${CONNECTION_HELP}`,
};

export const EVENTS_OPTIONS = { ...CONNECTION_OPTIONS, ...INPUT_OPTIONS, "run-remaining": { type: "boolean" }, json: { type: "boolean" } } as const;

export async function eventsCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, EVENTS_OPTIONS, EVENTS_HELP, io);
  if (parsed === undefined) return EXIT.ok;
  const flowName = flowArg(positionalArgs(parsed.positionals, ["org/project/slug"], EVENTS_HELP.usage)[0] ?? "");
  const input = requireInput(await runInput(parsed.values), EVENTS_HELP.usage);
  const { client, lastRequestId } = await connect(parsed.values, io);
  try {
    const runRemaining = parsed.values["run-remaining"] === true;
    let executionId: string | undefined;
    for await (const event of client.flow(flowName).events({ ...input, runRemaining, signal: io.signal })) {
      io.stdout(jsonLine(event));
      if (event.type === "run_started") executionId = event.executionId ?? event.runId;
      if (event.type === "step_error") throw stepFailure(event, executionId, lastRequestId());
      // The command line sends no tools, so a pause is the flow insisting on them.
      if (event.type === "tool_calls_required") {
        const ids = { executionId: event.executionId, requestId: lastRequestId() };
        throw runFailure("the flow asks for tool calls, which the command line cannot answer", ids, "TOOL_CALLS_REQUIRED");
      }
    }
    return EXIT.ok;
  } finally {
    await client.close();
  }
}
