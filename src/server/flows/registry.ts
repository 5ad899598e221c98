import { flowKey, type FlowName } from "./flow-key.js";
import type { FlowDefinition, StepDefinition } from "./types.js";

/** The version a request asked for: the unversioned path, or `/vN` (0 = draft). */
export type VersionSelector = { kind: "default" } | { kind: "number"; value: number };

/** One runnable version of a flow. */
export interface ResolvedFlow {
  definition: FlowDefinition;
  /** Stable id of the flow (`flow_` + org/project/slug), reported as `flowId`. */
  flowId: string;
  /** `flowId` as JSON text, written once for the answers that are written by hand rather than by JSON.stringify. */
  flowIdJson: string;
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
  /**
   * Each version's ResolvedFlow, made once and shared by all its runs (it is
   * never changed): every kept run holds one, and a server keeps thousands.
   * Only versions that exist are kept, so the table is as big as the flows.
   */
  readonly #resolved = new Map<FlowDefinition, Map<"draft" | number, FlowLookup & { found: true }>>();
  /** The unversioned lookup of each router path object (see resolveDefault). */
  readonly #byPath = new WeakMap<FlowName, FlowLookup>();

  constructor(flows: Iterable<FlowDefinition>) {
    for (const flow of flows) this.#flows.set(flowKey(flow), flow);
  }

  list(): FlowDefinition[] {
    return [...this.#flows.values()];
  }

  has(org: string, project: string, slug: string): boolean {
    return this.#flows.has(flowKey({ org, project, slug }));
  }

  /**
   * The unversioned path's lookup by the router's FlowPath object. The router
   * shares one frozen path object among all requests to a path, and this
   * registry never changes (new flows make a new one), so each path object
   * is looked up once: no key is built and hashed per request.
   */
  resolveDefault(path: FlowName): FlowLookup {
    let found = this.#byPath.get(path);
    if (found === undefined) {
      found = this.resolve(path.org, path.project, path.slug, DEFAULT);
      this.#byPath.set(path, found);
    }
    return found;
  }

  /** The unversioned path runs production, falling back to the draft. */
  resolve(org: string, project: string, slug: string, selector: VersionSelector): FlowLookup {
    const definition = this.#flows.get(flowKey({ org, project, slug }));
    if (!definition) return NO_FLOW;
    const versions = definition.versions ?? [];
    let number: number | undefined;
    if (selector.kind === "number") {
      number = selector.value === 0 ? undefined : selector.value;
    } else {
      number = definition.production ?? (versions.length > 0 ? Math.max(...versions.map((v) => v.version)) : undefined);
    }
    const version = number ?? "draft";
    let found = this.#resolved.get(definition)?.get(version);
    if (!found) {
      const steps = number === undefined ? definition.draft.steps : versions.find((v) => v.version === number)?.steps;
      if (!steps) return NO_VERSION;
      const flowId = `flow_${flowKey(definition)}`;
      found = { found: true, flow: { definition, flowId, flowIdJson: JSON.stringify(flowId), version, steps, toolIterationLimit: definition.toolIterationLimit ?? 10 } };
      const byVersion = this.#resolved.get(definition) ?? new Map<"draft" | number, FlowLookup & { found: true }>();
      byVersion.set(version, found);
      this.#resolved.set(definition, byVersion);
    }
    return found;
  }
}

const DEFAULT: VersionSelector = Object.freeze({ kind: "default" });
const NO_FLOW: FlowLookup = Object.freeze({ found: false, reason: "flow" });
const NO_VERSION: FlowLookup = Object.freeze({ found: false, reason: "version" });
