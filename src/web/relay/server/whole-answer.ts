import type { AsyncFlow, PausedResult } from "../../../clients/types/surfaces.js";
import type { ExecuteResult, PausedState } from "../../../core/types.js";
import type { Version } from "../../../core/versions.js";
import { JSON_TYPE, RelayCode, type RelayPauseWire, type RelayResultWire } from "../protocol.js";
import type { RelayInput, RelayRunFields } from "./options.js";
import { RelayRefusal } from "./refusal.js";
import { acceptToken, issueToken, type TokenRules } from "./relay-tokens.js";

/**
 * `execute` and its resumes through the relay, answered whole. A pause's
 * state is sealed into the token itself (nothing is kept on the server but
 * the record of used tokens), so any relay process with the same secret can
 * resume it.
 */
export interface RelayedFlow {
  readonly flow: AsyncFlow;
  readonly version: Version;
  readonly tokens: TokenRules;
  readonly maxToolRounds: number;
}

export async function executeWhole(run: RelayedFlow, input: RelayInput, fields: RelayRunFields, signal: AbortSignal | undefined, requestId: string): Promise<Response> {
  const outcome = await run.flow.execute({ ...input, ...fields, version: run.version, ...(signal ? { signal } : {}) });
  return answer(run, outcome, 1, requestId);
}

export async function resumeWhole(run: RelayedFlow, token: string, toolResults: unknown[], signal: AbortSignal | undefined, requestId: string): Promise<Response> {
  const claims = await acceptToken(run.tokens, token, "execute");
  let outcome: ExecuteResult | PausedResult;
  try {
    outcome = await run.flow.resume(claims.state as PausedState, { toolResults: toolResults as never[], ...(signal ? { signal } : {}) });
  } catch (error) {
    // The run did not move on: the browser may correct its results, or retry, with the same token.
    run.tokens.used.release(claims.nonce);
    throw inputError(error) ?? error;
  }
  run.tokens.used.spend(claims.nonce);
  return answer(run, outcome, claims.round + 1, requestId);
}

async function answer(run: RelayedFlow, outcome: ExecuteResult | PausedResult, round: number, requestId: string): Promise<Response> {
  if (!outcome.requiresToolCalls) {
    const result: RelayResultWire = { status: outcome.status, result: outcome.result, executionId: outcome.executionId, flowId: outcome.flowId, blockCount: outcome.blockCount };
    return json(result, requestId);
  }
  if (round > run.maxToolRounds) {
    throw new RelayRefusal(409, RelayCode.TOOL_ROUND_LIMIT, `The run asked for tool round ${round}; this relay allows ${run.maxToolRounds}.`);
  }
  // JSON.stringify keeps the state a resume needs and drops the client's own `resume`.
  const state = JSON.parse(JSON.stringify(outcome)) as Record<string, unknown>;
  const issued = await issueToken(run.tokens, { kind: "execute", executionId: outcome.executionId, round, state });
  const paused: RelayPauseWire = { status: "tool_calls_required", toolCalls: outcome.toolCalls, ...issued };
  return json(paused, requestId);
}

/** The client checks tool results before sending anything: its ValueError or TypeError is the browser's mistake. */
export function inputError(error: unknown): RelayRefusal | undefined {
  if (!(error instanceof Error) || (error.name !== "ValueError" && error.name !== "TypeError")) return undefined;
  return new RelayRefusal(400, RelayCode.INVALID_INPUT, error.message);
}

function json(body: unknown, requestId: string): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": JSON_TYPE, "cache-control": "no-store", "x-request-id": requestId } });
}
