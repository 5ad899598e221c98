import net from "node:net";
import type { LogEvent } from "noukai";
import { type RunningServer, startServer } from "noukai/server";
import { type ClientKind, makeClient } from "../../helpers/clients.js";
import { observe, summarise } from "../support/outcome.js";
import type { RawServer } from "../support/raw-server.js";
import { findSecret } from "./scan.js";
import type { SecretScenario } from "./scenarios.js";

/** The key every scenario's client uses: it must never be readable anywhere the caller can look. */
export const SECRET = "nk_leakcheck_Z7q4XwP2vT";

export interface SecretsResult {
  kind: ClientKind;
  scenario: string;
  outcome: string;
  logEvents: number;
  /** Where the key could be read. Must be empty. */
  leaks: string[];
}

/**
 * Runs one scenario with `logPayloads: true` and searches everything it
 * produced for the key: every log event, the value or the error (message,
 * stack, every property, `cause`, headers, response body), and their
 * `JSON.stringify` and `util.inspect` forms.
 */
export async function runSecretScenario(kind: ClientKind, scenario: SecretScenario, echo: RawServer): Promise<SecretsResult> {
  const { baseUrl, done } = await placeFor(scenario, echo);
  const log: LogEvent[] = [];
  try {
    const outcome = await observe(async () => {
      const client = makeClient(kind, { apiKey: SECRET, baseUrl, logPayloads: true, onLog: (e) => log.push(e), ...scenario.client?.(SECRET) });
      try {
        return await scenario.run(client);
      } finally {
        await client.close();
      }
    });
    const leaks = [
      ...findSecret(outcome.ok ? outcome.value : outcome.error, SECRET, outcome.ok ? "value" : "error"),
      ...log.flatMap((event, index) => findSecret(event, SECRET, `log[${index}] (${event.phase})`)),
    ];
    return { kind, scenario: scenario.name, outcome: summarise(outcome).replaceAll(SECRET, "‹key›"), logEvents: log.length, leaks };
  } finally {
    await done();
  }
}

async function placeFor(scenario: SecretScenario, echo: RawServer): Promise<{ baseUrl: string; done: () => Promise<void> }> {
  const where = scenario.where;
  if (where.server === "echo") {
    await echo.respond(where.responder);
    return { baseUrl: echo.baseUrl, done: async () => undefined };
  }
  if (where.server === "nowhere") return { baseUrl: `http://127.0.0.1:${await unusedPort()}/api/v1`, done: async () => undefined };
  if (where.options === undefined) return { baseUrl: (await sharedServer()).baseUrl, done: async () => undefined };
  // A server with options of its own (faults counted per server, keys, credits) serves one scenario only.
  const server: RunningServer = await startServer({ port: 0, ...where.options(SECRET) });
  return { baseUrl: server.baseUrl, done: () => server.close() };
}

let shared: Promise<RunningServer> | undefined;

/** One plain local server for every scenario that needs nothing special; `closeSharedServer()` ends it. */
export function sharedServer(): Promise<RunningServer> {
  shared ??= startServer({ port: 0 });
  return shared;
}

export async function closeSharedServer(): Promise<void> {
  const server = shared;
  shared = undefined;
  await (await server)?.close();
}

/** A port that was free a moment ago: nothing listens there. */
async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
