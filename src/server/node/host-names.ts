import { isIP } from "node:net";
import { hostname } from "node:os";

/** Addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || bare.startsWith("127.") || bare.startsWith("::ffff:127.");
}

/**
 * The names a server bound to `host` is called by, beyond localhost and IP
 * addresses (which always pass the Host check): the name it was bound to,
 * and, when it is reachable from other machines, this machine's own name.
 */
export function hostNamesOf(host: string): string[] {
  const names = isIP(host.replace(/^\[|\]$/g, "")) === 0 ? [host] : [];
  if (isLoopback(host)) return names;
  const own = hostname().toLowerCase();
  return own === "" ? names : [...names, own, `${own}.local`];
}
