import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { nodeRequestHandler } from "../../server/node/binding.js";
import { describeFlows } from "../../server/flows/registry.js";
import { createServerApp, exposureWarnings, listen, loadFlowsFromDir, builtInFlows, FlowValidationError, type ServerAppOptions } from "../../server/index.js";
import { stoppedError } from "../api-errors.js";
import { parseApiKey, parseCredits, parseFault, parseInteger, parseRateLimit } from "../dev-flags.js";
import { CliError, usageError } from "../errors.js";
import { type CliIo, untilStopped } from "../io.js";

export const DEV_HELP = `Usage: noukai dev [options]

Runs the local Noukai server (the whole API, offline, on a mock model).

Options:
  --port N                 port to listen on (default 8080; 0 = any free port)
  --host HOST              interface to bind (default 127.0.0.1, and ::1 when free)
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
  const options: ServerAppOptions = {
    ...(values["api-key"] ? { apiKeys: values["api-key"].map(parseApiKey) } : {}),
    ...(values.fault ? { faults: values.fault.map(parseFault) } : {}),
    ...(values.seed !== undefined ? { seed: parseInteger("--seed", values.seed, 0, 2 ** 32 - 1) } : {}),
    ...(values.credits ? { credits: parseCredits(values.credits) } : {}),
    ...(values["rate-limit"] !== undefined ? { rateLimit: parseRateLimit(values["rate-limit"]) } : {}),
    ...(values.cors ? { cors: values.cors } : {}),
    ...(values["allowed-host"] ? { allowedHosts: values["allowed-host"] } : {}),
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
    throw error;
  }
  const host = values.host ?? "127.0.0.1";
  const server = await listen(app, { port, host }).catch(async (error: NodeJS.ErrnoException) => {
    await app.close();
    throw new CliError(error.code === "EADDRINUSE" ? `port ${port} is already in use (try --port 0 or another port)` : `cannot listen on ${host}:${port}: ${error.message}`);
  });
  // `localhost` may resolve to ::1 first; serve it too when no host was chosen.
  const ipv6 = values.host === undefined ? await alsoOnIpv6Loopback(app, server.port) : undefined;
  const shown = values.host === undefined ? `http://localhost:${server.port}/api/v1` : server.baseUrl;
  io.stdout(`Noukai local server listening on ${shown}`);
  for (const warning of exposureWarnings({ ...options, host })) io.stderr(`warning: ${warning}`);
  io.stdout("Flows:");
  const flows = [...(builtInFlows()), ...(options.flows ?? [])];
  const byKey = new Map(flows.map((flow) => [`${flow.org}/${flow.project}/${flow.slug}`, flow]));
  for (const line of describeFlows([...byKey.values()])) io.stdout(`  ${line}`);
  io.stdout("Press Ctrl+C to stop.");
  const signal = await untilStopped(io.signal);
  io.stdout(`Stopping (${signal})…`);
  ipv6?.closeAllConnections();
  ipv6?.close();
  await server.close();
  return 0;
}

async function alsoOnIpv6Loopback(app: ReturnType<typeof createServerApp>, port: number) {
  const server = createServer(nodeRequestHandler(app));
  return new Promise<ReturnType<typeof createServer> | undefined>((resolve) => {
    server.once("error", () => resolve(undefined));
    server.listen(port, "::1", () => resolve(server));
  });
}
