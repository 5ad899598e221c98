import { lastUserText } from "../engine/messages.js";
import { offeredNames, readToolChoice } from "../engine/tool-choice.js";
import { Execution, type ExecutionInput, type TriggerType } from "../engine/execution.js";
import { flowKey } from "../flows/flow-key.js";
import type { ResolvedFlow } from "../flows/registry.js";
import { jsonBytes } from "../json/json-size.js";
import type { AppContext } from "./context.js";
import { HttpError, notFound } from "./http-error.js";
import type { AppRequest } from "./http-types.js";
import type { BodyLimits } from "./read-json-body.js";
import { quoted } from "./message-text.js";
import { newRunId } from "./run-id.js";
import type { RunBody } from "./run-body.js";
import { keepTraceparent } from "./run-traceparent.js";
import type { FlowPath, VersionSegment } from "./router.js";

/** The flow and version a POST names: 404 FLOW_NOT_FOUND / VERSION_NOT_FOUND. */
export function resolveFlow(ctx: AppContext, flow: FlowPath, version: VersionSegment): ResolvedFlow {
  const found = version === undefined ? ctx.registry.resolveDefault(flow) : ctx.registry.resolve(flow.org, flow.project, flow.slug, { kind: "number", value: version });
  if (found.found) return found.flow;
  const name = flowKey(flow);
  if (found.reason === "flow") throw notFound("FLOW_NOT_FOUND", `flow ${name} not found`);
  throw notFound("VERSION_NOT_FOUND", `flow ${name} has no published version ${String(version)}`);
}

/** A run of this flow path by id, if still kept; runs of other flows are invisible here. */
export function findRun(ctx: AppContext, flow: FlowPath, executionId: string): Execution | undefined {
  const run = ctx.runs.get(executionId);
  if (!run) return undefined;
  const def = run.flow.definition;
  return def.org === flow.org && def.project === flow.project && def.slug === flow.slug ? run : undefined;
}

export function sessionIdOf(request: AppRequest): string | undefined {
  const value = request.header("x-session-id")?.trim();
  return value === undefined || value === "" ? undefined : value.slice(0, 200);
}

/** Checks a fresh call's input: exactly one of message/messages, tools only for tool-calling flows. */
export function checkFreshInput(flow: ResolvedFlow, body: RunBody): void {
  if (body.message !== undefined && body.messages !== undefined) {
    throw new HttpError(400, "BAD_REQUEST", 'send either "message" or "messages", not both');
  }
  if (body.message === undefined && body.messages === undefined) {
    throw new HttpError(400, "MISSING_MESSAGE", 'a fresh call needs "message" (a string) or "messages" (an array)');
  }
  checkTools(flow, body);
}

export function checkTools(flow: ResolvedFlow, body: RunBody): void {
  if (body.tools && body.tools.length > 0 && !flow.steps.some((step) => step.tools)) {
    throw new HttpError(400, "TOOLS_NOT_ENABLED", `flow ${flowKey(flow.definition)} has no tool-calling step, so "tools" cannot be used with it`);
  }
  // A model API refuses to be forced to call a function it was not given; a resume without tools keeps the run's.
  const choice = readToolChoice(body.toolChoice);
  if (choice?.kind === "function" && (body.tools !== undefined || body.executionId === undefined) && !offeredNames(body.tools ?? null).includes(choice.name)) {
    throw new HttpError(400, "TOOLS_INVALID", `toolChoice names the function ${quoted(choice.name)}, which is not among the offered tools`);
  }
}

/** 402 before anything runs when the org's credits are spent. */
export function requireCredits(ctx: AppContext, org: string): void {
  if (!ctx.ledger.canRun(org)) {
    throw new HttpError(402, "INSUFFICIENT_CREDITS", `org "${org}" has no credits left (balance ${ctx.ledger.balance(org) ?? "0"} USD)`);
  }
}

/**
 * A new run, held for the request that creates it (release it with
 * `releaseRun` when that work ends). 503 SERVER_BUSY when the runs in flight
 * leave no room for it in the server's memory for runs.
 */
