import { ValueError } from "../../core/errors.js";

/**
 * Browsers and edge runtimes take no `fetchModule`, whatever it names:
 * importing a module named at run time is what their bundlers cannot follow
 * (workerd refuses such a bundle). The option is refused as it is checked.
 */
export function checkFetchModule(): never {
  throw new ValueError("fetchModule is for Node; in this runtime, pass fetch instead.");
}
