import { ValueError } from "../../core/errors.js";
import { describe } from "../../core/identifiers.js";
import { readEnv } from "./environment.js";

export const PRODUCTION_BASE_URL = "https://api.noukai.xyz/api/v1";
export const DEV_BASE_URL = "http://localhost:8080/api/v1";
/** The key a local server accepts unless started with `--api-key`: sent in the dev environment when no key is given. */
export const DEV_API_KEY = "nk_dev";

const ENVIRONMENTS = new Map([
  ["production", PRODUCTION_BASE_URL],
  ["dev", DEV_BASE_URL],
  ["development", DEV_BASE_URL],
]);

/**
 * Where requests go: `baseUrl`, else `env`, else `NOUKAI_BASE_URL`, else
 * `NOUKAI_ENV`, else production. An unknown `env` is an error, never a
 * silent fall back to production.
 */
export function resolveBaseUrl(options: { env?: unknown; baseUrl?: unknown }): URL {
  // A bad `env` is refused even when `baseUrl` makes it moot: a typo must not pass unnoticed.
  if (options.env !== undefined) environmentUrl(options.env, "env");
  if (options.baseUrl !== undefined) return checkBaseUrl(options.baseUrl, "baseUrl");
  if (options.env !== undefined) return environmentUrl(options.env, "env");
  const fromEnv = readEnv("NOUKAI_BASE_URL");
  if (fromEnv !== undefined) return checkBaseUrl(fromEnv, "NOUKAI_BASE_URL");
  const envName = readEnv("NOUKAI_ENV");
  if (envName !== undefined) return environmentUrl(envName, "NOUKAI_ENV");
  return new URL(PRODUCTION_BASE_URL);
}

/**
 * Whether the client talks to the dev environment: `env` says so, or, when it
 * is not given, `NOUKAI_ENV` does. The command line's `--dev` follows the same
 * rule, so both send `DEV_API_KEY` when no key is given.
 */
export function isDevEnvironment(env: unknown): boolean {
  const name = env ?? readEnv("NOUKAI_ENV");
  return name === "dev" || name === "development";
}

function environmentUrl(env: unknown, source: string): URL {
  const url = typeof env === "string" ? ENVIRONMENTS.get(env) : undefined;
  if (url === undefined) {
    throw new ValueError(`${source} must be "production", "dev" or "development", got ${describe(env)}.`);
  }
  return new URL(url);
}

/**
 * A base URL must be `https:`, or `http:` to this machine: the key is sent on
 * every request and must never cross a network in clear text. It may not
 * carry credentials, a query or a fragment.
 */
export function checkBaseUrl(value: unknown, source: string): URL {
  if (typeof value !== "string") throw new ValueError(`${source} must be a URL string, got ${describe(value)}.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValueError(`${source} is not a valid URL: ${describe(value)}.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ValueError(`${source} must be an https: URL (or http: to localhost), got ${url.protocol} .`);
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new ValueError(
      `${source} uses http: to ${url.hostname}, which would send the API key in clear text; use https:, ` +
        "or http: only to localhost / 127.0.0.1 / [::1]" +
        (url.hostname.toLowerCase().endsWith(".localhost")
          ? " (a name under .localhost is looked up through DNS, which could send it off this machine)."
          : "."),
    );
  }
  if (url.username !== "" || url.password !== "") throw new ValueError(`${source} must not contain credentials.`);
  if (url.search !== "" || url.hash !== "") throw new ValueError(`${source} must not have a query or a fragment.`);
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/**
 * Names that reach this machine without asking anyone: `localhost` (answered
 * from the hosts file) and the loopback addresses. Names under `.localhost`
 * are not among them: outside a browser they go to whatever DNS resolver the
 * machine uses, which could answer with another host.
 */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === "localhost" || /^127(\.\d{1,3}){3}$/.test(host) || host === "[::1]" || host === "::1";
}
