/**
 * RFC 9162 §2.1.3 inclusion proofs: compute the root a proof implies, then compare it.
 */
import { LedgerError, RootMismatchError } from "../errors";
import { bytesEqual, toHex } from "./bytes";
import { checkHash, nodeHash } from "./hash";
import { checkCount, half, isOdd } from "./tree-math";

/**
 * Computes the root of a tree of `size` leaves implied by an inclusion proof for the leaf at
 * `index` with hash `leafHash`.
 *
 * Preconditions: 0 <= index < size; every hash is 32 bytes. The proof must have exactly the
 * length the pair (index, size) dictates.
 *
 * @throws LedgerError LEDGER_BAD_RANGE when index >= size, LEDGER_BAD_HASH for a hash of the
 *   wrong length, LEDGER_BAD_PROOF when the proof is too short or too long.
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  checkCount(index, "index");
  checkCount(size, "size");
  if (index >= size) {
    throw new LedgerError(
      "LEDGER_BAD_RANGE",
      `leaf index ${index} is not below tree size ${size}`,
      {
        index,
        size,
      },
    );
  }
  checkHash(leafHash, "leaf hash");
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`));

  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw badLength(index, size, proof.length);
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw badLength(index, size, proof.length);
  return r;
}

/**
 * Verifies that the leaf hash `leafHash` is at `index` in the tree of `size` leaves whose root
 * is `root`.
 *
 * @throws RootMismatchError when the proof implies another root, and whatever
 *   {@link rootFromInclusionProof} throws.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkHash(root, "root");

  const computed = rootFromInclusionProof(index, size, leafHash, proof);

  if (!bytesEqual(computed, root)) {
    throw new RootMismatchError("inclusion proof", toHex(root), toHex(computed));
  }
}

function badLength(index: number, size: number, length: number): LedgerError {
  return new LedgerError(
    "LEDGER_BAD_PROOF",
    `inclusion proof for index ${index} in size ${size} has the wrong length ${length}`,
    { index, size, length },
  );
}
