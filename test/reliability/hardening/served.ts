import { request } from "node:http";
import { createServerApp, listen, type ListenOptions, type ListeningServer, type ServerAppOptions } from "noukai/server";
import { jsonOf } from "../../helpers/json-text.js";

export const KEY = "nk_hardening";
export const AUTH = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };

/** The local server in this process, over a real socket (the built package, as users get it). */
export async function serve(options: ServerAppOptions = {}, listenOptions: ListenOptions = {}): Promise<ListeningServer> {
  return listen(createServerApp(options), { port: 0, ...listenOptions });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: any;
}

/**
 * One request over a fresh socket with exactly the headers given (Host and
 * Origin included, which fetch would not let a caller set).
 */
export function rawRequest(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: options.host ?? "127.0.0.1", port, path, method: options.method ?? (options.body === undefined ? "GET" : "POST"), headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: jsonOf(text) });
      });
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

export interface StreamEvent {
  event: string;
  data: any;
}

/** The events of an SSE body (comments skipped). */
export function sseEvents(text: string): StreamEvent[] {
  return text
    .split("\n\n")
    .filter((frame) => frame.startsWith("event: "))
    .map((frame) => {
      const [eventLine = "", dataLine = ""] = frame.split("\n");
      return { event: eventLine.slice("event: ".length), data: JSON.parse(dataLine.slice("data: ".length)) };
    });
}

/** POSTs JSON with the test key and reads the whole answer. */
export async function postJson(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: any; headers: Headers }> {
  const response = await fetch(`${baseUrl}${path}`, { method: "POST", headers: { ...AUTH, ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, text, json: jsonOf(text), headers: response.headers };
}

export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
