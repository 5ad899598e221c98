import type { APIConnectionError } from "./errors.js";

/**
 * Connection errors that happened before any byte of a response arrived: the
 * request may be retried (every POST that runs a flow carries an idempotency
 * key). Drivers mark the errors they create; the mark is not part of the
 * public error surface.
 */
const failedBeforeResponse = new WeakSet<object>();

export function markFailedBeforeResponse<E extends APIConnectionError>(error: E): E {
  failedBeforeResponse.add(error);
  return error;
}

export function didFailBeforeResponse(error: unknown): boolean {
  return typeof error === "object" && error !== null && failedBeforeResponse.has(error);
}
