import type { Op } from "../effects.js";
import { callJson, type JsonResponse } from "../exchange.js";
import { APITimeoutError, FlowExecutionError, FlowNotFoundError } from "../errors.js";
import { identifierSegment } from "../identifiers.js";
import type { JobAccepted, JobStatus } from "../types.js";
import { versionSegment } from "../versions.js";
import { type FlowContext, pick, sessionOf, timeoutOf } from "./context.js";

const SUBMIT_KEYS = ["message", "messages", "parameters", "blockOverrides"] as const;

/** Jobs the service has not indexed yet answer 404 for a moment after submission. */
export const JOB_NOT_FOUND_GRACE_MS = 5_000;
export const DEFAULT_WAIT_TIMEOUT_MS = 300_000;
export const DEFAULT_POLL_INTERVAL_MS = 2_000;

/** A job as a client holds it: which run, and until when a 404 still means "not indexed yet". */
export interface JobRef {
  executionId: string;
  /** Clock time until which a 404 counts as `pending`; 0 for re-attached jobs. */
  graceUntil: number;
}

/** `POST …/jobs`: queue a run. */
export function* submitJob(context: FlowContext, options: Record<string, unknown>): Op<JobAccepted> {
  const response = yield* callJson(context.config, {
    method: "POST",
    path: `${context.flow.basePath}${versionSegment(options["version"])}/jobs`,
    body: pick(options, SUBMIT_KEYS, { trace: (options["trace"]) ?? false }),
    sessionId: sessionOf(context, options),
    idempotent: true,
    timeoutMs: timeoutOf(context, options),
  });
  const body = response.data as Partial<JobAccepted> | null;
  if (typeof body !== "object" || body === null || typeof body.executionId !== "string" || body.executionId === "") {
    throw invalid(response, "the job was accepted without an executionId");
  }
  return {
    executionId: body.executionId,
    status: typeof body.status === "string" ? body.status : "pending",
    flowId: typeof body.flowId === "string" ? body.flowId : "",
    blockCount: typeof body.blockCount === "number" ? body.blockCount : 0,
  };
}

/** `GET …/jobs/{id}` once. */
export function* pollJob(context: FlowContext, job: JobRef, options: Record<string, unknown>): Op<JobStatus> {
  try {
    const response = yield* callJson(context.config, {
      method: "GET",
      path: `${context.flow.basePath}/jobs/${identifierSegment(job.executionId, "executionId")}`,
      timeoutMs: timeoutOf(context, options),
      executionId: job.executionId,
    });
    const body = response.data as Partial<JobStatus> | null;
    if (typeof body !== "object" || body === null || typeof body.status !== "string") {
      throw invalid(response, "the job status has no status");
    }
    return { ...body, executionId: body.executionId ?? job.executionId, status: body.status };
  } catch (error) {
    if (error instanceof FlowNotFoundError && context.config.now() < job.graceUntil) {
      return { executionId: job.executionId, status: "pending" };
    }
    throw error;
  }
}

/**
 * Polls until the job's status is final. Any status other than `pending` or
 * `running` is final (a `cancelled` job must not be polled until the
 * timeout). Each poll is bounded by the time left, so the wait never outlives
 * its `timeout`.
 */
export function* waitJob(context: FlowContext, job: JobRef, options: Record<string, unknown>): Op<JobStatus> {
  const timeout = (options["timeout"] as number | undefined) ?? DEFAULT_WAIT_TIMEOUT_MS;
  const interval = (options["pollInterval"] as number | undefined) ?? DEFAULT_POLL_INTERVAL_MS;
  const deadline = context.config.now() + timeout;
  for (;;) {
    const left = deadline - context.config.now();
    if (left <= 0) throw notDone(job, timeout);
    let status: JobStatus;
    try {
      status = yield* pollJob(context, job, { timeout: Math.min(context.config.timeoutMs, left) });
    } catch (error) {
      if (error instanceof APITimeoutError && context.config.now() >= deadline) throw notDone(job, timeout);
      throw error;
    }
    if (status.status !== "pending" && status.status !== "running") return status;
    const pause = Math.min(interval, deadline - context.config.now());
    if (pause <= 0) throw notDone(job, timeout);
    yield { op: "sleep", ms: pause };
  }
}

function notDone(job: JobRef, timeout: number): APITimeoutError {
  return new APITimeoutError(`Job ${job.executionId} did not finish within ${timeout} ms.`, {
    code: "JOB_WAIT_TIMEOUT",
    executionId: job.executionId,
  });
}

function invalid(response: JsonResponse, problem: string): FlowExecutionError {
  return new FlowExecutionError(`The server's answer cannot be read: ${problem}.`, {
    statusCode: response.status,
    code: "INVALID_RESPONSE",
    requestId: response.headers["x-request-id"],
    headers: response.headers,
    responseBody: response.data,
  });
}
