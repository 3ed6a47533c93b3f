/**
 * The identity of a verification key: SHA-256 of its RFC 8785 canonical JSON, as lower-case
 * hex. A bundle names the key it was proven under by this hash; a verifier compares it with
 * the hash of the key it trusts, so a bundle for another key fails before any pairing.
 *
 * Pure: @noble/hashes runs in browsers.
 */
import { sha256 } from "@noble/hashes/sha2";

import { toHex, utf8 } from "../verify/bytes";
import { canonicalJson } from "../verify/canonical-json";
import type { VerificationKey } from "./snarkjs-api";

/**
 * Returns the hex SHA-256 of the key's canonical JSON.
 *
 * @throws TypeError when the key holds a value JSON cannot represent.
 */
export function verificationKeyHash(vkey: VerificationKey): string {
  return toHex(sha256(utf8(canonicalJson(vkey))));
}
