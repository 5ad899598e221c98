import type { ExecuteResult } from "noukai";
import type { HostileAnswer } from "./expectations.js";

/** The parser's own codes (`HPE_*`), or undici's for a response that breaks HTTP's length or size rules. */
const NOT_HTTP = /^(HPE_[A-Z_]+|UND_ERR_HEADERS_OVERFLOW|UND_ERR_RES_CONTENT_LENGTH_MISMATCH)$/;

const malformed = (code: RegExp): HostileAnswer["expect"] => ({
  error: "APIConnectionError",
  code,
  message: /malformed response/,
  says: "APIConnectionError naming the malformed response",
});

const redirect = (status: number, call: HostileAnswer["call"] = "execute"): HostileAnswer => ({
  responder: `redirect${status}`,
  serverDoes: `redirects (${status}) to another host${call === "execute" ? "" : `, on a ${call} request`}`,
  call,
  requests: 1,
  expect: { error: "FlowExecutionError", code: "UNEXPECTED_REDIRECT", message: /redirected to https:\/\/elsewhere\.example\/steal; the SDK does not follow redirects/, says: "FlowExecutionError UNEXPECTED_REDIRECT, not followed" },
});

const tooLarge: HostileAnswer["expect"] = {
  error: "APIConnectionError",
  code: "RESPONSE_TOO_LARGE",
  message: /larger than 33554432 bytes \(the client's maxResponseBytes\); it was abandoned/,
  says: "APIConnectionError RESPONSE_TOO_LARGE, memory flat",
};

/** Answers that break HTTP itself, or go on past any bound. */
export const HTTP_ANSWERS: HostileAnswer[] = [
  { responder: "endlessSuccess", serverDoes: "answers 200 with a body that never ends", call: "execute", boundedMemory: true, peakGrowthLimitMB: 64, expect: tooLarge },
  { responder: "fiftyMegabyteSuccess", serverDoes: "answers 200 with a 50 MB body, past the 32 MiB cap", call: "execute", boundedMemory: true, peakGrowthLimitMB: 64, expect: tooLarge },
  {
    responder: "drippedSuccess",
    serverDoes: "drips a 200 answer one byte every 50 ms (the call's timeout is 1 s)",
    call: "execute",
    timeoutMs: 1_000,
    maxMs: 2_500,
    expect: { error: "APITimeoutError", code: "TIMEOUT", message: /timed out after 1000 ms before the whole answer arrived/, says: "APITimeoutError after the call's timeout, though bytes kept arriving" },
  },
  { responder: "bareCrInHeader", serverDoes: "puts a bare CR inside a header value (header injection)", call: "execute", expect: malformed(/^HPE_/) },
  { responder: "crLfInLocation", serverDoes: "puts a CR inside a redirect's Location, smuggling a Set-Cookie", call: "execute", requests: 1, expect: malformed(/^HPE_/) },
  { responder: "bareLfLineEnds", serverDoes: "ends header lines with bare LF", call: "execute", expect: malformed(/^HPE_/) },
  // RFC 9112 §5.2 lets a client take a folded line as a space (undici: the header is read as one
  // value, the answer then goes on, and this one has no status) or refuse it (node:http, which
  // carries a client's calls until undici has loaded).
  {
    responder: "foldedHeader",
    serverDoes: "folds a header onto a continuation line",
    call: "execute",
    expect: {
      error: "FlowExecutionError",
      code: "INVALID_RESPONSE",
      message: /cannot be read: it has no status/,
      says: "the fold read as a space: FlowExecutionError INVALID_RESPONSE (the answer has no status), or refused as malformed",
      or: malformed(/^HPE_/),
    },
  },
  { responder: "headerWithoutColon", serverDoes: "sends a header line without a colon", call: "execute", expect: malformed(/^HPE_/) },
  { responder: "nulInHeader", serverDoes: "puts a NUL byte in a header value", call: "execute", expect: malformed(/^HPE_/) },
  { responder: "conflictingLengths", serverDoes: "sends two different Content-Lengths", call: "execute", expect: malformed(NOT_HTTP) },
  { responder: "lengthAndChunked", serverDoes: "sends Content-Length and chunked encoding together", call: "execute", expect: malformed(NOT_HTTP) },
  { responder: "notHttpAtAll", serverDoes: "answers with something that is not HTTP", call: "execute", expect: malformed(/^HPE_/) },
  { responder: "headerOverflow", serverDoes: "sends a 100 KB header", call: "execute", expect: malformed(NOT_HTTP) },
  {
    responder: "closesWithoutAnswer",
    serverDoes: "closes the connection without answering",
    call: "execute",
    expect: { error: "APIConnectionError", message: /failed before any response arrived/, says: "APIConnectionError" },
  },
  {
    responder: "bodyShorterThanLength",
    serverDoes: "closes after 10 of the 100 bytes its Content-Length announced",
    call: "execute",
    expect: { error: "APIConnectionError", message: /cut while the response was being read/, says: "APIConnectionError" },
  },
  {
    responder: "http10CloseDelimited",
    serverDoes: "answers HTTP/1.0 with a body that ends when the connection closes",
    call: "execute",
    expect: { value: (v) => ((v as ExecuteResult).result === "ok" ? undefined : `got ${JSON.stringify(v)}`), says: "the result" },
  },
  redirect(301),
  redirect(302),
  redirect(303),
  redirect(307),
  redirect(308),
  redirect(307, "events"),
  {
    responder: "redirectToLoopback",
    serverDoes: "redirects (307) to another port of this machine",
    call: "execute",
    requests: 1,
    expect: { error: "FlowExecutionError", code: "UNEXPECTED_REDIRECT", message: /does not follow redirects/, says: "FlowExecutionError UNEXPECTED_REDIRECT, not followed" },
  },
];
