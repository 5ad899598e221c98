import type { LogEvent } from "./log-event.js";
import type { Middleware } from "./middleware.js";
import type { OtelApi, OtelTracer } from "./telemetry-types.js";
import type { Version } from "./versions.js";
import type { ChatMessage, ToolCall, ToolChoice, ToolDefinition, ToolResult } from "./types.js";

/** Answers a round of tool calls; may be async with `AsyncNoukai`. */
export type ToolHandler = (toolCalls: ToolCall[]) => ToolResult[] | Promise<ToolResult[]>;

/** Answers a round of tool calls on the caller's thread; must not return a Promise. */
export type SyncToolHandler = (toolCalls: ToolCall[]) => ToolResult[];

/** `env` values; anything else is refused. */
export type NoukaiEnv = "production" | "dev" | "development";

export interface ClientOptions {
  /** Starts with `nk_`. Defaults to `NOUKAI_API_KEY`. */
  apiKey?: string;
  /** Default organisation for `flow("slug")`; comes with `project`. */
  org?: string;
  /** Default project for `flow("slug")`; comes with `org`. */
  project?: string;
  /** `"production"` (default) or `"dev"`/`"development"` (`http://localhost:8080/api/v1`). Defaults to `NOUKAI_ENV`. */
  env?: NoukaiEnv;
  /** Another API root, e.g. a local server on another port. `https:`, or `http:` to a loopback host only. Defaults to `NOUKAI_BASE_URL`. */
  baseUrl?: string;
  /** Milliseconds a whole answer may take, from sending to its last byte; on a stream, the wait for its headers and the longest silence between events. Default 300000. */
  timeout?: number;
  /** Successful answers larger than this many bytes fail with `RESPONSE_TOO_LARGE` instead of filling memory. Default 33554432 (32 MiB). */
  maxResponseBytes?: number;
  /**
   * The most connections the client keeps open for whole answers (`execute`,
   * `executeAsync`, `poll`, `trace`, …); more calls at once wait their turn
   * for one, within their `timeout`. Each open stream holds a connection of
   * its own. Default 100: a burst of thousands of calls neither runs out of
   * file descriptors nor floods the server with connections. Not used with
   * `fetch` or `fetchModule`, whose fetch owns its connections.
   */
  maxConnections?: number;
  /** Retries of a failed request (408, 429, 5xx, failed connections). Default 1. */
  maxRetries?: number;
  /** Receives a `LogEvent` per request, response and retry. */
  onLog?: (event: LogEvent) => void;
  /** Include request and response bodies in log events. Default false. */
  logPayloads?: boolean;
  /**
   * Key paths whose values never appear in a logged payload (`logPayloads`) or a
   * span attribute (`otelPayloads`): `["parameters.ssn", "messages.*.content"]`.
   * A path matches wherever it occurs in a payload; `*` is any one key or index.
   */
  redact?: readonly string[];
  /**
   * OpenTelemetry spans for every call, from the global tracer provider:
   * `true` loads `@opentelemetry/api` (an optional peer dependency; Node, Bun,
   * Deno), or give the API module itself (`import * as otel from
   * "@opentelemetry/api"`), which every runtime takes and nothing has to load.
   * `false` turns telemetry off, whatever else is set. Default: off.
   */
  otel?: boolean | OtelApi;
  /** Make the spans with this OpenTelemetry `Tracer` (turns telemetry on). */
  tracer?: OtelTracer;
  /**
   * `execute()`, a resume and `job.wait()`: once the run has ended, fetch its
   * trace (one `GET`, its own span, never in a replay) to add a span per step.
   * Streams have them anyway, live. Turns telemetry on. Default false.
   */
  otelSteps?: boolean;
  /**
   * Put payloads on spans (the request, the result, each step's input, output
   * and error, each tool call's arguments and result), each cut to 4096
   * characters and passed through `redact`. Turns telemetry on. Default false.
   */
  otelPayloads?: boolean;
  /** `AsyncNoukai` only: a `fetch` implementation to send requests with, instead of the built-in transport. */
  fetch?: typeof globalThis.fetch;
  /**
   * A module (an absolute URL, e.g. `new URL("./fake-service.js", import.meta.url)`) whose
   * export `fetch` (or default function, or default object's `fetch` method) sends the
   * requests instead of the network. The blocking `Noukai` imports it on its I/O thread,
   * which cannot call a function of yours; `AsyncNoukai` imports it at its first call.
   */
  fetchModule?: string | URL;
  /** Layers around every call, in order: see `Middleware`. */
  middleware?: readonly Middleware[];
  /** Cancels every call of this client when it fires. */
  signal?: AbortSignal;
  /** Tags every run of this client with `X-Session-Id`. */
  sessionId?: string;
}

