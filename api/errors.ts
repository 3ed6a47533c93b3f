/**
 * The API's error catalog: every failure a client can see has a stable `API_…` code, an HTTP
 * status, a title and an RFC 9457 problem type. Ledger errors and Fastify's own errors are
 * mapped onto these codes here and nowhere else; clients branch on `code`, never on text.
 */
import type { LedgerErrorCode } from "../ledger";

/** Where the problem types live; a type is this base plus the entry's slug. */
export const PROBLEM_TYPE_BASE = "https://anchorlog.dev/problems/";

/** One catalog entry. */
export interface ApiErrorEntry {
  status: number;
  title: string;
  /** Last segment of the problem type URI. */
  slug: string;
}

/** Stable error codes of the API layer. */
export type ApiErrorCode = keyof typeof API_ERRORS;

/** Every API error: status, title and problem type slug. */
export const API_ERRORS = {
  // Malformed requests.
  API_VALIDATION_FAILED: {
    status: 400,
    title: "Request does not match the schema",
    slug: "validation-failed",
  },
  API_BAD_JSON: { status: 400, title: "Body is not valid JSON", slug: "bad-json" },
  API_BAD_URL: { status: 400, title: "URL is malformed", slug: "bad-url" },
  API_BAD_EVENT: { status: 400, title: "Event is not a valid audit event", slug: "bad-event" },
  API_BAD_CURSOR: { status: 400, title: "Cursor is not valid for this query", slug: "bad-cursor" },
  API_BAD_IDEMPOTENCY_KEY: {
    status: 400,
    title: "Idempotency-Key is malformed",
    slug: "bad-idempotency-key",
  },
  API_BAD_TILE_PATH: {
    status: 400,
    title: "Tile path is not a tlog-tiles path",
    slug: "bad-tile-path",
  },
  API_BAD_TENANT_ID: { status: 400, title: "Tenant id is malformed", slug: "bad-tenant-id" },
  API_BAD_RANGE: { status: 400, title: "Range is empty or reversed", slug: "bad-range" },
  API_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: "Content-Type is not accepted",
    slug: "unsupported-media-type",
  },
  API_URI_TOO_LONG: { status: 414, title: "URL segment is too long", slug: "uri-too-long" },
  // Sizes.
  API_BODY_TOO_LARGE: { status: 413, title: "Request body is too large", slug: "body-too-large" },
  API_BATCH_TOO_LARGE: {
    status: 413,
    title: "Batch holds too many events",
    slug: "batch-too-large",
  },
  API_EVENT_TOO_LARGE: { status: 413, title: "Event is too large", slug: "event-too-large" },
  // Who is asking.
  API_UNAUTHENTICATED: {
    status: 401,
    title: "Missing or invalid API key",
    slug: "unauthenticated",
  },
  API_FORBIDDEN: {
    status: 403,
    title: "API key lacks the scope for this route",
    slug: "forbidden",
  },
  API_TENANT_DISABLED: { status: 403, title: "Tenant is disabled", slug: "tenant-disabled" },
  // What is asked for.
  API_NOT_FOUND: { status: 404, title: "No such route", slug: "not-found" },
  API_ENTRY_NOT_FOUND: { status: 404, title: "No entry at this index", slug: "entry-not-found" },
  API_TREE_SIZE_NOT_FOUND: {
    status: 404,
    title: "Log has no tree of this size",
    slug: "tree-size-not-found",
  },
  API_LEAF_NOT_FOUND: { status: 404, title: "No leaf with this hash", slug: "leaf-not-found" },
  API_TILE_NOT_FOUND: { status: 404, title: "Tile does not exist", slug: "tile-not-found" },
  API_TENANT_NOT_FOUND: { status: 404, title: "No such tenant", slug: "tenant-not-found" },
  API_KEY_NOT_FOUND: { status: 404, title: "No such API key", slug: "key-not-found" },
  API_EVENT_ERASED: { status: 410, title: "Event was erased", slug: "event-erased" },
  // Conflicts.
  API_TENANT_EXISTS: { status: 409, title: "Tenant already exists", slug: "tenant-exists" },
  API_LAST_ADMIN_KEY: {
    status: 409,
    title: "Last operator key cannot be revoked",
    slug: "last-admin-key",
  },
  API_IDEMPOTENCY_MISMATCH: {
    status: 422,
    title: "Idempotency-Key was used with another body",
    slug: "idempotency-mismatch",
  },
  // Load and availability.
  API_RATE_LIMITED: {
    status: 429,
    title: "Too many requests for this tenant",
    slug: "rate-limited",
  },
  API_QUEUE_FULL: { status: 503, title: "Append queue is full", slug: "queue-full" },
  API_OVERLOADED: { status: 503, title: "Service is overloaded", slug: "overloaded" },
  API_NOT_READY: { status: 503, title: "Service is not ready", slug: "not-ready" },
  API_UNAVAILABLE: { status: 503, title: "Ledger is closed", slug: "unavailable" },
  // Our fault.
  API_INTERNAL: { status: 500, title: "Internal error", slug: "internal" },
} as const satisfies Record<string, ApiErrorEntry>;

