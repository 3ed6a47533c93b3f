/**
 * Envelope encryption with AES-256-GCM. Each tenant has a random 256-bit data key, stored
 * only wrapped (encrypted) under the service's master key. Events are encrypted under their
 * tenant's data key with the tenant and leaf index as associated data, so a ciphertext moved
 * to another tenant or another index fails to decrypt.
 *
 * Sealed layout: version (1) || IV (12) || tag (16) || ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import { LedgerError } from "../errors";

const VERSION = 1;
const IV_SIZE = 12;
const TAG_SIZE = 16;
/** Length of master and data keys, in bytes. */
export const KEY_SIZE = 32;

/** Length of the random IV each sealed value needs, for callers that draw IVs in bulk. */
export const SEAL_IV_SIZE = IV_SIZE;

/**
 * Encrypts `plaintext` under `key`, binding `aad`. `iv` (12 bytes) must be fresh random bytes,
 * never reused under the same key; it is drawn here when omitted.
 */
export function seal(
  key: Uint8Array,
  plaintext: Uint8Array | string,
  aad: string,
  iv: Uint8Array = randomBytes(IV_SIZE),
): Uint8Array {
  checkKey(key);
  if (iv.length !== IV_SIZE) throw new RangeError(`iv: expected ${IV_SIZE} bytes`);

  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body =
    typeof plaintext === "string"
      ? Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
      : Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]);
}

/**
 * Decrypts a sealed value.
 *
 * @throws LedgerError LEDGER_DECRYPT_FAILED when the key, the associated data or the bytes
 *   are wrong.
 */
export function open(key: Uint8Array, sealed: Uint8Array, aad: string): Uint8Array {
  checkKey(key);
  if (sealed.length < 1 + IV_SIZE + TAG_SIZE || sealed[0] !== VERSION) {
    throw new LedgerError("LEDGER_DECRYPT_FAILED", "sealed value is malformed");
  }

  const iv = sealed.subarray(1, 1 + IV_SIZE);
  const tag = sealed.subarray(1 + IV_SIZE, 1 + IV_SIZE + TAG_SIZE);
  const body = sealed.subarray(1 + IV_SIZE + TAG_SIZE);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (err) {
    throw new LedgerError(
      "LEDGER_DECRYPT_FAILED",
      "authentication failed while decrypting",
      {},
      {
        cause: err,
      },
    );
  }
}

/** A fresh random 256-bit key. */
export function newKey(): Uint8Array {
  return randomBytes(KEY_SIZE);
}

/** Wraps a tenant's data key under the master key. */
export function wrapDataKey(
  masterKey: Uint8Array,
  dataKey: Uint8Array,
  tenant: string,
): Uint8Array {
  return seal(masterKey, dataKey, `anchorlog/data-key/v1/${tenant}`);
}

/** Unwraps a tenant's data key; LEDGER_BAD_KEY when the master key is not the one used. */
export function unwrapDataKey(
  masterKey: Uint8Array,
  wrapped: Uint8Array,
  tenant: string,
): Uint8Array {
  try {
    return open(masterKey, wrapped, `anchorlog/data-key/v1/${tenant}`);
  } catch (err) {
    throw new LedgerError(
      "LEDGER_BAD_KEY",
      `cannot unwrap the data key of tenant ${tenant}: wrong master key?`,
      { tenant },
      { cause: err },
    );
  }
}

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_SIZE)
    throw new RangeError(`key: expected ${KEY_SIZE} bytes, got ${key.length}`);
}
