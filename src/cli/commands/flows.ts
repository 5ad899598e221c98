import { CONNECTION_HELP, CONNECTION_OPTIONS, connect } from "../connection.js";
import { NoukaiError } from "../../index.js";
import { CliError, EXIT } from "../errors.js";
import { jsonLine } from "../format.js";
import type { CliIo } from "../io.js";
import { fetchLocalFlows, type LocalFlow } from "../local-flows.js";
import { COMMON_HELP, parseCommand, positionalArgs } from "../parse.js";
import { styleFor } from "../style.js";
import { formatTable } from "../table.js";

export const FLOWS_HELP = {
  usage: "noukai flows",
  text: `Usage: noukai flows [--dev | --base-url URL] [--json]

Lists the flows a local server (noukai dev) serves: the built-in examples and
those of its --flows folder, with their steps and versions. The hosted
service has no such listing: this asks the local server only.

Options:
  --json                   one JSON line per flow
${COMMON_HELP}

${CONNECTION_HELP}`,
};

export const FLOWS_OPTIONS = { ...CONNECTION_OPTIONS, json: { type: "boolean" } } as const;

const DEFAULT_TIMEOUT_MS = 30_000;

export async function flowsCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, FLOWS_OPTIONS, FLOWS_HELP, io);
  if (parsed === undefined) return EXIT.ok;
  positionalArgs(parsed.positionals, [], FLOWS_HELP.usage);
  const { values } = parsed;
  const { client, target } = await connect(values, io);
  let flows: LocalFlow[];
  try {
    // The local server answers at once: without --timeout, a shorter wait than a run's.
    flows = await fetchLocalFlows(client, {
      signal: io.signal,
      timeoutMs: values.timeout === undefined ? DEFAULT_TIMEOUT_MS : undefined,
      debug: values.debug === true ? (line) => io.stderr(line) : undefined,
      baseUrl: target.baseUrl,
    });
  } catch (error) {
    // Only a local server has the listing: a 404 means another kind of server, not a missing flow.
    if (error instanceof NoukaiError && error.statusCode === 404) {
      throw new CliError(`${target.host} has no flow listing: noukai flows asks a local server (noukai dev) for the flows it serves; the hosted service has none`, EXIT.notFound);
    }
    throw error;
  } finally {
    await client.close();
  }
  if (values.json === true) {
    for (const flow of flows) io.stdout(jsonLine(flow));
    return EXIT.ok;
  }
  const style = styleFor(io, values["no-color"]);
  const rows = flows.map((flow) => [`${flow.org}/${flow.project}/${flow.slug}`, String(flow.steps), versionsText(flow), flow.name ?? ""]);
  const [header = "", ...lines] = formatTable(["FLOW", "STEPS", "VERSIONS", "NAME"], rows);
  io.stdout(style.bold(header));
  for (const line of lines) io.stdout(line);
  return EXIT.ok;
}

/** `draft, 1, 2 (production 2)`: every flow has a draft; published versions after it. */
function versionsText(flow: LocalFlow): string {
  if (flow.versions.length === 0) return "draft";
  return `draft, ${flow.versions.join(", ")} (production ${flow.production ?? "none"})`;
}
