/** The headers of §C1.2: the caller asks for a replay with one, the app names its session with the other. */
export const REPLAY_HEADER = "x-noukai-replay";
export const SESSION_HEADER = "X-Noukai-Session";

/**
 * The replay header's first value (a repeated header arrives as a list, or
 * joined with commas); an empty one counts as absent, so it opens a capture
 * rather than a replay of "" that can only fail.
 */
export function replayIdOf(value: string | readonly string[] | null | undefined): string | undefined {
  const first = typeof value === "string" ? value.split(",")[0] : value?.[0];
  const trimmed = first?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
