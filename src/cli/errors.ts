/** The one way a command fails: a message for the user and the exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** Bad flags or arguments: exit code 2. */
export const usageError = (message: string) => new CliError(message, 2);
