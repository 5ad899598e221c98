import { invalidResponse } from "../core/client-errors.js";
import { isJsonObject } from "../core/json-object.js";
import type { CliClient } from "./cli-client.js";

/** One flow of `GET /api/v1/local/flows`, as the local server lists it. */
export interface LocalFlow {
  org: string;
  project: string;
  slug: string;
  name?: string | null;
  steps: number;
  versions: number[];
  production?: number | null;
}

/**
 * Reads the local server's own listing through the client's exchange (./cli-client.ts),
 * then checks its shape: an answer the table cannot show is the client's
 * INVALID_RESPONSE (exit 6), as any other call's unreadable answer is.
 */
export async function fetchLocalFlows(
  client: CliClient,
  options: { signal: AbortSignal; timeoutMs?: number | undefined; debug?: ((line: string) => void) | undefined; baseUrl: string },
): Promise<LocalFlow[]> {
  const started = performance.now();
  options.debug?.(`debug: → GET ${options.baseUrl}/local/flows`);
  options.debug?.("debug:   authorization: Bearer nk_…[redacted]");
  const response = await client.localFlows(options);
  options.debug?.(`debug: ← ${response.status} GET /local/flows (${Math.round(performance.now() - started)} ms)`);
  const flows = isJsonObject(response.data) ? response.data["flows"] : undefined;
  if (!Array.isArray(flows)) throw invalidResponse("GET /local/flows", "it has no flows array", response);
  flows.forEach((flow: unknown, index) => {
    const problem = flowProblem(flow);
    if (problem !== undefined) throw invalidResponse("GET /local/flows", `flow ${index + 1} ${problem}`, response);
  });
  return flows as LocalFlow[];
}

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/** What is wrong with one listed flow, or undefined when the table can show it. */
function flowProblem(flow: unknown): string | undefined {
  if (!isJsonObject(flow)) return "is not an object";
  for (const field of ["org", "project", "slug"] as const) {
    if (typeof flow[field] !== "string") return `has no text ${field}`;
  }
  // A flow without a name, or not published, may leave those out: the table shows none.
  if (flow["name"] !== undefined && flow["name"] !== null && typeof flow["name"] !== "string") return "has a name that is not text";
  if (!isCount(flow["steps"])) return "has no step count";
  if (!Array.isArray(flow["versions"]) || !flow["versions"].every(isCount)) return "has no list of version numbers";
  if (flow["production"] !== undefined && flow["production"] !== null && !isCount(flow["production"])) return "has a production version that is not a number";
  return undefined;
}
