/** Answers that break HTTP itself: bad heads, redirects, cut bodies (RawServer responders). */
import type { RawResponder } from "../../reliability/support/raw-server.js";
import { head, pump } from "./raw-http.js";

const raw = (bytes: string): RawResponder => (_request, socket) => void socket.end(bytes);
const completed = JSON.stringify({ status: "completed", result: "ok", executionId: "exec-1", flowId: "f", blockCount: 1 });

export const bareCrInHeader = raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-ID: abc\rInjected: yes\r\nContent-Length: 2\r\n\r\n{}");
export const bareLfLineEnds = raw(`HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: ${completed.length}\n\n${completed}`);
export const foldedHeader = raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-ID: abc\r\n continued\r\nContent-Length: 2\r\n\r\n{}");
export const headerWithoutColon = raw("HTTP/1.1 200 OK\r\nthis is not a header\r\nContent-Length: 2\r\n\r\n{}");
export const nulInHeader = raw("HTTP/1.1 200 OK\r\nX-Request-ID: a\u0000b\r\nContent-Length: 2\r\n\r\n{}");
export const conflictingLengths = raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}");
export const lengthAndChunked = raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
export const crLfInLocation = raw("HTTP/1.1 302 Found\r\nLocation: https://elsewhere.example/\rSet-Cookie: stolen=1\r\nContent-Length: 0\r\n\r\n");
export const notHttpAtAll = raw("SSH-2.0-OpenSSH_9.6\r\n");
export const headerOverflow = raw(`HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(100_000)}\r\nContent-Length: 2\r\n\r\n{}`);
export const closesWithoutAnswer: RawResponder = (_request, socket) => void socket.destroy();
export const bodyShorterThanLength = raw("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100\r\n\r\nonly ten b");
export const http10CloseDelimited = raw(`HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n${completed}`);

/** A 200 whose body never ends: the client must give up at its size cap, not fill its memory. */
export const endlessSuccess: RawResponder = (_request, socket) => {
  socket.write(head(200, { "content-type": "application/json", "transfer-encoding": "chunked", "x-request-id": "req_raw" }));
  const chunk = Buffer.alloc(64 * 1024, "x");
  const piece = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
  void pump(socket, piece, Number.MAX_SAFE_INTEGER);
};

/** A 200 announced as 50 MB: past the client's cap, it must be abandoned, not read. */
export const fiftyMegabyteSuccess: RawResponder = (_request, socket) => {
  socket.write(head(200, { "content-type": "application/json", "content-length": 50 * 1024 * 1024, "x-request-id": "req_raw", connection: "close" }));
  void pump(socket, Buffer.alloc(64 * 1024, " "), 50 * 1024 * 1024).then(() => socket.end());
};

/** A whole answer dripped one byte every 50 ms: its 200 bytes take 10 s, far past the call's timeout. */
export const drippedSuccess: RawResponder = (_request, socket) => {
  socket.setNoDelay(true);
  socket.write(head(200, { "content-type": "application/json", "content-length": 200, "x-request-id": "req_raw", connection: "close" }));
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(" ")), 50);
  socket.once("close", () => clearInterval(timer));
};

const redirect = (status: number): RawResponder => (_request, socket) =>
  void socket.end(head(status, { location: "https://elsewhere.example/steal", "content-length": 0 }));
export const redirect301 = redirect(301);
export const redirect302 = redirect(302);
export const redirect303 = redirect(303);
export const redirect307 = redirect(307);
export const redirect308 = redirect(308);
export const redirectToLoopback: RawResponder = (request, socket) =>
  void socket.end(head(307, { location: `http://127.0.0.1:1${request.url}`, "content-length": 0 }));
