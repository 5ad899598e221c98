import type { HttpRequest } from "../../core/effects.js";
import type { APIConnectionError } from "../../core/errors.js";

/**
 * A browser's or an edge runtime's `fetch` parses HTTP itself and reports a
 * malformed answer as a failed fetch, with none of Node's parser codes
 * (`HPE_*`, undici's): there is nothing to tell apart here, and the failure
 * is the connection error it reports.
 */
export function malformedAnswer(_request: HttpRequest, _code: string, _cause: unknown): APIConnectionError | undefined {
  return undefined;
}
