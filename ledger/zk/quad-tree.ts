/**
 * Fixed-depth arity-4 Poseidon Merkle trees, as the compliance circuit's QuadPathRoot checks
 * them:
 *
 *   - A tree of depth d (d even) has 2^d leaf slots and d/2 levels of internal nodes.
 *   - Leaves are packed from slot 0; unused slots hold {@link EMPTY_LEAF} (zero). A tagged
 *     leaf hash equal to zero would need a Poseidon preimage of zero, so an empty slot can never
 *     be opened as a leaf.
 *   - Internal node = Poseidon(nodeTag, child0, child1, child2, child3). Empty subtrees hash
 *     like any other (their values are precomputed once per level).
 *   - A leaf's path lists, from the leaves up, the three siblings at each level, left to right;
 *     the leaf's position at level l is bits 2l and 2l+1 of its index.
 *
 * Pure: no Node-only APIs.
 */
import { ZkError } from "./errors";
import type { PoseidonHash } from "./poseidon";

/** The value of an unused leaf slot. */
export const EMPTY_LEAF = 0n;

/** A built tree. `levels[0]` are the leaves in use; higher levels hold only nodes in use. */
export interface QuadTree {
  readonly depth: number;
  readonly nodeTag: bigint;
  readonly levels: readonly (readonly bigint[])[];
  readonly emptyNodes: readonly bigint[];
  readonly root: bigint;
}

/** The siblings a leaf needs to recompute the root: `siblings[l]` has three values. */
export interface QuadPath {
  readonly index: number;
  readonly siblings: readonly (readonly [bigint, bigint, bigint])[];
}

function checkDepth(depth: number): void {
  if (!Number.isInteger(depth) || depth < 2 || depth > 32 || depth % 2 !== 0) {
    throw new RangeError(`quad tree depth is ${depth}, wanted an even integer in [2, 32]`);
  }
}

/**
 * Builds the tree of the given depth over `leaves` (leaf hashes, slot 0 first).
 *
 * @throws RangeError for a depth that is odd or outside [2, 32].
 * @throws ZkError ZK_TREE_FULL when there are more leaves than 2^depth slots.
 */
export function buildQuadTree(
  hash: PoseidonHash,
  nodeTag: bigint,
  depth: number,
  leaves: readonly bigint[],
): QuadTree {
  checkDepth(depth);
  const capacity = 2 ** depth;
  if (leaves.length > capacity) {
    throw new ZkError("ZK_TREE_FULL", `${leaves.length} leaves, tree holds ${capacity}`, {
      leaves: leaves.length,
      capacity,
    });
  }

  const levelCount = depth / 2;
  const emptyNodes: bigint[] = [EMPTY_LEAF];
  for (let l = 0; l < levelCount; l++) {
    const child = emptyNodes[l];
    emptyNodes.push(hash([nodeTag, child, child, child, child]));
  }

  const levels: bigint[][] = [[...leaves]];
  for (let l = 0; l < levelCount; l++) {
    const below = levels[l];
    const above: bigint[] = [];
    for (let i = 0; i < below.length; i += 4) {
      const children = [0, 1, 2, 3].map((k) => below[i + k] ?? emptyNodes[l]);
      above.push(hash([nodeTag, ...children]));
    }
    levels.push(above);
  }

  const top = levels[levelCount];
  const root = top.length > 0 ? top[0] : emptyNodes[levelCount];
  return { depth, nodeTag, levels, emptyNodes, root };
}

/**
 * Returns the path of the leaf in slot `index`.
 *
 * @throws ZkError ZK_LEAF_INDEX_OUT_OF_RANGE unless index is in [0, leaves in use).
 */
export function quadPath(tree: QuadTree, index: number): QuadPath {
  const used = tree.levels[0].length;
  if (!Number.isInteger(index) || index < 0 || index >= used) {
    throw new ZkError("ZK_LEAF_INDEX_OUT_OF_RANGE", `leaf index ${index}, wanted [0, ${used})`, {
      index,
      used,
    });
  }

  const siblings: [bigint, bigint, bigint][] = [];
  let position = index;
  for (let l = 0; l < tree.depth / 2; l++) {
    const first = position - (position % 4);
    const others: bigint[] = [];
    for (let k = 0; k < 4; k++) {
      if (first + k !== position) {
        others.push(tree.levels[l][first + k] ?? tree.emptyNodes[l]);
      }
    }
    siblings.push([others[0], others[1], others[2]]);
    position = Math.floor(position / 4);
  }
  return { index, siblings };
}

/**
 * Computes the root that `leaf` at `path.index` implies, the way the circuit does. Compare the
 * result with a trusted root; a mismatch means the leaf is not in that tree.
 *
 * @throws RangeError when the path has the wrong number of levels or the index does not fit.
 */
export function rootFromQuadPath(
  hash: PoseidonHash,
  nodeTag: bigint,
  depth: number,
  leaf: bigint,
  path: QuadPath,
): bigint {
  checkDepth(depth);
  if (path.siblings.length !== depth / 2) {
    throw new RangeError(`path has ${path.siblings.length} levels, wanted ${depth / 2}`);
  }
  if (!Number.isInteger(path.index) || path.index < 0 || path.index >= 2 ** depth) {
    throw new RangeError(`path index ${path.index} does not fit depth ${depth}`);
  }

  let node = leaf;
  let position = path.index;
  for (const [s0, s1, s2] of path.siblings) {
    const children = [s0, s1, s2];
    children.splice(position % 4, 0, node);
    node = hash([nodeTag, ...children]);
    position = Math.floor(position / 4);
  }
  return node;
}
