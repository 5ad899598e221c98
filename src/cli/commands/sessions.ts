import { CassetteError, cassetteOfSession, type Session, type SessionExecution } from "../../index.js";
import { prepareCassette, saveCassette, writtenCassette } from "../../replay/cassette-files.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect } from "../connection.js";
import { EXIT, usageError } from "../errors.js";
import { duration, jsonLine, shownText } from "../format.js";
import type { CliIo } from "../io.js";
import { actionArg, COMMON_HELP, parseCommand, positionalArgs } from "../parse.js";
import { formatTable } from "../table.js";

export const SESSIONS_HELP = {
  usage: "noukai sessions",
  text: `Usage: noukai sessions pull <sessionId> [-o FILE]
       noukai sessions show <sessionId> [--json]

Sessions group the runs made in a capture scope (or tagged with
X-Session-Id). pull writes one as a cassette that replayScope({ cassette })
replays with no network (to stdout without -o); show prints its runs and
their steps.

Options:
  -o, --output FILE        pull: write the cassette to FILE
  --json                   show: the session as JSON; pull -o FILE: what was written, as one JSON line
${COMMON_HELP}

${CONNECTION_HELP}`,
};

export const SESSIONS_OPTIONS = {
  ...CONNECTION_OPTIONS,
  output: { type: "string", short: "o" },
  json: { type: "boolean" },
} as const;

export async function sessionsCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, SESSIONS_OPTIONS, SESSIONS_HELP, io);
  if (parsed === undefined) return EXIT.ok;
  const [rawAction, ...positionals] = parsed.positionals;
  const action = actionArg(rawAction, ["pull", "show"], SESSIONS_HELP.usage);
  const [sessionId = ""] = positionalArgs(positionals, ["sessionId"], `noukai sessions ${action}`);
  const { values } = parsed;
  if (action === "show" && values.output !== undefined) throw usageError("--output goes with noukai sessions pull");
  // Checked before the session is fetched: found only after, the pull would have been for nothing.
  if (values.output !== undefined) outputFile(values.output, prepareCassette);
  const { client } = await connect(values, io);
  try {
    const session = await client.session(sessionId, { signal: io.signal });
    if (action === "show") {
      for (const line of values.json === true ? [JSON.stringify(session, null, 2)] : sessionLines(session)) io.stdout(line);
      return EXIT.ok;
    }
    const cassette = cassetteOfSession(session);
    // Written out as a file would hold it: checked, and indented at its top levels only.
    if (values.output === undefined) io.stdout(writtenCassette(cassette, `the cassette of session ${session.sessionId}`).trimEnd());
    else {
      outputFile(values.output, (path) => saveCassette(path, cassette));
      // Without -o the cassette is the output (JSON already); with it, --json says what was written.
      if (values.json === true) io.stdout(jsonLine({ sessionId: session.sessionId, runs: session.executions.length, file: values.output }));
      else if (io.isTTY) io.stdout(`wrote ${session.executions.length} run(s) of session ${shownText(session.sessionId)} to ${values.output}`);
    }
    return EXIT.ok;
  } finally {
    await client.close();
  }
}

/** `-o FILE`, prepared or written as a recording's cassette is; a file that cannot be is one line naming it. */
function outputFile(path: string, use: (path: string) => void): void {
  if (path === "") throw usageError("-o needs a file name");
  try {
    use(path);
  } catch (error) {
    if (error instanceof CassetteError) throw usageError(`-o ${error.message.replace(/^The cassette /, "")}`);
    throw error;
  }
}

/** A session for a person: a line per run, then its steps as a table. */
function sessionLines(session: Session): string[] {
  const lines = [`session ${shownText(session.sessionId)}: ${session.executions.length} run(s)`];
  for (const execution of session.executions) lines.push("", ...executionLines(execution));
  return lines;
}

function executionLines(execution: SessionExecution): string[] {
  const header = `${shownText(execution.triggerType ?? "?")} ${shownText(execution.slug ?? "(deleted flow)")}  ${shownText(execution.status)}  ${shownText(execution.executionId)}`;
  const rows = execution.steps.map((step) => {
    const message: unknown = step.errorSnapshot?.message;
    return [
      shownText(step.stepId),
      shownText(step.status),
      duration(step.durationMs),
      message !== undefined && message !== null ? shownText(message) : Array.isArray(step.toolRounds) ? `${step.toolRounds.length} tool round(s)` : "",
    ];
  });
  return [header, ...formatTable(["  step", "status", "duration", ""], rows.map(([id = "", ...rest]) => [`  ${id}`, ...rest]))];
}
