/**
 * Capture and replay scopes: `replayScope(fn, options)` runs `fn` with every
 * call made inside it (by any client, however deep, across `await`s) tagged
 * with the scope's session, recorded to a cassette, or answered from a
 * recording with no network. `replayScopeSync` is the same for the blocking
 * client. The scope is a layer on the calls' middleware chain.
 */
import { ValueError } from "../core/errors.js";
import type { LogEvent, ScopeLogEvent } from "../core/log-event.js";
import type { CallInfo, Middleware } from "../core/middleware.js";
import { CassetteError, ReplayLeftoverError, ReplayMissError, ReplayNoSnapshotsError } from "../core/replay-errors.js";
import { checkSessionUuid } from "../core/operations/sessions.js";
import type { Session } from "../core/types.js";
import { newUuid } from "../core/uuid.js";
import { ambientScopes, type AmbientScope } from "../clients/runtime/node.js";
import type { RecordedCall } from "./cassette.js";
import { cassetteExists, type CassetteSource, loadCassette, prepareCassette, saveCassette } from "./cassette-files.js";
import { clientOf, type ScopeClient } from "./scope-client.js";
import type { MatchMode } from "./matcher.js";
import { Recorder } from "./recorder.js";
import { holdRecording } from "./recording-paths.js";
import { Replayer } from "./replayer.js";
import { tagsSession } from "./request-facts.js";
import { callsOfSession } from "./session-calls.js";

export interface ReplayScopeOptions {
  /** Replay the service's session with this id (needs `client`, and NOUKAI_REPLAY_ENABLED set: otherwise the scope captures). */
  replaySessionId?: string | undefined;
  /** Replay from a cassette (a file path or URL, or the object): no network, no service, no environment gate. */
  cassette?: CassetteSource;
  /** Record to this cassette file; with `recordMode: "once"` (the default) a cassette already there is replayed instead. */
  record?: string | URL;
  /** `once`: record only when the cassette does not exist yet, else replay it (record once, replay forever). `all`: always record. */
  recordMode?: "once" | "all";
  /** Tag the scope's calls with a new session id (default true); false and nothing else: the scope does nothing. */
  capture?: boolean;
  /** The client that fetches the session to replay; its `onLog` also gets the scope's log events. */
  client?: ScopeClient;
  /** How calls without a `replayKey` find their recorded call: `order` (default) or `input`. */
  match?: MatchMode;
  /** Recorded calls the code never made, at the end of a replay: `error` (default, ReplayLeftoverError), `warn`, or `ignore`. */
  leftovers?: "error" | "warn" | "ignore";
  /** Receives `scope_open` and `scope_close` (default: the client's `onLog`). */
  onLog?: (event: LogEvent) => void;
}

export type ScopeMode = ScopeLogEvent["mode"];

/** What `currentScope()` tells of the scope around the code that runs now. */
export interface ScopeInfo {
  readonly mode: ScopeMode;
  readonly sessionId: string | null;
  readonly source: "session" | "cassette" | undefined;
}

const OPTION_NAMES = ["replaySessionId", "cassette", "record", "recordMode", "capture", "client", "match", "leftovers", "onLog"];

/** What a scope does, decided from its options (and the environment) before its code runs. */
interface Plan {
  info: ScopeInfo;
  replayIgnored: boolean;
  calls: readonly RecordedCall[] | undefined;
  /** Replay from the service: the session to fetch. */
  fetch: string | undefined;
  record: string | URL | undefined;
}

/** The scope while its code runs: the layer its calls get, and what it keeps. */
class OpenScope implements AmbientScope {
  readonly layer: Middleware;
  readonly recorder: Recorder | undefined;
  readonly replayer: Replayer | undefined;
  readonly outlivesItsCode: boolean;
  /** Set when the scope's code has returned: calls it left running then find a replay or recording that refuses them. */
  ended = false;

