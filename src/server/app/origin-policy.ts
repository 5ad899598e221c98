/**
 * Which web pages may call the server. A browser marks a page's requests with
 * `Origin`; clients outside a browser send none and are unaffected. By
 * default no page may: a request that carries an Origin not listed in the
 * `cors` option is refused (and gets no CORS headers), preflight or not.
 * `cors: ["*"]` lets every page in (an explicit choice; `noukai dev` warns).
 */
export type OriginVerdict = { kind: "none" } | { kind: "allowed"; allowOrigin: string } | { kind: "refused" };

const NO_ORIGIN: OriginVerdict = { kind: "none" };
const REFUSED: OriginVerdict = { kind: "refused" };
const ANY_PAGE: OriginVerdict = { kind: "allowed", allowOrigin: "*" };

export class OriginPolicy {
  readonly #origins: Set<string>;
  readonly #any: boolean;

  constructor(cors: readonly string[] = []) {
    const origins = cors.map(normaliseOrigin);
    this.#any = origins.includes("*");
    this.#origins = new Set(origins);
  }

  check(origin: string | undefined): OriginVerdict {
    if (origin === undefined) return NO_ORIGIN;
    if (this.#any) return ANY_PAGE;
    return this.#origins.has(origin.trim().toLowerCase()) ? { kind: "allowed", allowOrigin: origin.trim() } : REFUSED;
  }
}

/** A `cors` entry as browsers send it (`scheme://host[:port]`, lower case, no default port), or `*`; throws a RangeError otherwise. */
export function normaliseOrigin(entry: string): string {
  const value = entry.trim();
  if (value === "*") return value;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.username !== "" || url.password !== "") {
    throw new RangeError(`cors origin ${JSON.stringify(entry)} is not a web origin (http://host[:port] or https://host[:port]) or *`);
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
    throw new RangeError(`cors origin ${JSON.stringify(entry)} has a path; an origin is only http(s)://host[:port]`);
  }
  return url.origin;
}
