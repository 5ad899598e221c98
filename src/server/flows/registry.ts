import { flowKey } from "./flow-key.js";
import type { FlowDefinition, StepDefinition } from "./types.js";

/** The version a request asked for: the unversioned path, or `/vN` (0 = draft). */
export type VersionSelector = { kind: "default" } | { kind: "number"; value: number };

/** One runnable version of a flow. */
export interface ResolvedFlow {
  definition: FlowDefinition;
  /** Stable id of the flow (`flow_` + org/project/slug), reported as `flowId`. */
  flowId: string;
  /** `"draft"` or the published version number. */
  version: "draft" | number;
  steps: readonly StepDefinition[];
  toolIterationLimit: number;
}

export type FlowLookup =
  | { found: true; flow: ResolvedFlow }
  | { found: false; reason: "flow" | "version" };

/** Flows by org/project/slug; later definitions replace earlier ones. */
export class FlowRegistry {
  readonly #flows = new Map<string, FlowDefinition>();

  constructor(flows: Iterable<FlowDefinition>) {
    for (const flow of flows) this.#flows.set(flowKey(flow), flow);
  }

  list(): FlowDefinition[] {
    return [...this.#flows.values()];
  }

  has(org: string, project: string, slug: string): boolean {
    return this.#flows.has(flowKey({ org, project, slug }));
  }

  /** The unversioned path runs production, falling back to the draft. */
  resolve(org: string, project: string, slug: string, selector: VersionSelector): FlowLookup {
    const definition = this.#flows.get(flowKey({ org, project, slug }));
    if (!definition) return { found: false, reason: "flow" };
    const versions = definition.versions ?? [];
    let number: number | undefined;
    if (selector.kind === "number") {
      number = selector.value === 0 ? undefined : selector.value;
    } else {
      number = definition.production ?? (versions.length > 0 ? Math.max(...versions.map((v) => v.version)) : undefined);
    }
    const limit = definition.toolIterationLimit ?? 10;
    const flowId = `flow_${flowKey(definition)}`;
    if (number === undefined) {
      return { found: true, flow: { definition, flowId, version: "draft", steps: definition.draft.steps, toolIterationLimit: limit } };
    }
    const published = versions.find((v) => v.version === number);
    if (!published) return { found: false, reason: "version" };
    return { found: true, flow: { definition, flowId, version: number, steps: published.steps, toolIterationLimit: limit } };
  }
}
