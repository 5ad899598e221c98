import type { Run } from "../../engine/run.js";
import { SseWriter } from "../../sse/writer.js";
import type { AppContext } from "../context.js";
import type { AppResponse, ByteSink } from "../http-types.js";
import type { FlowPath } from "../router.js";
import { SSE_HEADERS } from "./step.js";
import { requireRun } from "./trace.js";

/**
 * GET …/runs/{id}/trace/stream: replays the run's events so far, then tails
 * new ones; closes when the run completes, fails or pauses for tools (or the
 * server closes). Idle streams get `: ping` heartbeats.
 */
export function handleLiveTrace(ctx: AppContext, route: { flow: FlowPath; executionId: string }, cutAfterEvents: number | undefined): AppResponse {
  const run = requireRun(ctx, route);
  return { status: 200, headers: { ...SSE_HEADERS }, body: (sink) => tail(ctx, run, sink, cutAfterEvents), observer: true };
}

function settled(run: Run): boolean {
  return run.finished || run.status === "awaiting_tools";
}

function tail(ctx: AppContext, run: Run, sink: ByteSink, cutAfterEvents: number | undefined): Promise<void> {
  const writer = new SseWriter(sink, { heartbeatMs: ctx.config.heartbeatMs, cutAfterEvents });
  for (const frame of run.log.frames()) writer.send(frame);
  if (settled(run) || ctx.closing.signal.aborted) {
    writer.close();
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      unsubscribe();
      ctx.streams.delete(writer);
      ctx.closing.signal.removeEventListener("abort", finish);
      writer.close();
      resolve();
    };
    const unsubscribe = run.log.subscribe({
      frame: (frame) => writer.send(frame),
      settled: finish,
    });
    ctx.streams.add(writer);
    ctx.closing.signal.addEventListener("abort", finish, { once: true });
    sink.onClose(finish);
  });
}
