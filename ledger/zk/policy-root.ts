/**
 * The roots an officer recomputes from documents alone: parse and validate the document, build
 * its tree at the circuit's depth, and return the root. The service stores and anchors the same
 * values, so comparing them needs nothing but the documents and these functions.
 *
 * Pure: no Node-only APIs (Poseidon loads its WebAssembly once).
 */
import { buildAssignmentTree } from "./assignment-tree";
import { checkCircuitParams, type CircuitParams } from "./circuit-params";
import { parseAssignments } from "./parse-assignments";
import { parsePolicy } from "./parse-policy";
import { buildPolicyTree } from "./policy-tree";
import { loadPoseidon } from "./poseidon";
import { fieldToBytes32 } from "./root-bytes32";

/** A recomputed root as a field element and as bytes32 hex. */
export interface ComputedRoot {
  readonly root: bigint;
  readonly bytes32: string;
  /** Entries in the tree: grants or assignments. */
  readonly leaves: number;
}

/**
 * Computes the policy root of a policy document (a parsed JSON value) at `params.policyDepth`.
 *
 * @throws ZkError as parsePolicy for a document that breaks its rules; ZK_TREE_FULL when it
 *   has more grants than the depth holds.
 * @throws RangeError for bad parameters.
 */
export async function computePolicyRoot(
  document: unknown,
  params: CircuitParams,
): Promise<ComputedRoot> {
  checkCircuitParams(params);
  const policy = parsePolicy(document);

  const hash = await loadPoseidon();
  const tree = buildPolicyTree(hash, policy, params.policyDepth);

  return { root: tree.root, bytes32: fieldToBytes32(tree.root), leaves: policy.grants.length };
}

/**
 * Computes the assignment root of an assignment document at `params.assignmentDepth`. Every
 * role must be declared by `policyDocument`.
 *
 * @throws ZkError as parsePolicy and parseAssignments; ZK_TREE_FULL when there are more
 *   assignments than the depth holds.
 * @throws RangeError for bad parameters.
 */
export async function computeAssignmentRoot(
  document: unknown,
  policyDocument: unknown,
  params: CircuitParams,
): Promise<ComputedRoot> {
  checkCircuitParams(params);
  const assignments = parseAssignments(document, parsePolicy(policyDocument));

  const hash = await loadPoseidon();
  const tree = buildAssignmentTree(hash, assignments, params.assignmentDepth);

  return {
    root: tree.root,
    bytes32: fieldToBytes32(tree.root),
    leaves: assignments.assignments.length,
  };
}
