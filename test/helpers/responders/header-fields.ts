/** An error answer whose header fields repeat, or are named like Object members (RawServer responder). */
import type { RawResponder } from "../../reliability/support/raw-server.js";

const BODY = '{"error":"bad input","code":"VALIDATION_ERROR"}';

export const repeatedFields: RawResponder = (_request, socket) => {
  const lines = [
    "HTTP/1.1 422 Unprocessable Entity",
    "Content-Type: application/json",
    "X-Request-Id: req_headers",
    "Set-Cookie: a=1",
    "Set-Cookie: b=2",
    "Retry-After: 7",
    "Retry-After: 9",
    "Warning: one",
    "warning: two",
    "constructor: not-a-function",
    "__proto__: ignored",
    "X-Latin: caf\xe9",
    `Content-Length: ${BODY.length}`,
    "Connection: close",
    "",
    BODY,
  ];
  // Latin-1, so that the é goes out as the single byte 0xE9.
  socket.end(Buffer.from(lines.join("\r\n"), "latin1"));
};
