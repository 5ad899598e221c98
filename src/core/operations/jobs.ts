import { invalidResponse } from "../client-errors.js";
import type { Op } from "../effects.js";
import { callJson } from "../exchange.js";
import { APITimeoutError, FlowNotFoundError } from "../errors.js";
import { identifierSegment } from "../identifiers.js";
import { isJsonObject } from "../json-object.js";
import type { CallHooks } from "../middleware.js";
import { asCall, callHooks } from "../middleware-chain.js";
import type { CallOptions, ExecuteAsyncOptions, WaitOptions } from "../options.js";
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
export function* submitJob(context: FlowContext, options: ExecuteAsyncOptions): Op<JobAccepted> {
  const hooks = callHooks(context.config, "executeAsync", context.flow, options.replayKey);
  return yield* asCall(hooks, submitCall(context, options, hooks));
}

function* submitCall(context: FlowContext, options: ExecuteAsyncOptions, hooks: CallHooks | undefined): Op<JobAccepted> {
  const body = pick(options, SUBMIT_KEYS);
  body["trace"] = options.trace ?? false;
  const response = yield* callJson(context.config, {
    hooks,
    method: "POST",
    path: `${context.flow.basePath}${versionSegment(options.version)}/jobs`,
    body,
    sessionId: sessionOf(context, options),
    idempotent: true,
    timeoutMs: timeoutOf(context, options),
  });
  const accepted = fieldsOf(response.data);
  const { executionId, status, flowId, blockCount } = accepted ?? {};
  if (typeof executionId !== "string" || executionId === "") throw invalidResponse("the job submission", "it has no executionId", response);
  return {
    executionId,
    status: typeof status === "string" ? status : "pending",
    flowId: typeof flowId === "string" ? flowId : "",
    blockCount: typeof blockCount === "number" ? blockCount : 0,
  };
}

/** `GET …/jobs/{id}` once. */
export function* pollJob(context: FlowContext, job: JobRef, options: CallOptions): Op<JobStatus> {
  const hooks = callHooks(context.config, "poll", context.flow);
  return yield* asCall(hooks, pollOnce(context, job, options, hooks));
}

/** One poll, of a `poll()` call or of a `wait()`. */
function* pollOnce(context: FlowContext, job: JobRef, options: CallOptions, hooks: CallHooks | undefined): Op<JobStatus> {
  try {
    const response = yield* callJson(context.config, {
      hooks,
      method: "GET",
      path: `${context.flow.basePath}/jobs/${identifierSegment(job.executionId, "executionId")}`,
      timeoutMs: timeoutOf(context, options),
      executionId: job.executionId,
      missing: "run",
    });
    const fields = fieldsOf(response.data);
    const status = fields?.["status"];
    if (fields === undefined || typeof status !== "string") throw invalidResponse("the job poll", "it has no status", response, job.executionId);
    const executionId = typeof fields["executionId"] === "string" ? fields["executionId"] : job.executionId;
    return { ...fields, executionId, status };
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
export function* waitJob(context: FlowContext, job: JobRef, options: WaitOptions): Op<JobStatus> {
  const hooks = callHooks(context.config, "wait", context.flow);
  return yield* asCall(hooks, waitCall(context, job, options, hooks));
}

function* waitCall(context: FlowContext, job: JobRef, options: WaitOptions, hooks: CallHooks | undefined): Op<JobStatus> {
  const timeout = options.timeout ?? DEFAULT_WAIT_TIMEOUT_MS;
  const interval = options.pollInterval ?? DEFAULT_POLL_INTERVAL_MS;
  const deadline = context.config.now() + timeout;
  for (;;) {
    const left = deadline - context.config.now();
    if (left <= 0) throw notDone(job, timeout);
    let status: JobStatus;
    try {
      status = yield* pollOnce(context, job, { timeout: Math.min(context.config.timeoutMs, left) }, hooks);
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

/** A JSON object's fields, or undefined for anything else. */
function fieldsOf(data: unknown): Record<string, unknown> | undefined {
  return isJsonObject(data) ? data : undefined;
}
