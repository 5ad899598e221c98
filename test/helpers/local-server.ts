import { startServer, type RunningServer, type ServerOptions } from "noukai/server";
import { afterAll, beforeAll } from "vitest";

/** Starts a local server (on a worker thread, ephemeral port) for the tests of one file. */
export function useLocalServer(options: ServerOptions = {}): { readonly server: RunningServer; readonly baseUrl: string } {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer({ port: 0, ...options });
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get server() {
      if (server === undefined) throw new Error("the server is not started yet");
      return server;
    },
    get baseUrl() {
      if (server === undefined) throw new Error("the server is not started yet");
      return server.baseUrl;
    },
  };
}
