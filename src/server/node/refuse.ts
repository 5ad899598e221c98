import type { ServerResponse } from "node:http";
import { newRequestId } from "../app/request-id.js";
import { errorBody } from "../app/respond.js";

const MESSAGES = {
  SERVER_CLOSING: "the server is shutting down",
  SERVER_BUSY: "the server holds too many answers its clients have not read yet; retry shortly",
} as const;

/**
 * A request refused before it reaches the app: 503, `Retry-After: 1`. While
 * the server shuts down (SERVER_CLOSING) the connection then closes; while
 * slow readers hold too many answers (SERVER_BUSY) it stays open.
 */
export function refuse(res: ServerResponse, code: keyof typeof MESSAGES): void {
  res.writeHead(503, {
    "content-type": "application/json",
    "retry-after": "1",
    "x-request-id": newRequestId(),
    ...(code === "SERVER_CLOSING" ? { connection: "close" } : {}),
  });
  res.end(errorBody(code, MESSAGES[code]));
}
