import type { TemplateValue } from "../flows/types.js";
import { suggestion } from "../did-you-mean.js";
import { parsedTemplate } from "./template-cache.js";

/**
 * The names a step's template can read, as `templateScope` (step-config.ts)
 * builds them: the top-level ones, and the fixed fields of those that have
 * fixed fields. Kept beside the scope's shape, so a flow file is refused at
 * load when it names anything else (`{{mesage}}`), instead of rendering "".
 */
const FIELDS = new Map<string, readonly string[] | undefined>([
  ["message", undefined],
  ["messages", undefined],
  ["params", undefined],
  ["parameters", undefined],
  ["steps", undefined],
  ["input", undefined],
  ["tool", ["results", "last", "round"]],
  ["loop", ["index", "count"]],
  ["attempt", []],
  ["model", []],
  ["temperature", []],
  ["step", ["id", "name", "index"]],
]);
const ROOTS = [...FIELDS.keys()];

/**
 * What is wrong with the variables of one template, in words: an unknown
 * name, an unknown field of a fixed one, or `steps.<id>` naming no earlier
 * step of the same steps list. `earlierSteps` are the ids a step may read.
 */
export function unknownVariables(template: TemplateValue, earlierSteps: readonly string[]): string[] {
  const problems: string[] = [];
  const visit = (value: TemplateValue): void => {
    if (typeof value === "string") {
      for (const part of parsedTemplate(value)) if (typeof part !== "string") problems.push(...pathProblem(part.path, earlierSteps));
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(template);
  return problems;
}

function pathProblem(path: readonly string[], earlierSteps: readonly string[]): string[] {
  const [root = "", field] = path;
  // `{{ }}` names nothing and renders "", as it always did.
  if (root.trim() === "") return [];
  if (!FIELDS.has(root)) {
    // inputOverrides also reach the top level, but only `input.NAME` says so in the flow file.
    return [`unknown template variable "${root}"${suggestion(root, ROOTS)}; a variable a caller sends in inputOverrides is input.${root}`];
  }
  const fields = FIELDS.get(root);
  if (field === undefined) return [];
  if (root === "steps" && !earlierSteps.includes(field)) {
    const near = suggestion(field, earlierSteps);
    return [`"steps.${field}" names no earlier step${near === "" ? "" : near}${earlierSteps.length > 0 ? ` (earlier steps: ${earlierSteps.join(", ")})` : ""}`];
  }
  if (fields !== undefined && !fields.includes(field)) {
    return [`"${root}" has no field "${field}"${suggestion(field, fields)}${fields.length > 0 ? ` (it has ${fields.join(", ")})` : ""}`];
  }
  return [];
}
