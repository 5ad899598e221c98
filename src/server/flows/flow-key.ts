/** What names a flow: its org, project and slug. */
export interface FlowName {
  org: string;
  project: string;
  slug: string;
}

/** `org/project/slug`: a flow's key in the registry, and how every message names it. */
export function flowKey(flow: FlowName): string {
  return `${flow.org}/${flow.project}/${flow.slug}`;
}
