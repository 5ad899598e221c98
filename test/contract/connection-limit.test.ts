/**
 * `maxConnections`: whole answers share at most that many connections, and
 * the calls beyond wait their turn, so a burst of thousands of calls neither
 * runs out of file descriptors nor floods the server. Each stream holds a
 * connection of its own: no stream waits behind another.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { AsyncNoukai } from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";

// For both clients: the local server runs on a thread of its own, so the blocking client can be answered while it blocks.
const local = useLocalServer();

/** A server that answers each call after a moment, counting the connections open at once. */
let server: http.Server;
let baseUrl = "";
const open = new Set<Socket>();
let peak = 0;
/** Streams that arrived and wait for the others: each is answered once `streamsExpected` have. */
const waitingStreams: http.ServerResponse[] = [];
let streamsExpected = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url?.endsWith("/step") === true) {
        waitingStreams.push(res);
        if (waitingStreams.length === streamsExpected) for (const waiting of waitingStreams.splice(0)) answerStream(waiting);
        return;
      }
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"status":"completed","result":"ok","executionId":"exec-1","flowId":"flow_o/p/s","blockCount":1}');
      }, 20);
    });
  });
  server.on("connection", (socket) => {
    open.add(socket);
    peak = Math.max(peak, open.size);
    socket.on("close", () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function answerStream(res: http.ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const frame = (event: string, data: object) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  res.end(frame("run_started", { runId: "r", executionId: "r" }) + frame("flow_completed", { runId: "r", executionId: "r", result: "ok" }));
}

async function burst(client: AsyncNoukai, calls: number): Promise<string[]> {
  peak = open.size;
  const results = await Promise.all(Array.from({ length: calls }, (_, i) => client.flow("o/p/s").execute({ message: `m${i}` })));
  return results.map((result) => String(result.status));
}

describe("AsyncNoukai's connections for whole answers", () => {
  it("opens at most maxConnections, first calls and later ones alike, and every call is answered", async () => {
    const client = new AsyncNoukai({ apiKey: TEST_KEY, baseUrl, maxConnections: 4 });
    try {
      // The first calls of a client go out over node:http, while undici loads.
      expect(await burst(client, 40)).toEqual(Array(40).fill("completed"));
      expect(peak).toBeLessThanOrEqual(4);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await burst(client, 40)).toEqual(Array(40).fill("completed"));
      expect(peak).toBeLessThanOrEqual(4);
    } finally {
      await client.close();
    }
  });

  it("opens at most 100 by default", async () => {
    const client = new AsyncNoukai({ apiKey: TEST_KEY, baseUrl });
    try {
      expect(await burst(client, 300)).toEqual(Array(300).fill("completed"));
      expect(peak).toBeLessThanOrEqual(100);
      expect(peak).toBeGreaterThan(4);
    } finally {
      await client.close();
    }
  });

  it("gives each stream a connection of its own, beyond maxConnections", async () => {
    const client = new AsyncNoukai({ apiKey: TEST_KEY, baseUrl, maxConnections: 1 });
    try {
      // The server answers none of the three until all three have arrived.
      streamsExpected = 3;
      const ends = await Promise.all(
        [1, 2, 3].map(async (n) => {
          let last = "";
          for await (const event of client.flow("o/p/s").events({ message: `s${n}` })) last = event.type;
          return last;
        }),
      );
      expect(ends).toEqual(["flow_completed", "flow_completed", "flow_completed"]);
    } finally {
      streamsExpected = 0;
      await client.close();
    }
  });
});

describe.each(CLIENT_KINDS)("%s's maxConnections option", (kind) => {
  it("is a whole number of at least 1, refused otherwise before any request, naming it", async () => {
    for (const bad of [0, 1.5, -1, "8"]) expect(() => makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, maxConnections: bad as number })).toThrow(/maxConnections/);
    const client = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, maxConnections: 2 });
    expect(await settle(() => client.flow("examples/demo/hello").execute({ message: "x" }))).toMatchObject({ status: "completed" });
  });
});
