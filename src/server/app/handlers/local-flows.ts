import type { FlowDefinition } from "../../flows/types.js";
import type { Caller } from "../auth.js";
import { json } from "../respond.js";
import type { AppResponse } from "../http-types.js";

/**
 * `GET /api/v1/local/flows`: the flows this local server serves, for
 * `noukai flows`. The hosted service has no such route. A key limited to an
 * org or project sees only the flows it may run.
 */
export function handleLocalFlows(caller: Caller, flows: readonly FlowDefinition[]): AppResponse {
  const visible = flows.filter((flow) => (caller.org === undefined || caller.org === flow.org) && (caller.project === undefined || caller.project === flow.project));
  return json(200, {
    flows: visible.map((flow) => {
      const versions = (flow.versions ?? []).map((version) => version.version).sort((a, b) => a - b);
      return {
        org: flow.org,
        project: flow.project,
        slug: flow.slug,
        name: flow.name ?? null,
        steps: flow.draft.steps.length,
        versions,
        production: flow.production ?? versions.at(-1) ?? null,
      };
    }),
  });
}