export function createRun(ctx: AppContext, flow: ResolvedFlow, trigger: TriggerType, body: RunBody, sessionId: string | undefined, traceparent?: string): Execution {
  const input: ExecutionInput = {
    message: body.message ?? (body.messages ? lastUserText(body.messages) : null),
    messages: body.messages ?? null,
    parameters: body.parameters,
    inputOverrides: body.inputOverrides,
    blockOverrides: body.blockOverrides,
    tools: body.tools ?? null,
    toolChoice: body.toolChoice,
    trace: body.trace,
  };
  const run = new Execution({
    id: newRunId(),
    flow,
    trigger,
    sessionId,
    org: flow.definition.org,
    input,
    now: ctx.now(),
    eventLimit: ctx.config.maxEventsPerRun,
    inputBytes: inputBytes(input),
  });
  if (!ctx.runs.add(run)) {
    throw new HttpError(503, "SERVER_BUSY", "the runs in flight hold all of the server's memory for runs (maxRunBytes); retry shortly", { "retry-after": "1" });
  }
  keepTraceparent(run, traceparent);
  if (sessionId !== undefined) ctx.sessions.add(sessionId, run.id);
  ctx.stats.executionsStarted += 1;
  ctx.persistence.saveRun(run);
  return run;
}

/** What a run keeps of its request, as bytes of JSON. */
function inputBytes(input: ExecutionInput): number {
  return (
    jsonBytes(input.message) +
    jsonBytes(input.messages) +
    jsonBytes(input.parameters) +
    jsonBytes(input.inputOverrides) +
    jsonBytes(input.blockOverrides) +
    jsonBytes(input.tools) +
    jsonBytes(input.toolChoice)
  );
}

/** A request starts working on a kept run (a resume, the next /step). */
export function holdRun(ctx: AppContext, run: Execution): void {
  run.busy = true;
  ctx.runs.hold(run);
}

/** The work on a run ended: it is weighed as it is now, and may leave the store like any kept run. */
export function releaseRun(ctx: AppContext, run: Execution): void {
  run.busy = false;
  ctx.runs.release(run);
  // Written a turn of the event loop later, so what the caller does to the run next (a job's end) is in it too.
  if (ctx.persistence.active && ctx.runs.peek(run.id) === run) ctx.persistence.saveRun(run);
}

/** How much a run route's body may re-send of the run's outputs, beyond the caller's own 1 MiB. */
export function runBodyLimits(ctx: AppContext, resends: boolean): BodyLimits {
  return { budget: ctx.bodies, resentOutputBytes: resends ? ctx.config.maxRunOutputBytes : 0 };
}

/** Later calls of a run re-send tools and overrides; the latest values apply (and are weighed as kept). */
export function updateCallInput(run: Execution, body: RunBody): void {
  const replaced = (body.tools ? jsonBytes(body.tools) : 0) + (body.toolChoice !== undefined ? jsonBytes(body.toolChoice) : 0);
  const overrides = (Object.keys(body.blockOverrides).length > 0 ? jsonBytes(body.blockOverrides) : 0) + (Object.keys(body.inputOverrides).length > 0 ? jsonBytes(body.inputOverrides) : 0);
  run.retain(replaced + overrides);
  run.input = {
    ...run.input,
    tools: body.tools ?? run.input.tools,
    toolChoice: body.toolChoice ?? run.input.toolChoice,
    blockOverrides: Object.keys(body.blockOverrides).length > 0 ? body.blockOverrides : run.input.blockOverrides,
    inputOverrides: Object.keys(body.inputOverrides).length > 0 ? body.inputOverrides : run.input.inputOverrides,
  };
}

/** Charges a finished run's cost to its org, once. */
export function billIfFinished(ctx: AppContext, run: Execution): void {
  if (run.finished && !run.billed) {
    run.billed = true;
    ctx.ledger.charge(run.org, run.costPico);
  }
}
