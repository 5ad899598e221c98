import { ValueError } from "../../core/errors.js";
import { describe } from "../../core/identifiers.js";
import type { Middleware } from "../../core/middleware.js";

const HOOKS = ["onCall", "onRequest", "onResponse", "onEvent", "onRetry", "onToolHandler"] as const satisfies readonly (keyof Middleware)[];

/**
 * The `middleware` option: an array of objects whose hooks are functions. A
 * property named like a hook but misspelt (`onRequst`) is refused, since the
 * layer it belongs to would silently never run.
 */
export function checkMiddleware(value: unknown, clientName: string): readonly Middleware[] {
  if (value === undefined) return [];
  const where = `new ${clientName}() option middleware`;
  if (!Array.isArray(value)) throw new TypeError(`${where} must be an array of middleware objects, got ${describe(value)}.`);
  // Array.from, not map: map skips an array's holes and keeps them, and a hole would fail every call.
  const chain = Array.from(value, (item: unknown, index): Middleware => {
    const at = `${where}[${index}]`;
    if (typeof item !== "object" || item === null) throw new TypeError(`${at} must be an object with hooks (${HOOKS.join(", ")}), got ${describe(item)}.`);
    const fields = item as Record<string, unknown>;
    let hooks = 0;
    for (const hook of HOOKS) {
      const fn = fields[hook];
      if (fn === undefined) continue;
      if (typeof fn !== "function") throw new TypeError(`${at}.${hook} must be a function, got ${describe(fn)}.`);
      hooks++;
    }
    for (const key of Object.keys(fields)) {
      if (/^on[A-Z]/.test(key) && !(HOOKS as readonly string[]).includes(key)) {
        throw new ValueError(`${at} has "${key}", which is no hook; the hooks are ${HOOKS.join(", ")}.`);
      }
    }
    if (hooks === 0 && !HOOKS.some((hook) => typeof fields[hook] === "function")) {
      throw new ValueError(`${at} has none of the hooks ${HOOKS.join(", ")}.`);
    }
    if (fields["name"] !== undefined && typeof fields["name"] !== "string") throw new TypeError(`${at}.name must be a string, got ${describe(fields["name"])}.`);
    return fields;
  });
  return Object.freeze(chain);
}
