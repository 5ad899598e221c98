import { type ExecuteResult, FlowExecutionError } from "noukai";
import type { HostileAnswer } from "./expectations.js";

/** The class each status gets: the precise one, itself a `FlowExecutionError` where the official client raises that. */
const CLASS_BY_STATUS = new Map([
  [400, "BadRequestError"],
  [409, "ConflictError"],
  [422, "UnprocessableEntityError"],
  [429, "RateLimitError"],
]);

const failure = (status: number, message: RegExp, code?: string): HostileAnswer["expect"] => ({
  error: CLASS_BY_STATUS.get(status) ?? (status >= 500 && status < 600 ? "InternalServerError" : "FlowExecutionError"),
  message,
  ...(code !== undefined ? { code } : {}),
  ...(status === 429 ? {} : { check: (error: unknown) => (error instanceof FlowExecutionError ? undefined : "the error is not a FlowExecutionError, as the official client's is") }),
  says: `a typed error whose message reads ${message}`,
});

const retryAfterIsANumberOrNothing = (error: Record<string, unknown>): string | undefined => {
  const retryAfter = error["retryAfter"];
  if (retryAfter === undefined) return undefined;
  return typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter >= 0 ? undefined : `retryAfter is ${JSON.stringify(retryAfter)}`;
};

/** Error bodies in every shape: `{"detail": …}` and the rest. */
export const ERROR_ANSWERS: HostileAnswer[] = [
  { responder: "detailCodeAndMessage", serverDoes: '400 {"detail":{"code","message"}}', call: "execute", expect: failure(400, /^HTTP 400 TOOLS_INVALID: tools\[0\]\.function\.name is missing$/, "TOOLS_INVALID") },
  { responder: "detailCodeOnly", serverDoes: '409 {"detail":{"code"}}', call: "execute", expect: failure(409, /^HTTP 409: TOOL_ITERATION_LIMIT$/, "TOOL_ITERATION_LIMIT") },
  { responder: "detailMessageOnly", serverDoes: '422 {"detail":{"message"}}', call: "execute", expect: failure(422, /parameters\.count must be a number/) },
  { responder: "detailEmptyMessage", serverDoes: '400 {"detail":{"code","message":""}}', call: "execute", expect: failure(400, /BAD_REQUEST/, "BAD_REQUEST") },
  { responder: "detailString", serverDoes: '400 {"detail":"text"}', call: "execute", expect: failure(400, /The flow is archived\./) },
  {
    responder: "detailValidationList",
    serverDoes: '422 {"detail":[{loc,msg},…]} (a validation list)',
    call: "execute",
    expect: failure(422, /body\.message: field required; body\.parameters\.n: value is not a valid integer/),
  },
  { responder: "detailEmptyList", serverDoes: '422 {"detail":[]}', call: "execute", expect: failure(422, /request validation failed/) },
  { responder: "detailListOfStrings", serverDoes: '400 {"detail":["…","…"]}', call: "execute", expect: failure(400, /first problem.*second problem/) },
  { responder: "detailNumber", serverDoes: '500 {"detail":42}', call: "execute", expect: failure(500, /42/) },
  { responder: "detailNull", serverDoes: '500 {"detail":null}', call: "execute", expect: failure(500, /detail/) },
  { responder: "detailNestedObject", serverDoes: '500 {"detail":{…no code or message…}}', call: "execute", expect: failure(500, /boom/) },
  { responder: "errorKeyNoDetail", serverDoes: '500 {"error":"…"}', call: "execute", expect: failure(500, /upstream model timed out/) },
  { responder: "messageAndCodeNoDetail", serverDoes: '503 {"message","code"}', call: "execute", expect: failure(503, /maintenance/, "MAINTENANCE") },
  { responder: "jsonArrayBody", serverDoes: "500 with a JSON array", call: "execute", expect: failure(500, /\[1,2,3\]/) },
  { responder: "jsonStringBody", serverDoes: "500 with a JSON string", call: "execute", expect: failure(500, /oops/) },
  { responder: "jsonNumberBody", serverDoes: "500 with a JSON number", call: "execute", expect: failure(500, /404/) },
  { responder: "plainText", serverDoes: "500 with plain text", call: "execute", expect: failure(500, /^HTTP 500: Internal Server Error$/) },
  { responder: "htmlPage", serverDoes: "502 with a proxy's HTML page", call: "execute", expect: failure(502, /^HTTP 502: HTML error page: 502 Bad Gateway$/) },
  { responder: "htmlWithoutTitle", serverDoes: "503 with an HTML page with no title", call: "execute", expect: failure(503, /HTML error page \(HTTP 503\)/) },
  { responder: "emptyBody", serverDoes: "500 with an empty body", call: "execute", expect: failure(500, /empty response body \(HTTP 500\)/) },
  { responder: "whitespaceBody", serverDoes: "500 with only whitespace", call: "execute", expect: failure(500, /empty response body/) },
  { responder: "statusOutOfRange", serverDoes: "answers HTTP 999", call: "execute", expect: failure(999, /HTTP 999/) },
  {
    responder: "notJsonOnSuccess",
    serverDoes: "200 with an HTML page",
    call: "execute",
    expect: failure(200, /HTTP 200 but a body that is not JSON/, "INVALID_RESPONSE"),
  },
  { responder: "successNotAnObject", serverDoes: "200 with []", call: "execute", expect: failure(200, /cannot be read: it has no status/, "INVALID_RESPONSE") },
  {
    responder: "successMissingFields",
    serverDoes: '200 {"status":"completed"} and nothing else',
    call: "execute",
    expect: {
      value: (value) => ((value as ExecuteResult).status === "completed" && (value as ExecuteResult).result === null ? undefined : `got ${JSON.stringify(value)}`),
      says: "a completed result with a null result",
    },
  },
  {
    responder: "rateLimitUnreadableRetryAfter",
    serverDoes: "429 with Retry-After: soon",
    call: "execute",
    expect: { ...failure(429, /slow down/, "RATE_LIMITED"), check: (e) => (e["retryAfter"] === undefined ? undefined : `retryAfter is ${JSON.stringify(e["retryAfter"])}`) },
  },
  { responder: "rateLimitNegativeRetryAfter", serverDoes: "429 with Retry-After: -5", call: "execute", expect: { ...failure(429, /slow down/), check: retryAfterIsANumberOrNothing } },
  {
    responder: "rateLimitHugeRetryAfter",
    serverDoes: "429 with Retry-After: 99999999999 (the client may retry once, within a 5 s timeout)",
    call: "execute",
    maxRetries: 1,
    requests: 1,
    expect: { ...failure(429, /slow down/), check: retryAfterIsANumberOrNothing },
  },
  {
    responder: "fiftyMegabyteError",
    serverDoes: "500 with a 50 MB body",
    call: "execute",
    boundedMemory: true,
    expect: failure(500, /^HTTP 500: E+…$/),
  },
  {
    responder: "fiftyMegabyteStreamError",
    serverDoes: "500 with a 50 MB body, to a stream request",
    call: "events",
    boundedMemory: true,
    expect: failure(500, /^HTTP 500: E+…$/),
  },
  {
    responder: "largeNotJsonSuccess",
    serverDoes: "200 with a 20 MB body that is not JSON (a success under the size cap is read whole)",
    call: "execute",
    expect: failure(200, /not JSON/, "INVALID_RESPONSE"),
  },
];
