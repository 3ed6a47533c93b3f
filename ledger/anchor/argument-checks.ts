// Argument checks shared by the anchor modules. Wrong types throw TypeError and values out of
// range throw RangeError, both naming the parameter: these are programming mistakes, not the
// coded domain failures of errors.ts.

const HEX_32 = /^0x[0-9a-fA-F]{64}$/;

/** 2^64, one past the largest value a Solidity uint64 holds. */
export const UINT64_LIMIT = 1n << 64n;

/**
 * Returns `value` as 32 bytes of lower-case 0x-prefixed hex. Accepts a 32-byte Uint8Array or
 * a 0x-prefixed hex string of 64 digits in either case.
 */
export function bytes32Hex(name: string, value: unknown): string {
  if (value instanceof Uint8Array) {
    if (value.length !== 32) {
      throw new RangeError(`${name} must be 32 bytes, got ${value.length}`);
    }

    return "0x" + Array.from(value, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  if (typeof value !== "string") {
    throw new TypeError(`${name} must be a Uint8Array or a hex string, got ${typeof value}`);
  }
  if (!HEX_32.test(value)) {
    throw new RangeError(`${name} must be 0x and 64 hex digits, got ${JSON.stringify(value)}`);
  }

  return value.toLowerCase();
}

/**
 * Returns `value` as a bigint in `[0, 2^64)`. Accepts a bigint or a safe non-negative integer.
 */
export function uint64(name: string, value: unknown): bigint {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`${name} must be a safe integer, got ${value}`);
    }

    value = BigInt(value);
  }

  if (typeof value !== "bigint") {
    throw new TypeError(`${name} must be a bigint or a number, got ${typeof value}`);
  }
  if (value < 0n || value >= UINT64_LIMIT) {
    throw new RangeError(`${name} must be in [0, 2^64), got ${value}`);
  }

  return value;
}
