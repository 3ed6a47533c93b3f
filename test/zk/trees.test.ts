import { expect } from "chai";
import fc from "fast-check";

import {
  EMPTY_LEAF,
  TAG_ASSIGNMENT_LEAF,
  TAG_GRANT_LEAF,
  TAG_POLICY_NODE,
  assignmentLeafHash,
  buildPolicyTree,
  buildQuadTree,
  encodeName,
  grantLeafHash,
  loadPoseidon,
  parsePolicy,
  quadPath,
  rootFromQuadPath,
  type PoseidonHash,
  type QuadPath,
} from "../../ledger/zk";
import { POLICY_DOCUMENT, T0 } from "./fixtures";
import { expectZkCode } from "./zk-assert";

const NODE_TAG = 7n;

describe("zk trees", () => {
  let hash: PoseidonHash;

  before(async () => {
    hash = await loadPoseidon();
  });

  describe("Poseidon", () => {
    it("matches circomlib's published vector Poseidon(1, 2)", () => {
      // circomlib's poseidon test vector for two inputs.
      expect(hash([1n, 2n])).to.equal(
        7853200120776062878684798364095072458815029376092732009249414926327459813530n,
      );
    });
  });

  describe("buildQuadTree", () => {
    it("hashes four children under the node tag, padding with the empty leaf", () => {
      const tree = buildQuadTree(hash, NODE_TAG, 2, [11n, 12n]);

      expect(tree.root).to.equal(hash([NODE_TAG, 11n, 12n, EMPTY_LEAF, EMPTY_LEAF]));
    });

    it("gives an empty tree the root of empty subtrees, level by level", () => {
      const level1 = hash([NODE_TAG, 0n, 0n, 0n, 0n]);

      const tree = buildQuadTree(hash, NODE_TAG, 4, []);

      expect(tree.root).to.equal(hash([NODE_TAG, level1, level1, level1, level1]));
    });

    it("builds a depth-4 root from its two levels", () => {
      const leaves = [1n, 2n, 3n, 4n, 5n];
      const left = hash([NODE_TAG, 1n, 2n, 3n, 4n]);
      const right = hash([NODE_TAG, 5n, 0n, 0n, 0n]);
      const empty = hash([NODE_TAG, 0n, 0n, 0n, 0n]);

      const tree = buildQuadTree(hash, NODE_TAG, 4, leaves);

      expect(tree.root).to.equal(hash([NODE_TAG, left, right, empty, empty]));
    });

    it("refuses more leaves than slots and odd depths", () => {
      expectZkCode(() => buildQuadTree(hash, NODE_TAG, 2, [1n, 2n, 3n, 4n, 5n]), "ZK_TREE_FULL");
      expect(() => buildQuadTree(hash, NODE_TAG, 3, [])).to.throw(RangeError);
    });
  });

  describe("quadPath and rootFromQuadPath", () => {
    it("recompute the root for every leaf of any tree", () => {
      fc.assert(
        fc.property(
          fc.array(fc.bigInt({ min: 1n, max: (1n << 200n) - 1n }), { minLength: 1, maxLength: 20 }),
          fc.nat(),
          (leaves, pick) => {
            const tree = buildQuadTree(hash, NODE_TAG, 6, leaves);
            const index = pick % leaves.length;

            const root = rootFromQuadPath(hash, NODE_TAG, 6, leaves[index], quadPath(tree, index));

            return root === tree.root;
          },
        ),
        { numRuns: 40 },
      );
    });

    it("compute another root when a sibling, the leaf or the index changes", () => {
      const leaves = [21n, 22n, 23n, 24n, 25n, 26n];
      const tree = buildQuadTree(hash, NODE_TAG, 4, leaves);
      const path = quadPath(tree, 5);
      const [[a, b, c], upper] = path.siblings;
      const changedSibling: QuadPath = { index: 5, siblings: [[a + 1n, b, c], upper] };

      expect(rootFromQuadPath(hash, NODE_TAG, 4, 26n, path)).to.equal(tree.root);
      expect(rootFromQuadPath(hash, NODE_TAG, 4, 27n, path)).to.not.equal(tree.root);
      expect(rootFromQuadPath(hash, NODE_TAG, 4, 26n, { ...path, index: 6 })).to.not.equal(
        tree.root,
      );
      expect(rootFromQuadPath(hash, NODE_TAG, 4, 26n, changedSibling)).to.not.equal(tree.root);
    });

    it("refuse a path to an unused slot", () => {
      const tree = buildQuadTree(hash, NODE_TAG, 4, [1n, 2n]);
      expectZkCode(() => quadPath(tree, 2), "ZK_LEAF_INDEX_OUT_OF_RANGE");
    });
  });

  describe("leaves", () => {
    it("tag grant and assignment leaves apart even over the same values", () => {
      const role = encodeName("role", "clerk");
      const action = encodeName("action", "read");
      const cls = encodeName("resource-class", "invoice");

      const grant = grantLeafHash(hash, {
        role: "clerk",
        action: "read",
        resourceClass: "invoice",
        validFrom: T0,
        validUntil: T0 + 1,
      });

      expect(grant).to.equal(hash([TAG_GRANT_LEAF, role, action, cls, BigInt(T0), BigInt(T0 + 1)]));
      const assignment = assignmentLeafHash(hash, {
        actor: "clerk",
        role: "clerk",
        from: T0,
        until: T0 + 1,
      });
      expect(assignment).to.equal(
        hash([TAG_ASSIGNMENT_LEAF, encodeName("actor", "clerk"), role, BigInt(T0), BigInt(T0 + 1)]),
      );
      expect(hash([TAG_GRANT_LEAF, 1n, 2n, 3n, 4n])).to.not.equal(
        hash([TAG_ASSIGNMENT_LEAF, 1n, 2n, 3n, 4n]),
      );
    });
  });

  describe("buildPolicyTree", () => {
    it("puts the canonical grants' leaves in slots 0, 1, 2 of a policy-tagged tree", () => {
      const policy = parsePolicy(POLICY_DOCUMENT);
      const leaves = policy.grants.map((g) => grantLeafHash(hash, g));

      const tree = buildPolicyTree(hash, policy, 4);

      expect(tree.root).to.equal(buildQuadTree(hash, TAG_POLICY_NODE, 4, leaves).root);
    });

    it("changes the root when any grant's window changes", () => {
      const base = buildPolicyTree(hash, parsePolicy(POLICY_DOCUMENT), 4).root;
      const [first, ...rest] = POLICY_DOCUMENT.grants;
      const changed = { ...POLICY_DOCUMENT, grants: [{ ...first, validFrom: T0 + 1 }, ...rest] };

      expect(buildPolicyTree(hash, parsePolicy(changed), 4).root).to.not.equal(base);
    });
  });
});
