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

/**
 * What a reload changed, a line each: `+ org/project/slug  [versions]` added,
 * `~ …` changed, `- org/project/slug` removed; nothing when nothing did.
 */
export function flowChanges(before: readonly FlowDefinition[], after: readonly FlowDefinition[]): string[] {
  const key = (flow: FlowDefinition) => `${flow.org}/${flow.project}/${flow.slug}`;
  const old = new Map(before.map((flow) => [key(flow), JSON.stringify(flow)]));
  const now = new Map(after.map((flow) => [key(flow), flow]));
  const lines: string[] = [];
  for (const [name, flow] of now) {
    const [described = name] = describeFlows([flow]);
    const was = old.get(name);
    if (was === undefined) lines.push(`+ ${described}`);
    else if (was !== JSON.stringify(flow)) lines.push(`~ ${described}`);
  }
  for (const name of old.keys()) if (!now.has(name)) lines.push(`- ${name}`);
  return lines;
}
