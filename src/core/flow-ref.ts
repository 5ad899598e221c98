import { ValueError } from "./errors.js";
import { checkIdentifier, describe, encodeSegment } from "./identifiers.js";

/** A flow, named and ready to address: checked names and its encoded base path. */
export interface FlowRef {
  readonly org: string;
  readonly project: string;
  readonly slug: string;
  /** `/seq/{org}/{project}/{slug}`, encoded. */
  readonly basePath: string;
}

export type FlowIdentifier = string | { org?: string; project?: string; slug: string };

export interface FlowDefaults {
  org: string | null;
  project: string | null;
}

export function flowRef(org: string, project: string, slug: string): FlowRef {
  checkIdentifier(org, "org");
  checkIdentifier(project, "project");
  checkIdentifier(slug, "slug");
  return {
    org,
    project,
    slug,
    basePath: `/seq/${encodeSegment(org)}/${encodeSegment(project)}/${encodeSegment(slug)}`,
  };
}

/** `"slug"` (with client defaults), `"org/project/slug"`, or `{ org?, project?, slug }`. */
export function parseFlowIdentifier(identifier: unknown, defaults: FlowDefaults): FlowRef {
  if (typeof identifier === "string") return parseFlowString(identifier, defaults);
  if (typeof identifier === "object" && identifier !== null && !Array.isArray(identifier)) {
    const { org, project, slug } = identifier as Record<string, unknown>;
    const resolvedOrg = org ?? defaults.org;
    const resolvedProject = project ?? defaults.project;
    if (slug === undefined) throw new ValueError("flow({ ... }) needs a slug.");
    if (resolvedOrg == null || resolvedProject == null) {
      throw new ValueError(
        "flow({ slug }) without org and project needs client defaults: new AsyncNoukai({ org, project }).",
      );
    }
    return flowRef(resolvedOrg as string, resolvedProject as string, slug as string);
  }
  throw new ValueError(`flow() takes "slug", "org/project/slug" or { org, project, slug }, got ${describe(identifier)}.`);
}

function parseFlowString(identifier: string, defaults: FlowDefaults): FlowRef {
  if (identifier === "") throw new ValueError("flow() was given an empty string; pass a slug or \"org/project/slug\".");
  const parts = identifier.split("/");
  if (parts.length === 1) {
    if (defaults.org === null || defaults.project === null) {
      throw new ValueError(
        `flow(${JSON.stringify(identifier)}) needs the client's org and project defaults ` +
          `(new AsyncNoukai({ org, project })); otherwise pass "org/project/slug".`,
      );
    }
    return flowRef(defaults.org, defaults.project, identifier);
  }
  if (parts.length === 3) {
    const [org, project, slug] = parts as [string, string, string];
    return flowRef(org, project, slug);
  }
  throw new ValueError(
    `flow(${JSON.stringify(identifier)}) is neither a slug nor "org/project/slug" (it has ${parts.length} parts).`,
  );
}
