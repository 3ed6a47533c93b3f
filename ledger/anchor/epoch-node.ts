import { concat, keccak256 } from "ethers";

/**
 * Returns the parent of two epoch tree nodes: keccak256 of the pair in ascending byte order,
 * as OpenZeppelin's MerkleProof hashes it, so a proof needs no left or right flags. Both
 * nodes must be canonical (lower-case 32-byte hex), which makes string order byte order.
 */
export function epochNode(a: string, b: string): string {
  return a < b ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}
