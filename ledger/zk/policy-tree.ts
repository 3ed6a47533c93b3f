/**
 * The policy tree: an arity-4 Poseidon Merkle tree (see quad-tree) whose leaf in slot i is the
 * grant leaf of the policy's i-th grant in canonical order, with internal nodes tagged
 * TAG_POLICY_NODE. Its root is the policy root an officer recomputes from the policy document.
 *
 * Pure: no Node-only APIs.
 */
import { grantLeafHash } from "./grant-leaf";
import type { PoseidonHash } from "./poseidon";
import { buildQuadTree, type QuadTree } from "./quad-tree";
import { TAG_POLICY_NODE } from "./tags";
import type { Policy } from "./types";

/** A policy with its tree; `root` is the policy root. */
export interface PolicyTree {
  readonly policy: Policy;
  readonly tree: QuadTree;
  readonly root: bigint;
}

/**
 * Builds the policy tree of the given depth (2^depth grant slots, depth even).
 *
 * @throws RangeError for a bad depth.
 * @throws ZkError ZK_TREE_FULL when the policy has more grants than slots.
 */
export function buildPolicyTree(hash: PoseidonHash, policy: Policy, depth: number): PolicyTree {
  const leaves = policy.grants.map((grant) => grantLeafHash(hash, grant));

  const tree = buildQuadTree(hash, TAG_POLICY_NODE, depth, leaves);

  return { policy, tree, root: tree.root };
}

/**
 * Returns the slot of the first grant that lets `role` do `action` on `resourceClass` at
 * `time` (validFrom <= time < validUntil), or -1 when the policy allows no such operation.
 */
export function findGrant(
  policy: Policy,
  wanted: { role: string; action: string; resourceClass: string; time: number },
): number {
  return policy.grants.findIndex(
    (g) =>
      g.role === wanted.role &&
      g.action === wanted.action &&
      g.resourceClass === wanted.resourceClass &&
      g.validFrom <= wanted.time &&
      wanted.time < g.validUntil,
  );
}
