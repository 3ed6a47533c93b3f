/**
 * An assignment's leaf in the assignment tree:
 *
 *   assignment leaf = Poseidon(TAG_ASSIGNMENT_LEAF, actor, role, from, until)
 *
 * with names encoded by encodeName and times as plain integers.
 *
 * Pure: no Node-only APIs.
 */
import { encodeName } from "./encode-name";
import type { PoseidonHash } from "./poseidon";
import { TAG_ASSIGNMENT_LEAF } from "./tags";
import type { Assignment } from "./types";

/** The assignment's field elements in leaf order: actor, role, from, until. */
export function encodeAssignment(assignment: Assignment): readonly bigint[] {
  return [
    encodeName("actor", assignment.actor),
    encodeName("role", assignment.role),
    BigInt(assignment.from),
    BigInt(assignment.until),
  ];
}

/** The assignment's leaf hash. */
export function assignmentLeafHash(hash: PoseidonHash, assignment: Assignment): bigint {
  return hash([TAG_ASSIGNMENT_LEAF, ...encodeAssignment(assignment)]);
}
