// The CLI's one error type for user mistakes: `main` prints its message (never a stack) and exits.

/** A mistake the user can fix (bad flag, missing file, refused action). */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
