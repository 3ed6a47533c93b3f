/**
 * Server settings from ANCHORLOG_* environment variables, each checked at start. A bad value
 * stops the server with a one-line message naming the variable, what it holds and what was
 * wanted. Unknown ANCHORLOG_* names are reported, since they are usually typos.
 */
import { resolve } from "node:path";

import { isApiKeyFormat } from "../../ledger/tenancy/api-keys";
import { ApiConfig, DEFAULT_API_CONFIG, resolveApiConfig } from "../config";
import { ConfigError } from "./config-error";

/** Everything the server process is configured with. */
export interface ServerConfig {
  port: number;
  host: string;
  /** Absolute path of the data folder (LevelDB and key files). */
  dataDir: string;
  /** Tenant logs get origin "<originPrefix>/<tenant>". */
  originPrefix: string;
  /** An operator key to accept, in the "al_<id>_<secret>" format. */
  adminKey?: string;
  logLevel: string;
  maxQueuedEntries: number;
  maxEventBytes: number;
  api: ApiConfig;
}

/** The result of {@link configFromEnv}. */
export interface EnvConfig {
  config: ServerConfig;
  /** ANCHORLOG_* variables that are set but mean nothing here. */
  unknown: string[];
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

type Env = Readonly<Record<string, string | undefined>>;

interface Setting {
  name: string;
  /** The default, as documented (the value used when the variable is unset). */
  fallback: string | undefined;
  /** What the value must be, for messages. */
  wanted: string;
  check(text: string): boolean;
}

const int = (min: number, max: number) => (t: string) =>
  /^(0|[1-9][0-9]{0,15})$/.test(t) && Number(t) >= min && Number(t) <= max;

/** Every variable the server reads, with its default and its rule. */
export const SETTINGS: readonly Setting[] = [
  { name: "ANCHORLOG_PORT", fallback: "8080", wanted: "a port 0-65535", check: int(0, 65535) },
  {
    name: "ANCHORLOG_HOST",
    fallback: "127.0.0.1",
    wanted: "a host name or IP address",
    check: (t) => /^[A-Za-z0-9.:%_-]{1,253}$/.test(t),
  },
  {
    name: "ANCHORLOG_DATA_DIR",
    fallback: "./data",
    wanted: "a folder path",
    check: (t) => t.length > 0 && !t.includes("\u0000"),
  },
  {
    name: "ANCHORLOG_ORIGIN_PREFIX",
    fallback: "localhost/anchorlog",
    wanted: "printable ASCII without spaces or '+', e.g. log.example.com/anchorlog",
    check: (t) => /^[\x21-\x7e]{1,200}$/.test(t) && !t.includes("+") && !t.endsWith("/"),
  },
  {
    name: "ANCHORLOG_ADMIN_KEY",
    fallback: undefined,
    wanted: "a key al_<16 hex>_<43 base64url> (npm start -- --generate-key prints one)",
    check: isApiKeyFormat,
  },
  {
    name: "ANCHORLOG_LOG_LEVEL",
    fallback: "info",
    wanted: LOG_LEVELS.join(", "),
    check: (t) => LOG_LEVELS.includes(t),
  },
  {
    name: "ANCHORLOG_BODY_LIMIT_BYTES",
    fallback: String(DEFAULT_API_CONFIG.bodyLimitBytes),
    wanted: "bytes, 1024-104857600",
    check: int(1024, 100 * 1024 * 1024),
  },
  {
    name: "ANCHORLOG_MAX_BATCH_EVENTS",
    fallback: String(DEFAULT_API_CONFIG.maxBatchEvents),
    wanted: "an integer 1-100000",
    check: int(1, 100_000),
  },
  {
    name: "ANCHORLOG_MAX_EVENT_BYTES",
    fallback: String(64 * 1024),
    wanted: "bytes, 256-16777216",
    check: int(256, 16 * 1024 * 1024),
  },
  {
    name: "ANCHORLOG_MAX_QUEUED_ENTRIES",
    fallback: "65536",
    wanted: "an integer 1-16777216",
    check: int(1, 16 * 1024 * 1024),
  },
  {
    name: "ANCHORLOG_RATE_LIMIT_MAX",
    fallback: String(DEFAULT_API_CONFIG.rateLimit === false ? 0 : DEFAULT_API_CONFIG.rateLimit.max),
    wanted: "requests per window per tenant, 0 to turn limiting off",
    check: int(0, 1e9),
  },
  {
    name: "ANCHORLOG_RATE_LIMIT_WINDOW_MS",
    fallback: String(
      DEFAULT_API_CONFIG.rateLimit === false ? 60_000 : DEFAULT_API_CONFIG.rateLimit.windowMs,
    ),
    wanted: "milliseconds, 1-86400000",
    check: int(1, 86_400_000),
  },
  {
    name: "ANCHORLOG_MAX_EVENT_LOOP_DELAY_MS",
    fallback: String(DEFAULT_API_CONFIG.maxEventLoopDelayMs),
    wanted: "milliseconds, 0 to turn load shedding off",
    check: int(0, 600_000),
  },
  {
    name: "ANCHORLOG_METRICS_TOKEN",
    fallback: undefined,
    wanted: "16-200 printable ASCII characters",
    check: (t) => /^[\x21-\x7e]{16,200}$/.test(t),
  },
];

/**
 * Reads and checks the server settings from `env`.
 *
 * @throws ConfigError naming the first bad variable.
 */
export function configFromEnv(env: Env): EnvConfig {
  const known = new Set(SETTINGS.map((s) => s.name));
  const unknown = Object.keys(env)
    .filter((k) => k.startsWith("ANCHORLOG_") && !known.has(k))
    .sort();
  const values = new Map<string, string | undefined>();
  for (const s of SETTINGS) {
    const text = env[s.name];
    if (text !== undefined && !s.check(text)) {
      throw new ConfigError(`${s.name}=${shown(s.name, text)} is not ${s.wanted}`);
    }
    values.set(s.name, text ?? s.fallback);
  }
  const num = (name: string) => Number(values.get(name));
  const str = (name: string) => values.get(name);

  const maxQueuedEntries = num("ANCHORLOG_MAX_QUEUED_ENTRIES");
  const rateMax = num("ANCHORLOG_RATE_LIMIT_MAX");
  let api: ApiConfig;
  try {
    api = resolveApiConfig({
      bodyLimitBytes: num("ANCHORLOG_BODY_LIMIT_BYTES"),
      maxBatchEvents: num("ANCHORLOG_MAX_BATCH_EVENTS"),
      rateLimit:
        rateMax === 0 ? false : { max: rateMax, windowMs: num("ANCHORLOG_RATE_LIMIT_WINDOW_MS") },
      maxEventLoopDelayMs: num("ANCHORLOG_MAX_EVENT_LOOP_DELAY_MS"),
      readyMaxQueueDepth: Math.max(1, Math.floor(maxQueuedEntries * 0.9)),
      metricsToken: str("ANCHORLOG_METRICS_TOKEN"),
    });
  } catch (err) {
    throw new ConfigError(`settings do not fit together: ${(err as Error).message}`, {
      cause: err,
    });
  }

  const config: ServerConfig = {
    port: num("ANCHORLOG_PORT"),
    host: str("ANCHORLOG_HOST")!,
    dataDir: resolve(str("ANCHORLOG_DATA_DIR")!),
    originPrefix: str("ANCHORLOG_ORIGIN_PREFIX")!,
    adminKey: str("ANCHORLOG_ADMIN_KEY"),
    logLevel: str("ANCHORLOG_LOG_LEVEL")!,
    maxQueuedEntries,
    maxEventBytes: num("ANCHORLOG_MAX_EVENT_BYTES"),
    api,
  };
  return { config, unknown };
}

// Secrets are never echoed back, even in an error message.
function shown(name: string, text: string): string {
  if (name === "ANCHORLOG_ADMIN_KEY" || name === "ANCHORLOG_METRICS_TOKEN") return "(hidden)";
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
