/**
 * The cassette: a versioned JSON file that holds what a scope recorded (or a
 * session pulled from the service), so that the same calls can be answered
 * later with no network. Its JSON Schema ships as `schema/cassette.schema.json`.
 * It never holds the API key: requests are kept without their
 * Authorization header, answers as the client received them (masked).
 */
import type { AnswerEvent, Operation } from "../core/middleware.js";
import type { SessionExecution } from "../core/types.js";

export const CASSETTE_FORMAT = "noukai-cassette";
export const CASSETTE_VERSION = 1;

export interface Cassette {
  format: typeof CASSETTE_FORMAT;
  version: typeof CASSETTE_VERSION;
  /** When it was written (ISO 8601). */
  recordedAt: string;
  /** The session its calls were captured in, when there was one. */
  sessionId: string | null;
  /** The calls, in the order they were made. */
  calls: RecordedCall[];
}

/** One SDK call: what it was, and either the exchanges it made, or (pulled from a session) the execution it ran. */
export type RecordedCall = ExchangedCall | ExecutionCall;

interface CallIdentity {
  operation: Operation;
  /** `org/project/slug` (a call pulled from a session may know only the slug: `*\/*\/slug`). */
  flow: string;
  /** The call's `replayKey`, when it had one. */
  replayKey?: string;
  /** The execution the call started, or the one it concerns (a resume, a poll, a trace). */
  executionId?: string;
  /** The input the call started with (for matching by input). */
  input?: RecordedInput;
}

export interface RecordedInput {
  message?: string;
  messages?: unknown[];
  parameters?: Record<string, unknown>;
}

/** A call the client recorded: each request and its answer, in order. */
export interface ExchangedCall extends CallIdentity {
  exchanges: RecordedExchange[];
}

/** A call pulled from a captured session: its execution, from which each answer is rebuilt. */
export interface ExecutionCall extends CallIdentity {
  execution: SessionExecution;
}

export interface RecordedExchange {
  request: { method: "GET" | "POST"; path: string; body?: Record<string, unknown> };
  response: RecordedAnswer;
}

/** A whole answer (`body`), or a stream's events. */
export type RecordedAnswer =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { status: number; headers?: Record<string, string>; events: AnswerEvent[] };

export function emptyCassette(sessionId: string | null): Cassette {
  return { format: CASSETTE_FORMAT, version: CASSETTE_VERSION, recordedAt: new Date().toISOString(), sessionId, calls: [] };
}
