import type { Execution } from "../../engine/execution.js";
import { SseWriter } from "../../sse/writer.js";
import type { AppContext } from "../context.js";
import type { AppResponse } from "../http-types.js";
import type { ByteSink } from "../../byte-sink.js";
import type { FlowPath } from "../router.js";
import { SSE_HEADERS } from "./step.js";
import { requireRun } from "./trace.js";

/** A live trace whose reader falls this far behind the run is ended: an observer must not hold the run's data twice over. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * GET …/runs/{id}/trace/stream: replays the run's events so far, then tails
 * new ones; closes when the run completes, fails or pauses for tools (or the
 * server closes). Idle streams get `: ping` heartbeats. The replay waits for
 * the reader (one frame at a time), and a reader that stops taking events
 * while the run goes on is dropped once it is 4 MiB behind.
 */
export function handleLiveTrace(ctx: AppContext, route: { flow: FlowPath; executionId: string }, cutAfterEvents: number | undefined): AppResponse {
  const run = requireRun(ctx, route);
  return { status: 200, headers: { ...SSE_HEADERS }, body: (sink) => tail(ctx, run, sink, cutAfterEvents), observer: true };
}

function settled(run: Execution): boolean {
  return run.finished || run.status === "awaiting_tools";
}

async function tail(ctx: AppContext, run: Execution, sink: ByteSink, cutAfterEvents: number | undefined): Promise<void> {
  const writer = new SseWriter(sink, { heartbeatMs: ctx.config.heartbeatMs, cutAfterEvents });
  ctx.streams.add(writer);
  try {
    for (const frame of run.log.replay()) {
      writer.send(frame);
      await writer.drain();
      if (writer.done || ctx.closing.signal.aborted) return;
    }
    if (settled(run)) return;
    await follow(ctx, run, writer, sink);
  } finally {
    ctx.streams.delete(writer);
    writer.close();
  }
}

/** New events as they come, until the run settles, the reader leaves or falls behind, or the server closes. */
function follow(ctx: AppContext, run: Execution, writer: SseWriter, sink: ByteSink): Promise<void> {
  return new Promise<void>((resolve) => {
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      unsubscribe();
      ctx.closing.signal.removeEventListener("abort", finish);
      resolve();
    };
    const unsubscribe = run.log.subscribe({
      frame: (frame) => {
        writer.send(frame);
        if (writer.backlog > MAX_BACKLOG_BYTES) finish();
      },
      settled: finish,
    });
    ctx.closing.signal.addEventListener("abort", finish, { once: true });
    sink.onClose(finish);
  });
}
