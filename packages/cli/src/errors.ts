// Errors the CLI reports as one line on stderr (no stack trace) with a non-zero exit code.

/** Bad usage or configuration: `gloss train: config.json: dModel must be an integer, got 12.5`. Exit code 2. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
