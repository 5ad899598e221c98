import type { FlowDefinition } from "../server/index.js";

/** `org/project/slug  [versions]` lines for `noukai dev` to print, one flow per name (later definitions win). */
export function describeFlows(flows: readonly FlowDefinition[]): string[] {
  const byKey = new Map(flows.map((flow) => [`${flow.org}/${flow.project}/${flow.slug}`, flow]));
  return [...byKey].map(([key, flow]) => {
    const published = (flow.versions ?? []).map((v) => v.version).sort((a, b) => a - b);
    const production = flow.production ?? published.at(-1);
    const versions = published.length > 0 ? `draft, versions ${published.join(", ")} (production: v${String(production)})` : "draft only";
    return `${key}  [${versions}]`;
  });
}
