import assert from "node:assert/strict";

import fc from "fast-check";

import { Ledger } from "../../ledger";
import { fromHex, toHex, verifyConsistency, verifyInclusion } from "../../ledger/verify";
import { NaiveTree } from "../helpers/naive-tree";
import { openTestLedger, sampleEvent, tempDir } from "../helpers/temp-ledger";

// Past 65,536 leaves the tree uses level-2 tiles, so proofs cross every kind of tile boundary.
const SIZE = 66_000;

describe("proofs from the tile store (property tests)", () => {
  let dir: ReturnType<typeof tempDir>;
  let ledger: Ledger;
  let leaves: Uint8Array[];
  let naive: NaiveTree;
  const rootOf = (n: number) => naive.root(0, n);

  before(async function () {
    this.timeout(120_000);
    dir = tempDir();
    ledger = await openTestLedger(dir.dir);
    await ledger.createTenant("acme");
    leaves = [];
    // Batches of uneven sizes, so tile edges fall inside batches and between them.
    for (let i = 0, b = 1; i < SIZE; b = (b * 7 + 3) % 997) {
      const n = Math.min(b + 1, SIZE - i);
      const rs = await ledger.appendBatch(
        "acme",
        Array.from({ length: n }, (_, j) => sampleEvent(i + j)),
      );
      for (const r of rs) leaves.push(fromHex(r.leafHash));
      i += n;
    }
    naive = new NaiveTree(leaves);
  });

  after(async () => {
    await ledger.close();
    dir.cleanup();
  });

  it("signs a root equal to the naive root of all leaves", () => {
    assert.equal(toHex(ledger.checkpoint("acme").rootHash), toHex(rootOf(SIZE)));
  });

  it("serves inclusion proofs at any tree size equal to RFC 6962 PATH", async () => {
    const arb = fc
      .integer({ min: 1, max: SIZE })
      .chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1)));
    await fc.assert(
      fc.asyncProperty(arb, async ([n, m]) => {
        const p = await ledger.inclusionProof("acme", m, n);
        const want = naive.path(m, 0, n).map(toHex);
        assert.deepEqual(p.proof, want);
        verifyInclusion(m, n, leaves[m], p.proof.map(fromHex), rootOf(n));
      }),
      { numRuns: 200 },
    );
  });

  it("serves consistency proofs between any two sizes equal to RFC 6962 PROOF", async () => {
    const arb = fc
      .integer({ min: 1, max: SIZE })
      .chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));
    await fc.assert(
      fc.asyncProperty(arb, async ([m, n]) => {
        const proof = await ledger.consistencyProof("acme", m, n);
        assert.deepEqual(proof, naive.proof(m, n).map(toHex));
        verifyConsistency(m, n, proof.map(fromHex), rootOf(m), rootOf(n));
      }),
      { numRuns: 200 },
    );
  });
});
