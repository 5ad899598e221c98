import { type ClientOptions, ValueError } from "../index.js";
import { MAX_TIMER_MS } from "../core/timer-limit.js";
import { CliClient } from "./cli-client.js";
import { readStoredKeys } from "./credentials.js";
import { debugMiddleware } from "./debug-log.js";
import { CliError, EXIT, usageError } from "./errors.js";
import type { CliIo } from "./io.js";
import { rememberTarget, type Target } from "./target.js";

/** The flags every client command takes (`noukai --dev run …` or `noukai run … --dev`). */
export const CONNECTION_OPTIONS = {
  dev: { type: "boolean" },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  timeout: { type: "string" },
} as const;

export const CONNECTION_HELP = `Connection (also before the command):
  --dev                    the local server at http://localhost:8080/api/v1 (noukai dev)
  --base-url URL           another API root, ending in /api/v1 (https:, or http: to localhost only)
  --api-key KEY            the API key (starts with nk_); better: noukai login, or NOUKAI_API_KEY
  --timeout SECONDS        give up on a silent request after this long (default 300)
Otherwise: NOUKAI_API_KEY, NOUKAI_BASE_URL, NOUKAI_ENV (production, dev), then
the key noukai login stored for that API root. In the dev environment (--dev
or NOUKAI_ENV=dev) with no key, the key nk_dev is used, as the SDK does.`;

export interface ConnectionFlags {
  dev?: boolean | undefined;
  "base-url"?: string | undefined;
  "api-key"?: string | undefined;
  timeout?: string | undefined;
  debug?: boolean | undefined;
}

const PRODUCTION_BASE_URL = "https://api.noukai.xyz/api/v1";
const DEV_BASE_URL = "http://localhost:8080/api/v1";
/** Any `nk_` key works on a local server unless it was started with `--api-key`: the SDK's rule too. */
const DEV_API_KEY = "nk_dev";
const ENVIRONMENTS = ["production", "dev", "development"] as const;

/** A client, where it goes, and the id of the last response it got: the one to quote when a run fails inside a 200. */
export interface Connection {
  readonly client: CliClient;
  readonly target: Target;
  readonly apiKey: string;
  readonly lastRequestId: () => string | undefined;
}

/**
 * Builds the client from flags, then the injected environment, then the
 * stored login. Every option is passed explicitly, so the client never falls
 * back to `process.env` on its own and tests see only what they inject.
 */
export async function connect(flags: ConnectionFlags, io: CliIo): Promise<Connection> {
  // A bad flag is told before anything else is looked up.
  const timeout = flags.timeout === undefined ? undefined : parseSeconds("--timeout", flags.timeout);
  const target = resolveTarget(flags, io.env);
  rememberTarget(io, target);
  const apiKey = flags["api-key"] ?? nonEmpty(io.env["NOUKAI_API_KEY"]) ?? (await readStoredKeys(io.env)).keys[target.baseUrl] ?? (target.isDev ? DEV_API_KEY : undefined);
  if (apiKey === undefined) {
    throw new CliError(`AuthenticationError (MISSING_API_KEY): no API key for ${target.host}; run noukai login${hintFlags(target)}, pass --api-key, or set NOUKAI_API_KEY`, EXIT.auth);
  }
  let lastRequestId: string | undefined;
  const options: ClientOptions = {
    apiKey,
    baseUrl: target.baseUrl,
    onLog: (event) => {
      if (event.phase === "response" && event.requestId !== undefined) lastRequestId = event.requestId;
    },
  };
  if (flags.debug === true) options.middleware = [debugMiddleware(target.baseUrl, apiKey, (line) => io.stderr(line))];
  if (timeout !== undefined) options.timeout = timeout;
  try {
    return { client: new CliClient(options), target, apiKey, lastRequestId: () => lastRequestId };
  } catch (error) {
    // A malformed URL is a usage error; say which setting held it.
    if (error instanceof ValueError) throw usageError(`${target.source}: ${error.message}`);
    throw error;
  }
}

/** The server the flags and the environment name, checked (an API root ending in /api/v1). */
export function resolveTarget(flags: ConnectionFlags, env: CliIo["env"]): Target {
  const baseUrl = flags["base-url"];
  if (flags.dev === true && baseUrl !== undefined) throw usageError("--dev and --base-url name two different servers; pass one");
  const envName = nonEmpty(env["NOUKAI_ENV"]) ?? "production";
  if (!(ENVIRONMENTS as readonly string[]).includes(envName)) {
    throw usageError(`NOUKAI_ENV must be production, dev or development, got ${JSON.stringify(envName)}`);
  }
  const isDev = flags.dev === true || envName !== "production";
  if (baseUrl !== undefined) return targetFrom(baseUrl, "--base-url", isDev, ["--base-url", baseUrl]);
  if (flags.dev === true) return targetFrom(DEV_BASE_URL, "--dev", true, ["--dev"]);
  const fromEnv = nonEmpty(env["NOUKAI_BASE_URL"]);
  if (fromEnv !== undefined) return targetFrom(fromEnv, "NOUKAI_BASE_URL", isDev, []);
  return targetFrom(isDev ? DEV_BASE_URL : PRODUCTION_BASE_URL, "NOUKAI_ENV", isDev, []);
}

/**
 * Every Noukai API root ends in `/api/v1`: a URL without it would reach the
 * server and be answered "no route" for every flow, which reads like a
 * missing flow. Refused here, before any request, with the URL meant.
 */
function targetFrom(text: string, source: string, isDev: boolean, flags: string[]): Target {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`${source}: not a URL: ${JSON.stringify(text)} (e.g. http://localhost:8080/api/v1)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    // `localhost:8080` parses as a URL of scheme "localhost:": what was meant is the host.
    const meant = text.includes("://") ? "" : ` (did you mean http://${text.replace(/\/+$/, "")}/api/v1?)`;
    throw usageError(`${source} ${text}: the base URL must start with https:// (or http:// to this machine)${meant}`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith("/api/v1")) {
    const meant = `${url.origin}${path}/api/v1`;
    throw usageError(`${source} ${text}: the base URL should end in /api/v1 (did you mean ${meant}?)`);
  }
  const baseUrl = `${url.origin}${path}`;
  const host = url.host;
  const isLocal = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(url.hostname);
  return { baseUrl, host, source, isDev, isLocal, flags };
}

/** ` --dev` or ` --base-url URL`: what a printed command needs to reach the same server. Never the key. */
export function hintFlags(target: Target): string {
  return target.flags.map((flag) => ` ${shellWord(flag)}`).join("");
}

/** A word the shell reads back as it is: quoted when it holds anything but safe characters. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * `--timeout 30`, `--timeout 0.5`: seconds, like curl's, turned into the client's milliseconds.
 * A wait longer than a timer holds (about 24 days) is refused by name here, before any request:
 * the client would refuse it too, as an option the user never typed.
 */
export function parseSeconds(flag: string, text: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0)) throw usageError(`${flag} must be a positive number of seconds in digits (30, 0.5), got ${JSON.stringify(text)}`);
  const ms = Math.max(1, Math.round(seconds * 1000));
  if (ms > MAX_TIMER_MS) throw usageError(`${flag} must be at most ${MAX_TIMER_MS / 1000} seconds (about 24 days), got ${JSON.stringify(text)}`);
  return ms;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
