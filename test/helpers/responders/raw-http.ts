/** Byte-level helpers for raw responders: they write exactly what they are given. */
import type { Socket } from "node:net";

const REASONS: Record<number, string> = { 200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other", 307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" };

/** A status line and headers, CRLF-framed, ending with the blank line. */
export function head(status: number, headers: Record<string, string | number> = {}): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return [`HTTP/1.1 ${status} ${REASONS[status] ?? "Status"}`, ...lines, "", ""].join("\r\n");
}

/** A whole answer with a Content-Length body, then the connection closed. */
export function answer(socket: Socket, status: number, body: string, headers: Record<string, string | number> = {}): void {
  socket.end(head(status, { "x-request-id": "req_raw", "content-length": Buffer.byteLength(body), connection: "close", ...headers }) + body);
}

export function json(socket: Socket, status: number, body: unknown, headers: Record<string, string> = {}): void {
  answer(socket, status, JSON.stringify(body), { "content-type": "application/json", ...headers });
}

/** The head of an event stream with no Content-Length: it lasts until the connection closes. */
export function streamHead(socket: Socket): void {
  socket.setNoDelay(true);
  socket.write(head(200, { "content-type": "text/event-stream", "x-request-id": "req_raw", connection: "close" }));
}

/** One SSE frame with the given line end. */
export function frame(event: string, data: unknown, lineEnd = "\n"): string {
  return `event: ${event}${lineEnd}data: ${JSON.stringify(data)}${lineEnd}${lineEnd}`;
}

/** The frames of a one-step run that completes with `result`. */
export function completedRun(result: unknown, lineEnd = "\n"): string {
  return [
    frame("run_started", { runId: "run-1", executionId: "exec-1" }, lineEnd),
    frame("step_started", { stepId: "s" }, lineEnd),
    frame("step_completed", { stepId: "s", output: result }, lineEnd),
    frame("flow_completed", { runId: "run-1", executionId: "exec-1", result }, lineEnd),
  ].join("");
}

/** Writes `total` bytes made of `chunk` repeated, waiting for the socket to drain; stops if it closes. */
export async function pump(socket: Socket, chunk: Buffer, total: number): Promise<void> {
  for (let sent = 0; sent < total && !socket.destroyed; sent += chunk.length) {
    const piece = total - sent < chunk.length ? chunk.subarray(0, total - sent) : chunk;
    if (!socket.write(piece)) await drained(socket);
  }
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off("drain", done).off("close", done);
      resolve();
    };
    socket.on("drain", done).on("close", done);
  });
}

/** Writes `bytes` one at a time, each in its own packet, so that every boundary falls somewhere. */
export async function trickle(socket: Socket, bytes: Buffer): Promise<void> {
  socket.setNoDelay(true);
  for (let at = 0; at < bytes.length && !socket.destroyed; at++) {
    socket.write(bytes.subarray(at, at + 1));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
