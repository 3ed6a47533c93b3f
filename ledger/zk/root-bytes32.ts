/**
 * Field elements as bytes32: the form policy and assignment roots take in checkpoint
 * commitments, epoch leaves and contracts. A root is written as its 32-byte big-endian
 * integer, "0x" and 64 lower-case hex digits, exactly as an operation commitment is written
 * into leaf data. The all-zero value means "no root registered".
 *
 * Pure: no Node-only APIs.
 */
import { ZkError } from "./errors";
import { checkFieldElement } from "./field";

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * Writes a field element as bytes32 hex, big-endian.
 *
 * @throws ZkError ZK_NOT_FIELD_ELEMENT when `value` is not in [0, r).
 */
export function fieldToBytes32(value: bigint, what = "field element"): string {
  checkFieldElement(value, what);

  return "0x" + value.toString(16).padStart(64, "0");
}

/**
 * Reads bytes32 hex (either case) as a field element, big-endian.
 *
 * @throws ZkError ZK_NOT_FIELD_ELEMENT for text that is not "0x" and 64 hex digits, or for a
 *   value at or above the field modulus: such a root could never be a public input.
 */
export function bytes32ToField(hex: string, what = "bytes32"): bigint {
  if (typeof hex !== "string" || !BYTES32.test(hex)) {
    throw new ZkError("ZK_NOT_FIELD_ELEMENT", `${what} is not 0x and 64 hex digits`, {
      what,
      value: String(hex),
    });
  }

  return checkFieldElement(BigInt(hex), what);
}
