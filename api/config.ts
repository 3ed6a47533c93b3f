/**
 * Settings of the HTTP service (limits, load shedding, metrics access), with defaults that
 * suit one process on a small machine. Settings of the process around it (port, data folder)
 * live in ./startup/env-config.
 */

/** Per-tenant request budget: at most `max` requests per `windowMs`. */
export interface RateLimitConfig {
  max: number;
  windowMs: number;
}

/** Settings of {@link buildApp}. */
export interface ApiConfig {
  /** Most bytes in one request body; larger bodies get 413. */
  bodyLimitBytes: number;
  /** Most events in one batch append; more get 413. At most the ledger's maxAppendBatch. */
  maxBatchEvents: number;
  /** Page size of GET /v1/entries when the client names none. */
  defaultPageSize: number;
  /** Largest page a client may ask for (the ledger allows at most 1000). */
  maxPageSize: number;
  /** Requests per tenant (or operator key) per window; false turns limiting off. */
  rateLimit: RateLimitConfig | false;
  /** Mean event-loop delay (ms) beyond which requests get 503; 0 turns the check off. */
  maxEventLoopDelayMs: number;
  /** Retry-After (seconds) sent when shedding load for event-loop delay. */
  overloadRetryAfterSeconds: number;
  /** Append queue depth (entries) at and beyond which /readyz reports not ready. */
  readyMaxQueueDepth: number;
  /** When set, GET /metrics requires "Authorization: Bearer <metricsToken>". */
  metricsToken?: string;
}

/** The defaults of every {@link ApiConfig} setting. */
export const DEFAULT_API_CONFIG: Readonly<ApiConfig> = Object.freeze({
  bodyLimitBytes: 1024 * 1024,
  maxBatchEvents: 1000,
  defaultPageSize: 100,
  maxPageSize: 1000,
  rateLimit: { max: 6000, windowMs: 60_000 },
  maxEventLoopDelayMs: 1000,
  overloadRetryAfterSeconds: 5,
  readyMaxQueueDepth: 58_982,
});

/**
 * Fills `partial` with defaults and checks every value.
 *
 * @throws RangeError naming the first setting out of range.
 */
export function resolveApiConfig(partial: Partial<ApiConfig> = {}): ApiConfig {
  const c: ApiConfig = { ...DEFAULT_API_CONFIG, ...partial };

  positive(c.bodyLimitBytes, "bodyLimitBytes");
  positive(c.maxBatchEvents, "maxBatchEvents");
  positive(c.defaultPageSize, "defaultPageSize");
  positive(c.maxPageSize, "maxPageSize");
  if (c.maxPageSize > 1000) throw new RangeError("maxPageSize: at most 1000");
  if (c.defaultPageSize > c.maxPageSize) throw new RangeError("defaultPageSize: above maxPageSize");
  if (c.rateLimit !== false) {
    positive(c.rateLimit.max, "rateLimit.max");
    positive(c.rateLimit.windowMs, "rateLimit.windowMs");
  }
  nonNegative(c.maxEventLoopDelayMs, "maxEventLoopDelayMs");
  positive(c.overloadRetryAfterSeconds, "overloadRetryAfterSeconds");
  positive(c.readyMaxQueueDepth, "readyMaxQueueDepth");
  if (c.metricsToken !== undefined && !/^[\x21-\x7e]{16,200}$/.test(c.metricsToken)) {
    throw new RangeError("metricsToken: 16-200 printable ASCII characters");
  }
  return c;
}

function positive(v: number, name: string): void {
  if (!Number.isSafeInteger(v) || v < 1)
    throw new RangeError(`${name}: expected a positive integer, got ${v}`);
}

function nonNegative(v: number, name: string): void {
  if (!Number.isSafeInteger(v) || v < 0)
    throw new RangeError(`${name}: expected a non-negative integer, got ${v}`);
}
