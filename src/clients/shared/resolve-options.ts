import { checkOption, type OptionNames } from "../../core/check-options.js";
import { type CoreConfig, DEFAULT_MAX_RESPONSE_BYTES } from "../../core/config.js";
import { AuthenticationError, ValueError } from "../../core/errors.js";
import { checkIdentifier, describe } from "../../core/identifiers.js";
import type { FlowDefaults } from "../../core/flow-ref.js";
import type { Middleware } from "../../core/middleware.js";
import type { ClientOptions } from "../../core/options.js";
import { Credentials } from "../../core/credentials.js";
import { createRedactor } from "../../core/redact.js";
import { compileRedactPaths, type PayloadRedactor, redactPathProblem } from "../../core/redact-paths.js";
import { telemetryLayer } from "../../telemetry/client-telemetry.js";
import type { StepTraceFetcher } from "../../telemetry/telemetry-middleware.js";
import { newUuid } from "../../core/uuid.js";
import { DEFAULT_RETRY_POLICY } from "../../core/retry-policy.js";
import { VERSION } from "../../version.js";
import { DEV_API_KEY, isDevEnvironment, resolveBaseUrl } from "./base-url.js";
import { ambientScopes } from "../runtime/node.js";
import { checkMiddleware } from "./check-middleware.js";
import { checkFetchModule } from "./fetch-module-option.js";
import { readEnv, runtimeDescription } from "./environment.js";

export const API_VERSION = "2026-05-31";
export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_RETRIES = 1;
export const DEFAULT_MAX_CONNECTIONS = 100;

const OPTION_NAMES = [
  "apiKey", "org", "project", "env", "baseUrl", "timeout", "maxRetries", "maxResponseBytes", "maxConnections",
  "onLog", "logPayloads", "redact", "fetch", "fetchModule", "middleware", "signal", "sessionId",
  "otel", "tracer", "otelSteps", "otelPayloads",
] as const satisfies OptionNames<ClientOptions>;

const CHECKED = ["timeout", "maxResponseBytes", "maxRetries", "maxConnections", "onLog", "logPayloads", "fetch", "signal", "sessionId"] as const satisfies OptionNames<ClientOptions>;

/** A client's options, checked and resolved once, at construction. */
export interface ResolvedClient {
  config: CoreConfig;
  baseUrl: URL;
  defaults: FlowDefaults;
  fetch: typeof globalThis.fetch | undefined;
  /** `fetchModule` as an absolute URL. */
  fetchModule: string | undefined;
  /** The most connections for whole answers (`maxConnections`). */
  maxConnections: number;
  signal: AbortSignal | undefined;
}

/**
 * Checks every option (the key first, then the org/project pair, then the
 * rest) and fails with the error that names the problem, before any request.
 */
