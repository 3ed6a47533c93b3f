import { bytes32Hex } from "./argument-checks";
import type { CheckpointCommitment } from "./checkpoint-commitment";
import { epochLeaf } from "./epoch-leaf";
import { epochNode } from "./epoch-node";
import { AnchorError } from "./errors";

/**
 * Returns the epoch root that `proof` leads to from the commitment's leaf, hashing each pair
 * in sorted order as OpenZeppelin's MerkleProof does. An empty proof gives the leaf itself,
 * the root of a one-leaf epoch. Throws TypeError or RangeError for a malformed commitment or
 * proof element; any well-formed input gives some root.
 */
export function computeEpochRoot(
  commitment: CheckpointCommitment,
  proof: readonly string[],
): string {
  if (!Array.isArray(proof)) {
    throw new TypeError(`proof must be an array of hex strings, got ${typeof proof}`);
  }
  const siblings = proof.map((node, i) => bytes32Hex(`proof[${i}]`, node));

  let node = epochLeaf(commitment);
  for (const sibling of siblings) {
    node = epochNode(node, sibling);
  }
  return node;
}

/**
 * Checks that `proof` shows `commitment` to be a leaf of the epoch tree with root `root`.
 * Needs no tree: only the commitment, its proof and the anchored root. Returns nothing on
 * success; throws an ANCHOR_ROOT_MISMATCH AnchorError carrying both roots when the proof
 * leads elsewhere, and TypeError or RangeError for malformed input.
 */
export function verifyEpochProof(
  commitment: CheckpointCommitment,
  proof: readonly string[],
  root: string,
): void {
  const expected = bytes32Hex("root", root);

  const actual = computeEpochRoot(commitment, proof);

  if (actual !== expected) {
    throw new AnchorError("ANCHOR_ROOT_MISMATCH", { expected, actual });
  }
}
