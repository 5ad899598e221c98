import type { RequestLogEntry } from "../server/index.js";
import type { Style } from "./style.js";

/**
 * `noukai dev`'s line per request: time, method, path, status, duration and
 * the execution id (what `noukai trace` takes), e.g.
 * `12:04:03  POST /api/v1/seq/examples/demo/hello/step  200  12 ms  92958a5c-…`.
 * A status is green when served, yellow when refused, red when the server failed or cut the answer.
 */
export function requestLine(entry: RequestLogEntry, style: Style, now = new Date()): string {
  const time = now.toISOString().slice(11, 19);
  const status = entry.status === 0 ? style.red("cut") : entry.status < 400 ? style.green(String(entry.status)) : entry.status < 500 ? style.yellow(String(entry.status)) : style.red(String(entry.status));
  const ms = `${Math.round(entry.durationMs)} ms`;
  return [style.dim(time), `${entry.method} ${entry.path}`, status, style.dim(ms), entry.executionId ?? ""].join("  ").trimEnd();
}
