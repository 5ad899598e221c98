import { AsyncNoukai, type ClientOptions, ValueError } from "../index.js";
import { CliError, EXIT, usageError } from "./errors.js";
import type { CliIo } from "./io.js";

/** The flags every client command takes (`noukai --dev run …` or `noukai run … --dev`). */
export const CONNECTION_OPTIONS = {
  dev: { type: "boolean" },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  timeout: { type: "string" },
} as const;

export const CONNECTION_HELP = `Connection (also before the command):
  --dev                    the local server at http://localhost:8080/api/v1 (noukai dev)
  --base-url URL           another API root (https:, or http: to localhost only)
  --api-key KEY            the API key (starts with nk_)
  --timeout SECONDS        give up on a silent request after this long (default 300)
Otherwise: NOUKAI_API_KEY, NOUKAI_BASE_URL, NOUKAI_ENV (production, dev).
With --dev (or NOUKAI_ENV=dev) and no key, the key nk_dev is used.`;

export interface ConnectionFlags {
  dev?: boolean | undefined;
  "base-url"?: string | undefined;
  "api-key"?: string | undefined;
  timeout?: string | undefined;
}

const DEV_BASE_URL = "http://localhost:8080/api/v1";
/** Any `nk_` key works on a local server unless it was started with `--api-key`. */
const DEV_API_KEY = "nk_dev";
const ENVIRONMENTS = ["production", "dev", "development"] as const;

/** A client, and the id of the last response it got: the one to quote when a run fails inside a 200. */
export interface Connection {
  readonly client: AsyncNoukai;
  readonly lastRequestId: () => string | undefined;
}

/**
 * Builds the client from flags, then the injected environment. Every option
 * is passed explicitly, so the client never falls back to `process.env` on
 * its own and tests see only the environment they inject.
 */
export function connect(flags: ConnectionFlags, io: CliIo): Connection {
  const target = resolveTarget(flags, io.env);
  const apiKey = flags["api-key"] ?? io.env["NOUKAI_API_KEY"] ?? (target.isDev ? DEV_API_KEY : undefined);
  if (apiKey === undefined || apiKey === "") {
    throw new CliError("AuthenticationError (MISSING_API_KEY): no API key; pass --api-key or set NOUKAI_API_KEY", EXIT.auth);
  }
  let lastRequestId: string | undefined;
  const options: ClientOptions = {
    apiKey,
    ...target.options,
    onLog: (event) => {
      if (event.phase === "response" && event.requestId !== undefined) lastRequestId = event.requestId;
    },
  };
  if (flags.timeout !== undefined) options.timeout = parseSeconds("--timeout", flags.timeout);
  try {
    return { client: new AsyncNoukai(options), lastRequestId: () => lastRequestId };
  } catch (error) {
    // A malformed URL is a usage error; say which setting held it.
    if (error instanceof ValueError) throw usageError(`${target.source}: ${error.message}`);
    throw error;
  }
}

interface Target {
  options: Pick<ClientOptions, "baseUrl" | "env">;
  isDev: boolean;
  source: string;
}

function resolveTarget(flags: ConnectionFlags, env: CliIo["env"]): Target {
  const baseUrl = flags["base-url"];
  if (flags.dev === true && baseUrl !== undefined) throw usageError("--dev and --base-url name two different servers; pass one");
  if (baseUrl !== undefined) return { options: { baseUrl }, isDev: false, source: "--base-url" };
  if (flags.dev === true) return { options: { baseUrl: DEV_BASE_URL }, isDev: true, source: "--dev" };
  const fromEnv = nonEmpty(env["NOUKAI_BASE_URL"]);
  if (fromEnv !== undefined) return { options: { baseUrl: fromEnv }, isDev: false, source: "NOUKAI_BASE_URL" };
  const name = nonEmpty(env["NOUKAI_ENV"]) ?? "production";
  if (!(ENVIRONMENTS as readonly string[]).includes(name)) {
    throw usageError(`NOUKAI_ENV must be production, dev or development, got ${JSON.stringify(name)}`);
  }
  const envName = name as (typeof ENVIRONMENTS)[number];
  return { options: { env: envName }, isDev: envName !== "production", source: "NOUKAI_ENV" };
}

/** `--timeout 30`, `--timeout 0.5`: seconds, like curl's, turned into the client's milliseconds. */
export function parseSeconds(flag: string, text: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0)) throw usageError(`${flag} must be a positive number of seconds, got ${JSON.stringify(text)}`);
  return Math.max(1, Math.round(seconds * 1000));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
