import { checkFaultRule, FAULT_ROUTES, type FaultRoute, type FaultRule } from "./rules.js";

/**
 * The compact `--fault` syntax: `ROUTE:ACTION[:OPTION]…`
 *
 *   ROUTE   execute | step | jobs | poll | trace | stepTrace | liveTrace | session | runSummary | *
 *   ACTION  an HTTP status (`503`), `latency=MS`, `reset-before`, `reset-after`, `cut=N`
 *   OPTION  `times=N`, `after=N`, `p=P`, `retry-after=SECONDS`, `retry-after=http-date+SECONDS`,
 *           `body=json|html|empty|TEXT` (last: TEXT runs to the end and may contain `:`)
 *
 * Examples: `execute:503:times=2`, `*:latency=200:p=0.1`, `step:cut=3`,
 * `execute:reset-after:p=0.05`, `execute:429:retry-after=2`, `poll:502:body=html`.
 */
export function parseFaultFlag(text: string): FaultRule {
  const parts = text.split(":");
  const route = parts.shift() ?? "";
  if (!FAULT_ROUTES.includes(route as FaultRoute)) {
    throw new RangeError(`--fault ${JSON.stringify(text)}: unknown route "${route}" (use one of ${FAULT_ROUTES.join(", ")})`);
  }
  const rule: FaultRule = { route: route as FaultRoute };
  const action = parts.shift();
  if (action === undefined || action === "") throw new RangeError(`--fault ${JSON.stringify(text)}: missing action (a status, latency=MS, reset-before, reset-after or cut=N)`);
  if (/^\d{3}$/.test(action)) rule.status = Number(action);
  else if (action === "reset-before") rule.reset = "before";
  else if (action === "reset-after") rule.reset = "after";
  else if (action.startsWith("latency=")) rule.latencyMs = integer(text, action);
  else if (action.startsWith("cut=")) rule.cutAfterEvents = integer(text, action);
  else throw new RangeError(`--fault ${JSON.stringify(text)}: unknown action "${action}"`);

  while (parts.length > 0) {
    const option = parts.shift() ?? "";
    if (option.startsWith("body=")) {
      rule.body = [option.slice(5), ...parts.splice(0)].join(":");
    } else if (option.startsWith("times=")) rule.times = integer(text, option);
    else if (option.startsWith("after=")) rule.after = integer(text, option);
    else if (option.startsWith("p=")) rule.probability = number(text, option);
    else if (option.startsWith("retry-after=")) {
      const value = option.slice("retry-after=".length);
      rule.retryAfter = /^\d+$/.test(value) ? Number(value) : value;
      if (typeof rule.retryAfter === "string" && !/^http-date\+\d+$/.test(rule.retryAfter)) {
        throw new RangeError(`--fault ${JSON.stringify(text)}: retry-after must be SECONDS or http-date+SECONDS`);
      }
    } else throw new RangeError(`--fault ${JSON.stringify(text)}: unknown option "${option}"`);
  }
  try {
    checkFaultRule(rule);
  } catch (error) {
    throw new RangeError(`--fault ${JSON.stringify(text)}: ${(error as Error).message.replace(/^fault rule .*?: /, "")}`, { cause: error });
  }
  return rule;
}

function integer(text: string, option: string): number {
  const value = option.slice(option.indexOf("=") + 1);
  if (!/^\d+$/.test(value)) throw new RangeError(`--fault ${JSON.stringify(text)}: "${option}" needs a whole number`);
  return Number(value);
}

function number(text: string, option: string): number {
  const value = Number(option.slice(option.indexOf("=") + 1));
  if (!Number.isFinite(value)) throw new RangeError(`--fault ${JSON.stringify(text)}: "${option}" needs a number`);
  return value;
}
