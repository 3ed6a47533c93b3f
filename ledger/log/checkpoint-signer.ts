/**
 * Signs checkpoints with the service's Ed25519 key on Node's native crypto. One key signs
 * every tenant's log; each log's signatures use its origin as the key name, so each log has
 * its own verifier key "<origin>+<id>+<key>".
 */
import { createPrivateKey, KeyObject, sign } from "node:crypto";

import { LedgerError } from "../errors";
import { formatVerifierKey, NoteSigner, noteKeyId } from "../verify/note";
import { ed25519 } from "@noble/curves/ed25519";

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** Builds note signers, one per origin, from one 32-byte Ed25519 seed. */
export class CheckpointSigner {
  private readonly _key: KeyObject;
  private readonly _publicKey: Uint8Array;
  private readonly _signers = new Map<string, NoteSigner>();

  constructor(seed: Uint8Array) {
    if (seed.length !== 32) {
      throw new LedgerError(
        "LEDGER_BAD_SIGNER_KEY",
        `signing seed: expected 32 bytes, got ${seed.length}`,
      );
    }

    this._key = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: "der",
      type: "pkcs8",
    });
    this._publicKey = ed25519.getPublicKey(seed);
  }

  /** The Ed25519 public key. */
  get publicKey(): Uint8Array {
    return this._publicKey;
  }

  /** The note signer whose key name is `origin`. */
  signerFor(origin: string): NoteSigner {
    let s = this._signers.get(origin);
    if (s === undefined) {
      const key = this._key;
      s = {
        name: origin,
        keyId: noteKeyId(origin, this._publicKey),
        publicKey: this._publicKey,
        sign: (message) => sign(null, message, key),
      };
      this._signers.set(origin, s);
    }
    return s;
  }

  /** The verifier key line for `origin`'s checkpoints. */
  verifierKey(origin: string): string {
    return formatVerifierKey(origin, this._publicKey);
  }
}
