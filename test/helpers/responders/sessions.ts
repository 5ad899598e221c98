/** Session fetches a local server never answers (RecordingServer responders). */
import type { ServerResponse } from "node:http";
import type { RecordedRequest } from "../recording-server.js";
import { sendJson } from "../recording-server.js";

export function forbidden(_request: RecordedRequest, res: ServerResponse): void {
  sendJson(res, 403, { detail: { code: "FORBIDDEN", message: "this key may not see that session" } });
}

/** A session whose one execution was captured without snapshots (trace capture off). */
export function withoutSnapshots(request: RecordedRequest, res: ServerResponse): void {
  const sessionId = request.url.split("/").at(-1) ?? "";
  sendJson(res, 200, {
    sessionId,
    executions: [{ executionId: "exec-blind", flowId: "f", slug: "hello", triggerType: "execute", status: "completed", traceCaptureMode: "off", snapshotsAvailable: false, steps: [], errorAtStep: null }],
  });
}
