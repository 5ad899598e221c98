import { parseArgs } from "node:util";
import { createServerApp, DataDirError, exposureWarnings, listen, loadFlowsFromDir, builtInFlows, FlowValidationError, type ServerAppOptions } from "../../server/index.js";
import { stoppedError } from "../api-errors.js";
import { parseApiKey, parseCredits, parseFault, parseInteger, parseRateLimit, parseSeconds } from "../dev-flags.js";
import { CliError, usageError } from "../errors.js";
import { describeFlows } from "../flow-list.js";
import { type CliIo, untilStopped } from "../io.js";

export const DEV_HELP = `Usage: noukai dev [options]

Runs the local Noukai server (the whole API, offline, on a mock model).

Options:
  --port N                 port to listen on (default 8080; 0 = any free port)
  --host HOST              interface to bind (default localhost: 127.0.0.1, and ::1 where IPv6 is on)
  --flows DIR              also serve the flow files (*.json) of DIR
  --api-key KEY[@ORG[/PROJECT]]
                           accept only these keys, optionally limited to an org or project (repeatable)
  --fault RULE             inject a fault, e.g. execute:503:times=2 (repeatable; see the server README)
  --seed N                 seed of the faults' probabilities (default 1)
  --credits ORG=USD        give ORG a credit budget; 402 once spent (repeatable)
  --rate-limit N/SECONDS   allow N requests per API key per window; 429 past it
  --cors ORIGIN            let web pages from ORIGIN call the server (repeatable; * for every page);
                           pages from any other origin are refused
  --allowed-host NAME      answer to this Host name too (repeatable; .example.test for a domain, * for any);
                           localhost, IP addresses and the bound name always are
  --job-latency SECONDS    how long a free job worker takes to pick a job up; the job is pending
                           meanwhile (default 0.25; 0 = at once)
  --job-workers N          jobs picked up or running at once (default 4)
  --data DIR               keep executions, jobs, sessions and idempotency records in DIR, so a
                           restart keeps them (without it they live in memory only)
  --grace SECONDS          on Ctrl+C, how long calls in flight may finish before they are interrupted (default 5)
  -h, --help               show this help`;

export async function devCommand(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        flows: { type: "string" },
        "api-key": { type: "string", multiple: true },
        fault: { type: "string", multiple: true },
        seed: { type: "string" },
        credits: { type: "string", multiple: true },
        "rate-limit": { type: "string" },
        cors: { type: "string", multiple: true },
        "allowed-host": { type: "string", multiple: true },
        grace: { type: "string" },
        "job-latency": { type: "string" },
        "job-workers": { type: "string" },
        data: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw usageError(`${(error as Error).message} (see noukai dev --help)`);
  }
  if (values.help) {
    io.stdout(DEV_HELP);
    return 0;
  }
  const port = values.port === undefined ? 8080 : parseInteger("--port", values.port, 0, 65535);
  const graceMs = values.grace === undefined ? 5_000 : parseSeconds("--grace", values.grace) * 1000;
  const options: ServerAppOptions = {
    ...(values["api-key"] ? { apiKeys: values["api-key"].map(parseApiKey) } : {}),
    ...(values.fault ? { faults: values.fault.map(parseFault) } : {}),
    ...(values.seed !== undefined ? { seed: parseInteger("--seed", values.seed, 0, 2 ** 32 - 1) } : {}),
    ...(values.credits ? { credits: parseCredits(values.credits) } : {}),
    ...(values["rate-limit"] !== undefined ? { rateLimit: parseRateLimit(values["rate-limit"]) } : {}),
    ...(values.cors ? { cors: values.cors } : {}),
    ...(values["allowed-host"] ? { allowedHosts: values["allowed-host"] } : {}),
    ...(values["job-latency"] !== undefined ? { jobLatencyMs: parseSeconds("--job-latency", values["job-latency"]) * 1000 } : {}),
    ...(values["job-workers"] !== undefined ? { jobConcurrency: parseInteger("--job-workers", values["job-workers"], 1, 1000) } : {}),
    ...(values.data !== undefined ? { dataDir: values.data } : {}),
  };
  if (values.flows !== undefined) {
    try {
      options.flows = await loadFlowsFromDir(values.flows, { signal: io.signal });
    } catch (error) {
      if (io.signal.aborted) throw stoppedError(io.signal.reason);
      if (error instanceof FlowValidationError) throw new CliError(`invalid flow files:\n${error.message}`, 1);
      throw error;
    }
  }
  let app;
  try {
    app = createServerApp(options);
  } catch (error) {
    // The server checks its options and names the one at fault.
    if (error instanceof RangeError) throw usageError(`${error.message} (see noukai dev --help)`);
    if (error instanceof DataDirError) throw new CliError(error.message);
    throw error;
  }
  const host = values.host ?? "localhost";
  const server = await listen(app, { port, host, graceMs }).catch(async (error: NodeJS.ErrnoException) => {
    await app.close();
    if (error.code === "EADDRINUSE") throw new CliError(`port ${port} is already in use${host === "localhost" ? " (on 127.0.0.1 or ::1)" : ""} (try --port 0 or another port)`);
    throw new CliError(`cannot listen on ${host}:${port}: ${error.message}`);
  });
  io.stdout(`Noukai local server listening on ${server.baseUrl}`);
  if (options.dataDir !== undefined) io.stdout(`State kept in ${options.dataDir} (executions, jobs, sessions, idempotency records)`);
  for (const warning of exposureWarnings({ ...options, host })) io.stderr(`warning: ${warning}`);
  io.stdout("Flows:");
  for (const line of describeFlows([...builtInFlows(), ...(options.flows ?? [])])) io.stdout(`  ${line}`);
  io.stdout("Press Ctrl+C to stop.");
  const signal = await untilStopped(io.signal);
  io.stdout(`Stopping (${signal}): calls in flight get up to ${graceMs / 1000} s to finish; press Ctrl+C again to stop at once…`);
  await server.close();
  return 0;
}
