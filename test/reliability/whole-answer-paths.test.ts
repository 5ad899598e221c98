import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ERROR_BODY_BYTES } from "../../src/core/config.js";
import type { HttpRequest, HttpResponse } from "../../src/core/effects.js";
import { Cancellation } from "../../src/drivers/cancellation.js";
import { fetchOverNodeHttp } from "../../src/drivers/transport/node-http-calls.js";
import { NodeHttpStreams } from "../../src/drivers/transport/node-http-streams.js";
import { UndiciCalls } from "../../src/drivers/transport/undici-calls.js";
import { answerName, HOSTILE_ANSWERS } from "./hostile/catalogue.js";
import { describeError } from "./support/outcome.js";
import { RawServer } from "./support/raw-server.js";

/**
 * On Node a whole answer goes through undici, or through `node:http` while
 * undici is still loading (a program's first calls). Both paths must keep
 * the same contract whatever the server does: every answer of the hostile
 * catalogue that an execute meets is sent through each, and what the caller
 * would be given must match: the same status and text, or the same error
 * class, code and message. Only what each stack's own parser or socket says
 * may differ: the code and reason of a malformed answer, and the name of a
 * cut connection.
 */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** The two parsers' codes for an answer that is not HTTP. */
const MALFORMED = /^(HPE_[A-Z_]+|UND_ERR_HEADERS_OVERFLOW|UND_ERR_RES_CONTENT_LENGTH_MISMATCH)$/;
/** The two stacks' names for a connection the server cut. */
const CUT = /^(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/;

/**
 * Where the two parsers read the same bytes apart, each way being safe.
 * `node:http`'s parser refuses a folded header line; undici's takes the fold
 * as a space (RFC 9112 §5.2 allows both).
 */
const PARSERS_DIFFER: Record<string, { nodeHttp: Record<string, unknown> }> = {
  foldedHeader: { nodeHttp: { errorClass: "APIConnectionError", code: "(malformed)", message: "POST /seq/acme/support/triage/execute got a malformed response: (the parser's reason)" } },
};

let server: RawServer;

beforeAll(async () => {
  server = await RawServer.start(new URL("../helpers/responders/hostile.ts", import.meta.url));
});
afterAll(async () => {
  await server.close();
});

const request: HttpRequest = {
  method: "POST",
  path: "/seq/acme/support/triage/execute",
  headers: { authorization: "Bearer nk_reliability_paths", "content-type": "application/json", accept: "application/json" },
  body: '{"message":"hello","trace":false}',
};

/** What a caller of the transport is given, in comparable form. */
async function outcomeOf(send: () => Promise<HttpResponse>): Promise<Record<string, unknown>> {
  try {
    const response = await send();
    return { status: response.status, text: response.text.slice(0, 2_000), length: response.text.length };
  } catch (error) {
    const { errorClass, code = "", message = "" } = describeError(error);
    if (MALFORMED.test(code)) return { errorClass, code: "(malformed)", message: message.replace(/malformed response: .*$/, "malformed response: (the parser's reason)") };
    if (CUT.test(code)) return { errorClass, code: "(connection cut)", message: message.replace(`(${code})`, "(connection cut)") };
    return { errorClass, code, message };
  }
}

const executeAnswers = HOSTILE_ANSWERS.filter((answer) => answer.call === "execute");

describe("undici and node:http give a whole answer the same way", () => {
  it.each(executeAnswers.map((answer) => [answerName(answer), answer] as const))("%s", async (_name, answer) => {
    const options = () => ({ timeoutMs: answer.timeoutMs ?? 5_000, cancel: new Cancellation(), maxBodyBytes: MAX_BODY_BYTES, maxErrorBytes: MAX_ERROR_BODY_BYTES });
    // Fresh connections for each path: the raw server ends a connection however the answer calls for.
    const baseUrl = new URL(server.baseUrl);
    const calls = new UndiciCalls(baseUrl, 100);
    const streams = new NodeHttpStreams(baseUrl);
    try {
      await calls.warm();
      expect(calls.ready()).toBe(true);
      await server.respond(answer.responder);
      const viaUndici = await outcomeOf(() => calls.fetch(request, options()));
      await server.respond(answer.responder);
      const viaNodeHttp = await outcomeOf(() => fetchOverNodeHttp(streams, request, options()));
      expect(viaNodeHttp).toEqual(PARSERS_DIFFER[answer.responder]?.nodeHttp ?? viaUndici);
    } finally {
      calls.close();
      streams.close();
    }
  });
});
