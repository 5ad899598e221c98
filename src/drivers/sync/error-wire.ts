import { didFailBeforeResponse, markFailedBeforeResponse } from "../../core/connection-failure.js";
import { APIConnectionError, APITimeoutError, APIUserAbortError } from "../../core/errors.js";
import type { WireError } from "./protocol.js";

/** In the worker: a transport failure as plain data. */
export function toWireError(error: unknown): WireError {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : undefined;
  const kind = error instanceof APITimeoutError ? "timeout" : error instanceof APIUserAbortError ? "abort" : error instanceof APIConnectionError ? "connection" : "other";
  return { kind, message, code, beforeResponse: didFailBeforeResponse(error) };
}

/**
 * On the caller's thread: the same error class again, created here so that
 * its stack leads to the caller's line.
 */
export function fromWireError(wire: WireError): Error {
  switch (wire.kind) {
    case "timeout":
      return new APITimeoutError(wire.message, { code: wire.code });
    case "abort":
      return new APIUserAbortError(wire.message, { code: wire.code });
    case "connection": {
      const error = new APIConnectionError(wire.message, { code: wire.code });
      return wire.beforeResponse ? markFailedBeforeResponse(error) : error;
    }
    case "other":
      return new APIConnectionError(`The I/O worker failed: ${wire.message}`, { code: wire.code ?? "WORKER_ERROR" });
  }
}
