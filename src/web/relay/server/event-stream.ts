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
  readonly streamTimeoutMs: number;
  readonly present: (event: StreamEvent) => BrowserEvent | undefined;
  /** What the browser is told of an error met after the stream began. */
  readonly refusal: (error: unknown) => RelayRefusal;
}

const encoder = new TextEncoder();

/** Starts streaming: the first event is awaited here, so that a run refused at once is an HTTP error, not a stream. */
export async function streamEvents(run: StreamRun, iterator: AsyncIterator<StreamEvent>, roundsSoFar: number, requestId: string): Promise<Response> {
  let pending: IteratorResult<StreamEvent> | undefined;
  try {
    pending = await iterator.next();
  } catch (error) {
    await closeQuietly(iterator);
    throw error;
  }
  let out: ReadableStreamDefaultController<Uint8Array> | undefined;
  let finished = false;
  let lastWrite = Date.now();
  const timers: ReturnType<typeof setTimeout>[] = [];
  const write = (name: string, data: unknown) => {
    if (finished) return;
    lastWrite = Date.now();
    out?.enqueue(encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
  };
  const fail = (error: unknown) => {
    const refusal = run.refusal(error);
    const data: RelayErrorEventWire = { status: refusal.status, code: refusal.code, message: refusal.message, requestId: refusal.requestId ?? requestId };
    const retryAfter = Number(refusal.headers["retry-after"]);
    if (Number.isFinite(retryAfter)) data.retryAfter = retryAfter;
    write("error", data);
  };
  /** Ends the answer, once; `release` also ends the run's request (not for a pause: the run is held). */
  const end = async (release: boolean) => {
    if (finished) return;
    finished = true;
    for (const timer of timers) clearTimeout(timer);
    try {
      out?.close();
    } catch {
      // Already cancelled by the reader: nothing is left to close.
    }
    if (release) await closeQuietly(iterator);
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
      const deadline = setTimeout(() => {
        fail(new RelayRefusal(504, RelayCode.STREAM_TIMEOUT, `The stream outlasted this relay's limit of ${run.streamTimeoutMs} ms.`));
        void end(true);
      }, run.streamTimeoutMs);
      timers.push(deadline);
      if (run.heartbeatMs > 0) timers.push(setInterval(() => {
        if (finished || Date.now() - lastWrite < run.heartbeatMs) return;
        lastWrite = Date.now();
        controller.enqueue(encoder.encode(": keep-alive\n\n"));
      }, run.heartbeatMs));
      // Neither timer may keep a process alive on its own.
      for (const timer of timers) (timer as { unref?: () => void }).unref?.();
    },
    async pull() {
      // Pull until something is written: events the browser is not shown are skipped.
      while (!finished) {
        let step: IteratorResult<StreamEvent>;
        try {
          step = pending ?? (await iterator.next());
        } catch (error) {
          fail(error);
          return end(true);
        }
        pending = undefined;
        if (finished) return;
        if (step.done === true) return end(true);
        const event = step.value;
        if (event.type === "tool_calls_required") {
          try {
            write("tool_calls_required", await hold(run, iterator, event, roundsSoFar + 1));
            return end(false);
          } catch (error) {
            fail(error);
            return end(true);
          }
        }
        const shown = run.present(event);
        if (shown !== undefined) write(event.type, shown);
        if (event.type === "flow_completed" || event.type === "step_error") return end(true);
        if (shown !== undefined) return;
      }
    },
    async cancel() {
      // The browser went away mid-stream: the run's request to the service ends with it.
      await end(true);
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
