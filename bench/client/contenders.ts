/**
 * The three clients the benchmarks compare, each as "one execute" and "one
 * event stream" against the fixed server: this SDK's `AsyncNoukai`, the
 * official `@noukai/sdk` 0.3.0, and raw keep-alive `node:http` (the limit:
 * no client can do less work per call).
 */
import { Noukai as OfficialNoukai } from "@noukai/sdk";
import { createParser } from "eventsource-parser";
import http from "node:http";
import { Pool } from "undici";
import { AsyncNoukai, type ClientOptions, Noukai } from "../../dist/index.js";

export const BENCH_KEY = "nk_bench_key";
const DEV_ORIGIN = "http://localhost:8080";

/** How many events one stream yields, read to its end. */
async function countEvents(events: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _event of events) count++;
  return count;
}

export interface Contender {
  execute(): Promise<unknown>;
  /** For a blocking client: one call that returns its value. */
  executeBlocking?: () => unknown;
  /** Counts the events of one `runRemaining` stream of `count` steps. */
  stream(count: number): Promise<number>;
  close(): Promise<void>;
}

export function ours(port: number, options: Pick<ClientOptions, "fetch" | "tracer"> = {}): Contender {
  const client = new AsyncNoukai({ apiKey: BENCH_KEY, baseUrl: `http://127.0.0.1:${port}/api/v1`, ...options });
  const flow = client.flow("bench/fixed/execute");
  return {
    execute: () => flow.execute({ message: "hi" }),
    stream: (count) => countEvents(client.flow(`bench/fixed/events-${count}`).events({ message: "go", runRemaining: true })),
    close: () => client.close(),
  };
}

/** The official client only knows localhost:8080 (`env: "dev"`); its fetch is pointed at the fixed server. */
export function official(port: number): Contender {
  const realFetch = globalThis.fetch;
  const origin = `http://127.0.0.1:${port}`;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    return realFetch(url.startsWith(DEV_ORIGIN) ? origin + url.slice(DEV_ORIGIN.length) : input, init);
  };
  const client = new OfficialNoukai({ apiKey: BENCH_KEY, env: "dev" });
  const flow = client.flow("bench/fixed/execute");
  return {
    execute: () => flow.execute({ message: "hi" }),
    stream: (count) => countEvents(client.flow(`bench/fixed/events-${count}`).events({ message: "go", runRemaining: true })),
    close: async () => {
      await client.close();
      globalThis.fetch = realFetch;
    },
  };
}

/**
 * The blocking client. Its calls return values; the closed loop awaits them
 * like any other (at concurrency 1: a blocked thread cannot run two calls).
 */
export function blocking(port: number): Contender {
  const client = new Noukai({ apiKey: BENCH_KEY, baseUrl: `http://127.0.0.1:${port}/api/v1` });
  const flow = client.flow("bench/fixed/execute");
  return {
    execute: async () => flow.execute({ message: "hi" }),
    executeBlocking: () => flow.execute({ message: "hi" }),
    // Counted with a plain loop: `for await` over a blocking iterator would add a microtask per event.
    stream: async (count) => {
      let events = 0;
      for (const _event of client.flow(`bench/fixed/events-${count}`).events({ message: "go", runRemaining: true })) events++;
      return events;
    },
    close: async () => client.close(),
  };
}

const EXECUTE_BODY = '{"message":"hi","trace":false}';
/** The headers this SDK sends with an execute, so that every raw contender sends the same bytes. */
export const EXECUTE_HEADERS = {
  authorization: `Bearer ${BENCH_KEY}`,
  "x-noukai-api-version": "2026-05-31",
  "user-agent": `noukai-ts/0.1.0 (node/${process.versions.node}; ${process.platform})`,
  accept: "application/json",
  "content-type": "application/json",
  "idempotency-key": "7b0c2f5e-2a1d-4c55-9a57-3f1b7d0e9a10",
  "content-length": String(EXECUTE_BODY.length),
};

/**
 * Keep-alive `node:http` doing only what any client must: send the same
 * bytes this SDK sends (same headers, same body), read the answer, parse
 * the JSON. Its stream counts blank lines, with no parsing at all: what the
 * socket alone delivers.
 */
export function rawNodeHttp(port: number): Contender {
  const agent = new http.Agent({ keepAlive: true });
  const body = EXECUTE_BODY;
  const headers = EXECUTE_HEADERS;
  const post = (path: string, onChunk: (chunk: Buffer) => void) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ agent, host: "127.0.0.1", port, method: "POST", path, headers }, (res) => {
        res.on("data", onChunk);
        res.on("end", resolve);
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  return {
    execute: async () => {
      const chunks: Buffer[] = [];
      await post("/api/v1/seq/bench/fixed/execute/execute", (chunk) => chunks.push(chunk));
      return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    },
    stream: async (count) => {
      let events = 0;
      await post(`/api/v1/seq/bench/fixed/events-${count}/step`, (chunk) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) if (chunk[i + 1] === 10) events++;
      });
      return events;
    },
    close: async () => agent.destroy(),
  };
}

/**
 * undici's `Pool.request`, the fastest transport Node offers for a whole
 * answer: the same bytes sent, the body read as text and parsed. The execute
 * rows' limit is the faster of this and raw `node:http`.
 */
export function rawUndiciPool(port: number): Contender {
  const pool = new Pool(`http://127.0.0.1:${port}`);
  const execute = async () => {
    const answer = await pool.request({ method: "POST", path: "/api/v1/seq/bench/fixed/execute/execute", headers: EXECUTE_HEADERS, body: EXECUTE_BODY });
    return JSON.parse(await answer.body.text()) as unknown;
  };
  return {
    execute,
    stream: () => Promise.reject(new Error("the undici contender measures execute only")),
    close: () => pool.close(),
  };
}

/**
 * The least work any correct client must do per event (issue 18's "bare
 * parse"): keep-alive `node:http`, the bytes decoded and fed to
 * `eventsource-parser`, and each event's data given to `JSON.parse`. No
 * checks, no event mapping, no iterator: the events rows' limit.
 */
export function bareParse(port: number): Contender {
  const agent = new http.Agent({ keepAlive: true });
  const body = '{"message":"go","runRemaining":true}';
  const headers = { ...EXECUTE_HEADERS, accept: "text/event-stream", "content-length": String(body.length) };
  return {
    execute: () => Promise.reject(new Error("the bare parse contender measures streams only")),
    stream: (count) =>
      new Promise<number>((resolve, reject) => {
        let events = 0;
        const parser = createParser({
          onEvent: (event) => {
            JSON.parse(event.data);
            events++;
          },
        });
        const req = http.request({ agent, host: "127.0.0.1", port, method: "POST", path: `/api/v1/seq/bench/fixed/events-${count}/step`, headers }, (res) => {
          res.setEncoding("utf8");
          res.on("data", (text: string) => parser.feed(text));
          res.on("end", () => resolve(events));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end(body);
      }),
    close: async () => agent.destroy(),
  };
}
