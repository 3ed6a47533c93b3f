/**
 * Integer helpers for tree sizes and indices. Sizes go up to 2^53 - 1, beyond the 32 bits
 * that JavaScript's bitwise operators handle, so everything here uses plain arithmetic.
 */
import { LedgerError } from "../errors";

/**
 * Checks that `value`, a size or index taken from a proof or a request, is a non-negative
 * safe integer; throws LEDGER_BAD_RANGE naming `name` otherwise. Untrusted input reaches
 * these checks, so they throw a coded error rather than a RangeError.
 */
export function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new LedgerError(
      "LEDGER_BAD_RANGE",
      `${name}: expected a non-negative safe integer, got ${value}`,
      {
        [name]: value,
      },
    );
  }
}

/** True when `n` is odd. */
export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

/** floor(n / 2). */
export function half(n: number): number {
  return Math.floor(n / 2);
}

/**
 * The largest power of two strictly below `n`, the split point k of RFC 6962 §2.1 for a tree
 * of n > 1 leaves: the left subtree holds [0, k), the right [k, n).
 */
export function splitPoint(n: number): number {
  if (n < 2) throw new RangeError(`splitPoint: expected n >= 2, got ${n}`);

  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** True when `n` is a power of two (1, 2, 4, ...). */
export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
