import { toolCallLimit } from "../../../core/client-errors.js";
import { APIConnectionError, FlowExecutionError, ValueError } from "../../../core/errors.js";
import { isJsonObject } from "../../../core/json-object.js";
import type { ResumeArgs, StepCompleted } from "../../../core/stream-events.js";
import { type ToolMessage, toToolMessages } from "../../../core/tool-results.js";
import type { ToolCall } from "../../../core/types.js";
import { checkPausedState, checkResumeOptions, checkRunOptions } from "./check-relay-options.js";
import { errorOfEvent } from "./relay-errors.js";
import { readRelayEvents } from "./relay-event-reader.js";
import { type RelayConnection, RelayRequest } from "./relay-request.js";
import type {
  RelayCallOptions,
  RelayEvent,
  RelayFlow,
  RelayPausedResult,
  RelayPausedState,
  RelayResult,
  RelayResumeOptions,
  RelayRunOptions,
  RelayToolCallsRequired,
  RelayToolOptions,
} from "./types.js";

const DEFAULT_MAX_TOOL_ROUNDS = 10;

type Outcome = RelayResult | RelayPausedResult;
type StreamPause = RelayPausedState & { stepId: string; stepIndex: number };

/**
 * A flow run through a relay, from the browser: no key, one URL. Tool
 * rounds are answered in the page and sent back with the relay's token; the
 * run's state stays sealed inside it.
 */
export class RelayFlowClient implements RelayFlow {
  readonly #connection: RelayConnection;

  constructor(connection: RelayConnection) {
    this.#connection = connection;
  }

  async execute(options: RelayRunOptions): Promise<Outcome> {
    checkRunOptions(options, "execute()");
    const outcome = await this.#whole(freshBody(options), options);
    return this.#answerRounds(outcome, options, 0);
  }

  async resume(state: RelayPausedState, options: RelayResumeOptions): Promise<Outcome> {
    checkPausedState(state, "resume(state)");
    checkResumeOptions(options, "resume()");
    const toolResults = toToolMessages(options.toolResults, state.toolCalls, "resume() toolResults");
    const outcome = await this.#whole({ token: state.token, toolResults }, options);
    return this.#answerRounds(outcome, options, 1);
  }

  steps(options: RelayRunOptions): AsyncIterableIterator<StepCompleted> {
    checkRunOptions(options, "steps()");
    return this.#stream(options, "steps") as AsyncIterableIterator<StepCompleted>;
  }

  events(options: RelayRunOptions): AsyncIterableIterator<RelayEvent> {
    checkRunOptions(options, "events()");
    return this.#stream(options, "events");
  }

  /** With a `toolHandler`, answers each pause until the run ends (or passes `maxToolRounds`); without, hands the pause over. */
  async #answerRounds(outcome: Outcome, options: RelayToolOptions & RelayCallOptions, roundsDone: number): Promise<Outcome> {
    let rounds = roundsDone;
    const max = options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS;
    while (outcome.requiresToolCalls && options.toolHandler !== undefined) {
      if (rounds >= max) throw toolCallLimit(max, undefined);
      rounds += 1;
      const toolResults = toToolMessages(await options.toolHandler(outcome.toolCalls), outcome.toolCalls, "toolHandler's result");
      outcome = await this.#whole({ token: outcome.token, toolResults }, options);
    }
    return outcome;
  }

  async #whole(body: unknown, options: RelayCallOptions): Promise<Outcome> {
    const { request, response } = await RelayRequest.send(this.#connection, body, { stream: false, signal: options.signal, timeoutMs: options.timeout });
    const text = await request.text(response);
    request.close();
    return this.#present(parseAnswer(text, response.headers.get("x-request-id") ?? undefined));
  }

  #present(answer: RelayResult | RelayPausedState): Outcome {
    if (answer.status !== "tool_calls_required") return answer;
    const paused = { ...answer };
    Object.defineProperties(paused, {
      requiresToolCalls: { value: true, enumerable: false },
      resume: { value: (next: RelayResumeOptions) => this.resume(answer, next), enumerable: false },
    });
    return paused as RelayPausedResult;
  }

  async *#stream(options: RelayRunOptions, mode: "steps" | "events"): AsyncGenerator<RelayEvent, void, undefined> {
    let body: unknown = freshBody(options);
    let rounds = 0;
    const max = options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS;
    for (;;) {
      const pause = yield* this.#segment(body, options, mode);
      if (pause === undefined) return;
      if (rounds >= max) throw toolCallLimit(max, undefined);
      rounds += 1;
      const toolResults = yield* answerPause(pause, options, mode);
      body = { token: pause.token, toolResults };
    }
  }

  /** One request's events; returns the pause that ended it, or undefined when the run ended. */
  async *#segment(body: unknown, options: RelayRunOptions, mode: "steps" | "events"): AsyncGenerator<RelayEvent, StreamPause | undefined, undefined> {
    const { request, response } = await RelayRequest.send(this.#connection, body, { stream: true, signal: options.signal, timeoutMs: options.timeout });
    try {
      for await (const frame of readRelayEvents(request, response)) {
        if (frame.name === "error") throw errorOfEvent(frame.data);
        if (frame.name === "tool_calls_required") return streamPauseOf(frame.data);
        const event = { ...frame.data, type: frame.name } as RelayEvent;
        if (event.type === "step_error" && mode === "steps") throw stepFailed(event.stepId, event.name, event.error);
        if (mode === "events" || event.type === "step_completed") yield event;
        if (event.type === "flow_completed" || event.type === "step_error") return undefined;
      }
    } finally {
      request.close();
    }
    throw new APIConnectionError("The relay's event stream ended before the run ended or paused.", { code: "STREAM_INCOMPLETE" });
  }
}

