import type { StreamEvent, ToolCallsRequired } from "../../../core/stream-events.js";
import { EVENT_STREAM, RelayCode, type RelayErrorEventWire } from "../protocol.js";
import { closeQuietly, type PausedStreams } from "./paused-streams.js";
import type { BrowserEvent } from "./present-event.js";
import { RelayRefusal } from "./refusal.js";
import { issueToken, type TokenRules } from "./relay-tokens.js";
import { toBase64Url } from "./base64url.js";

/**
 * A run's events, from the flow's `events()` iterator to the browser as an
 * event stream, read as the browser reads (each pull of the response body
 * takes the next event). A tool pause ends the response: the iterator is
 * held under a fresh handle and the browser gets the calls and a token;
 * the end of the run, or its failure, ends it too.
 */
export interface StreamRun {
  readonly tokens: TokenRules;
  readonly maxToolRounds: number;
  readonly paused: PausedStreams;
  readonly heartbeatMs: number;
  readonly present: (event: StreamEvent) => BrowserEvent | undefined;
  /** What the browser is told of an error met after the stream began. */
  readonly refusal: (error: unknown) => RelayRefusal;
}

const encoder = new TextEncoder();

/** Starts streaming: the first event is awaited here, so that a run refused at once is an HTTP error, not a stream. */
export async function streamEvents(run: StreamRun, iterator: AsyncIterator<StreamEvent>, roundsSoFar: number, requestId: string): Promise<Response> {
  let first: IteratorResult<StreamEvent>;
  try {
    first = await iterator.next();
  } catch (error) {
    await closeQuietly(iterator);
    throw error;
  }
  let pending: IteratorResult<StreamEvent> | undefined = first;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let lastWrite = Date.now();
  let finished = false;
  const stop = () => {
    finished = true;
    if (heartbeat !== undefined) clearInterval(heartbeat);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (run.heartbeatMs <= 0) return;
      heartbeat = setInterval(() => {
        if (finished || Date.now() - lastWrite < run.heartbeatMs) return;
        lastWrite = Date.now();
        controller.enqueue(encoder.encode(": keep-alive\n\n"));
      }, run.heartbeatMs);
      (heartbeat as { unref?: () => void }).unref?.();
    },
    async pull(controller) {
      const write = (name: string, data: unknown) => {
        lastWrite = Date.now();
        controller.enqueue(encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const fail = (error: unknown) => {
        const refusal = run.refusal(error);
        const data: RelayErrorEventWire = { status: refusal.status, code: refusal.code, message: refusal.message, requestId: refusal.requestId ?? requestId };
        const retryAfter = Number(refusal.headers["retry-after"]);
        if (Number.isFinite(retryAfter)) data.retryAfter = retryAfter;
        write("error", data);
      };
      const end = () => {
        stop();
        controller.close();
      };
      // Pull until something is written: events the browser is not shown are skipped.
      for (;;) {
        let step: IteratorResult<StreamEvent>;
        try {
          step = pending ?? (await iterator.next());
        } catch (error) {
          fail(error);
          return end();
        }
        pending = undefined;
        if (step.done === true) return end();
        const event = step.value;
        if (event.type === "tool_calls_required") {
          try {
            write("tool_calls_required", await hold(run, iterator, event, roundsSoFar + 1));
          } catch (error) {
            fail(error);
            await closeQuietly(iterator);
          }
          return end();
        }
        const shown = run.present(event);
        if (shown !== undefined) write(event.type, shown);
        if (event.type === "flow_completed" || event.type === "step_error") {
          end();
          return closeQuietly(iterator);
        }
        if (shown !== undefined) return;
      }
    },
    async cancel() {
      // The browser went away mid-stream: the run's request to the service ends with it.
      stop();
      await closeQuietly(iterator);
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": `${EVENT_STREAM}; charset=utf-8`, "cache-control": "no-store", "x-accel-buffering": "no", "x-request-id": requestId },
  });
}

/** Parks the paused run and gives the browser the calls to answer and the token that resumes it. */
async function hold(run: StreamRun, iterator: AsyncIterator<StreamEvent>, pause: ToolCallsRequired, round: number): Promise<Record<string, unknown>> {
  if (round > run.maxToolRounds) throw new RelayRefusal(409, RelayCode.TOOL_ROUND_LIMIT, `The run asked for tool round ${round}; this relay allows ${run.maxToolRounds}.`);
  const handle = toBase64Url(run.tokens.crypto.getRandomValues(new Uint8Array(18)));
  const issued = await issueToken(run.tokens, { kind: "stream", executionId: pause.executionId, round, handle });
  run.paused.hold(handle, { iterator, pause, executionId: pause.executionId, round, expiresAt: Date.parse(issued.expiresAt) });
  return { stepId: pause.stepId, stepIndex: pause.stepIndex, toolCalls: pause.toolCalls, ...issued };
}
