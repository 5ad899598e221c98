import { REPLAY_HEADER, SESSION_HEADER, replayIdOf } from "./headers.js";
import { replayAnswer, replayResponse } from "./replay-answer.js";
import { readInScope } from "./read-in-scope.js";
import { inRequestScope, type ScopeAdapterOptions } from "./request-scope.js";
import { isResponseLike, notAResponse } from "./response-like.js";

/**
 * A `fetch`-style handler's answer, produced inside the request's scope,
 * with `X-Noukai-Session` set and its body read in the scope to its end. A
 * replay error (opening the scope, or thrown by the handler) becomes its
 * JSON answer; any other error is the framework's.
 */
export async function respondInScope(request: Request, options: ScopeAdapterOptions, produce: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await inRequestScope(replayIdOf(request.headers.get(REPLAY_HEADER)), options, async (sessionId) => {
      const response: unknown = await produce();
      if (!isResponseLike(response)) throw notAResponse("The handler wrapped by withNoukaiScope()", response);
      const read = readInScope(response, sessionId === null ? {} : { [SESSION_HEADER]: sessionId }, request.method);
      return { value: read.response, finished: read.finished };
    });
  } catch (error) {
    const answer = replayAnswer(error);
    if (answer !== undefined) return replayResponse(answer);
    throw error;
  }
}
