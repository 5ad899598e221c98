import { Agent, request } from "node:http";
import { callsPerSecond } from "./measure.js";

export interface LoadTarget {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
}

/**
 * Closed-loop load with a keep-alive `node:http` client (the cheapest client
 * Node has, so the figure measures the server): `concurrency` loops, each
 * sending its next request as soon as the previous answer is read.
 * Returns completed requests per second over `durationMs` (after a warm-up).
 */
export async function requestsPerSecond(target: LoadTarget, concurrency: number, durationMs: number, warmupMs = 500): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(target.url);
  const headers = { ...target.headers, ...(target.body !== undefined ? { "content-length": String(Buffer.byteLength(target.body)) } : {}) };
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: target.method, headers }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`unexpected status ${res.statusCode} from ${target.url}`));
        res.on("data", () => undefined);
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end(target.body);
    });
  try {
    return await callsPerSecond(once, concurrency, durationMs, warmupMs);
  } finally {
    agent.destroy();
  }
}

/** Reads one streamed answer whole; returns its text and how long it took. */
export function timedRead(target: LoadTarget): Promise<{ text: string; ms: number }> {
  const url = new URL(target.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: target.method, headers: target.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ text: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }));
      },
    );
    req.on("error", reject);
    req.end(target.body);
  });
}
