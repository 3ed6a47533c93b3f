/**
 * The ledger's error catalog. Every expected failure of the ledger carries one of these stable
 * codes; callers branch on `code`, never on the message text. Programmer misuse throws a plain
 * TypeError or RangeError instead, and impossible states throw {@link LedgerInvariantError}.
 *
 * This module is pure (no Node-only APIs) so the verify functions can run in a browser.
 */

/** Stable error codes of the ledger layer. */
export type LedgerErrorCode =
  // Proofs and verification.
  | "LEDGER_BAD_HASH"
  | "LEDGER_BAD_PROOF"
  | "LEDGER_ROOT_MISMATCH"
  | "LEDGER_BAD_RANGE"
  | "LEDGER_BAD_LEAF_DATA"
  // Signed notes and checkpoints.
  | "LEDGER_BAD_NOTE"
  | "LEDGER_BAD_VERIFIER_KEY"
  | "LEDGER_BAD_SIGNER_KEY"
  | "LEDGER_BAD_CHECKPOINT"
  | "LEDGER_NO_VALID_SIGNATURE"
  | "LEDGER_INCONSISTENT_CHECKPOINT"
  // Entries and tenants.
  | "LEDGER_BAD_EVENT"
  | "LEDGER_EVENT_TOO_LARGE"
  | "LEDGER_BAD_TENANT_ID"
  | "LEDGER_TENANT_EXISTS"
  | "LEDGER_UNKNOWN_TENANT"
  | "LEDGER_TENANT_DISABLED"
  | "LEDGER_INDEX_OUT_OF_RANGE"
  | "LEDGER_SIZE_OUT_OF_RANGE"
  | "LEDGER_LEAF_NOT_FOUND"
  | "LEDGER_EVENT_ERASED"
  | "LEDGER_IDEMPOTENCY_MISMATCH"
  | "LEDGER_BATCH_TOO_LARGE"
  // Storage and lifecycle.
  | "LEDGER_QUEUE_FULL"
  | "LEDGER_CLOSED"
  | "LEDGER_STORE_DAMAGED"
  | "LEDGER_BAD_KEY"
  | "LEDGER_DECRYPT_FAILED";

/** An expected, coded failure of the ledger. `data` holds the offending values. */
export class LedgerError extends Error {
  readonly code: LedgerErrorCode;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(
    code: LedgerErrorCode,
    message: string,
    data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LedgerError";
    this.code = code;
    this.data = data;
  }
}

/**
 * A computed root differs from the expected one. Carries both roots (hex) so a caller can
 * report exactly what disagreed.
 */
export class RootMismatchError extends LedgerError {
  readonly expected: string;
  readonly actual: string;

  constructor(what: string, expected: string, actual: string) {
    super("LEDGER_ROOT_MISMATCH", `${what}: computed root ${actual}, expected ${expected}`, {
      expected,
      actual,
    });
    this.name = "RootMismatchError";
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * The queue of pending appends is full. Retryable: the caller should wait `retryAfterMs` and
 * try again (the API answers 503 with Retry-After).
 */
export class QueueFullError extends LedgerError {
  readonly retryAfterMs: number;

  constructor(depth: number, limit: number, retryAfterMs: number) {
    super("LEDGER_QUEUE_FULL", `append queue holds ${depth} entries, limit ${limit}`, {
      depth,
      limit,
    });
    this.name = "QueueFullError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** A state that should never happen; seeing one means a bug in the ledger itself. */
export class LedgerInvariantError extends Error {
  constructor(message: string) {
    super(`invariant violated: ${message}`);
    this.name = "LedgerInvariantError";
  }
}

/** Returns true when `err` is a {@link LedgerError} with the given code. */
export function isLedgerError(err: unknown, code?: LedgerErrorCode): err is LedgerError {
  return err instanceof LedgerError && (code === undefined || err.code === code);
}
