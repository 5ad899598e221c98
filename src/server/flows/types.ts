/**
 * The flow file format, as TypeScript types. `schema/flow.schema.json` is the
 * source of truth for what a file may contain; these types mirror it.
 */

/** A string with `{{placeholders}}`, or any JSON value whose strings are templates. */
export type TemplateValue = JsonValue;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ToolCallScript {
  /** Function name the step asks for; asked only when the caller offers it in `tools`. */
  name: string;
  /** Arguments object (templated), sent JSON-encoded in `function.arguments`. */
  arguments?: TemplateValue;
}

export interface StepToolsDefinition {
  calls: ToolCallScript[];
  /** How many rounds of calls the step asks for before answering (default 1). */
  rounds?: number;
  /** The answer once the tool results are in (`{{tool.results}}` …). */
  template: TemplateValue;
}

export interface StepDefinition {
  id: string;
  name?: string;
  model?: string;
  temperature?: number;
  /** The step's output. Default `"{{message}}"`. */
  template?: TemplateValue;
  /** The mock model's thinking time; the engine really waits (abortably). */
  latencyMs?: number;
  retries?: number;
  failAttempts?: number;
  fail?: { code?: string; message: string };
  loop?: { count: number };
  tools?: StepToolsDefinition;
}

export interface FlowVersionDefinition {
  steps: StepDefinition[];
}

export interface PublishedVersionDefinition extends FlowVersionDefinition {
  version: number;
}

export interface FlowDefinition {
  org: string;
  project: string;
  slug: string;
  name?: string;
  description?: string;
  /** Highest `iterationsUsed` a tool resume may carry (default 10). */
  toolIterationLimit?: number;
  draft: FlowVersionDefinition;
  versions?: PublishedVersionDefinition[];
  /** The published version served on the unversioned path (default: the highest). */
  production?: number;
}