  constructor(
    readonly info: ScopeInfo,
    calls: readonly RecordedCall[] | undefined,
    match: MatchMode,
    recording: boolean,
  ) {
    this.replayer = calls === undefined ? undefined : new Replayer(calls, match);
    this.recorder = recording ? new Recorder() : undefined;
    this.outlivesItsCode = info.mode === "replay" || info.mode === "record";
    const { sessionId } = info;
    const { replayer, recorder } = this;
    this.layer = {
      name: `${info.mode} scope`,
      onRequest: (request, call) => {
        if (this.ended) throw leftRunning(info.mode, call);
        // Below a call's own sessionId and the client's: a scope only tags what nothing else has.
        if (sessionId !== null && tagsSession(request) && request.headers["x-session-id"] === undefined) request.headers["x-session-id"] = sessionId;
        if (replayer !== undefined) return replayer.answer(request, call);
        recorder?.request(request, call);
        return undefined;
      },
      ...(recorder === undefined
        ? {}
        : {
            onCall: (call) => recorder.started(call),
            onResponse: (response, request, call) => recorder.response(response, request, call),
            onEvent: (event, call) => recorder.event(event, call),
          }),
    } satisfies Middleware;
  }
}

/** Runs `fn` in a capture, record or replay scope; resolves with what `fn` returns. */
export async function replayScope<T>(fn: () => T | Promise<T>, options: ReplayScopeOptions = {}): Promise<T> {
  checkFunction(fn, "replayScope");
  const plan = planScope(options, "replayScope");
  if (insideReplayOrRecording(plan)) return await fn();
  const log = scopeLog(options);
  const release = holdCassette(plan);
  let closed: ScopeLogEvent = { phase: "scope_close", mode: plan.info.mode, sessionId: plan.info.sessionId };
  log(openEvent(plan));
  try {
    const calls = plan.fetch === undefined ? plan.calls : replayableCalls(await clientOf(options, "replayScope").session(plan.fetch));
    const scope = new OpenScope(plan.info, calls, options.match ?? "order", plan.record !== undefined);
    let value: T;
    try {
      value = await ambientScopes.run(scope, fn);
    } finally {
      scope.ended = true;
    }
    closed = finish(scope, plan, options, closed);
    return value;
  } finally {
    release();
    log(closed);
  }
}

/** The blocking twin of `replayScope`, for code that uses `Noukai`: `fn` runs and returns at once. */
export function replayScopeSync<T>(fn: () => T, options: ReplayScopeOptions = {}): T {
  checkFunction(fn, "replayScopeSync");
  const plan = planScope(options, "replayScopeSync");
  if (insideReplayOrRecording(plan)) return fn();
  const log = scopeLog(options);
  const release = holdCassette(plan);
  let closed: ScopeLogEvent = { phase: "scope_close", mode: plan.info.mode, sessionId: plan.info.sessionId };
  log(openEvent(plan));
  try {
    let calls = plan.calls;
    if (plan.fetch !== undefined) {
      const fetched = clientOf(options, "replayScopeSync").session(plan.fetch);
      if (fetched instanceof Promise) {
        fetched.catch(() => undefined);
        throw new ValueError("replayScopeSync() needs a blocking Noukai client to fetch the session; with AsyncNoukai, use replayScope().");
      }
      calls = replayableCalls(fetched);
    }
    const scope = new OpenScope(plan.info, calls, options.match ?? "order", plan.record !== undefined);
    let value: T;
    try {
      value = ambientScopes.run(scope, fn);
    } finally {
      scope.ended = true;
    }
    if (value instanceof Promise) throw new ValueError("replayScopeSync() ran a function that returned a Promise: its calls would outlive the scope. Use replayScope() for async code.");
    closed = finish(scope, plan, options, closed);
    return value;
  } finally {
    release();
    log(closed);
  }
}

/** The name of `replayScope` before the official clients' 0.5: code written against 0.2 to 0.4 runs unchanged. */
export const traceScope = replayScope;

/** The session id of the scope around the code that runs now, or null. */
export function currentSessionId(): string | null {
  return currentScope()?.sessionId ?? null;
}

/** The scope around the code that runs now, or null outside any. */
export function currentScope(): ScopeInfo | null {
  // Read by shape, not by class: a scope the other build of the package opened (ES module or CommonJS) is one too.
  const scope = ambientScopes.current() as Partial<OpenScope> | undefined;
  return scope === undefined || scope.ended === true ? null : (scope.info ?? null);
}

