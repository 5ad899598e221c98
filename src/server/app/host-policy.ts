import { isIP } from "node:net";

/**
 * Which `Host` names the server answers to. A web page that rebinds its own
 * DNS name to 127.0.0.1 reaches the server with that name in `Host`, so only
 * names that cannot be rebound, or that the user listed, are served:
 *
 * - IP literals (`127.0.0.1`, `[::1]`, the machine's addresses): no DNS is involved;
 * - `localhost`;
 * - the name the server was bound to, and this machine's name when it is bound beyond loopback;
 * - the `allowedHosts` option: exact names, `.example.test` for a domain and its subdomains, or `*` for any.
 *
 * Requests without `Host` (HTTP/1.0, or `app.fetch` in-process) come from no browser and are served.
 */
export class HostPolicy {
  readonly #names = new Set<string>(["localhost"]);
  readonly #domains: string[] = [];
  readonly #verdicts = new Map<string, boolean>();
  #any = false;

  constructor(allowed: readonly string[] = []) {
    this.allow(allowed);
  }

  /** Adds the names a server is bound to; one that is not a host name (an odd machine name) is skipped. */
  allowServed(names: readonly string[]): void {
    for (const name of names) {
      try {
        this.allow([name]);
      } catch {
        // Such a name could not be in a Host header anyway.
      }
    }
  }

  /** Adds names; throws a RangeError naming one that is not a host name, `.domain` or `*`. */
  allow(names: readonly string[]): void {
    this.#verdicts.clear();
    for (const name of names.map(normaliseAllowedHost)) {
      if (name === "*") this.#any = true;
      else if (name.startsWith(".")) this.#domains.push(name);
      else this.#names.add(name);
    }
  }

  allows(header: string | undefined): boolean {
    if (header === undefined || this.#any) return true;
    // Clients send the same Host again and again: verdicts are kept (a few hundred at most).
    let verdict = this.#verdicts.get(header);
    if (verdict === undefined) {
      if (this.#verdicts.size >= 256) this.#verdicts.clear();
      verdict = this.#decide(header);
      this.#verdicts.set(header, verdict);
    }
    return verdict;
  }

  #decide(header: string): boolean {
    const name = hostnameOf(header);
    if (name === undefined) return false;
    if (this.#names.has(name) || isIP(name.startsWith("[") ? name.slice(1, -1) : name) !== 0) return true;
    return this.#domains.some((domain) => name.endsWith(domain) || name === domain.slice(1));
  }
}

const LABEL = /^[a-z0-9_-]{1,63}$/;

/** A DNS name: dot-separated labels of letters, digits, `-` and `_` (lower case here). */
function isHostName(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split(".").every((label) => LABEL.test(label));
}

/** `HOST[:PORT]` → the lower-case host without port or trailing dot, or undefined when it is not a host. */
function hostnameOf(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  const bracketed = /^(\[[0-9a-f:.]+\])(?::\d{1,5})?$/.exec(value);
  if (bracketed) return bracketed[1];
  const plain = /^([^:]+)(?::\d{1,5})?$/.exec(value);
  const name = plain?.[1]?.replace(/\.$/, "");
  return name !== undefined && isHostName(name) ? name : undefined;
}

/**
 * An `allowedHosts` entry in its compared form; throws a RangeError naming a
 * value that is not a host name, `.domain` or `*`.
 */
export function normaliseAllowedHost(entry: string): string {
  const value = entry.trim().toLowerCase().replace(/\.$/, "");
  if (value === "*") return value;
  if (value.startsWith(".") && isHostName(value.slice(1))) return value;
  if (isHostName(value)) return value;
  if (isIP(value.replace(/^\[|\]$/g, "")) !== 0) return value.includes(":") && !value.startsWith("[") ? `[${value}]` : value;
  throw new RangeError(`allowed host ${JSON.stringify(entry)} is not a host name (a name, .domain for a domain and its subdomains, an IP address, or *)`);
}
