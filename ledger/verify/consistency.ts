/**
 * RFC 9162 §2.1.4 consistency proofs: compute both roots a proof implies, then compare them.
 */
import { LedgerError, RootMismatchError } from "../errors";
import { bytesEqual, toHex } from "./bytes";
import { checkHash, nodeHash } from "./hash";
import { checkCount, half, isOdd, isPowerOfTwo } from "./tree-math";

/** The two roots a consistency proof implies. */
export interface ConsistencyRoots {
  root1: Uint8Array;
  root2: Uint8Array;
}

/**
 * Computes the roots of the trees of `size1` and `size2` leaves implied by a consistency proof
 * between them. When size1 is a power of two the proof omits the old root, so `root1` (the
 * caller's claimed old root) is taken as the proof's first node and comes back unchanged.
 *
 * Preconditions: 0 < size1 < size2 (equal sizes need no proof: see {@link verifyConsistency}).
 *
 * @throws LedgerError LEDGER_BAD_RANGE when the sizes are out of order or size1 is zero,
 *   LEDGER_BAD_HASH for a hash of the wrong length, LEDGER_BAD_PROOF for a proof of the wrong
 *   length.
 */
export function rootsFromConsistencyProof(
  size1: number,
  size2: number,
  root1: Uint8Array,
  proof: readonly Uint8Array[],
): ConsistencyRoots {
  checkCount(size1, "size1");
  checkCount(size2, "size2");
  if (size1 === 0 || size1 >= size2) {
    throw new LedgerError(
      "LEDGER_BAD_RANGE",
      `consistency proof needs 0 < size1 < size2, got size1 ${size1}, size2 ${size2}`,
      { size1, size2 },
    );
  }
  checkHash(root1, "root1");
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`));

  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  if (path.length === 0) throw badLength(size1, size2, proof.length);

  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }

  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) throw badLength(size1, size2, proof.length);
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw badLength(size1, size2, proof.length);
  return { root1: fr, root2: sr };
}

/**
 * Verifies that the tree of `size2` leaves with root `root2` extends the tree of `size1`
 * leaves with root `root1`. Equal sizes verify only with an empty proof and equal roots. A
 * proof from size 0 is rejected: it would prove nothing.
 *
 * @throws RootMismatchError when either implied root differs, LedgerError otherwise (see
 *   {@link rootsFromConsistencyProof}).
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkCount(size1, "size1");
  checkCount(size2, "size2");
  if (size1 === 0) {
    throw new LedgerError("LEDGER_BAD_RANGE", "consistency proof from size 0 proves nothing", {
      size1,
      size2,
    });
  }
  if (size1 === size2) {
    // Nothing is computed at equal sizes: the claim holds exactly when the two roots are the
    // same bytes, whatever their length.
    if (proof.length !== 0) throw badLength(size1, size2, proof.length);
    if (!bytesEqual(root1, root2)) {
      throw new RootMismatchError("consistency at equal sizes", toHex(root1), toHex(root2));
    }
    return;
  }
  checkHash(root1, "root1");
  checkHash(root2, "root2");

  const roots = rootsFromConsistencyProof(size1, size2, root1, proof);

  if (!bytesEqual(roots.root1, root1)) {
    throw new RootMismatchError("consistency proof, old root", toHex(root1), toHex(roots.root1));
  }
  if (!bytesEqual(roots.root2, root2)) {
    throw new RootMismatchError("consistency proof, new root", toHex(root2), toHex(roots.root2));
  }
}

function badLength(size1: number, size2: number, length: number): LedgerError {
  return new LedgerError(
    "LEDGER_BAD_PROOF",
    `consistency proof from size ${size1} to ${size2} has the wrong length ${length}`,
    { size1, size2, length },
  );
}
