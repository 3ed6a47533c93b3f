/**
 * Window starts of a sampling audit, drawn from a block hash the tenant cannot choose: the
 * hash of the block that anchored the audited epoch. The i-th start (i from 0) is
 *
 *   start_i = uint256(SHA-256(blockHash || uint32be(i))) mod (treeSize - N + 1)
 *
 * so every window [start_i, start_i + N) lies inside the anchored tree of `treeSize` leaves.
 * Starts may repeat; a sample of `count` windows holds exactly `count` entries in this order.
 * The bias of the reduction is below 2^-200 for any tree size a log can reach.
 *
 * Pure: @noble/hashes runs in browsers.
 */
import { sha256 } from "@noble/hashes/sha2";

import { bytesToBigInt } from "./field";

const BLOCK_HASH = /^0x[0-9a-fA-F]{64}$/;

/** The most windows one sampling audit may ask for. */
export const MAX_SAMPLE_WINDOWS = 256;

/**
 * Derives the window starts of a sampling audit.
 *
 * Preconditions: blockHash is "0x" and 64 hex digits; N <= treeSize <= 2^53 - 1; count in
 * [1, MAX_SAMPLE_WINDOWS].
 *
 * @throws TypeError for a malformed block hash; RangeError for sizes or counts out of range.
 */
export function sampleWindowStarts(
  blockHash: string,
  treeSize: number,
  operations: number,
  count: number,
): number[] {
  if (typeof blockHash !== "string" || !BLOCK_HASH.test(blockHash)) {
    throw new TypeError(`blockHash must be 0x and 64 hex digits, got ${String(blockHash)}`);
  }
  if (!Number.isSafeInteger(operations) || operations < 1) {
    throw new RangeError(`operations is ${operations}, wanted a positive integer`);
  }
  if (!Number.isSafeInteger(treeSize) || treeSize < operations) {
    throw new RangeError(`treeSize is ${treeSize}, wanted an integer of at least ${operations}`);
  }
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SAMPLE_WINDOWS) {
    throw new RangeError(`count is ${count}, wanted an integer in [1, ${MAX_SAMPLE_WINDOWS}]`);
  }

  const seed = hexBytes(blockHash);
  const span = BigInt(treeSize - operations + 1);
  const message = new Uint8Array(36);
  message.set(seed, 0);
  const view = new DataView(message.buffer);

  const starts: number[] = [];
  for (let i = 0; i < count; i++) {
    view.setUint32(32, i);
    starts.push(Number(bytesToBigInt(sha256(message)) % span));
  }
  return starts;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}
