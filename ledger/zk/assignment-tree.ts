/**
 * The assignment tree: an arity-4 Poseidon Merkle tree (see quad-tree) whose leaf in slot i is
 * the assignment leaf of the i-th assignment in canonical order, with internal nodes tagged
 * TAG_ASSIGNMENT_NODE. Its root is the assignment root the tenant registers; the assignments
 * themselves may stay private.
 *
 * Pure: no Node-only APIs.
 */
import { assignmentLeafHash } from "./assignment-leaf";
import type { PoseidonHash } from "./poseidon";
import { buildQuadTree, type QuadTree } from "./quad-tree";
import { TAG_ASSIGNMENT_NODE } from "./tags";
import type { AssignmentSet } from "./types";

/** An assignment set with its tree; `root` is the assignment root. */
export interface AssignmentTree {
  readonly assignments: AssignmentSet;
  readonly tree: QuadTree;
  readonly root: bigint;
}

/**
 * Builds the assignment tree of the given depth (2^depth slots, depth even).
 *
 * @throws RangeError for a bad depth.
 * @throws ZkError ZK_TREE_FULL when there are more assignments than slots.
 */
export function buildAssignmentTree(
  hash: PoseidonHash,
  assignments: AssignmentSet,
  depth: number,
): AssignmentTree {
  const leaves = assignments.assignments.map((a) => assignmentLeafHash(hash, a));

  const tree = buildQuadTree(hash, TAG_ASSIGNMENT_NODE, depth, leaves);

  return { assignments, tree, root: tree.root };
}

/**
 * Returns the slot of the first assignment under which `actor` holds `role` at `time`
 * (from <= time < until), or -1 when there is none.
 */
export function findAssignment(
  assignments: AssignmentSet,
  wanted: { actor: string; role: string; time: number },
): number {
  return assignments.assignments.findIndex(
    (a) =>
      a.actor === wanted.actor &&
      a.role === wanted.role &&
      a.from <= wanted.time &&
      wanted.time < a.until,
  );
}
