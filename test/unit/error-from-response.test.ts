import { describe, expect, it } from "vitest";
import { errorFromResponse } from "../../src/core/error-from-response.js";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FlowExecutionError,
  FlowNotFoundError,
  InsufficientCreditsError,
  InternalServerError,
  NoukaiError,
  PermissionDeniedError,
  RateLimitError,
  RunNotFoundError,
  StepNotFoundError,
  UnprocessableEntityError,
  VersionNotFoundError,
} from "../../src/core/errors.js";

const now = Date.UTC(2026, 10, 29);
const fail = (status: number, text: string, headers: Record<string, string> = {}) =>
  errorFromResponse({ status, headers: { "x-request-id": "req_9", ...headers }, text }, now);

describe("errorFromResponse", () => {
  it("picks the class from the status", () => {
    const detail = JSON.stringify({ detail: { code: "C", message: "m" } });
    expect(fail(401, detail)).toBeInstanceOf(AuthenticationError);
    expect(fail(402, detail)).toBeInstanceOf(InsufficientCreditsError);
    expect(fail(403, detail)).toBeInstanceOf(PermissionDeniedError);
    expect(fail(404, detail)).toBeInstanceOf(FlowNotFoundError);
    expect(fail(429, detail)).toBeInstanceOf(RateLimitError);
    for (const status of [400, 405, 408, 409, 410, 413, 422, 500, 502, 503]) {
      expect(fail(status, detail)).toBeInstanceOf(FlowExecutionError);
    }
    expect(fail(500, detail)).toBeInstanceOf(NoukaiError);
  });

  it("gives 400, 409, 422 and 5xx their own classes, each still the FlowExecutionError the official client raises", () => {
    const detail = JSON.stringify({ detail: { code: "C", message: "m" } });
    const cases: [number, abstract new (...args: never[]) => FlowExecutionError][] = [
      [400, BadRequestError],
      [409, ConflictError],
      [422, UnprocessableEntityError],
      [500, InternalServerError],
      [502, InternalServerError],
      [503, InternalServerError],
    ];
    for (const [status, kind] of cases) {
      const error = fail(status, detail);
      expect(error).toBeInstanceOf(kind);
      expect(error).toBeInstanceOf(FlowExecutionError);
      expect(error.name).toBe(kind.name);
    }
    for (const status of [405, 408, 410, 413]) expect(fail(status, detail).constructor).toBe(FlowExecutionError);
  });

  it("says what a 404 misses: from the server's code, else from the request, else the flow", () => {
    const notFound = (code: string | undefined, missing?: "run" | "step") =>
      errorFromResponse({ status: 404, headers: {}, text: JSON.stringify({ detail: { code, message: "gone" } }), missing }, now);
    expect(notFound("FLOW_NOT_FOUND")).toMatchObject({ name: "FlowNotFoundError", resource: "flow" });
    expect(notFound("VERSION_NOT_FOUND")).toBeInstanceOf(VersionNotFoundError);
    expect(notFound("JOB_NOT_FOUND")).toBeInstanceOf(RunNotFoundError);
    expect(notFound("RUN_NOT_FOUND")).toMatchObject({ name: "RunNotFoundError", resource: "run" });
    expect(notFound("STEP_NOT_FOUND")).toBeInstanceOf(StepNotFoundError);
    expect(notFound("NOT_FOUND")).toMatchObject({ name: "FlowNotFoundError", resource: "route" });
    expect(notFound(undefined, "step")).toBeInstanceOf(StepNotFoundError);
    expect(notFound(undefined, "run")).toBeInstanceOf(RunNotFoundError);
    expect(notFound(undefined)).toMatchObject({ resource: "flow" });
    for (const code of ["VERSION_NOT_FOUND", "JOB_NOT_FOUND", "STEP_NOT_FOUND"]) expect(notFound(code)).toBeInstanceOf(FlowNotFoundError);
  });

  it("carries status, code, request id, headers and body", () => {
    const error = fail(404, JSON.stringify({ detail: { code: "FLOW_NOT_FOUND", message: "No flow a/b/c" } }));
    expect(error).toMatchObject({
      statusCode: 404,
      code: "FLOW_NOT_FOUND",
      requestId: "req_9",
      headers: { "x-request-id": "req_9" },
      responseBody: { detail: { code: "FLOW_NOT_FOUND", message: "No flow a/b/c" } },
      message: "HTTP 404 FLOW_NOT_FOUND: No flow a/b/c",
    });
  });

  it.each([
    [{ detail: { code: "C", message: "the message" } }, "HTTP 400 C: the message"],
    [{ detail: { code: "ONLY_CODE" } }, "HTTP 400: ONLY_CODE"],
    [{ detail: { message: "only message" } }, "HTTP 400: only message"],
    [{ detail: "plain text detail" }, "HTTP 400: plain text detail"],
    [{ detail: [{ loc: ["body", "message"], msg: "field required" }] }, "HTTP 400: body.message: field required"],
    [{ error: "other shape" }, "HTTP 400: other shape"],
    [{ unexpected: 1 }, 'HTTP 400: {"unexpected":1}'],
  ])("reads %j as words", (body, message) => {
    const error = fail(400, JSON.stringify(body));
    expect(error.message).toBe(message);
    expect(error.message).not.toContain("[object Object]");
  });

  it("reads plain text, HTML pages and empty bodies", () => {
    expect(fail(500, "Internal Server Error").message).toBe("HTTP 500: Internal Server Error");
    expect(fail(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>").message).toBe(
      "HTTP 502: HTML error page: 502 Bad Gateway",
    );
    expect(fail(503, "").message).toBe("HTTP 503: empty response body (HTTP 503)");
    expect(fail(500, "Internal Server Error").responseBody).toBe("Internal Server Error");
  });

  it("reads Retry-After as seconds, from a number or a date, never NaN", () => {
    expect((fail(429, "", { "retry-after": "7" }) as RateLimitError).retryAfter).toBe(7);
    const date = new Date(now + 30_000).toUTCString();
    expect((fail(429, "", { "retry-after": date }) as RateLimitError).retryAfter).toBe(30);
    expect((fail(429, "", { "retry-after": "garbage" }) as RateLimitError).retryAfter).toBeUndefined();
  });

  it("keeps WWW-Authenticate on authentication errors", () => {
    const error = fail(401, "{}", { "www-authenticate": 'Bearer error="invalid_token"' }) as AuthenticationError;
    expect(error.wwwAuthenticate).toBe('Bearer error="invalid_token"');
  });

  it("says so when the server redirects instead of answering", () => {
    const error = fail(302, "", { location: "https://elsewhere.example/x" });
    expect(error).toBeInstanceOf(FlowExecutionError);
    expect(error.code).toBe("UNEXPECTED_REDIRECT");
    expect(error.message).toContain("does not follow redirects");
  });
});
