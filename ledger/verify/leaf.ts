/**
 * Leaf data: the bytes each log leaf commits to. A fixed 81-byte layout that reveals nothing
 * private about the event:
 *
 *   offset  size  field
 *   0       1     version, 0x01
 *   1       8     leaf index in its tenant's log, big-endian
 *   9       8     integration time, milliseconds since the Unix epoch, big-endian
 *   17      32    event hash: SHA-256("anchorlog/event/v1" || 0x00 || salt || canonical event)
 *   49      32    operation commitment (a BN254 field element, big-endian; zero when absent)
 *
 * The salt is 32 random bytes kept with the encrypted event, so the event hash cannot be
 * brute-forced from guessable fields; once the salt is erased it never can be.
 */
import { LedgerError } from "../errors";
import { bytesEqual, concatBytes, readU64be, u64be, utf8 } from "./bytes";
import { canonicalJson } from "./canonical-json";
import { sha256Bytes } from "./hash";

/** Leaf data format version this code writes and reads. */
export const LEAF_VERSION = 1;
/** Length of leaf data, in bytes. */
export const LEAF_DATA_SIZE = 81;
/** Length of an event salt, in bytes. */
export const SALT_SIZE = 32;

/** The domain prefix of every event hash. */
export const EVENT_HASH_DOMAIN = utf8("anchorlog/event/v1\u0000");
const ZERO_COMMITMENT = new Uint8Array(32);

/** The decoded fields of a leaf. */
export interface LeafFields {
  index: number;
  timeMs: number;
  eventHash: Uint8Array;
  opCommitment: Uint8Array;
}

/** Encodes leaf fields into the 81-byte leaf data. */
export function encodeLeaf(fields: LeafFields): Uint8Array {
  if (fields.eventHash.length !== 32 || fields.opCommitment.length !== 32) {
    throw new TypeError("encodeLeaf: eventHash and opCommitment must be 32 bytes each");
  }

  return concatBytes(
    Uint8Array.of(LEAF_VERSION),
    u64be(fields.index),
    u64be(fields.timeMs),
    fields.eventHash,
    fields.opCommitment,
  );
}

/**
 * Decodes leaf data.
 *
 * @throws LedgerError LEDGER_BAD_LEAF_DATA for a wrong length or version.
 */
export function decodeLeaf(data: Uint8Array): LeafFields {
  if (data.length !== LEAF_DATA_SIZE) {
    throw new LedgerError(
      "LEDGER_BAD_LEAF_DATA",
      `leaf data has ${data.length} bytes, expected ${LEAF_DATA_SIZE}`,
      { length: data.length },
    );
  }
  if (data[0] !== LEAF_VERSION) {
    throw new LedgerError("LEDGER_BAD_LEAF_DATA", `leaf data version ${data[0]} is unknown`, {
      version: data[0],
    });
  }

  return {
    index: readU64be(data, 1),
    timeMs: readU64be(data, 9),
    eventHash: data.slice(17, 49),
    opCommitment: data.slice(49, 81),
  };
}

/** The salted event hash that goes into leaf data. */
export function eventHash(salt: Uint8Array, event: unknown): Uint8Array {
  if (salt.length !== SALT_SIZE) throw new TypeError(`eventHash: salt must be ${SALT_SIZE} bytes`);

  return sha256Bytes(concatBytes(EVENT_HASH_DOMAIN, salt, utf8(canonicalJson(event))));
}

/** True when the leaf's commitment field is unset (all zero). */
export function hasNoCommitment(fields: LeafFields): boolean {
  return bytesEqual(fields.opCommitment, ZERO_COMMITMENT);
}

/** The all-zero operation commitment of an entry without one. */
export function zeroCommitment(): Uint8Array {
  return ZERO_COMMITMENT.slice();
}
