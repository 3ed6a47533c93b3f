import { bytes32Hex } from "./argument-checks";
import { canonicalCommitment, type CheckpointCommitment } from "./checkpoint-commitment";
import { epochLeaf } from "./epoch-leaf";
import { epochNode } from "./epoch-node";
import { AnchorError } from "./errors";

/**
 * The Merkle tree of one epoch: one leaf per tenant log, committing to its latest checkpoint.
 * Leaves are ordered by ascending origin hash, so a set of commitments has exactly one tree.
 */
export interface EpochTree {
  /** The epoch root: what the registry anchors on chain. 32 bytes as 0x hex. */
  readonly root: string;
  /** The number of leaves, one per tenant log; at least 1. */
  readonly size: number;
  /** The commitments in leaf order, canonical and frozen. */
  readonly commitments: readonly CheckpointCommitment[];
  /**
   * Returns the inclusion proof of the leaf for `originHash`: sibling hashes from the leaf up,
   * empty for a one-leaf tree. Throws an ANCHOR_UNKNOWN_ORIGIN AnchorError when no leaf has
   * that origin hash.
   */
  proof(originHash: string): string[];
  /** Returns the commitment of the leaf for `originHash`, or undefined when there is none. */
  commitment(originHash: string): CheckpointCommitment | undefined;
}

/**
 * Builds the epoch tree over `commitments`, one per tenant log, in any order. The tree is the
 * one OpenZeppelin's StandardMerkleTree builds with `sortLeaves: false` from the commitments
 * sorted by origin hash: double-hashed leaves, sorted-pair keccak nodes, and the same root
 * and proofs (the tests compare the two). It is built here rather than by that library
 * because the library re-hashes a whole path to check every proof it hands out, which makes
 * proofs for all ten thousand tenants of an epoch cost seconds instead of lookups.
 *
 * Hashes 2n leaf hashes and n - 1 nodes for n commitments; proofs are then lookups.
 *
 * WARNING: Synchronous. Ten thousand commitments take one to a few seconds of one core (JS
 * keccak), so a process that also answers requests should build large epochs in a worker
 * thread.
 *
 * Throws an ANCHOR_EMPTY_EPOCH AnchorError for no commitments, an ANCHOR_DUPLICATE_ORIGIN
 * AnchorError when two share an origin hash, and TypeError or RangeError for a malformed one.
 */
export function buildEpochTree(commitments: readonly CheckpointCommitment[]): EpochTree {
  if (!Array.isArray(commitments)) {
    throw new TypeError(`commitments must be an array, got ${typeof commitments}`);
  }
  if (commitments.length === 0) {
    throw new AnchorError("ANCHOR_EMPTY_EPOCH", {});
  }

  const sorted = commitments.map(canonicalCommitment).sort(byOriginHash);
  const indexByOrigin = new Map<string, number>();
  for (const [index, c] of sorted.entries()) {
    if (indexByOrigin.has(c.originHash)) {
      throw new AnchorError("ANCHOR_DUPLICATE_ORIGIN", { originHash: c.originHash });
    }
    indexByOrigin.set(c.originHash, index);
  }

  const nodes = heapOf(sorted.map(epochLeaf));

  const leafIndex = (originHash: string): number | undefined =>
    indexByOrigin.get(bytes32Hex("originHash", originHash));

  return Object.freeze({
    root: nodes[0],
    size: sorted.length,
    commitments: Object.freeze(sorted),
    proof(originHash: string): string[] {
      const index = leafIndex(originHash);
      if (index === undefined) {
        throw new AnchorError("ANCHOR_UNKNOWN_ORIGIN", { originHash });
      }

      return pathOf(nodes, nodes.length - 1 - index);
    },
    commitment(originHash: string): CheckpointCommitment | undefined {
      const index = leafIndex(originHash);

      return index === undefined ? undefined : sorted[index];
    },
  });
}

// The tree lives in one array in heap order: node i has children 2i + 1 and 2i + 2, the root
// is node 0, and the n leaves fill the last n places in reverse, leaf k at 2n - 2 - k. Every
// inner node then has two children, and the shape matches OpenZeppelin's exactly.
function heapOf(leaves: readonly string[]): string[] {
  const nodes = new Array<string>(2 * leaves.length - 1);
  for (const [k, leaf] of leaves.entries()) {
    nodes[nodes.length - 1 - k] = leaf;
  }

  for (let i = nodes.length - 1 - leaves.length; i >= 0; i--) {
    nodes[i] = epochNode(nodes[2 * i + 1], nodes[2 * i + 2]);
  }
  return nodes;
}

/** The siblings of node `at` and of each of its ancestors below the root, bottom up. */
function pathOf(nodes: readonly string[], at: number): string[] {
  const path: string[] = [];

  for (let i = at; i > 0; i = (i - 1) >> 1) {
    // Left children have odd places, so the sibling is the next place; right children even.
    path.push(nodes[i % 2 === 1 ? i + 1 : i - 1]);
  }
  return path;
}

function byOriginHash(a: CheckpointCommitment, b: CheckpointCommitment): number {
  // Canonical hashes are lower-case hex of one length, so string order is byte order.
  if (a.originHash < b.originHash) return -1;
  if (a.originHash > b.originHash) return 1;
  return 0;
}
