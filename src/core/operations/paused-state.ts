import { ValueError } from "../errors.js";
import type { FlowRef } from "../flow-ref.js";
import { describe } from "../identifiers.js";
import type { ExecuteOptions } from "../options.js";
import type { PausedState, ResumeRequest } from "../types.js";
import { versionSegment } from "../versions.js";
import { flowName } from "./context.js";
import type { PausedWire } from "./execute-response.js";

/** The parts of a call's options that every resume of it repeats. */
export function resumeRequestOf(options: ExecuteOptions): ResumeRequest {
  const request: ResumeRequest = { version: options.version ?? "production", trace: options.trace ?? false };
  if (options.parameters !== undefined) request.parameters = options.parameters;
  if (options.blockOverrides !== undefined) request.blockOverrides = options.blockOverrides;
  if (options.attachments !== undefined) request.attachments = options.attachments;
  if (options.tools !== undefined) request.tools = options.tools;
  if (options.toolChoice !== undefined) request.toolChoice = options.toolChoice;
  return request;
}

export function pausedState(flow: FlowRef, wire: PausedWire, request: ResumeRequest, sessionId: string | undefined): PausedState {
  const state: PausedState = { ...wire, flow: flowName(flow), request };
  if (sessionId !== undefined) state.sessionId = sessionId;
  return state;
}

/**
 * A paused state may come back from JSON written by another process, so its
 * shape is checked before it is trusted to build a request.
 */
export function checkPausedState(value: unknown, flow: FlowRef): PausedState {
  const where = "resume(state)";
  if (typeof value !== "object" || value === null) throw new TypeError(`${where} needs a paused result or its JSON, got ${describe(value)}.`);
  const state: Partial<Record<keyof PausedState, unknown>> = value;
  const need = (key: keyof PausedState, ok: boolean, what: string): void => {
    if (!ok) throw new ValueError(`${where}: "${key}" must be ${what}, got ${describe(state[key])}.`);
  };
  need("status", state.status === "tool_calls_required", '"tool_calls_required"');
  need("executionId", typeof state.executionId === "string" && state.executionId !== "", "the paused execution id");
  need("pausedAtStep", typeof state.pausedAtStep === "string", "a step id");
  need("iterationsUsed", typeof state.iterationsUsed === "number", "a number");
  need("toolCallMessages", Array.isArray(state.toolCallMessages), "an array");
  need("toolCalls", Array.isArray(state.toolCalls), "an array");
  const outputs = state.accumulatedOutputs;
  need("accumulatedOutputs", typeof outputs === "object" && outputs !== null && !Array.isArray(outputs), "an object");
  const request = state.request;
  need("request", typeof request === "object" && request !== null, "the original call's settings");
  versionSegment((request as { version?: unknown }).version);
  if (state.flow !== undefined && state.flow !== flowName(flow)) {
    throw new ValueError(`${where}: this state belongs to flow ${describe(state.flow)}, not "${flowName(flow)}".`);
  }
  return value as PausedState;
}
