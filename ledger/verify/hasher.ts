/**
 * The two RFC 6962 hash functions behind one interface, so tree code can run on the pure
 * JavaScript SHA-256 in a browser or on Node's native one in the service.
 */
import { leafHash, nodeHash } from "./hash";

/** RFC 6962 leaf and node hashing. Implementations must agree byte for byte. */
export interface Hasher {
  leaf(data: Uint8Array): Uint8Array;
  node(left: Uint8Array, right: Uint8Array): Uint8Array;
}

/** The portable hasher (pure JavaScript). */
export const pureHasher: Hasher = { leaf: leafHash, node: nodeHash };
