/**
 * An independent RFC 6962 implementation written straight from the definitions in §2.1,
 * recursive and slow, for cross-checking the ledger's tree code. Ranges are half-open
 * [lo, hi) over an array of leaf hashes.
 */
import { createHash } from "node:crypto";

const sha = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** MTH({d(0)}) = SHA-256(0x00 || d(0)). */
export function naiveLeafHash(data: Uint8Array): Uint8Array {
  return sha(Uint8Array.of(0), data);
}

/**
 * A naive tree over fixed leaves. MTH results of ranges are remembered, which changes the
 * cost but not the definition, so large trees stay testable.
 */
export class NaiveTree {
  private readonly _leaves: readonly Uint8Array[];
  private readonly _memo = new Map<string, Uint8Array>();

  constructor(leafHashes: readonly Uint8Array[]) {
    this._leaves = leafHashes;
  }

  /** MTH(D[lo:hi]). */
  root(lo = 0, hi = this._leaves.length): Uint8Array {
    if (hi - lo === 0) return sha();
    if (hi - lo === 1) return this._leaves[lo];
    const key = `${lo}:${hi}`;
    let r = this._memo.get(key);
    if (r === undefined) {
      const k = largestPowerOfTwoBelow(hi - lo);
      r = sha(Uint8Array.of(1), this.root(lo, lo + k), this.root(lo + k, hi));
      this._memo.set(key, r);
    }
    return r;
  }

  /** PATH(m, D[lo:hi]) of RFC 6962 §2.1.1, m relative to lo. */
  path(m: number, lo = 0, hi = this._leaves.length): Uint8Array[] {
    if (hi - lo === 1) return [];
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m < k) return [...this.path(m, lo, lo + k), this.root(lo + k, hi)];
    return [...this.path(m - k, lo + k, hi), this.root(lo, lo + k)];
  }

  /** PROOF(m, D[0:n]) of RFC 6962 §2.1.2. */
  proof(m: number, n = this._leaves.length): Uint8Array[] {
    return this._subproof(m, 0, n, true);
  }

  private _subproof(m: number, lo: number, hi: number, b: boolean): Uint8Array[] {
    if (m === hi - lo) return b ? [] : [this.root(lo, hi)];
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m <= k) return [...this._subproof(m, lo, lo + k, b), this.root(lo + k, hi)];
    return [...this._subproof(m - k, lo + k, hi, false), this.root(lo, lo + k)];
  }
}

/** MTH(D[n]) over already-hashed leaves. */
export function naiveRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  return new NaiveTree(leafHashes).root();
}

/** PATH(m, D[n]). */
export function naiveInclusionProof(m: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  return new NaiveTree(leafHashes).path(m);
}

/** PROOF(m, D[n]). */
export function naiveConsistencyProof(m: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  return new NaiveTree(leafHashes).proof(m);
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
