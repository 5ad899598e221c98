import type { JsonValue, TemplateValue } from "../flows/types.js";
import { escapedBytes, jsonBytes } from "../json/json-size.js";
import { unlimited, type OutputAllowance } from "./output-allowance.js";
import { parsedTemplate } from "./template-cache.js";
import type { Placeholder } from "./template-parts.js";

/**
 * Templates of the mock model: `{{path}}` placeholders with optional filters,
 * `{{message | lastWord}}`. A string that is exactly one placeholder yields the
 * value itself (an object stays an object); otherwise values are spliced in as
 * text (strings as-is, other values as JSON, missing values as "").
 */
export type TemplateScope = Record<string, unknown>;

// A Map, not an object: a filter named in a template must never reach
// Object.prototype (`valueOf`, `constructor`, `hasOwnProperty`…).
const FILTERS = new Map<string, (value: unknown) => unknown>([
  ["upper", (value) => text(value).toUpperCase()],
  ["lower", (value) => text(value).toLowerCase()],
  ["trim", (value) => text(value).trim()],
  ["json", (value) => JSON.stringify(value ?? null)],
  ["length", (value) => (Array.isArray(value) ? value.length : text(value).length)],
  [
    "lastWord",
    (value) => {
      const words = text(value).match(/[\p{L}\p{N}'-]+/gu) ?? [];
      return words.at(-1) ?? "";
    },
  ],
  ["first", (value) => (Array.isArray(value) ? (value[0] as unknown) : text(value).slice(0, 1))],
  ["last", (value) => (Array.isArray(value) ? (value.at(-1) as unknown) : text(value).slice(-1))],
]);

/**
 * Renders a template against a scope. Its output's JSON is drawn from
 * `allowance` piece by piece, each piece weighed before it is built: spliced
 * values count by their serialized size, each time they are referenced.
 */
export function renderTemplate(template: TemplateValue, scope: TemplateScope, allowance: OutputAllowance = unlimited()): JsonValue {
  if (typeof template === "string") return renderString(template, scope, allowance);
  if (Array.isArray(template)) {
    allowance.take(template.length > 0 ? template.length + 1 : 2);
    return template.map((item) => renderTemplate(item, scope, allowance));
  }
  if (template !== null && typeof template === "object") {
    const out: Record<string, JsonValue> = {};
    const keys = Object.keys(template);
    allowance.take(keys.length > 0 ? keys.length + 1 : 2);
    for (const key of keys) {
      allowance.take(escapedBytes(key) + 3);
      const rendered = renderTemplate(template[key] as TemplateValue, scope, allowance);
      // A key named __proto__ stays a key of the output, as it was in the template.
      if (key === "__proto__") Object.defineProperty(out, key, { value: rendered, enumerable: true, writable: true, configurable: true });
      else out[key] = rendered;
    }
    return out;
  }
  allowance.take(jsonBytes(template));
  return template;
}

/** Unknown filter names, so a flow file can be rejected at load time. */
export function unknownFilters(template: TemplateValue): string[] {
  const found: string[] = [];
  const visit = (value: TemplateValue): void => {
    if (typeof value === "string") {
      for (const part of parsedTemplate(value)) if (typeof part !== "string") found.push(...part.filters.filter((f) => !FILTERS.has(f)));
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(template);
  return found;
}

function renderString(template: string, scope: TemplateScope, allowance: OutputAllowance): JsonValue {
  const parts = parsedTemplate(template);
  if (parts.length === 1 && typeof parts[0] !== "string" && parts[0] !== undefined) {
    const value = toJson(evaluate(parts[0], scope));
    allowance.take(jsonBytes(value, allowance.left));
    return value;
  }
  allowance.take(2);
  let out = "";
  for (const part of parts) {
    if (typeof part === "string") {
      allowance.take(escapedBytes(part));
      out += part;
      continue;
    }
    const value = evaluate(part, scope);
    // A value that is not text is spliced as its JSON: weighed before that JSON is built.
    if (value !== null && typeof value === "object") allowance.check(jsonBytes(value, allowance.left));
    const spliced = text(value);
    allowance.take(escapedBytes(spliced));
    out += spliced;
  }
  return out;
}

function evaluate(placeholder: Placeholder, scope: TemplateScope): unknown {
  let value: unknown = scope;
  for (const key of placeholder.path) {
    if (value === null || value === undefined) break;
    value = typeof value === "object" && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  for (const name of placeholder.filters) {
    const filter = FILTERS.get(name);
    if (filter) value = filter(value);
  }
  return value;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? "";
}

function toJson(value: unknown): JsonValue {
  return value === undefined ? "" : (value as JsonValue);
}
