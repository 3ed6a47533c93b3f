/**
 * Domain tags: the first input of every Poseidon hash in the compliance scheme, one per kind of
 * value, so a grant leaf, an assignment leaf, an internal node of either tree and an operation
 * commitment can never stand in for one another.
 *
 * Each tag is an ASCII label read as one big-endian integer. circuits/src/tags.circom holds the
 * same numbers; a test compares the two.
 *
 * Pure: no Node-only APIs.
 */

/** Reads an ASCII label of at most 31 bytes as one big-endian integer (below the modulus). */
export function asciiTag(label: string): bigint {
  if (!/^[\x20-\x7e]{1,31}$/.test(label)) {
    throw new RangeError(`asciiTag: label must be 1-31 printable ASCII characters`);
  }

  let value = 0n;
  for (let i = 0; i < label.length; i++) {
    value = (value << 8n) | BigInt(label.charCodeAt(i));
  }
  return value;
}

/** Tag of a grant leaf in the policy tree. */
export const TAG_GRANT_LEAF = asciiTag("anchorlog/zk/v1/grant-leaf");

/** Tag of an internal node of the policy tree. */
export const TAG_POLICY_NODE = asciiTag("anchorlog/zk/v1/policy-node");

/** Tag of an assignment leaf in the assignment tree. */
export const TAG_ASSIGNMENT_LEAF = asciiTag("anchorlog/zk/v1/assignment-leaf");

/** Tag of an internal node of the assignment tree. */
export const TAG_ASSIGNMENT_NODE = asciiTag("anchorlog/zk/v1/assignment-node");

/** Tag of an operation commitment. */
export const TAG_OPERATION = asciiTag("anchorlog/zk/v1/operation");
