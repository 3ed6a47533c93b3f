/**
 * A grant's leaf in the policy tree:
 *
 *   grant leaf = Poseidon(TAG_GRANT_LEAF, role, action, resourceClass, validFrom, validUntil)
 *
 * with names encoded by encodeName and times as plain integers.
 *
 * Pure: no Node-only APIs.
 */
import { encodeName } from "./encode-name";
import type { PoseidonHash } from "./poseidon";
import { TAG_GRANT_LEAF } from "./tags";
import type { Grant } from "./types";

/** The grant's field elements in leaf order: role, action, resourceClass, validFrom, validUntil. */
export function encodeGrant(grant: Grant): readonly bigint[] {
  return [
    encodeName("role", grant.role),
    encodeName("action", grant.action),
    encodeName("resource-class", grant.resourceClass),
    BigInt(grant.validFrom),
    BigInt(grant.validUntil),
  ];
}

/** The grant's leaf hash. */
export function grantLeafHash(hash: PoseidonHash, grant: Grant): bigint {
  return hash([TAG_GRANT_LEAF, ...encodeGrant(grant)]);
}