export function resolveClientOptions(options: unknown, clientName: string, fetchStepTrace?: StepTraceFetcher): ResolvedClient {
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new TypeError(`new ${clientName}() takes an options object, got ${describe(options)}.`);
  }
  const given: ClientOptions = options ?? {};
  for (const key of Object.keys(given)) {
    if (!(OPTION_NAMES as readonly string[]).includes(key)) {
      throw new ValueError(`new ${clientName}() has no option "${key}"; it takes ${OPTION_NAMES.join(", ")}.`);
    }
  }
  const apiKey = resolveApiKey(given.apiKey, isDevEnvironment(given.env), clientName);
  const defaults = resolveDefaults(given.org, given.project, clientName);
  const baseUrl = resolveBaseUrl(given);
  // Checked by the rules a call's options follow. The first four, null, take their defaults.
  CHECKED.forEach((name, index) => {
    const value = given[name];
    if (value !== undefined && (value !== null || index > 3)) checkOption(name, value, name);
  });
  if (given.fetch !== undefined && given.fetchModule !== undefined) throw new ValueError(`new ${clientName}() takes fetch or fetchModule, not both.`);
  const fetchModule = given.fetchModule === undefined ? undefined : checkFetchModule(given.fetchModule);
  const redactPayload = resolveRedact(given.redact);
  const middleware = checkMiddleware(given.middleware, clientName);
  const redact = createRedactor(apiKey);
  const telemetry = telemetryLayer(given, clientName, baseUrl, redactPayload, redact, fetchStepTrace);
  const config: CoreConfig = {
    baseHeaders: {
      "x-noukai-api-version": API_VERSION,
      "user-agent": `noukai-ts/${VERSION} (${runtimeDescription()})`,
    },
    credentials: new Credentials(apiKey),
    timeoutMs: given.timeout ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: given.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries: given.maxRetries ?? DEFAULT_MAX_RETRIES },
    onLog: given.onLog,
    logPayloads: given.logPayloads ?? false,
    redactPayload,
    defaultSessionId: given.sessionId,
    redact,
    now: () => Date.now(),
    random: Math.random,
    newId: newUuid,
    // Telemetry comes first, so that its span is open around what the caller's middleware does.
    middleware: telemetry === undefined ? middleware : Object.freeze([telemetry, ...middleware]),
    ambient: ambientLayer,
  };
  return { config, baseUrl, defaults, fetch: given.fetch, fetchModule, maxConnections: given.maxConnections ?? DEFAULT_MAX_CONNECTIONS, signal: given.signal };
}

function resolveApiKey(value: unknown, isDev: boolean, clientName: string): string {
  const key = value ?? readEnv("NOUKAI_API_KEY") ?? (isDev ? DEV_API_KEY : undefined);
  if (key === undefined || key === "") {
    throw new AuthenticationError(`No API key: pass new ${clientName}({ apiKey }) or set NOUKAI_API_KEY (or NOUKAI_ENV=dev for a local server).`, {
      code: "MISSING_API_KEY",
    });
  }
  if (typeof key !== "string") {
    throw new AuthenticationError(`apiKey must be a string, got ${describe(key)}.`, {
      code: "INVALID_API_KEY",
    });
  }
  if (!key.startsWith("nk_")) {
    throw new AuthenticationError('The API key must start with "nk_".', { code: "INVALID_API_KEY" });
  }
  // It travels in a header, which carries visible ASCII only: anything else
  // (a space, a zero-width space pasted with the key) would fail every request.
  const bad = /[^\x21-\x7e]/.exec(key);
  if (bad !== null) {
    throw new AuthenticationError(
      `The API key contains ${characterName(bad[0])} at position ${bad.index + 1}; a key is visible ASCII only (was it pasted with something else?).`,
      { code: "INVALID_API_KEY" },
    );
  }
  return key;
}

/** The `redact` option: key paths, each checked, compiled once. */
function resolveRedact(value: unknown): PayloadRedactor {
  if (value === undefined) return compileRedactPaths([]);
  if (!Array.isArray(value)) throw new TypeError(`redact must be an array of key paths such as "parameters.ssn", got ${describe(value)}.`);
  value.forEach((path: unknown, index) => {
    const problem = redactPathProblem(path);
    if (problem !== undefined) throw new ValueError(`redact[${index}] ${problem}: a key path is keys joined by dots, such as "parameters.ssn" or "messages.*.content", got ${describe(path)}.`);
  });
  return compileRedactPaths(value.map(String));
}

function resolveDefaults(org: unknown, project: unknown, clientName: string): FlowDefaults {
  if ((org === undefined) !== (project === undefined)) {
    throw new ValueError(`new ${clientName}() takes org and project together, or neither.`);
  }
  if (org === undefined) return { org: null, project: null };
  return { org: checkIdentifier(org, "org"), project: checkIdentifier(project, "project") };
}

/** `U+200B`, or `a space`: names a character without printing the key around it. */
function characterName(character: string): string {
  if (character === " ") return "a space";
  const code = character.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The layer of the scope open around the current call, if any (read once per call). */
function ambientLayer(): Middleware | undefined {
  return ambientScopes.current()?.layer;
}
