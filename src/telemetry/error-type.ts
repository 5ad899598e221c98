/**
 * `error.type` for a span (OpenTelemetry's error conventions): a low-cardinality
 * name for what went wrong. The error's code when it has one (the service's
 * `FLOW_NOT_FOUND`, the client's `TIMEOUT`), else its class name.
 */
export function errorType(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    if ("code" in error && typeof error.code === "string" && error.code !== "") return error.code;
    if (error instanceof Error && error.name !== "") return error.name;
  }
  return "_OTHER";
}

/** What a span's status says of an error: its message, bounded (a status is not a log). */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 1024 ? `${message.slice(0, 1024)}…` : message;
}
