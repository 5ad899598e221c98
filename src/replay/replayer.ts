import type { CallInfo, MiddlewareAnswer, Operation, OutgoingRequest } from "../core/middleware.js";
import { ReplayMissError } from "../core/replay-errors.js";
import type { ExchangedCall, RecordedCall } from "./cassette.js";
import { ExecutionAnswers } from "./execution-answers.js";
import { type MatchMode, Matcher } from "./matcher.js";
import { executionIdOf, inputOf, startsRun } from "./request-facts.js";

type Answers = (request: OutgoingRequest) => MiddlewareAnswer;

/**
 * Answers every request of a replay scope from what was recorded: each live
 * call gets its recorded call once, at its first request, and its requests
 * are answered from it in turn. Nothing is ever sent: a request with no
 * recorded answer is a `ReplayMissError` naming the call.
 */
export class Replayer {
  readonly #matcher: Matcher;
  readonly #byCall = new Map<string, Answers>();
  /** Executions pulled from a session, by id: their state carries over from a call to the ones that concern it. */
  readonly #executions = new Map<string, ExecutionAnswers>();
  /** The recorded calls being answered, each where it stands. */
  readonly #cursors: Exchanges[] = [];

  constructor(calls: readonly RecordedCall[], mode: MatchMode) {
    this.#matcher = new Matcher(calls, mode);
    for (const call of calls) if ("execution" in call) this.#executions.set(call.execution.executionId, new ExecutionAnswers(call.execution));
  }

  answer(request: OutgoingRequest, info: CallInfo): MiddlewareAnswer {
    let answers = this.#byCall.get(info.id);
    if (answers === undefined) {
      answers = this.#answersFor(request, info);
      this.#byCall.set(info.id, answers);
    }
    return answers(request);
  }

  leftovers(): RecordedCall[] {
    return this.#matcher.leftovers();
  }

  #answersFor(request: OutgoingRequest, info: CallInfo): Answers {
    if (startsRun(info.operation)) return this.#answersOf(this.#matcher.claimStart(info, inputOf(request.body)), info.operation);
    const executionId = executionIdOf(request);
    if (executionId === undefined) throw new ReplayMissError(`Replay miss: ${info.operation}() names no execution to replay.`, { code: "REPLAY_MISS" });
    const recorded = this.#matcher.claimFor(info.operation, executionId);
    if (recorded !== undefined) return this.#answersOf(recorded, info.operation);
    // A resume() of a round a toolHandler answered when it was recorded: the rest of that call's exchanges answer it.
    const carried = info.operation === "resume" ? this.#carriedOn(executionId) : undefined;
    if (carried !== undefined) return (next) => carried.next() ?? carried.miss(next, info.operation);
    const execution = this.#executions.get(executionId);
    if (execution !== undefined) return (next) => concerning(execution, info.operation, next);
    throw new ReplayMissError(`Replay miss: ${info.operation}() of execution ${executionId} was not recorded, and the recording has no such execution to rebuild it from.`, {
      code: "REPLAY_MISS",
      executionId,
    });
  }

  #answersOf(call: RecordedCall, operation: Operation): Answers {
    if ("execution" in call) {
      const execution = this.#executions.get(call.execution.executionId) as ExecutionAnswers;
      return (next) => (startsRun(call.operation) ? started(execution, call.operation, next) : concerning(execution, operation, next));
    }
    let cursor = new Exchanges(call);
    this.#cursors.push(cursor);
    return (next) => {
      const answer = cursor.next();
      if (answer !== undefined) return answer;
      // A poll after the last recorded one reads the same final status again.
      const last = cursor.last();
      if ((operation === "poll" || operation === "wait") && last !== undefined) return last;
      // A toolHandler answering a round that was recorded as a pause and a resume(): the recorded resume answers it.
      const executionId = executionIdOf(next);
      const resume = executionId === undefined ? undefined : this.#matcher.claimFor("resume", executionId);
      if (resume === undefined || "execution" in resume) return cursor.miss(next, operation);
      cursor = new Exchanges(resume);
      this.#cursors.push(cursor);
      return cursor.next() ?? cursor.miss(next, operation);
    };
  }

  /** The recorded call of this execution whose next exchange is a resume of it, still unanswered. */
  #carriedOn(executionId: string): Exchanges | undefined {
    return this.#cursors.find((cursor) => cursor.resumes(executionId));
  }
}

/** A recorded call's exchanges, answered in turn. */
class Exchanges {
  readonly #call: ExchangedCall;
  #answered = 0;

  constructor(call: ExchangedCall) {
    this.#call = call;
  }

  next(): MiddlewareAnswer | undefined {
    const exchange = this.#call.exchanges[this.#answered];
    if (exchange === undefined) return undefined;
    this.#answered += 1;
    return exchange.response;
  }

  last(): MiddlewareAnswer | undefined {
    return this.#call.exchanges.at(-1)?.response;
  }

  /** Whether its next recorded request resumes this execution (carries its id and the tool results). */
  resumes(executionId: string): boolean {
    const body = this.#call.exchanges[this.#answered]?.request.body;
    return this.#answered > 0 && body?.["executionId"] === executionId;
  }

  miss(request: OutgoingRequest, operation: Operation): never {
    const { flow, exchanges, executionId } = this.#call;
    throw new ReplayMissError(
      `Replay miss: ${operation}() of flow ${flow} made request #${this.#answered + 1} (${request.method} ${request.path}), but only ${exchanges.length} were recorded for it.`,
      { code: "REPLAY_MISS", executionId },
    );
  }
}

function started(execution: ExecutionAnswers, operation: Operation, request: OutgoingRequest): MiddlewareAnswer {
  if (operation === "executeAsync") return execution.submitted();
  if (operation === "execute") return execution.execute();
  return execution.step(request);
}

function concerning(execution: ExecutionAnswers, operation: Operation, request: OutgoingRequest): MiddlewareAnswer {
  switch (operation) {
    case "resume":
      return execution.execute();
    case "poll":
    case "wait":
      return execution.polled();
    case "liveTrace":
      return execution.liveTrace();
    default:
      return execution.trace(request);
  }
}
