/**
 * A setting or file the server cannot start with. Its message is one line, written for the
 * operator, and the server exits with code 2.
 */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** The exit code of a server stopped by a {@link ConfigError}. */
export const CONFIG_EXIT_CODE = 2;
