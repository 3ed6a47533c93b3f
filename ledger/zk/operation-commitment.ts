/**
 * The operation commitment stored in each leaf's `opCommitment` field:
 *
 *   commitment = Poseidon(TAG_OPERATION, actor, role, action, resourceClass, time, salt)
 *
 * with names encoded by encodeName, time in whole seconds, and a fresh random salt of 31 bytes
 * (248 bits, below the field modulus). The named fields have little entropy, so without the
 * salt anyone could recover them by trying every plausible combination; the salt must be kept
 * with the tenant's private record of the operation, since proving needs it again.
 *
 * Pure: randomness comes from the Web Crypto API, present in Node 20 and browsers.
 */
import { encodeName } from "./encode-name";
import { ZkError } from "./errors";
import { bytesToBigInt } from "./field";
import type { PoseidonHash } from "./poseidon";
import { TAG_OPERATION } from "./tags";
import { checkTime } from "./time-bounds";
import type { Operation } from "./types";

/** Length of an operation salt, in bytes. */
export const SALT_BYTES = 31;

const SALT_LIMIT = 1n << BigInt(8 * SALT_BYTES);

/** Draws a fresh salt: 31 bytes from a cryptographic random source, as an integer. */
export function randomSalt(): bigint {
  const bytes = new Uint8Array(SALT_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  return bytesToBigInt(bytes);
}

/**
 * The operation's field elements in commitment order: actor, role, action, resourceClass,
 * time, salt.
 *
 * @throws ZkError ZK_BAD_NAME, ZK_BAD_TIME, or ZK_BAD_SALT for a salt outside [0, 2^248).
 */
export function encodeOperation(op: Operation): readonly bigint[] {
  const time = checkTime(op.time, "operation time");
  if (typeof op.salt !== "bigint" || op.salt < 0n || op.salt >= SALT_LIMIT) {
    throw new ZkError("ZK_BAD_SALT", `operation salt must be an integer in [0, 2^248)`, {});
  }

  return [
    encodeName("actor", op.actor),
    encodeName("role", op.role),
    encodeName("action", op.action),
    encodeName("resource-class", op.resourceClass),
    BigInt(time),
    op.salt,
  ];
}

/**
 * Computes the operation's commitment, a field element; fieldToBytes gives the 32 bytes of
 * leaf data.
 *
 * @throws ZkError as encodeOperation.
 */
export function operationCommitment(hash: PoseidonHash, op: Operation): bigint {
  return hash([TAG_OPERATION, ...encodeOperation(op)]);
}
