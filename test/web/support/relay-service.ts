import { AsyncNoukai, type ClientOptions } from "noukai";
import { startServer, type RunningServer, type ServerOptions } from "noukai/server";
import { afterAll, beforeAll } from "vitest";
import { TEST_FLOWS } from "../../helpers/test-flows.js";

/** The key the relays hold: a test checks it never reaches a browser. */
export const RELAY_KEY = "nk_relay_server_side_key";
export const SECRET = "relay-test-secret-0123456789-abcdefghij";
export const WEATHER = "examples/demo/weather";
export const WEATHER_TOOLS = [{ type: "function", function: { name: "get_weather" } }];

/** The page's tool: answers every get_weather call. */
export const weatherHandler = (calls: { id: string; function: { arguments: string } }[]) =>
  calls.map((call) => ({ toolCallId: call.id, output: { ...(JSON.parse(call.function.arguments) as object), sky: "sunny", answeredBy: "page" } }));

/** The local server (with the contract test flows) and a way to make relay clients against it, closed after the file. */
export function useRelayService(options: ServerOptions = {}): { readonly server: RunningServer; client(extra?: ClientOptions): AsyncNoukai } {
  let server: RunningServer | undefined;
  const clients: AsyncNoukai[] = [];
  beforeAll(async () => {
    server = await startServer({ port: 0, flows: TEST_FLOWS, ...options });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server?.close();
  });
  const running = () => {
    if (server === undefined) throw new Error("the local server is not started yet");
    return server;
  };
  return {
    get server() {
      return running();
    },
    client(extra = {}) {
      const client = new AsyncNoukai({ apiKey: RELAY_KEY, baseUrl: running().baseUrl, maxRetries: 0, ...extra });
      clients.push(client);
      return client;
    },
  };
}

/** What the local server recorded of the runs tagged with a session: each run's status. */
export async function sessionRuns(client: AsyncNoukai, sessionId: string): Promise<{ executionId: string; status: string }[]> {
  try {
    const session = await client.session(sessionId);
    return session.executions.map((execution) => ({ executionId: execution.executionId, status: execution.status }));
  } catch (error) {
    if ((error as { name?: string }).name === "ReplaySessionNotFoundError") return [];
    throw error;
  }
}
