import type { RelayIncoming } from "../relay/server/relay-core.js";

/** A web `Request` as the relay core takes it: the body stays unread until the core opens it. */
export function incomingOfRequest<R>(request: Request, own: R): RelayIncoming<R> {
  return {
    request: own,
    method: request.method,
    headers: request.headers,
    declaredLength: declaredLength(request.headers.get("content-length")),
    body: () => request.body,
    signal: request.signal,
  };
}

/** Content-Length when it is a plain number of bytes; anything else is left to the counted read. */
export function declaredLength(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
