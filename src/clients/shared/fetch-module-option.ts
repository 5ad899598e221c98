import { ValueError } from "../../core/errors.js";
import { describe } from "../../core/identifiers.js";

/** `fetchModule` must say exactly which module: an absolute URL (`new URL("./x.js", import.meta.url)`, `file:///…`). */
export function checkFetchModule(value: unknown): string {
  const text = value instanceof URL ? value.href : value;
  if (typeof text !== "string") throw new TypeError(`fetchModule must be a URL or a URL string, got ${describe(value)}.`);
  try {
    return new URL(text).href;
  } catch {
    throw new ValueError(`fetchModule must be an absolute URL, such as new URL("./fake-service.js", import.meta.url), got ${describe(text)}.`);
  }
}
