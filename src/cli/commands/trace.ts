import type { Run, StepAttempts, StepTrace, StepTraceOptions } from "../../index.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect } from "../connection.js";
import { EXIT, usageError } from "../errors.js";
import { jsonLine, shownText } from "../format.js";
import type { CliIo } from "../io.js";
import { flowArg, COMMON_HELP, parseCommand, positionalArgs } from "../parse.js";
import { paintStep, statusColor, styleFor, type Style } from "../style.js";
import { eventLine, stepTraceLines, traceLines } from "../trace-view.js";

export const TRACE_HELP = {
  usage: "noukai trace",
  text: `Usage: noukai trace <org/project/slug> <executionId> [--step ID [--attempt A] [--loop-index N]] [--json]
       noukai trace <org/project/slug> <executionId> --live [--json]

Prints a run's trace: a summary, then a table of its steps (latest attempts),
with duration, model, tokens and cost; --step shows one step's attempts.
--live follows the run: its events so far, then new ones until it ends.

Options:
  --step ID                one step
  --attempt A              with --step: latest (default), all, or an attempt number from 1
  --loop-index N           with --step: the iteration of a looping step
  --live                   follow the run as it goes
  --json                   the trace as JSON (with --live: NDJSON, one event a line)
${COMMON_HELP}

${CONNECTION_HELP}`,
};

export const TRACE_OPTIONS = {
  ...CONNECTION_OPTIONS,
  step: { type: "string" },
  attempt: { type: "string" },
  "loop-index": { type: "string" },
  live: { type: "boolean" },
  json: { type: "boolean" },
} as const;

export async function traceCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, TRACE_OPTIONS, TRACE_HELP, io);
  if (parsed === undefined) return EXIT.ok;
  const [rawFlow = "", executionId = ""] = positionalArgs(parsed.positionals, ["org/project/slug", "executionId"], TRACE_HELP.usage);
  const flowName = flowArg(rawFlow);
  const { values } = parsed;
  const json = values.json === true;
  if (values.step === undefined && (values.attempt ?? values["loop-index"]) !== undefined) {
    throw usageError("--attempt and --loop-index go with --step ID");
  }
  if (values.live === true && values.step !== undefined) throw usageError("--live follows the whole run; it does not take --step");
  const stepOptions = values.step === undefined ? undefined : stepTraceOptions(values.attempt, values["loop-index"], io.signal);
  const { client } = await connect(values, io);
  try {
    const run = client.flow(flowName).run(executionId);
    const style = styleFor(io, values["no-color"]);
    if (values.live === true) return await follow(run, json, io, style);
    if (values.step !== undefined && stepOptions !== undefined) {
      const { attempt, ...rest } = stepOptions;
      const trace: StepTrace | StepAttempts =
        attempt === "all" ? await run.stepTrace(values.step, { ...rest, attempt }) : await run.stepTrace(values.step, { ...rest, attempt });
      print(json ? [JSON.stringify(trace, null, 2)] : stepTraceLines(trace), io);
      return EXIT.ok;
    }
    const trace = await run.trace({ signal: io.signal });
    print(json ? [JSON.stringify(trace, null, 2)] : paintSummary(traceLines(trace), trace.flowRun.status, style), io);
    return EXIT.ok;
  } finally {
    await client.close();
  }
}

async function follow(run: Run, json: boolean, io: CliIo, style: Style): Promise<number> {
  for await (const event of run.liveTrace({ signal: io.signal })) {
    const line = json ? jsonLine(event) : eventLine(event);
    if (line !== undefined) io.stdout(json ? line : paintEvent(line, style));
  }
  return EXIT.ok;
}

/** A live line as `run` prints it: the ✓ of a step green, a failed step red. */
function paintEvent(line: string, style: Style): string {
  return line.startsWith("✗") ? style.red(line) : paintStep(line, style);
}

/** The run's status in the summary line in its colour (the table stays plain: colour would upset its columns). */
function paintSummary(lines: string[], status: string, style: Style): string[] {
  const [summary = "", ...rest] = lines;
  // The summary shows the status as text (escaped); statusColor paints the same text.
  return [summary.replace(`  ${shownText(status)}`, `  ${statusColor(style, status)}`), ...rest];
}

function stepTraceOptions(attempt = "latest", loopIndex: string | undefined, signal: AbortSignal): StepTraceOptions & { attempt: "latest" | "all" | number } {
  if (attempt !== "latest" && attempt !== "all" && !/^[1-9]\d*$/.test(attempt)) {
    throw usageError(`--attempt must be latest, all or an attempt number from 1, got ${JSON.stringify(attempt)}`);
  }
  const options: StepTraceOptions & { attempt: "latest" | "all" | number } = {
    signal,
    attempt: attempt === "latest" || attempt === "all" ? attempt : Number(attempt),
  };
  if (loopIndex !== undefined) {
    if (!/^\d+$/.test(loopIndex)) throw usageError(`--loop-index must be a whole number, got ${JSON.stringify(loopIndex)}`);
    options.loopIndex = Number(loopIndex);
  }
  return options;
}

function print(lines: readonly string[], io: CliIo): void {
  for (const line of lines) io.stdout(line);
}
