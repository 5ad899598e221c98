import { checkOption } from "../../core/check-options.js";
import { ValueError } from "../../core/errors.js";
import { describe } from "../../core/identifiers.js";
import { scopesAvailable } from "../../clients/runtime/node.js";
import { clientOf } from "../../replay/scope-client.js";
import type { ScopeAdapterOptions } from "./request-scope.js";

const NAMES = ["client", "match", "leftovers", "onLog", "onError"] as const satisfies readonly (keyof ScopeAdapterOptions)[];

/**
 * A scope adapter's options, checked when the adapter is made (`where`
 * names it): a bad value or a misspelt name fails the app's start, not each
 * of its requests later. (The five names are listed rather than the nearest
 * suggested: the edge builds load no module, not even the one that would.) Where scopes cannot run at all (a browser, edge or
 * worker build, without AsyncLocalStorage), the adapter is refused here too.
 */
export function checkScopeAdapterOptions(options: unknown, adapter: string): ScopeAdapterOptions {
  const where = `${adapter}()`;
  if (!scopesAvailable) {
    throw new ValueError(`${where} needs AsyncLocalStorage, which this runtime lacks: request scopes cannot run here (relays can).`);
  }
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new TypeError(`${where} takes an options object, got ${describe(options)}.`);
  const names: readonly string[] = NAMES;
  for (const [name, value] of Object.entries(options)) {
    if (!names.includes(name)) throw new ValueError(`${where} has no option "${name}"; it takes ${names.join(", ")}.`);
    if (value === undefined) continue;
    const at = `${where} option ${name}`;
    if (name === "client") checkClient(value, at);
    else if (name === "match" && value !== "order" && value !== "input") throw new ValueError(`${at} must be "order" or "input", got ${describe(value)}.`);
    else if (name === "leftovers" && value !== "error" && value !== "warn" && value !== "ignore") throw new ValueError(`${at} must be "error", "warn" or "ignore", got ${describe(value)}.`);
    else if (name === "onLog" || name === "onError") checkOption("onLog", value, at);
  }
  return options;
}

/** A client of either build of the package (ES module or CommonJS), recognised as the scope will recognise it. */
function checkClient(value: unknown, at: string): void {
  try {
    clientOf({ client: value as ScopeAdapterOptions["client"] }, at);
  } catch {
    throw new TypeError(`${at} must be an AsyncNoukai or a Noukai, got ${describe(value)}.`);
  }
}
