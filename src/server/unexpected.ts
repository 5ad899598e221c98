/**
 * An error the server did not expect is a bug: its stack goes to the server's
 * console (never to the caller, since it could hold request data), and the
 * request or run it hit still ends in a definite state.
 */
export function reportUnexpected(where: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.emitWarning(`noukai server: unexpected error ${where}: ${detail}`);
}

/** The message a caller sees for such an error, naming where it happened but not what it held. */
export function internalErrorMessage(where: string): string {
  return `the local server hit an unexpected error ${where}; see its console`;
}
