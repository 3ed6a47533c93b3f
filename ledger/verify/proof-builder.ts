/**
 * Builds RFC 9162 §2.1.3-2.1.4 inclusion and consistency proofs from any source of perfect
 * subtree hashes: the service's tile store, or a client reading tlog-tiles over HTTP.
 *
 * A perfect subtree (height h, index i) is the tree over leaves [i·2^h, (i+1)·2^h).
 */
import { LedgerError } from "../errors";
import { Hasher } from "./hasher";
import { checkCount, splitPoint } from "./tree-math";

/** Where the builder reads hashes of perfect subtrees. */
export interface SubtreeSource {
  /** Hash of the perfect subtree at `height` and `index`; it must lie within the tree. */
  subtree(height: number, index: number): Promise<Uint8Array>;
}

/**
 * Hash of the leaves [begin, end) as RFC 6962 defines MTH for them, where the range is one
 * that the proof recursions produce: begin is a multiple of the largest power of two not
 * above end - begin. Folds the range's perfect subtrees from the right.
 */
export async function rangeHash(
  src: SubtreeSource,
  hasher: Hasher,
  begin: number,
  end: number,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let at = begin;
  while (at < end) {
    let h = 0;
    while (2 ** (h + 1) <= end - at && at % 2 ** (h + 1) === 0) h++;
    parts.push(await src.subtree(h, at / 2 ** h));
    at += 2 ** h;
  }

  let acc = parts[parts.length - 1];
  for (let i = parts.length - 2; i >= 0; i--) acc = hasher.node(parts[i], acc);
  return acc;
}

/**
 * The inclusion proof for the leaf at `index` in the tree of `size` leaves.
 *
 * @throws LedgerError LEDGER_INDEX_OUT_OF_RANGE when index >= size.
 */
export async function buildInclusionProof(
  src: SubtreeSource,
  hasher: Hasher,
  index: number,
  size: number,
): Promise<Uint8Array[]> {
  checkCount(index, "index");
  checkCount(size, "size");
  if (index >= size) {
    throw new LedgerError("LEDGER_INDEX_OUT_OF_RANGE", `index ${index} is not below size ${size}`, {
      index,
      size,
    });
  }

  // Walk from the root down to the leaf, noting each sibling range; the proof lists them
  // bottom-up.
  const siblings: [number, number][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      siblings.push([lo + k, hi]);
      hi = lo + k;
    } else {
      siblings.push([lo, lo + k]);
      lo += k;
    }
  }

  const proof: Uint8Array[] = [];
  for (let i = siblings.length - 1; i >= 0; i--) {
    proof.push(await rangeHash(src, hasher, siblings[i][0], siblings[i][1]));
  }
  return proof;
}

/**
 * The consistency proof from the tree of `size1` leaves to the tree of `size2` leaves.
 * Empty when the sizes are equal.
 *
 * @throws LedgerError LEDGER_SIZE_OUT_OF_RANGE unless 0 < size1 <= size2.
 */
export async function buildConsistencyProof(
  src: SubtreeSource,
  hasher: Hasher,
  size1: number,
  size2: number,
): Promise<Uint8Array[]> {
  checkCount(size1, "size1");
  checkCount(size2, "size2");
  if (size1 === 0 || size1 > size2) {
    throw new LedgerError(
      "LEDGER_SIZE_OUT_OF_RANGE",
      `consistency proof needs 0 < size1 <= size2, got ${size1} and ${size2}`,
      { size1, size2 },
    );
  }
  if (size1 === size2) return [];

  // RFC 9162 SUBPROOF, unrolled: descend while size1 is not a whole subtree.
  const ranges: [number, number][] = [];
  let lo = 0;
  let hi = size2;
  let m = size1;
  let whole = true;
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) ranges.push([lo, hi]);

  const proof: Uint8Array[] = [];
  for (let i = ranges.length - 1; i >= 0; i--) {
    proof.push(await rangeHash(src, hasher, ranges[i][0], ranges[i][1]));
  }
  return proof;
}

/** The root hash of the tree of `size` leaves (size > 0). */
export function rootHash(src: SubtreeSource, hasher: Hasher, size: number): Promise<Uint8Array> {
  if (size === 0) throw new RangeError("rootHash: the empty tree's root is EMPTY_ROOT");
  return rangeHash(src, hasher, 0, size);
}
