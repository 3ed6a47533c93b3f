/**
 * The BN254 scalar field that circom and snarkjs compute in, and the 32-byte big-endian form
 * field elements take in leaf data (`opCommitment`).
 *
 * Pure: no Node-only APIs.
 */
import { ZkError } from "./errors";

/** The BN254 scalar field modulus r; every circuit signal is an integer in [0, r). */
export const FIELD_MODULUS =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** True when `value` is a canonical field element, an integer in [0, FIELD_MODULUS). */
export function isFieldElement(value: bigint): boolean {
  return value >= 0n && value < FIELD_MODULUS;
}

/**
 * Checks that `value` is a canonical field element.
 *
 * @throws ZkError ZK_NOT_FIELD_ELEMENT naming `what` otherwise.
 */
export function checkFieldElement(value: bigint, what: string): bigint {
  if (!isFieldElement(value)) {
    throw new ZkError("ZK_NOT_FIELD_ELEMENT", `${what} is ${value}, wanted an integer in [0, r)`, {
      what,
      value: value.toString(),
    });
  }

  return value;
}

/**
 * Encodes a field element as 32 bytes, big-endian.
 *
 * @throws RangeError when `value` is not a canonical field element (a programming error).
 */
export function fieldToBytes(value: bigint): Uint8Array {
  if (!isFieldElement(value)) {
    throw new RangeError(`fieldToBytes: value ${value} is not in [0, r)`);
  }

  const out = new Uint8Array(32);
  let rest = value;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/**
 * Decodes 32 big-endian bytes into a field element. The all-zero value decodes to 0n, which
 * leaf data uses for "no commitment".
 *
 * @throws TypeError when `bytes` is not 32 bytes long.
 * @throws ZkError ZK_NOT_FIELD_ELEMENT when the integer is not below the modulus.
 */
export function bytesToField(bytes: Uint8Array, what = "field element"): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) {
    throw new TypeError(`bytesToField: ${what} must be 32 bytes`);
  }

  return checkFieldElement(bytesToBigInt(bytes), what);
}

/** Reads bytes as one unsigned big-endian integer. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) {
    value = (value << 8n) | BigInt(byte);
  }
  return value;
}

/**
 * Parses a decimal string, as snarkjs prints signals, into a canonical field element.
 *
 * @throws ZkError ZK_NOT_FIELD_ELEMENT for anything but a decimal integer in [0, r).
 */
export function parseFieldDecimal(text: string, what: string): bigint {
  if (typeof text !== "string" || !/^(0|[1-9][0-9]*)$/.test(text)) {
    throw new ZkError("ZK_NOT_FIELD_ELEMENT", `${what} is not a decimal integer`, {
      what,
      value: String(text),
    });
  }

  return checkFieldElement(BigInt(text), what);
}
