import type { CoreConfig } from "../config.js";
import type { FlowRef } from "../flow-ref.js";

/** What every flow operation works with: the client's settings and the flow addressed. */
export interface FlowContext {
  config: CoreConfig;
  flow: FlowRef;
}

/** `org/project/slug`, as people write it. */
export function flowName(flow: FlowRef): string {
  return `${flow.org}/${flow.project}/${flow.slug}`;
}

/** The per-call timeout, else the client's. */
export function timeoutOf(context: FlowContext, options: Record<string, unknown>): number {
  return (options["timeout"] as number | undefined) ?? context.config.timeoutMs;
}

/** The per-call session id, else the client's. */
export function sessionOf(context: FlowContext, options: Record<string, unknown>): string | undefined {
  return (options["sessionId"] as string | undefined) ?? context.config.defaultSessionId;
}

/**
 * Copies the keys of `source` that are set, in the given order, onto `into`
 * (a new object by default), then `rest`. Bodies are built this way rather
 * than with spreads, which cost far more on every call.
 */
export function pick(
  source: Record<string, unknown>,
  keys: readonly string[],
  rest?: Record<string, unknown>,
  into: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const key of keys) if (source[key] !== undefined) into[key] = source[key];
  if (rest !== undefined) for (const key in rest) into[key] = rest[key];
  return into;
}
