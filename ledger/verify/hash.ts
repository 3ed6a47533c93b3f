/**
 * RFC 6962 / RFC 9162 §2.1.1 Merkle tree hashing with SHA-256:
 * leaf hash = SHA-256(0x00 || leaf data), node hash = SHA-256(0x01 || left || right).
 * The empty tree's root is SHA-256 of the empty string.
 *
 * Pure JavaScript (@noble/hashes) so it runs in browsers; the log's writer uses Node's native
 * SHA-256 for speed and is tested to agree with this module.
 */
import { sha256 } from "@noble/hashes/sha2";

import { LedgerError } from "../errors";
import { toHex } from "./bytes";

/** Length of every hash in the log, in bytes. */
export const HASH_SIZE = 32;

const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

/** Root hash of the empty tree: SHA-256 of zero bytes. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** Hash of a leaf: SHA-256(0x00 || leafData). */
export function leafHash(leafData: Uint8Array): Uint8Array {
  return sha256.create().update(LEAF_PREFIX).update(leafData).digest();
}

/** Hash of an interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256.create().update(NODE_PREFIX).update(left).update(right).digest();
}

/** Plain SHA-256, for callers that hash something other than tree nodes. */
export function sha256Bytes(data: Uint8Array): Uint8Array {
  return sha256(data);
}

/**
 * Checks that `hash` is a 32-byte hash; throws LEDGER_BAD_HASH naming `what` otherwise.
 */
export function checkHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    const got = hash instanceof Uint8Array ? `${hash.length} bytes` : typeof hash;
    throw new LedgerError("LEDGER_BAD_HASH", `${what}: expected ${HASH_SIZE} bytes, got ${got}`, {
      what,
    });
  }
}

/** Hex of a hash, for error messages and logs. */
export function hashHex(hash: Uint8Array): string {
  return toHex(hash);
}
