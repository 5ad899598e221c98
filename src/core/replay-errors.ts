/**
 * The errors of capture and replay, under the official clients' names. A
 * recorded failure is replayed as what it was live (a failed result, a
 * `FlowExecutionError` from `steps()`), never as one of these.
 */
import { NoukaiError } from "./errors.js";

/** The base of every replay error. */
export class ReplayError extends NoukaiError {
  override readonly name: string = "ReplayError";
}
/**
 * Exported for code written against the official clients, which never raise
 * it either: a replay session id given without NOUKAI_REPLAY_ENABLED opens a
 * capture scope instead, and its `scope_open` log event says so (`replayIgnored`).
 */
export class ReplayDisabledError extends ReplayError {
  override readonly name: string = "ReplayDisabledError";
}
/** The session id is not a UUID (refused before any request), or the service answered 400. */
export class ReplayInvalidSessionError extends ReplayError {
  override readonly name: string = "ReplayInvalidSessionError";
}
/** The service refused to show the session (403). */
export class ReplayForbiddenError extends ReplayError {
  override readonly name: string = "ReplayForbiddenError";
}
/** No such session (404). */
export class ReplaySessionNotFoundError extends ReplayError {
  override readonly name: string = "ReplaySessionNotFoundError";
}
/** The session has expired (410). */
export class ReplaySessionExpiredError extends ReplayError {
  override readonly name: string = "ReplaySessionExpiredError";
}
/** The session's executions were captured without the snapshots a replay needs. */
export class ReplayNoSnapshotsError extends ReplayError {
  override readonly name: string = "ReplayNoSnapshotsError";
}
/** A call made in the scope has no recorded call to answer it (or made more requests than were recorded). */
export class ReplayMissError extends ReplayError {
  override readonly name: string = "ReplayMissError";
}
/** Recorded calls were left unused when the scope ended (with `leftovers: "error"`, the default). */
export class ReplayLeftoverError extends ReplayError {
  override readonly name: string = "ReplayLeftoverError";
}
/** A cassette that cannot be read: not JSON, another format or version, a field of the wrong shape (named). */
export class CassetteError extends ReplayError {
  override readonly name: string = "CassetteError";
}
