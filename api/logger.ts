/**
 * The service's pino logger. Request lines carry the method, the path (never the query
 * string, which may hold filter values) and the request id; headers and bodies are never
 * serialised, and the paths below are redacted in case a caller logs an object holding them.
 */
import pino, { DestinationStream, Logger } from "pino";

/** Object paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  "authorization",
  "headers.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["idempotency-key"]',
  "key",
  "*.key",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "salt",
  "*.salt",
  "body",
  "*.body",
  "payload",
  "*.payload",
];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level?: string;
  /** Where lines go (default stdout). */
  destination?: DestinationStream;
}

/** A JSON logger with the service's redaction and serializers. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? "info",
      base: { service: "anchorlog" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      serializers: {
        req: (req: { method?: string; url?: string; ip?: string }) => ({
          method: req.method,
          path: typeof req.url === "string" ? req.url.split("?")[0] : undefined,
          remoteAddress: req.ip,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    opts.destination,
  );
}
