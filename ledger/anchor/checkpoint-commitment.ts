import { keccak256, toUtf8Bytes } from "ethers";

import { bytes32Hex, uint64 } from "./argument-checks";

/** 32 zero bytes: the policy and assignment roots of a tenant without compliance roots yet. */
export const ZERO_BYTES32 = "0x" + "00".repeat(32);

/**
 * What an epoch anchors about one tenant log: its latest checkpoint, reduced to fixed-size
 * fields. Hashes are 32 bytes as lower-case 0x-prefixed hex.
 */
export interface CheckpointCommitment {
  /** keccak256 of the checkpoint's origin line as UTF-8, naming the tenant log. */
  readonly originHash: string;
  /** The checkpoint's tree size, in `[0, 2^64)`. */
  readonly treeSize: bigint;
  /** The checkpoint's RFC 6962 root hash. */
  readonly rootHash: string;
  /** The tenant's policy root, or zero while it has none. */
  readonly policyRoot: string;
  /** The tenant's role assignment root, or zero while it has none. */
  readonly assignmentRoot: string;
}

/** The checkpoint fields a commitment is made from, as the log produces them. */
export interface CheckpointFields {
  /** The origin line of the checkpoint, without its newline. */
  readonly origin: string;
  /** The tree size: a bigint or a safe integer, in `[0, 2^64)`. */
  readonly treeSize: bigint | number;
  /** The RFC 6962 root hash: 32 bytes, or 0x and 64 hex digits. */
  readonly rootHash: Uint8Array | string;
  /** The policy root, 32 bytes; zero when omitted. */
  readonly policyRoot?: Uint8Array | string;
  /** The role assignment root, 32 bytes; zero when omitted. */
  readonly assignmentRoot?: Uint8Array | string;
}

/**
 * Returns keccak256 of `origin` encoded as UTF-8, the form an origin takes on chain.
 * Throws TypeError unless `origin` is a string, and RangeError when it is empty or holds a
 * newline (a checkpoint's origin is exactly its first line).
 */
export function originHash(origin: string): string {
  if (typeof origin !== "string") {
    throw new TypeError(`origin must be a string, got ${typeof origin}`);
  }
  if (origin.length === 0 || origin.includes("\n")) {
    throw new RangeError(`origin must be one non-empty line, got ${JSON.stringify(origin)}`);
  }

  return keccak256(toUtf8Bytes(origin));
}

/**
 * Builds the commitment an epoch anchors for one checkpoint. Omitted compliance roots are
 * zero. Throws TypeError or RangeError, naming the field, when a field is malformed.
 */
export function checkpointCommitment(fields: CheckpointFields): CheckpointCommitment {
  return Object.freeze({
    originHash: originHash(fields.origin),
    treeSize: uint64("treeSize", fields.treeSize),
    rootHash: bytes32Hex("rootHash", fields.rootHash),
    policyRoot: bytes32Hex("policyRoot", fields.policyRoot ?? ZERO_BYTES32),
    assignmentRoot: bytes32Hex("assignmentRoot", fields.assignmentRoot ?? ZERO_BYTES32),
  });
}

/**
 * Checks a commitment that arrived from outside (a receipt, a JSON file) and returns it in
 * canonical form: lower-case hex and a bigint tree size. Throws TypeError or RangeError,
 * naming the field, when one is malformed.
 */
export function canonicalCommitment(commitment: CheckpointCommitment): CheckpointCommitment {
  if (typeof commitment !== "object" || commitment === null) {
    throw new TypeError(`commitment must be an object, got ${commitment}`);
  }

  return Object.freeze({
    originHash: bytes32Hex("originHash", commitment.originHash),
    treeSize: uint64("treeSize", commitment.treeSize),
    rootHash: bytes32Hex("rootHash", commitment.rootHash),
    policyRoot: bytes32Hex("policyRoot", commitment.policyRoot),
    assignmentRoot: bytes32Hex("assignmentRoot", commitment.assignmentRoot),
  });
}
