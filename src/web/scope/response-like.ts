import { describe } from "../../core/identifiers.js";

/**
 * Whether a handler's answer is a web Response. Checked by shape, not with
 * `instanceof Response`: a server may swap the global class for its own
 * (@hono/node-server does), and a Response made by `fetch()` or by another
 * realm (a bundled polyfill, a VM context) is then not an instance of the
 * global one, though it is a real Response.
 */
export function isResponseLike(value: unknown): value is Response {
  if (typeof value !== "object" || value === null) return false;
  const { status, headers, body } = value as Partial<Record<"status" | "headers" | "body", unknown>>;
  const headersLike = typeof headers === "object" && headers !== null && typeof (headers as Headers).forEach === "function";
  const bodyLike = body === null || (typeof body === "object" && body !== null && typeof (body as ReadableStream).getReader === "function");
  return typeof status === "number" && headersLike && bodyLike;
}

/** The refusal of an answer that is not a Response, naming what it was. */
export function notAResponse(where: string, value: unknown): TypeError {
  return new TypeError(`${where} must return a Response, got ${whatItIs(value)}.`);
}

function whatItIs(value: unknown): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return describe(value);
  const className = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  const kind = typeof className === "string" && className !== "" && className !== "Object" ? `an instance of ${className}` : "a plain object";
  const fields = ["status", "headers", "body"].filter((name) => !(name in value));
  return fields.length === 0 ? `${kind} whose status, headers or body are not a Response's` : `${kind} without ${fields.join(", ")}`;
}
