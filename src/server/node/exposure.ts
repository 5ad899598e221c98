import type { AppOptions } from "../options.js";
import { isLoopback } from "./host-names.js";

/**
 * What is risky about serving with these options, one sentence each, for a
 * command or an embedding program to print at start: a server reachable from
 * other machines that accepts any key, and settings that switch off a
 * protection against web pages.
 */
export function exposureWarnings(options: Pick<AppOptions, "apiKeys" | "cors" | "allowedHosts"> & { host: string }): string[] {
  const warnings: string[] = [];
  if (!isLoopback(options.host) && options.apiKeys === undefined) {
    warnings.push(
      `listening on ${options.host}, beyond this machine, with no API keys set: anyone who can reach it can run flows with any nk_ key (set --api-key, or the apiKeys option)`,
    );
  }
  if (options.cors?.some((origin) => origin.trim() === "*")) {
    warnings.push("cors * lets every web page you visit call this server; list the origins you use instead");
  }
  if (options.allowedHosts?.some((name) => name.trim() === "*")) {
    warnings.push("allowed host * answers any Host name, so a web page can reach this server by DNS rebinding; list the names you use instead");
  }
  return warnings;
}
