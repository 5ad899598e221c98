/**
 * Exit codes, by what went wrong, so that scripts can branch on them. 130
 * and 143 follow the shell's 128 + signal number.
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  rateLimit: 5,
  server: 6,
  connection: 7,
  interrupted: 130,
  /** The reader of standard output went away (128 + SIGPIPE), as any Unix tool would end. */
  outputClosed: 141,
  terminated: 143,
} as const;

/** The one way a command fails: a message for the user (one line, unless it lists problems) and the exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.failure) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** Bad flags or arguments: exit code 2. */
export const usageError = (message: string) => new CliError(message, EXIT.usage);
