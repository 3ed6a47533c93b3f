/**
 * The command line's error catalog. Every failure a command reports has a stable `CLI_…`
 * code and the exit status it ends the process with; the message is one line written for
 * the person at the terminal, never a stack trace.
 */

/** Exit statuses of every command. */
export const EXIT = Object.freeze({
  /** Everything checked verified, or the operation succeeded. */
  ok: 0,
  /** A verification failed, or the service refused the operation. */
  failed: 1,
  /** Bad usage or input, or something needed could not be reached: nothing was decided. */
  usage: 2,
});

/** Every CLI error code with its exit status. */
export const CLI_ERRORS = Object.freeze({
  CLI_USAGE: EXIT.usage,
  CLI_FILE_MISSING: EXIT.usage,
  CLI_BAD_JSON: EXIT.usage,
  CLI_BAD_FORMAT: EXIT.usage,
  CLI_BAD_KEY: EXIT.usage,
  CLI_UNREACHABLE: EXIT.usage,
  CLI_STORE_IN_USE: EXIT.usage,
  CLI_SECRETS_MISSING: EXIT.usage,
  CLI_NOT_AVAILABLE: EXIT.usage,
  CLI_REFUSED: EXIT.failed,
  CLI_API_ERROR: EXIT.failed,
});

/** Stable error codes of the command line. */
export type CliErrorCode = keyof typeof CLI_ERRORS;

/** An expected failure of a command; `exitCode` follows from its code. */
export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CliError";
    this.code = code;
  }

  /** The exit status this error ends the process with. */
  get exitCode(): number {
    return CLI_ERRORS[this.code];
  }
}

/** True for a {@link CliError}. */
export function isCliError(err: unknown): err is CliError {
  return err instanceof CliError;
}

/** The message of any thrown value, on one line. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, " ").trim();
}
