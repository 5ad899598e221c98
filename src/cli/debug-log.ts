import type { Middleware, OutgoingRequest } from "../index.js";
import { visible } from "./visible.js";

/**
 * `--debug`: each HTTP exchange on stderr, through the client's public
 * middleware seam: the request (method, URL, headers, body), the answer
 * (status, time, headers, body) and each event of a stream. Middleware never
 * sees the Authorization header; it is shown as sent, redacted, and the key
 * is masked wherever a server might echo it. What a server sent is shown
 * with its control characters written out (./visible.ts).
 */
export function debugMiddleware(baseUrl: string, apiKey: string, print: (line: string) => void): Middleware {
  const started = new WeakMap<OutgoingRequest, number>();
  const redact = (text: string) => text.split(apiKey).join("nk_…[redacted]");
  const show = (line: string) => print(visible(redact(`debug: ${line}`)));
  const body = (value: unknown) => (value === undefined ? [] : [`  body: ${typeof value === "string" ? value : JSON.stringify(value)}`]);
  return {
    name: "noukai-cli-debug",
    onRequest(request) {
      started.set(request, performance.now());
      show(`→ ${request.method} ${baseUrl}${request.path}${request.attempt > 0 ? ` (retry ${request.attempt})` : ""}`);
      for (const line of ["  authorization: Bearer nk_…[redacted]", ...headerLines(request.headers), ...body(request.body)]) show(line);
      return undefined;
    },
    onResponse(response, request) {
      const ms = Math.round(performance.now() - (started.get(request) ?? performance.now()));
      show(`← ${response.status} ${request.method} ${request.path} (${ms} ms${response.answeredBy === undefined ? "" : `, answered by ${response.answeredBy}`})`);
      for (const line of [...headerLines(response.headers), ...body(response.body)]) show(line);
    },
    onEvent(event) {
      show(`← event ${event.type}`);
    },
  };
}

function headerLines(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`);
}