/** Per-call settings every operation takes. */
export interface CallOptions {
  /** Overrides the client's `timeout` for this call. */
  timeout?: number;
  /** Cancels this call. */
  signal?: AbortSignal;
}

/** Per-call settings of a stream (`steps()`, `events()`, `liveTrace()`). */
export interface StreamCallOptions extends CallOptions {
  /**
   * Milliseconds the whole stream may last, from its first request to its last
   * event (`APITimeoutError` with code `TOTAL_TIMEOUT`). `timeout` still bounds
   * each silence. Default: no bound on the whole.
   */
  totalTimeout?: number;
}

/** A run's input: a `message`, or a `messages` conversation (roles user, assistant, tool). */
export type MessageInput =
  | { message?: string; messages?: undefined }
  | { messages: ChatMessage[]; message?: undefined };

export interface RunSettings extends CallOptions {
  parameters?: Record<string, unknown>;
  /** Per-step configuration overrides: `{ stepId: { model, temperature, … } }`. */
  blockOverrides?: Record<string, Record<string, unknown>>;
  /** Capture input and output snapshots in the run's trace. */
  trace?: boolean;
  /** `"production"` (default), `"draft"`, or a published version number. */
  version?: Version;
  /** Overrides the client's session id for this call. */
  sessionId?: string;
  /**
   * Names this call for replay: in a replay scope it gets the recorded call
   * with the same key, whatever the order calls are made in (concurrent
   * calls included); a recording scope writes it into the cassette.
   */
  replayKey?: string;
}

export interface ToolSettings<H> {
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** Answers tool calls automatically; without it, `execute` returns a `PausedResult`. */
  toolHandler?: H;
  /** Rounds of tool calls allowed before `ToolCallLimitError`. Default 10. */
  maxToolRounds?: number;
}

export type ExecuteOptions<H = ToolHandler> = MessageInput &
  RunSettings &
  ToolSettings<H> & {
    attachments?: Record<string, unknown>[];
  };

export type StepsOptions<H = ToolHandler> = MessageInput &
  RunSettings &
  ToolSettings<H> &
  Pick<StreamCallOptions, "totalTimeout"> & {
    /** Per-step input overrides: `{ stepId: { variable: value } }`. */
    inputOverrides?: Record<string, unknown>;
  };

export type EventsOptions<H = ToolHandler> = StepsOptions<H> & {
  /** Run every remaining step in one stream, without `step_paused` between steps. */
  runRemaining?: boolean;
};

export type ExecuteAsyncOptions = MessageInput & RunSettings;

export interface ResumeOptions<H = ToolHandler> extends CallOptions {
  toolResults: ToolResult[];
  /** Continue answering later rounds automatically. */
  toolHandler?: H;
  maxToolRounds?: number;
}

export interface WaitOptions {
  /** Give up after this many milliseconds (`APITimeoutError`). Default 300000. */
  timeout?: number;
  /** Milliseconds between polls. Default 2000. */
  pollInterval?: number;
  signal?: AbortSignal;
}

export interface StepTraceOptions extends CallOptions {
  /** `"latest"` (default), `"all"` (every attempt), or an attempt number from 1. */
  attempt?: "latest" | "all" | number;
  /** The iteration of a looping step. */
  loopIndex?: number;
}
