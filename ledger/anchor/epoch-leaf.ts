import { getBytes, keccak256 } from "ethers";

import { canonicalCommitment, type CheckpointCommitment } from "./checkpoint-commitment";

/**
 * The Solidity types of an epoch leaf, in order. The contract's `isAnchored` ABI-encodes the
 * same five values, so the two sides agree byte for byte.
 */
export const EPOCH_LEAF_TYPES: readonly string[] = Object.freeze([
  "bytes32", // originHash
  "uint64", // treeSize
  "bytes32", // rootHash
  "bytes32", // policyRoot
  "bytes32", // assignmentRoot
]);

/** The value tuple of an epoch leaf, in the order of {@link EPOCH_LEAF_TYPES}. */
export type EpochLeafValue = [string, bigint, string, string, string];

/** Returns the commitment's fields as the tuple that {@link EPOCH_LEAF_TYPES} describes. */
export function epochLeafValue(commitment: CheckpointCommitment): EpochLeafValue {
  const c = canonicalCommitment(commitment);

  return [c.originHash, c.treeSize, c.rootHash, c.policyRoot, c.assignmentRoot];
}

/**
 * Returns `abi.encode(originHash, treeSize, rootHash, policyRoot, assignmentRoot)`: five
 * static values, so five 32-byte words with the uint64 right-aligned in its word. Written out
 * by hand because a generic ABI coder costs more than the two hashes that follow it, and an
 * epoch of ten thousand tenants encodes ten thousand leaves. Throws TypeError or RangeError
 * when a field is malformed.
 */
export function encodeEpochLeaf(commitment: CheckpointCommitment): Uint8Array {
  const c = canonicalCommitment(commitment);

  const encoded = new Uint8Array(5 * 32);
  encoded.set(getBytes(c.originHash), 0);
  let size = c.treeSize;
  for (let at = 63; at >= 56; at--) {
    encoded[at] = Number(size & 0xffn);
    size >>= 8n;
  }
  encoded.set(getBytes(c.rootHash), 64);
  encoded.set(getBytes(c.policyRoot), 96);
  encoded.set(getBytes(c.assignmentRoot), 128);
  return encoded;
}

/**
 * Returns the leaf hash of a commitment in the StandardMerkleTree convention:
 * `keccak256(keccak256(abi.encode(originHash, treeSize, rootHash, policyRoot,
 * assignmentRoot)))`. Hashing twice keeps a leaf from ever equalling a 64-byte inner node.
 * Throws TypeError or RangeError when a field is malformed.
 */
export function epochLeaf(commitment: CheckpointCommitment): string {
  return keccak256(getBytes(keccak256(encodeEpochLeaf(commitment))));
}
