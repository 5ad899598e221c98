import { parseFaultFlag, type ApiKeyRule, type FaultRule, type RateLimit } from "../server/index.js";
import { usageError } from "./errors.js";

/** `--api-key KEY[@org[/project]]` */
export function parseApiKey(text: string): ApiKeyRule {
  const at = text.indexOf("@");
  const key = at < 0 ? text : text.slice(0, at);
  if (!/^nk_[\x21-\x7e]+$/.test(key)) throw usageError("--api-key needs a key that starts with nk_ (then @org or @org/project, optionally)");
  if (at < 0) return { key };
  const [org = "", project, ...rest] = text.slice(at + 1).split("/");
  if (org === "" || project === "" || rest.length > 0) throw usageError("--api-key scope must be @org or @org/project");
  return project === undefined ? { key, org } : { key, org, project };
}

/** `--credits ORG=USD` */
export function parseCredits(values: readonly string[]): Record<string, string> {
  const credits = new Map<string, string>();
  for (const text of values) {
    const eq = text.indexOf("=");
    const org = text.slice(0, eq);
    const amount = text.slice(eq + 1);
    // The amount itself is checked by the server, which names the org at fault.
    if (eq <= 0 || !/^-?\d+(\.\d+)?$/.test(amount.trim())) throw usageError(`--credits ${JSON.stringify(text)}: expected ORG=USD, e.g. acme=5.00`);
    credits.set(org, amount);
  }
  // fromEntries defines each org as an own key, even one named __proto__.
  return Object.fromEntries(credits);
}

/** `--rate-limit N/SECONDS` */
export function parseRateLimit(text: string): RateLimit {
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text);
  if (!match || Number(match[1]) < 1 || !(Number(match[2]) > 0)) throw usageError(`--rate-limit ${JSON.stringify(text)}: expected REQUESTS/SECONDS, e.g. 10/1`);
  return { requests: Number(match[1]), windowSeconds: Number(match[2]) };
}

export function parseFault(text: string): FaultRule {
  try {
    return parseFaultFlag(text);
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

export function parseInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw usageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** A duration in seconds (a decimal number >= 0). */
export function parseSeconds(flag: string, text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) > 86_400) throw usageError(`${flag} must be a number of seconds from 0 to 86400, got ${JSON.stringify(text)}`);
  return Number(text);
}
