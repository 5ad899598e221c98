import type { JsonValue, StepDefinition, TemplateValue } from "../flows/types.js";
import { assignOwn, ownValue } from "../own.js";
import type { Execution } from "./execution.js";
import type { TemplateScope } from "./template.js";
import { DEFAULT_MODEL } from "./usage.js";

/** A step as it runs for one request: its definition with the caller's blockOverrides applied. */
export interface EffectiveStep {
  definition: StepDefinition;
  index: number;
  name: string;
  model: string;
  template: TemplateValue;
  latencyMs: number | undefined;
  temperature: number | undefined;
  /** The caller's blockOverrides entry for this step, shown in the step's input. */
  override: Record<string, JsonValue> | undefined;
}

export function effectiveStep(run: Execution, index: number): EffectiveStep {
  const definition = run.flow.steps[index];
  if (!definition) throw new RangeError(`step index ${index} is out of range`);
  const raw = ownValue(run.input.blockOverrides, definition.id);
  const override = isObject(raw) ? raw : undefined;
  const model = typeof override?.model === "string" && override.model !== "" ? override.model : (definition.model ?? DEFAULT_MODEL);
  const latency = override?.latencyMs;
  const temperature = override?.temperature;
  return {
    definition,
    index,
    name: definition.name ?? definition.id,
    model,
    template: override && Object.hasOwn(override, "template") ? (override.template ?? null) : (definition.template ?? "{{message}}"),
    latencyMs: typeof latency === "number" && latency >= 0 && Number.isFinite(latency) ? Math.min(latency, 600_000) : definition.latencyMs,
    temperature: typeof temperature === "number" ? temperature : definition.temperature,
    override,
  };
}

/** What the step receives (`step_input.inputData`, the trace's inputContext). */
export function stepInput(run: Execution, step: EffectiveStep): Record<string, JsonValue> {
  const input: Record<string, JsonValue> = { message: run.input.message };
  if (run.input.messages) input.messages = run.input.messages;
  if (hasKeys(run.input.parameters)) input.parameters = run.input.parameters;
  const overrides = ownValue(run.input.inputOverrides, step.definition.id);
  if (isObject(overrides)) assignOwn(input, overrides);
  if (step.override) input.blockOverrides = step.override;
  return input;
}

export interface ScopeExtras {
  attempt: number;
  loop: { index: number; count: number } | null;
  tool: { results: JsonValue[]; last: JsonValue[]; round: number } | null;
}

/** The variables a template sees. inputOverrides shadow the top level (`message` included). */
export function templateScope(run: Execution, step: EffectiveStep, extras: ScopeExtras): TemplateScope {
  const overrides = ownValue(run.input.inputOverrides, step.definition.id);
  const own = isObject(overrides) ? overrides : EMPTY;
  const scope: TemplateScope = {
    message: run.input.message,
    messages: run.input.messages,
    params: run.input.parameters,
    parameters: run.input.parameters,
    steps: run.outputs,
    input: own,
    tool: extras.tool,
    loop: extras.loop,
    attempt: extras.attempt,
    model: step.model,
    temperature: step.temperature,
    step: { id: step.definition.id, name: step.name, index: step.index },
  };
  return own === EMPTY ? scope : assignOwn(scope, own);
}

const EMPTY: Record<string, JsonValue> = Object.freeze({});

export function outputText(output: JsonValue | undefined): string {
  if (output === undefined) return "";
  return typeof output === "string" ? output : JSON.stringify(output);
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function hasKeys(value: object): boolean {
  for (const _ in value) return true;
  return false;
}