function planScope(options: ReplayScopeOptions, where: string): Plan {
  checkOptions(options, where);
  const { replaySessionId, cassette, record } = options;
  const given = [replaySessionId !== undefined && "replaySessionId", cassette !== undefined && "cassette", record !== undefined && "record"].filter(Boolean);
  if (given.length > 1) throw new ValueError(`${where}() takes one of replaySessionId, cassette or record, got ${given.join(" and ")}.`);
  const replay = (sessionId: string | null, source: ScopeInfo["source"], calls?: readonly RecordedCall[]): Plan => ({
    info: { mode: "replay", sessionId, source },
    replayIgnored: false,
    calls,
    fetch: undefined,
    record: undefined,
  });
  if (cassette !== undefined) {
    const loaded = loadCassette(cassette);
    return replay(loaded.sessionId, "cassette", loaded.calls);
  }
  if (record !== undefined && (options.recordMode ?? "once") === "once" && cassetteExists(record)) {
    const loaded = loadCassette(record);
    return replay(loaded.sessionId, "cassette", loaded.calls);
  }
  const fresh = newUuid;
  if (record !== undefined) {
    prepareCassette(record);
    return { info: { mode: "record", sessionId: fresh(), source: undefined }, replayIgnored: false, calls: undefined, fetch: undefined, record };
  }
  if (replaySessionId !== undefined && replayEnabled()) {
    const sessionId = checkSessionUuid(replaySessionId);
    clientOf(options, where);
    return { ...replay(sessionId, "session"), fetch: sessionId };
  }
  const capture = options.capture ?? true;
  const info: ScopeInfo = capture ? { mode: "capture", sessionId: fresh(), source: undefined } : { mode: "normal", sessionId: null, source: undefined };
  return { info, replayIgnored: replaySessionId !== undefined, calls: undefined, fetch: undefined, record: undefined };
}

/** Replay is switched on for a session id only with NOUKAI_REPLAY_ENABLED, read afresh at each scope (as the official clients do). */
function replayEnabled(): boolean {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.["NOUKAI_REPLAY_ENABLED"];
  return value !== undefined && ["1", "true", "yes", "on"].includes(value.toLowerCase());
}

/** A session's executions as calls to replay; every one must have its snapshots. */
function replayableCalls(session: Session): readonly RecordedCall[] {
  const blind = session.executions.filter((execution) => !execution.snapshotsAvailable);
  if (blind.length > 0) {
    const list = blind.map((execution) => `${execution.executionId} (traceCaptureMode ${execution.traceCaptureMode ?? "unknown"})`).join(", ");
    throw new ReplayNoSnapshotsError(`Session ${session.sessionId} cannot be replayed: these executions were captured without snapshots: ${list}.`, { code: "REPLAY_NO_SNAPSHOTS" });
  }
  return callsOfSession(session);
}

/** At the end of the scope's code: the leftover check of a replay, the cassette of a recording. */
function finish(scope: OpenScope, plan: Plan, options: ReplayScopeOptions, closed: ScopeLogEvent): ScopeLogEvent {
  if (scope.recorder !== undefined && plan.record !== undefined) {
    const unanswerable = scope.recorder.unanswerable();
    if (unanswerable.length > 0) {
      // Written, the cassette would answer these calls otherwise than they went, or not at all.
      throw new CassetteError(`The cassette ${String(plan.record)} was not written: a replay could not answer ${unanswerable.length} of its call(s) as they went: ${unanswerable.join("; ")}.`, {
        code: "CASSETTE_INCOMPLETE",
      });
    }
    saveCassette(plan.record, scope.recorder.cassette(plan.info.sessionId));
    return { ...closed, cassette: String(plan.record) };
  }
  const leftovers = scope.replayer?.leftovers() ?? [];
  if (leftovers.length === 0) return closed;
  const policy = options.leftovers ?? "error";
  const list = leftovers.map((call) => `${call.operation}() of ${call.flow}${call.replayKey === undefined ? "" : ` (replayKey ${JSON.stringify(call.replayKey)})`}${call.executionId === undefined ? "" : ` [${call.executionId}]`}`);
  const message = `The replay scope ended with ${leftovers.length} recorded call(s) the code never made: ${list.join("; ")}.`;
  if (policy === "error") throw new ReplayLeftoverError(message, { code: "REPLAY_LEFTOVER" });
  if (policy === "warn" && options.onLog === undefined) console.warn(`[noukai] ${message}`);
  return { ...closed, leftovers: leftovers.length };
}

