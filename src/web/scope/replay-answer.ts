/**
 * A replay error as the JSON answer an app gives the caller who asked for
 * the replay: the official adapters' status and `error` names, plus the
 * error's own `code` (a miss and a leftover then say which they are).
 * Errors are recognised by name, which survives bundling and minifying.
 */
export interface ReplayAnswer {
  status: number;
  body: { error: string; message: string; code?: string };
}

const ANSWERS = new Map<string, [number, string]>([
  ["ReplayForbiddenError", [403, "replay_forbidden"]],
  ["ReplaySessionNotFoundError", [404, "replay_session_not_found"]],
  ["ReplaySessionExpiredError", [410, "replay_session_expired"]],
  ["ReplayInvalidSessionError", [400, "replay_invalid_session"]],
  ["ReplayNoSnapshotsError", [409, "replay_no_snapshots"]],
]);

const OTHER_REPLAY_ERRORS = new Set(["ReplayError", "ReplayDisabledError", "ReplayMissError", "ReplayLeftoverError", "CassetteError"]);

export function replayAnswer(error: unknown): ReplayAnswer | undefined {
  if (!(error instanceof Error)) return undefined;
  const known = ANSWERS.get(error.name) ?? (OTHER_REPLAY_ERRORS.has(error.name) ? ([500, "replay_error"] as const) : undefined);
  if (known === undefined) return undefined;
  const code = (error as { code?: unknown }).code;
  const body: ReplayAnswer["body"] = { error: known[1], message: error.message };
  if (typeof code === "string") body.code = code;
  return { status: known[0], body };
}

export function replayResponse(answer: ReplayAnswer): Response {
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "content-type": "application/json", "cache-control": "no-store" } });
}
