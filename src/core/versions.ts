import { ValueError } from "./errors.js";
import { describe } from "./identifiers.js";

/** `"production"` (the default), `"draft"` (also `0`), or a published version number. */
export type Version = "production" | "draft" | number;

/** The URL segment for a version: `""`, `/v0` or `/vN`. */
export function versionSegment(version: unknown): string {
  if (version === undefined || version === "production") return "";
  if (version === "draft" || version === 0) return "/v0";
  if (typeof version === "number" && Number.isSafeInteger(version) && version > 0) return `/v${version}`;
  throw new ValueError(
    `version must be "production", "draft" or a whole number ≥ 0, got ${describe(version)}.`,
  );
}

/** Streams cannot run drafts (the service answers `400 INVALID_VERSION`), so say so before asking. */
export function streamVersionSegment(version: unknown): string {
  const segment = versionSegment(version);
  if (segment === "/v0") {
    throw new ValueError(
      'steps() and events() cannot run the draft (version "draft" or 0): use execute() or executeAsync() for drafts.',
    );
  }
  return segment;
}
