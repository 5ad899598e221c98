import { checkFaultRule, faultKind, type FaultKind, type FaultRoute, type FaultRule } from "./rules.js";
import { seededRandom } from "./seeded-random.js";

/** What the faults that fired ask of one request. */
export interface FaultPlan {
  latencyMs: number;
  /** The first non-latency rule that fired, if any. */
  action: FaultRule | undefined;
  kinds: FaultKind[];
}

const NONE: FaultPlan = { latencyMs: 0, action: undefined, kinds: [] };

/**
 * Decides, per request, which rules fire. Counting is per rule and per
 * matching request, and probabilities draw from one seeded generator, so the
 * same sequence of requests meets the same faults every run.
 */
export class FaultInjector {
  readonly #rules: readonly FaultRule[];
  readonly #seen: number[];
  readonly #random: () => number;

  constructor(rules: readonly FaultRule[], seed: number) {
    rules.forEach(checkFaultRule);
    this.#rules = rules;
    this.#seen = rules.map(() => 0);
    this.#random = seededRandom(seed);
  }

  plan(route: Exclude<FaultRoute, "*">): FaultPlan {
    if (this.#rules.length === 0) return NONE;
    let latencyMs = 0;
    let action: FaultRule | undefined;
    const kinds: FaultKind[] = [];
    this.#rules.forEach((rule, index) => {
      if (rule.route !== undefined && rule.route !== "*" && rule.route !== route) return;
      // A rule shadowed by an earlier action is not counted, so `times` means "answers given".
      if (action && rule.latencyMs === undefined) return;
      const seen = (this.#seen[index] = (this.#seen[index] ?? 0) + 1);
      if (!fires(rule, seen, this.#random)) return;
      if (rule.latencyMs !== undefined) {
        latencyMs += rule.latencyMs;
        kinds.push("latency");
      } else if (!action) {
        action = rule;
        kinds.push(faultKind(rule));
      }
    });
    return kinds.length === 0 ? NONE : { latencyMs, action, kinds };
  }
}

function fires(rule: FaultRule, seen: number, random: () => number): boolean {
  if (rule.times !== undefined) return seen <= rule.times;
  if (rule.after !== undefined) return seen > rule.after;
  if (rule.probability !== undefined) return random() < rule.probability;
  return true;
}
