import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";

import fc from "fast-check";

import {
  buildConsistencyProof,
  buildInclusionProof,
  pureHasher,
  rootHash,
  SubtreeSource,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "../../ledger/verify";
import { nodeHasher } from "../../ledger/log/node-hasher";
import {
  naiveConsistencyProof,
  naiveInclusionProof,
  naiveLeafHash,
  naiveRoot,
} from "../helpers/naive-tree";

/** A subtree source over leaf hashes held in memory, computing each subtree naively. */
function memorySource(leaves: Uint8Array[]): SubtreeSource {
  return {
    subtree: async (h, i) => naiveRoot(leaves.slice(i * 2 ** h, (i + 1) * 2 ** h)),
  };
}

const MAX_LEAVES = 300;
const leafPool = Array.from({ length: MAX_LEAVES }, () => naiveLeafHash(randomBytes(16)));

const flip = (proof: Uint8Array[], at: number, bit: number) =>
  proof.map((p, i) => {
    if (i !== at) return p;
    const q = p.slice();
    q[bit >> 3] ^= 1 << (bit & 7);
    return q;
  });

/** Directions of PATH(m, D[n]) bottom-up: "R" when the sibling is on the right. */
function pathShape(m: number, n: number): string {
  if (n === 1) return "";
  const k = 2 ** Math.floor(Math.log2(n - 1));
  return m < k ? `${pathShape(m, k)}R` : `${pathShape(m - k, n - k)}L`;
}

/** Shape of SUBPROOF(m, D[n], true), plus whether m is a power of two (the old root leads). */
function subproofShape(m: number, n: number): string {
  const sub = (a: number, b: number, whole: boolean): string => {
    if (a === b) return whole ? "" : "X";
    const k = 2 ** Math.floor(Math.log2(b - 1));
    return a <= k ? `${sub(a, k, whole)}R` : `${sub(a - k, b - k, false)}L`;
  };
  if (m < 1 || m > n) return "invalid";
  return `${Number.isInteger(Math.log2(m)) ? "P" : "-"}${sub(m, n, true)}`;
}

describe("proofs (property tests)", () => {
  it("the native and portable hashers agree", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (d, h) => {
          assert.equal(toHex(nodeHasher.leaf(d)), toHex(pureHasher.leaf(d)));
          assert.equal(toHex(nodeHasher.node(h, d)), toHex(pureHasher.node(h, d)));
        },
      ),
    );
  });

  it("roots equal the naive recursive RFC 6962 roots", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX_LEAVES }), async (n) => {
        const leaves = leafPool.slice(0, n);
        const root = await rootHash(memorySource(leaves), pureHasher, n);
        assert.equal(toHex(root), toHex(naiveRoot(leaves)));
      }),
      { numRuns: 100 },
    );
  });

  it("inclusion proofs equal RFC 6962 PATH, verify, and fail after any bit flip or index change", async () => {
    const arb = fc
      .integer({ min: 1, max: MAX_LEAVES })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.nat(n - 1),
          fc.nat(),
          fc.nat(255),
          fc.integer({ min: -n, max: n }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(arb, async ([n, m, pick, bit, delta]) => {
        const leaves = leafPool.slice(0, n);
        const root = naiveRoot(leaves);

        const proof = await buildInclusionProof(memorySource(leaves), pureHasher, m, n);
        assert.deepEqual(proof.map(toHex), naiveInclusionProof(m, leaves).map(toHex));
        verifyInclusion(m, n, leaves[m], proof, root);

        if (proof.length > 0) {
          const bad = flip(proof, pick % proof.length, bit);
          assert.throws(() => verifyInclusion(m, n, leaves[m], bad, root));
        }
        const other = m + delta;
        if (delta !== 0 && other >= 0) {
          assert.throws(() => verifyInclusion(other, n, leaves[m], proof, root));
        }
        const wrongLeaf = flip([leaves[m]], 0, bit)[0];
        assert.throws(() => verifyInclusion(m, n, wrongLeaf, proof, root));
      }),
      { numRuns: 300 },
    );
  });

  // The verifier uses a tree size only through the shape of the audit path it implies: two
  // sizes that give the same index the same path shape are indistinguishable by the proof
  // alone, which is why a checkpoint signs size and root together. So a changed size must
  // fail unless it implies exactly the same shape.
  it("inclusion proofs fail when the tree size changes, unless the path shape is the same", async () => {
    const arb = fc
      .integer({ min: 2, max: MAX_LEAVES })
      .chain((n) =>
        fc.tuple(fc.constant(n), fc.nat(n - 1), fc.integer({ min: 1, max: MAX_LEAVES })),
      );
    await fc.assert(
      fc.asyncProperty(arb, async ([n, m, other]) => {
        fc.pre(other !== n);
        const leaves = leafPool.slice(0, n);
        const proof = await buildInclusionProof(memorySource(leaves), pureHasher, m, n);
        let passed = true;
        try {
          verifyInclusion(m, other, leaves[m], proof, naiveRoot(leaves));
        } catch {
          passed = false;
        }
        if (passed)
          assert.deepEqual(pathShape(m, other), pathShape(m, n), `sizes ${n} and ${other}`);
      }),
      { numRuns: 300 },
    );
  });

  it("consistency proofs equal RFC 6962 PROOF, verify, and fail after any bit flip or size change (unless the shape is the same)", async () => {
    const arb = fc
      .integer({ min: 1, max: MAX_LEAVES })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.integer({ min: 1, max: n }),
          fc.nat(),
          fc.nat(255),
          fc.integer({ min: 1, max: MAX_LEAVES }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(arb, async ([n, m, pick, bit, other]) => {
        const leaves = leafPool.slice(0, n);
        const root1 = naiveRoot(leaves.slice(0, m));
        const root2 = naiveRoot(leaves);

        const proof = await buildConsistencyProof(memorySource(leaves), pureHasher, m, n);
        assert.deepEqual(proof.map(toHex), naiveConsistencyProof(m, leaves).map(toHex));
        verifyConsistency(m, n, proof, root1, root2);

        if (proof.length > 0) {
          const bad = flip(proof, pick % proof.length, bit);
          assert.throws(() => verifyConsistency(m, n, bad, root1, root2));
        }
        for (const [s1, s2] of [
          [other, n],
          [m, other],
        ]) {
          if (s1 === m && s2 === n) continue;
          let passed = true;
          try {
            verifyConsistency(s1, s2, proof, root1, root2);
          } catch {
            passed = false;
          }
          if (passed) assert.deepEqual(subproofShape(s1, s2), subproofShape(m, n), `${s1}->${s2}`);
        }
        assert.throws(() => verifyConsistency(m, n, proof, flip([root1], 0, bit)[0], root2));
        assert.throws(() => verifyConsistency(m, n, proof, root1, flip([root2], 0, bit)[0]));
      }),
      { numRuns: 300 },
    );
  });
});
