import { AsyncNoukai } from "../index.js";
import { callJson, type JsonResponse } from "../core/exchange.js";

/**
 * The client the command line calls with: `AsyncNoukai`, plus the one route
 * only a local server has (`GET /api/v1/local/flows`). That GET goes through
 * the client's own exchange, so its answer is held to the same rules as every
 * other call's: the size cap (RESPONSE_TOO_LARGE), the depth limit, a body
 * that is not JSON refused as INVALID_RESPONSE, the timeout, redirects named,
 * retries, and the key masked wherever the server echoes it.
 */
export class CliClient extends AsyncNoukai {
  /** The local server's flow listing, as it answered (its shape is the caller's to check). */
  localFlows(options: { signal: AbortSignal; timeoutMs?: number | undefined }): Promise<JsonResponse> {
    return this.driver.value(
      () => ({ op: callJson(this.config, { method: "GET", path: "/local/flows", timeoutMs: options.timeoutMs ?? this.config.timeoutMs, missing: "route" }), signal: options.signal }),
      (response) => response,
    );
  }
}
