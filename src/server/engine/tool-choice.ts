import type { JsonValue, StepToolsDefinition, ToolCallScript } from "../flows/types.js";

/**
 * What the caller's `toolChoice` asks of the model, as model APIs define it:
 * `auto` (the default) lets the model decide, which for the mock model is
 * its script; `none` forbids tools; `required` makes it call a tool on every
 * turn; a named function makes it call that function on every turn.
 */
export type ToolChoice = { kind: "auto" } | { kind: "none" } | { kind: "required" } | { kind: "function"; name: string };

const AUTO: ToolChoice = { kind: "auto" };

/**
 * Reads `toolChoice` in the shapes model APIs accept: `"auto"`, `"none"`,
 * `"required"`, `{type: "function", function: {name}}` (chat completions)
 * or `{type: "function", name}` (responses). Absent or null is `auto`;
 * anything else is undefined, for the caller to refuse.
 */
export function readToolChoice(value: JsonValue | undefined): ToolChoice | undefined {
  if (value === undefined || value === null || value === "auto") return AUTO;
  if (value === "none" || value === "required") return { kind: value };
  if (typeof value !== "object" || Array.isArray(value) || value.type !== "function") return undefined;
  const fn = value.function;
  const name = fn !== null && typeof fn === "object" && !Array.isArray(fn) ? fn.name : value.name;
  return typeof name === "string" && name !== "" ? { kind: "function", name } : undefined;
}

/** The function names the caller offered in `tools` (OpenAI's nested form or a flat `{name}`), in order. */
export function offeredNames(tools: readonly JsonValue[] | null): string[] {
  const names: string[] = [];
  for (const tool of tools ?? []) {
    if (tool === null || typeof tool !== "object" || Array.isArray(tool)) continue;
    const fn = tool.function;
    const name = fn !== null && typeof fn === "object" && !Array.isArray(fn) ? fn.name : tool.name;
    if (typeof name === "string" && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The calls the model makes on its turn number `round` (1 for the first) of
 * a tool-calling step, or none when it answers instead. Only offered
 * functions are ever called. `auto` follows the step's script: its calls
 * whose function is offered, for its `rounds`. A forced choice (`required`,
 * a named function) calls on every turn while tools are offered, past the
 * script's rounds: the script's calls it allows, else the first offered
 * function (or the named one) with no arguments, as a model that must call
 * something would. The flow's `toolIterationLimit` stops that loop (see
 * tool-step).
 */
export function callsForTurn(choice: ToolChoice, tools: readonly JsonValue[] | null, script: StepToolsDefinition, round: number): ToolCallScript[] {
  if (choice.kind === "none") return [];
  const offered = offeredNames(tools);
  if (offered.length === 0) return [];
  if (choice.kind === "auto") return round <= (script.rounds ?? 1) ? script.calls.filter((call) => offered.includes(call.name)) : [];
  const allowed = choice.kind === "function" ? [choice.name].filter((name) => offered.includes(name)) : offered;
  if (allowed.length === 0) return [];
  const scripted = script.calls.filter((call) => allowed.includes(call.name));
  return scripted.length > 0 ? scripted : [{ name: allowed[0] as string, arguments: {} }];
}
