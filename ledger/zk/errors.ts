/**
 * The error catalog of the compliance layer. Every expected failure carries one of these stable
 * codes; callers branch on `code`, never on the message text. Programmer misuse (a wrong
 * argument type, a negative depth) throws a plain TypeError or RangeError instead.
 *
 * This module is pure (no Node-only APIs).
 */

/** Stable error codes of the compliance layer. */
export type ZkErrorCode =
  // Policy and assignment documents.
  | "ZK_BAD_DOCUMENT"
  | "ZK_UNSUPPORTED_VERSION"
  | "ZK_BAD_NAME"
  | "ZK_BAD_TIME"
  | "ZK_UNKNOWN_ROLE"
  | "ZK_DUPLICATE_ROLE"
  | "ZK_DUPLICATE_GRANT"
  | "ZK_DUPLICATE_ASSIGNMENT"
  // Field encoding and trees.
  | "ZK_NOT_FIELD_ELEMENT"
  | "ZK_BAD_SALT"
  | "ZK_TREE_FULL"
  | "ZK_LEAF_INDEX_OUT_OF_RANGE"
  // Building a window's witness.
  | "ZK_WINDOW_SIZE"
  | "ZK_NOT_GRANTED"
  | "ZK_NOT_ASSIGNED"
  | "ZK_WITNESS_FAILED"
  // Proofs and keys.
  | "ZK_BAD_PROOF_FORMAT"
  | "ZK_BAD_PUBLIC_SIGNALS"
  | "ZK_BAD_VERIFICATION_KEY"
  | "ZK_PROOF_REJECTED"
  // Compliance bundles.
  | "ZK_BAD_BUNDLE"
  | "ZK_WINDOW_MISMATCH"
  | "ZK_COMMITMENT_MISMATCH"
  | "ZK_TIME_OUT_OF_BOUNDS"
  | "ZK_ROOTS_NOT_ANCHORED"
  | "ZK_SAMPLE_MISMATCH"
  // Trusted setup.
  | "ZK_PTAU_HASH_MISMATCH"
  | "ZK_SETUP_INVALID"
  | "ZK_BAD_TRANSCRIPT";

/** An expected, coded failure of the compliance layer. `data` holds the offending values. */
export class ZkError extends Error {
  readonly code: ZkErrorCode;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(
    code: ZkErrorCode,
    message: string,
    data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ZkError";
    this.code = code;
    this.data = data;
  }
}

/** Returns true when `err` is a {@link ZkError}, with the given code when one is passed. */
export function isZkError(err: unknown, code?: ZkErrorCode): err is ZkError {
  return err instanceof ZkError && (code === undefined || err.code === code);
}
