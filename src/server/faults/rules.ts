/** Where a rule applies: one route kind, or every route. */
export type FaultRoute = "execute" | "step" | "jobs" | "poll" | "trace" | "stepTrace" | "liveTrace" | "session" | "runSummary" | "*";
export const FAULT_ROUTES: readonly FaultRoute[] = ["execute", "step", "jobs", "poll", "trace", "stepTrace", "liveTrace", "session", "runSummary", "*"];

/**
 * A deterministic fault. Which requests: `route` (default "*"), then at most one
 * of `times` (the first n matching requests), `after` (every matching request
 * after the first n) or `probability` (seeded, so runs repeat). What happens:
 * exactly one action.
 */
export interface FaultRule {
  route?: FaultRoute;
  times?: number;
  after?: number;
  probability?: number;
  /** Answer with this status instead of running the request. */
  status?: number;
  /** With `status`: seconds, or an HTTP-date, or "http-date+N" (a date N seconds after the answer). */
  retryAfter?: number | string;
  /** With `status`: "json" (default, a detail body), "html" (a proxy's page), "empty", or any other text. */
  body?: string;
  /** Wait this long, then handle the request normally. */
  latencyMs?: number;
  /** "before": drop the connection without answering or running anything; "after": run the request, then drop the connection instead of answering. */
  reset?: "before" | "after";
  /** On SSE routes: end the stream abruptly after n events. */
  cutAfterEvents?: number;
}

export type FaultKind = "status" | "latency" | "resetBefore" | "resetAfter" | "cut";

export function faultKind(rule: FaultRule): FaultKind {
  if (rule.status !== undefined) return "status";
  if (rule.latencyMs !== undefined) return "latency";
  if (rule.reset === "before") return "resetBefore";
  if (rule.reset === "after") return "resetAfter";
  return "cut";
}

/** Throws a RangeError naming the problem; rules come from users (flags, options). */
export function checkFaultRule(rule: FaultRule): void {
  const where = `fault rule ${JSON.stringify(rule)}`;
  if (rule.route !== undefined && !FAULT_ROUTES.includes(rule.route)) {
    throw new RangeError(`${where}: route must be one of ${FAULT_ROUTES.join(", ")}`);
  }
  const selectors = [rule.times, rule.after, rule.probability].filter((value) => value !== undefined);
  if (selectors.length > 1) throw new RangeError(`${where}: use at most one of times, after, probability`);
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 1)) throw new RangeError(`${where}: times must be an integer >= 1`);
  if (rule.after !== undefined && !(Number.isInteger(rule.after) && rule.after >= 0)) throw new RangeError(`${where}: after must be an integer >= 0`);
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) throw new RangeError(`${where}: probability must be between 0 and 1`);
  const actions = [rule.status, rule.latencyMs, rule.reset, rule.cutAfterEvents].filter((value) => value !== undefined);
  if (actions.length !== 1) throw new RangeError(`${where}: give exactly one action (status, latencyMs, reset or cutAfterEvents)`);
  if (rule.status !== undefined && !(Number.isInteger(rule.status) && rule.status >= 100 && rule.status <= 599)) throw new RangeError(`${where}: status must be an HTTP status code`);
  if (rule.latencyMs !== undefined && !(Number.isInteger(rule.latencyMs) && rule.latencyMs >= 0)) throw new RangeError(`${where}: latencyMs must be an integer >= 0`);
  if (rule.reset !== undefined && rule.reset !== "before" && rule.reset !== "after") throw new RangeError(`${where}: reset must be "before" or "after"`);
  if (rule.cutAfterEvents !== undefined && !(Number.isInteger(rule.cutAfterEvents) && rule.cutAfterEvents >= 0)) throw new RangeError(`${where}: cutAfterEvents must be an integer >= 0`);
  if ((rule.retryAfter !== undefined || rule.body !== undefined) && rule.status === undefined) throw new RangeError(`${where}: retryAfter and body go with status`);
  if (typeof rule.retryAfter === "number" && !(Number.isInteger(rule.retryAfter) && rule.retryAfter >= 0)) throw new RangeError(`${where}: retryAfter seconds must be an integer >= 0`);
}
