import { BoundedMap } from "../bounded-map.js";
import { parseTemplate, type Part } from "./template-parts.js";

// Parsed templates are kept for reuse, within a budget: callers send
// templates of their own in blockOverrides, so the cache is weighed (text and
// parts) and a long template is parsed each time rather than kept.
const MAX_CACHED_CHARS = 16 * 1024;
const PART_BYTES = 64;
const cache = new BoundedMap<string, Part[]>({
  maxEntries: 2_000,
  maxWeight: 4 * 1024 * 1024,
  ttlMs: Number.POSITIVE_INFINITY,
  now: () => 0,
  weigh: (parts) => parts.reduce((bytes, part) => bytes + PART_BYTES + (typeof part === "string" ? part.length : 0), 0),
});

export function parsedTemplate(template: string): Part[] {
  const cached = cache.get(template);
  if (cached) return cached;
  const parts = parseTemplate(template);
  if (template.length <= MAX_CACHED_CHARS) cache.set(template, parts);
  return parts;
}
