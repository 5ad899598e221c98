import { createHash } from "node:crypto";
import { MAX_RECORDED_BYTES, unkeptAnswer, type RecordedResponse } from "../state/idempotency-store.js";
import type { Caller } from "./auth.js";
import type { AppContext } from "./context.js";
import { HttpError } from "./http-error.js";
import type { AppRequest, AppResponse } from "./http-types.js";
import type { ByteSink } from "../byte-sink.js";
import { errorResponse } from "./respond.js";
import type { FlowPath, VersionSegment } from "./router.js";

/**
 * `Idempotency-Key` on a POST: the first request with a key runs and its answer
 * is recorded (status, body, and for /step the stream); a repeat with the same
 * body gets that answer (waiting for it if the first is still running) and
 * never runs the flow again; the same key with another body is 422.
 * Transient answers (402, 429, 5xx, interrupted streams) are not recorded.
 * Without a key, `run`'s answer is returned as it comes (a value, a promise, or a throw).
 */
export function withIdempotency(
  ctx: AppContext,
  request: AppRequest,
  caller: Caller,
  route: RunRoute,
  body: unknown,
  run: () => AppResponse | Promise<AppResponse>,
): AppResponse | Promise<AppResponse> {
  const key = request.header("idempotency-key");
  // Without a key, the work's own answer (or throw), with no promise of its own.
  if (key === undefined || key === "") return run();
  return idempotent(ctx, caller, route, key, body, run);
}

async function idempotent(ctx: AppContext, caller: Caller, route: RunRoute, key: string, body: unknown, run: () => AppResponse | Promise<AppResponse>): Promise<AppResponse> {
  const scope = scopeOf(caller, route, key);
  const fingerprint = createHash("sha256").update(canonicalJson(body)).digest("base64");
  for (;;) {
    const claim = ctx.idempotency.claim(scope, fingerprint);
    if (claim.kind === "conflict") {
      throw new HttpError(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was already used with a different request body");
    }
    if (claim.kind === "repeat") {
      const recorded = await claim.response;
      if (!recorded) continue;
      ctx.stats.idempotentReplays += 1;
      return replay(recorded);
    }
    let response: AppResponse;
    try {
      response = await run();
    } catch (error) {
      if (!(error instanceof HttpError)) {
        claim.settle(undefined);
        throw error;
      }
      response = errorResponse(error);
    }
    return record(ctx, response, claim.settle);
  }
}

/** The POST routes a key applies to: which action, on which flow and version. */
export interface RunRoute {
  kind: "execute" | "step" | "jobs";
  flow: FlowPath;
  version: VersionSegment;
}

/**
 * A key is scoped to the key holder and the route as the router decoded it,
 * not to the raw path: `/slow/execute` and `/%73low/execute` are one route.
 */
function scopeOf(caller: Caller, route: RunRoute, key: string): string {
  const { org, project, slug } = route.flow;
  // Hashed: a key may be kilobytes long, and only its identity needs keeping.
  return createHash("sha256").update(JSON.stringify([caller.keyId, route.kind, org, project, slug, route.version ?? null, key])).digest("base64");
}

function record(ctx: AppContext, response: AppResponse, settle: (recorded: RecordedResponse | undefined) => void): AppResponse {
  const { status, headers, body } = response;
  if (status === 402 || status === 429 || status >= 500 || response.reset) {
    settle(undefined);
    return response;
  }
  if (typeof body !== "function") {
    settle({ status, headers: { ...headers }, body: { kind: "json", text: body ?? "" } });
    return response;
  }
  // The stream is kept as it is sent, within the store's budget and the size a record may have;
  // past either, recording stops and a repeat gets a refusal that says so.
  const chunks: string[] = [];
  let kept = 0;
  let overflow = false;
  const keep = (chunk: string) => {
    if (overflow) return;
    if (kept + chunk.length <= MAX_RECORDED_BYTES && ctx.idempotency.reserve(chunk.length)) {
      kept += chunk.length;
      chunks.push(chunk);
      return;
    }
    overflow = true;
    chunks.length = 0;
  };
  const recording = async (sink: ByteSink) => {
    let complete = false;
    try {
      await body({
        write: (chunk) => {
          keep(chunk);
          return sink.write(chunk);
        },
        drain: () => sink.drain(),
        end: () => {
          complete = !sink.closed;
          sink.end();
        },
        destroy: () => sink.destroy(),
        get closed() {
          return sink.closed;
        },
        onClose: (listener) => sink.onClose(listener),
      });
    } finally {
      ctx.idempotency.release(kept);
      settle(complete ? (overflow ? unkeptAnswer(status) : { status, headers: { ...headers }, body: { kind: "sse", chunks } }) : undefined);
    }
  };
  return { ...response, body: recording };
}

function replay(recorded: RecordedResponse): AppResponse {
  const headers = { ...recorded.headers, "idempotent-replayed": "true" };
  if (recorded.body.kind === "json") return { status: recorded.status, headers, body: recorded.body.text };
  const chunks = recorded.body.chunks;
  return {
    status: recorded.status,
    headers,
    body: async (sink) => {
      for (const chunk of chunks) if (!sink.write(chunk)) await sink.drain();
      sink.end();
    },
  };
}

/** JSON with object keys sorted, so key order and spacing do not change a request's identity. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
