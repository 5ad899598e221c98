import type { AsyncFlow, JobStatus, WaitOptions } from "../../index.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect, hintFlags, parseSeconds, shellWord } from "../connection.js";
import { EXIT, usageError } from "../errors.js";
import { jsonLine, resultText, shownText } from "../format.js";
import type { CliIo } from "../io.js";
import { actionArg, COMMON_HELP, flowArg, parseCommand, positionalArgs } from "../parse.js";
import { progressFor } from "../progress.js";
import { failedRunError, runFailure } from "../run-outcome.js";
import { INPUT_HELP, INPUT_OPTIONS, requireInput, runInput } from "../run-input.js";
import { statusColor, styleFor, type Style } from "../style.js";
import type { Target } from "../target.js";

export const JOB_HELP = {
  usage: "noukai job",
  text: `Usage: noukai job submit <org/project/slug> [input] [--json]
       noukai job status <org/project/slug> <executionId> [--json]
       noukai job wait   <org/project/slug> <executionId> [--poll-interval SECONDS] [--json]

Queued runs. submit queues one and prints its execution id (in a pipe, only the
id); status prints where it is; wait polls until it ends and prints its result
(a failed or cancelled job prints one line on stderr and exits 6). --timeout
also bounds the whole wait.

${INPUT_HELP}

Output:
  --poll-interval SECONDS  time between polls while waiting (default 2)
  --json                   the job as one JSON line
${COMMON_HELP}

${CONNECTION_HELP}`,
};

export const JOB_OPTIONS = {
  ...CONNECTION_OPTIONS,
  ...INPUT_OPTIONS,
  "poll-interval": { type: "string" },
  json: { type: "boolean" },
} as const;

const ACTIONS = ["submit", "status", "wait"] as const;

export async function jobCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, JOB_OPTIONS, JOB_HELP, io);
  if (parsed === undefined) return EXIT.ok;
  const [rawAction, ...positionals] = parsed.positionals;
  const action = actionArg(rawAction, ACTIONS, JOB_HELP.usage);
  const { values } = parsed;
  const json = values.json === true;
  const isSubmit = action === "submit";
  const [rawFlow = "", executionId = ""] = positionalArgs(positionals, isSubmit ? ["org/project/slug"] : ["org/project/slug", "executionId"], `noukai job ${action}`);
  const flowName = flowArg(rawFlow);
  const input = isSubmit ? requireInput(await runInput(values), "noukai job submit") : undefined;
  if (!isSubmit && (values.message ?? values.messages ?? values.param ?? values.version) !== undefined) {
    throw usageError(`noukai job ${action} takes no input flags; they belong to noukai job submit`);
  }
  const wait: WaitOptions = { signal: io.signal };
  if (values["poll-interval"] !== undefined) wait.pollInterval = parseSeconds("--poll-interval", values["poll-interval"]);
  if (values.timeout !== undefined) wait.timeout = parseSeconds("--timeout", values.timeout);
  const { client, lastRequestId, target } = await connect(values, io);
  const style = styleFor(io, values["no-color"]);
  try {
    const flow = client.flow(flowName);
    if (input !== undefined) return await submit(flow, { ...input, signal: io.signal }, json, io, target, style);
    if (action === "status") return show(await flow.job(executionId).poll({ signal: io.signal }), json, io, style);
    const progress = await progressFor(io, style, !json);
    progress.start(`waiting for job ${executionId}`);
    try {
      const status = await flow.job(executionId).wait(wait);
      progress.stop();
      return await finished(flow, status, json, io, lastRequestId);
    } finally {
      progress.stop();
    }
  } finally {
    await client.close();
  }
}

async function submit(flow: AsyncFlow, options: Parameters<AsyncFlow["executeAsync"]>[0], json: boolean, io: CliIo, target: Target, style: Style): Promise<number> {
  const job = await flow.executeAsync(options);
  if (json) io.stdout(jsonLine(job));
  else if (!io.isTTY) io.stdout(job.executionId);
  else {
    const name = `${flow.org}/${flow.project}/${flow.slug}`;
    io.stdout(`queued ${name} as job ${style.bold(shownText(job.executionId))}`);
    // The follow-up goes to the same server: the flags that named it come along (never the key).
    io.stdout(style.dim(`wait for it: noukai job wait ${shellWord(name)} ${shellWord(shownText(job.executionId))}${hintFlags(target)}`));
  }
  return EXIT.ok;
}

/** `status`: where the job is; a failed job is still a successful answer. */
function show(status: JobStatus, json: boolean, io: CliIo, style: Style): number {
  if (json) {
    io.stdout(jsonLine(status));
    return EXIT.ok;
  }
  io.stdout(statusColor(style, status.status));
  if (status.status === "completed") io.stdout(resultText(status.result, io.isTTY));
  else if (typeof status.error === "string" && status.error !== "") io.stdout(`error: ${shownText(status.error)}`);
  return EXIT.ok;
}

/** `wait`: the job's result, or a failure for any other final status (failed, cancelled), with its failed step's code. */
async function finished(flow: AsyncFlow, status: JobStatus, json: boolean, io: CliIo, lastRequestId: () => string | undefined): Promise<number> {
  if (json) io.stdout(jsonLine(status));
  if (status.status !== "completed") {
    const reason = typeof status.error === "string" && status.error !== "" ? status.error : `the job ended ${status.status}`;
    const ids = { executionId: status.executionId, requestId: lastRequestId() };
    // A failed job names its failed step's code when the trace has it; a cancelled one has no step to ask about.
    throw status.status === "failed" ? await failedRunError(flow, reason, ids, io.signal, "JOB_FAILED") : runFailure(reason, ids, `JOB_${status.status.toUpperCase()}`);
  }
  if (!json) io.stdout(resultText(status.result, io.isTTY));
  return EXIT.ok;
}
