import type { StreamEvent } from "../../../core/stream-events.js";
import { RelayCode } from "../protocol.js";
import { type StreamRun, streamEvents } from "./event-stream.js";
import type { RelayInput, RelayRunFields } from "./options.js";
import { closeQuietly } from "./paused-streams.js";
import { RelayRefusal } from "./refusal.js";
import { acceptToken } from "./relay-tokens.js";
import { inputError, type RelayedFlow } from "./whole-answer.js";

/**
 * `events()` through the relay. The run's iterator is not tied to the
 * browser's request (a pause ends that request, and the run waits for the
 * next one): it ends when the browser leaves mid-stream, when the run ends,
 * or when its pause is let go.
 */
export function startStream(run: RelayedFlow & StreamRun, input: RelayInput, fields: RelayRunFields, requestId: string): Promise<Response> {
  // The relay counts rounds itself (a stream's token carries its round), so the client's own bound never comes first.
  const events = run.flow.events({ ...input, ...fields, version: run.version, maxToolRounds: run.maxToolRounds + 1 });
  return streamEvents(run, events[Symbol.asyncIterator]() as AsyncIterator<StreamEvent>, 0, requestId);
}

export async function resumeStream(run: RelayedFlow & StreamRun, token: string, toolResults: unknown[], requestId: string): Promise<Response> {
  const claims = await acceptToken(run.tokens, token, "stream");
  const handle = claims.handle ?? "";
  const held = run.paused.take(handle);
  if (held === undefined) {
    throw new RelayRefusal(410, RelayCode.TOKEN_UNKNOWN, "This relay no longer holds the paused run (it restarted, or let the run go); start the run again.");
  }
  if (held.executionId !== claims.executionId || held.round !== claims.round) {
    await closeQuietly(held.iterator);
    throw new RelayRefusal(400, RelayCode.TOKEN_INVALID, "The token does not match the run it names.");
  }
  try {
    await held.pause.resume({ toolResults: toolResults as never[] });
  } catch (error) {
    // Nothing was sent: the run stays held, and the token may be tried again with corrected results.
    run.paused.hold(handle, held);
    run.tokens.used.release(claims.nonce);
    throw inputError(error) ?? error;
  }
  run.tokens.used.spend(claims.nonce);
  return streamEvents(run, held.iterator, claims.round, requestId);
}
