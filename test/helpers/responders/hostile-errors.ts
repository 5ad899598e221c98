/** Error answers in every shape a server or a proxy in front of it gives (RawServer responders). */
import type { RawResponder } from "../../reliability/support/raw-server.js";
import { answer, head, json, pump } from "./raw-http.js";

const detail = (status: number, value: unknown): RawResponder => (_request, socket) => json(socket, status, { detail: value });
const body = (status: number, text: string, type = "application/json"): RawResponder => (_request, socket) =>
  answer(socket, status, text, { "content-type": type });

export const detailCodeAndMessage = detail(400, { code: "TOOLS_INVALID", message: "tools[0].function.name is missing" });
export const detailCodeOnly = detail(409, { code: "TOOL_ITERATION_LIMIT" });
export const detailMessageOnly = detail(422, { message: "parameters.count must be a number" });
export const detailString = detail(400, "The flow is archived.");
export const detailValidationList = detail(422, [
  { loc: ["body", "message"], msg: "field required", type: "value_error.missing" },
  { loc: ["body", "parameters", "n"], msg: "value is not a valid integer" },
]);
export const detailEmptyList = detail(422, []);
export const detailListOfStrings = detail(400, ["first problem", "second problem"]);
export const detailNumber = detail(500, 42);
export const detailNull = detail(500, null);
export const detailNestedObject = detail(500, { where: { step: "s1" }, why: ["boom"] });
export const detailEmptyMessage = detail(400, { code: "BAD_REQUEST", message: "" });
export const errorKeyNoDetail = body(500, JSON.stringify({ error: "upstream model timed out" }));
export const messageAndCodeNoDetail = body(503, JSON.stringify({ message: "maintenance", code: "MAINTENANCE" }));
export const jsonArrayBody = body(500, JSON.stringify([1, 2, 3]));
export const jsonStringBody = body(500, JSON.stringify("oops"));
export const jsonNumberBody = body(500, "404");
export const plainText = body(500, "Internal Server Error", "text/plain");
export const htmlPage = body(502, "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>", "text/html");
export const htmlWithoutTitle = body(503, "<html><body><p>Service temporarily unavailable</p></body></html>", "text/html");
export const emptyBody = body(500, "", "text/plain");
export const whitespaceBody = body(500, "  \r\n\t ", "text/plain");
export const statusOutOfRange = body(999, "");
export const notJsonOnSuccess = body(200, "<html>maintenance page, served as 200</html>", "text/html");
export const successNotAnObject = body(200, "[]");
export const successMissingFields = body(200, JSON.stringify({ status: "completed" }));
export const rateLimitUnreadableRetryAfter: RawResponder = (_request, socket) =>
  json(socket, 429, { detail: { code: "RATE_LIMITED", message: "slow down" } }, { "retry-after": "soon" });
export const rateLimitNegativeRetryAfter: RawResponder = (_request, socket) =>
  json(socket, 429, { detail: { code: "RATE_LIMITED", message: "slow down" } }, { "retry-after": "-5" });
export const rateLimitHugeRetryAfter: RawResponder = (_request, socket) =>
  json(socket, 429, { detail: { code: "RATE_LIMITED", message: "slow down" } }, { "retry-after": "99999999999" });

const FIFTY_MB = 50 * 1024 * 1024;

/** A 50 MB error body: the client must keep 64 KiB of it and drop the rest unread. */
export const fiftyMegabyteError: RawResponder = (_request, socket) => {
  socket.write(head(500, { "content-type": "text/plain", "content-length": FIFTY_MB, "x-request-id": "req_raw", connection: "close" }));
  void pump(socket, Buffer.alloc(64 * 1024, "E"), FIFTY_MB).then(() => socket.end());
};

/** The same, as the answer to a stream request. */
export const fiftyMegabyteStreamError = fiftyMegabyteError;

/** A 20 MB body on a 200 that is not JSON: the SDK reads a success whole (it is under the 32 MiB cap), and keeps 64 KiB of it in the error. */
export const largeNotJsonSuccess: RawResponder = (_request, socket) => {
  const size = 20 * 1024 * 1024;
  socket.write(head(200, { "content-type": "application/json", "content-length": size, "x-request-id": "req_raw", connection: "close" }));
  void pump(socket, Buffer.alloc(64 * 1024, "S"), size).then(() => socket.end());
};
