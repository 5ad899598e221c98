import type { ServerResponse } from "node:http";
import { newRequestId } from "../app/request-id.js";
import { errorBody } from "../app/respond.js";

/** A request that arrives on an open connection while the server shuts down: 503, and the connection closes. */
export function refuseWhileClosing(res: ServerResponse): void {
  res.writeHead(503, { "content-type": "application/json", "retry-after": "1", connection: "close", "x-request-id": newRequestId() });
  res.end(errorBody("SERVER_CLOSING", "the server is shutting down"));
}