/** A stream's tool pause: answered by the handler, or handed to the caller to `resume` before the next event. */
async function* answerPause(pause: StreamPause, options: RelayRunOptions, mode: "steps" | "events"): AsyncGenerator<RelayEvent, ToolMessage[], undefined> {
  const calls = pause.toolCalls;
  const handler = options.toolHandler;
  const event = (resume: (args: ResumeArgs) => Promise<void>): RelayToolCallsRequired => ({ type: "tool_calls_required", stepId: pause.stepId, stepIndex: pause.stepIndex, toolCalls: calls, token: pause.token, expiresAt: pause.expiresAt, resume });
  if (handler !== undefined) {
    if (mode === "events") {
      yield event(async () => {
        throw new ValueError("This tool pause is answered by the toolHandler passed to events(); do not call resume().");
      });
    }
    return toToolMessages(await handler(calls), calls, "toolHandler's result");
  }
  if (mode === "steps") {
    const names = calls.map((call) => call.function?.name ?? call.id).join(", ");
    throw new FlowExecutionError(`The flow paused for tool calls (${names}), but steps() was called without a toolHandler. Pass toolHandler, or use events() and answer with event.resume({ toolResults }).`, { code: "TOOL_HANDLER_REQUIRED" });
  }
  let staged: ToolMessage[] | undefined;
  yield event(async (args) => {
    if (staged !== undefined) throw new ValueError("resume() was already called for this tool pause.");
    if (!isJsonObject(args)) throw new TypeError("resume() takes { toolResults }.");
    staged = toToolMessages(args.toolResults, calls, "resume() toolResults");
  });
  if (staged === undefined) {
    throw new ValueError("The flow is paused for tool calls: call event.resume({ toolResults }) on the tool_calls_required event before asking for the next event, or pass toolHandler to events().");
  }
  return staged;
}

function freshBody(options: RelayRunOptions): Record<string, unknown> {
  const body: Record<string, unknown> = options.message !== undefined ? { message: options.message } : { messages: options.messages };
  if (options.tools !== undefined) body["tools"] = options.tools;
  if (options.toolChoice !== undefined) body["toolChoice"] = options.toolChoice;
  return body;
}

function parseAnswer(text: string, requestId: string | undefined): RelayResult | RelayPausedState {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isJsonObject(body)) {
    if ((body["status"] === "completed" || body["status"] === "failed") && typeof body["flowId"] === "string") {
      const result: RelayResult = {
        status: body["status"],
        result: body["result"],
        executionId: typeof body["executionId"] === "string" ? body["executionId"] : undefined,
        flowId: body["flowId"],
        blockCount: typeof body["blockCount"] === "number" ? body["blockCount"] : 1,
        requiresToolCalls: false,
      };
      Object.defineProperty(result, "requiresToolCalls", { value: false, enumerable: false });
      return result;
    }
    if (body["status"] === "tool_calls_required") return pauseOf(body);
  }
  throw new FlowExecutionError("The relay's answer cannot be read: it is neither a result nor a tool pause.", { code: "INVALID_RESPONSE", requestId, responseBody: text.slice(0, 65_536) });
}

function pauseOf(data: Record<string, unknown>): RelayPausedState {
  const { token, toolCalls, expiresAt } = data;
  if (typeof token !== "string" || token === "" || !Array.isArray(toolCalls) || !toolCalls.every(isJsonObject)) {
    throw new FlowExecutionError("The relay sent a tool pause without its token or its calls.", { code: "INVALID_RESPONSE" });
  }
  return { status: "tool_calls_required", toolCalls: toolCalls as ToolCall[], token, expiresAt: typeof expiresAt === "string" ? expiresAt : "" };
}

/** A stream's pause also says which step paused. */
function streamPauseOf(data: Record<string, unknown>): StreamPause {
  return {
    ...pauseOf(data),
    stepId: typeof data["stepId"] === "string" ? data["stepId"] : "",
    stepIndex: typeof data["stepIndex"] === "number" ? data["stepIndex"] : 0,
  };
}

function stepFailed(stepId: string, name: string | undefined, error: { code?: string; message?: string } | null | undefined): FlowExecutionError {
  const reason = typeof error?.message === "string" ? error.message : "no reason given";
  return new FlowExecutionError(`Step "${name ?? stepId}" failed: ${reason}`, {
    code: typeof error?.code === "string" ? error.code : "STEP_FAILED",
    step: { stepId, name, error },
  });
}