/** One field-level detail of a validation failure. */
export interface ApiErrorDetail {
  /** JSON pointer into the request part, e.g. "/body/events/0/actor". */
  pointer: string;
  message: string;
}

/**
 * An expected failure of the API, answered as problem JSON with the catalog status. A
 * retryable one carries `retryAfterSeconds`, sent as Retry-After.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly retryAfterSeconds?: number;
  readonly details?: ApiErrorDetail[];

  constructor(
    code: ApiErrorCode,
    detail?: string,
    extra: { retryAfterSeconds?: number; details?: ApiErrorDetail[]; cause?: unknown } = {},
  ) {
    super(detail ?? API_ERRORS[code].title, { cause: extra.cause });
    this.name = "ApiError";
    this.code = code;
    this.status = API_ERRORS[code].status;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.details = extra.details;
  }
}

/**
 * The API code for each ledger code. Codes a client cannot cause (damaged store, proof
 * failures inside the server) are internal errors.
 */
export const LEDGER_ERROR_MAP: Record<LedgerErrorCode, ApiErrorCode> = {
  LEDGER_BAD_EVENT: "API_BAD_EVENT",
  LEDGER_EVENT_TOO_LARGE: "API_EVENT_TOO_LARGE",
  LEDGER_BAD_TENANT_ID: "API_BAD_TENANT_ID",
  LEDGER_TENANT_EXISTS: "API_TENANT_EXISTS",
  LEDGER_UNKNOWN_TENANT: "API_TENANT_NOT_FOUND",
  LEDGER_TENANT_DISABLED: "API_TENANT_DISABLED",
  LEDGER_INDEX_OUT_OF_RANGE: "API_ENTRY_NOT_FOUND",
  LEDGER_SIZE_OUT_OF_RANGE: "API_TREE_SIZE_NOT_FOUND",
  LEDGER_LEAF_NOT_FOUND: "API_LEAF_NOT_FOUND",
  LEDGER_EVENT_ERASED: "API_EVENT_ERASED",
  LEDGER_IDEMPOTENCY_MISMATCH: "API_IDEMPOTENCY_MISMATCH",
  LEDGER_BATCH_TOO_LARGE: "API_BATCH_TOO_LARGE",
  LEDGER_QUEUE_FULL: "API_QUEUE_FULL",
  LEDGER_CLOSED: "API_UNAVAILABLE",
  LEDGER_BAD_HASH: "API_INTERNAL",
  LEDGER_BAD_PROOF: "API_INTERNAL",
  LEDGER_ROOT_MISMATCH: "API_INTERNAL",
  LEDGER_BAD_RANGE: "API_INTERNAL",
  LEDGER_BAD_LEAF_DATA: "API_INTERNAL",
  LEDGER_BAD_NOTE: "API_INTERNAL",
  LEDGER_BAD_VERIFIER_KEY: "API_INTERNAL",
  LEDGER_BAD_SIGNER_KEY: "API_INTERNAL",
  LEDGER_BAD_CHECKPOINT: "API_INTERNAL",
  LEDGER_NO_VALID_SIGNATURE: "API_INTERNAL",
  LEDGER_INCONSISTENT_CHECKPOINT: "API_INTERNAL",
  LEDGER_STORE_DAMAGED: "API_INTERNAL",
  LEDGER_BAD_KEY: "API_INTERNAL",
  LEDGER_DECRYPT_FAILED: "API_INTERNAL",
};

/** The API code for each Fastify error code a request can trigger. */
export const FASTIFY_ERROR_MAP: Readonly<Record<string, ApiErrorCode>> = {
  FST_ERR_VALIDATION: "API_VALIDATION_FAILED",
  FST_ERR_CTP_INVALID_JSON_BODY: "API_BAD_JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY: "API_BAD_JSON",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "API_BAD_JSON",
  FST_ERR_CTP_BODY_TOO_LARGE: "API_BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "API_UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_BAD_URL: "API_BAD_URL",
  FST_ERR_INVALID_URL: "API_BAD_URL",
  FST_ERR_MAX_PARAM_LENGTH: "API_URI_TOO_LONG",
  FST_ERR_NOT_FOUND: "API_NOT_FOUND",
};
