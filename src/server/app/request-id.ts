import { randomUUID } from "node:crypto";

/** `req_` + 32 random hex digits, the X-Request-ID of every answer. (Node 18 has no global `crypto`.) */
export function newRequestId(): string {
  return `req_${randomUUID().replaceAll("-", "")}`;
}