/**
 * Whether a scope that would only capture (or do nothing) opens inside a
 * replay or a recording: it then leaves that scope in place, since replacing
 * it would send its calls live during a replay, or leave them out of the
 * cassette (a helper that captures its own calls, a web adapter's scope per
 * request, under a test's replay).
 */
function insideReplayOrRecording(plan: Plan): boolean {
  if (plan.info.mode !== "capture" && plan.info.mode !== "normal") return false;
  const outer = ambientScopes.current() as Partial<OpenScope> | undefined;
  return outer?.outlivesItsCode === true && outer.ended !== true;
}

/**
 * A call that code left running makes after its replay or recording scope
 * ended: a replay sends nothing, and the recording is already written, so it
 * is refused rather than made live.
 */
function leftRunning(mode: ScopeMode, call: CallInfo): Error {
  const what = `${call.operation}() of ${call.flow.org}/${call.flow.project}/${call.flow.slug}`;
  if (mode === "record") {
    return new CassetteError(`${what} was made after its recording scope had ended (its cassette was written without it): await every call inside the scope.`, { code: "CASSETTE_INCOMPLETE" });
  }
  return new ReplayMissError(`${what} was made after its replay scope had ended; a replay sends nothing, so it was not made: await every call (and read every stream) inside the scope.`, { code: "REPLAY_MISS" });
}

/** A recording holds its cassette's path until it ends: a second recording of it meanwhile is refused. */
function holdCassette(plan: Plan): () => void {
  return plan.record === undefined ? () => undefined : holdRecording(plan.record);
}

function openEvent(plan: Plan): ScopeLogEvent {
  const event: ScopeLogEvent = { phase: "scope_open", mode: plan.info.mode, sessionId: plan.info.sessionId };
  if (plan.info.source !== undefined) event.source = plan.info.source;
  if (plan.replayIgnored) event.replayIgnored = true;
  return event;
}

/** Where the scope's log events go; a throwing hook never breaks the scope. */
function scopeLog(options: ReplayScopeOptions): (event: ScopeLogEvent) => void {
  const onLog = options.onLog ?? (options.client === undefined ? undefined : clientOf(options, "scope").onLog);
  return (event) => {
    try {
      onLog?.(event);
    } catch {
      // Observability only: a bug in the hook must not change what the scope does.
    }
  };
}

function checkFunction(fn: unknown, where: string): void {
  if (typeof fn !== "function") throw new TypeError(`${where}() takes the function to run in the scope first, got ${typeof fn}.`);
}

function checkOptions(options: unknown, where: string): void {
  if (typeof options !== "object" || options === null) throw new TypeError(`${where}() takes an options object.`);
  for (const key of Object.keys(options)) if (!OPTION_NAMES.includes(key)) throw new ValueError(`${where}() has no option "${key}"; it takes ${OPTION_NAMES.join(", ")}.`);
  const { match, leftovers, recordMode, capture } = options as ReplayScopeOptions;
  if (match !== undefined && match !== "order" && match !== "input") throw new ValueError(`${where}() option match must be "order" or "input".`);
  if (leftovers !== undefined && !["error", "warn", "ignore"].includes(leftovers)) throw new ValueError(`${where}() option leftovers must be "error", "warn" or "ignore".`);
  if (recordMode !== undefined && recordMode !== "once" && recordMode !== "all") throw new ValueError(`${where}() option recordMode must be "once" or "all".`);
  if (capture !== undefined && typeof capture !== "boolean") throw new TypeError(`${where}() option capture must be true or false.`);
}
