import type { JsonValue, TemplateValue } from "../flows/types.js";

/**
 * Templates of the mock model: `{{path}}` placeholders with optional filters,
 * `{{message | lastWord}}`. A string that is exactly one placeholder yields the
 * value itself (an object stays an object); otherwise values are spliced in as
 * text (strings as-is, other values as JSON, missing values as "").
 */
export type TemplateScope = Record<string, unknown>;

type Part = string | Placeholder;
interface Placeholder {
  path: string[];
  filters: string[];
}

const PLACEHOLDER = /\{\{\s*([^{}|]+?)\s*((?:\|\s*[A-Za-z]+\s*)*)\}\}/g;
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

// Parsed templates are cached; the cache is bounded because blockOverrides
// let callers send templates of their own.
const cache = new Map<string, Part[]>();
const CACHE_LIMIT = 2000;

export function renderTemplate(template: TemplateValue, scope: TemplateScope): JsonValue {
  if (typeof template === "string") return renderString(template, scope);
  if (Array.isArray(template)) return template.map((item) => renderTemplate(item, scope));
  if (template !== null && typeof template === "object") {
    const out: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(template)) {
      const rendered = renderTemplate(value, scope);
      // A key named __proto__ stays a key of the output, as it was in the template.
      if (key === "__proto__") Object.defineProperty(out, key, { value: rendered, enumerable: true, writable: true, configurable: true });
      else out[key] = rendered;
    }
    return out;
  }
  return template;
}

/** Unknown filter names, so a flow file can be rejected at load time. */
export function unknownFilters(template: TemplateValue): string[] {
  const found: string[] = [];
  const visit = (value: TemplateValue): void => {
    if (typeof value === "string") {
      for (const part of parse(value)) if (typeof part !== "string") found.push(...part.filters.filter((f) => !FILTERS.has(f)));
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(template);
  return found;
}

function renderString(template: string, scope: TemplateScope): JsonValue {
  const parts = parse(template);
  if (parts.length === 1 && typeof parts[0] !== "string" && parts[0] !== undefined) {
    return toJson(evaluate(parts[0], scope));
  }
  let out = "";
  for (const part of parts) out += typeof part === "string" ? part : text(evaluate(part, scope));
  return out;
}

function parse(template: string): Part[] {
  const cached = cache.get(template);
  if (cached) return cached;
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(template.slice(last, match.index));
    const filters = (match[2] ?? "").split("|").map((f) => f.trim()).filter(Boolean);
    parts.push({ path: (match[1] ?? "").split("."), filters });
    last = match.index + match[0].length;
  }
  if (last < template.length || parts.length === 0) parts.push(template.slice(last));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(template, parts);
  return parts;
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
