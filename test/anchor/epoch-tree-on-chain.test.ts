import { expect } from "chai";
import { type Contract } from "ethers";
import fc from "fast-check";
import hre from "hardhat";

import {
  AnchorError,
  buildEpochTree,
  verifyEpochProof,
  type CheckpointCommitment,
  type EpochTree,
} from "../../ledger/anchor";
import { deployRegistry } from "../../ledger/anchor/deploy";
import { flipBit, sampleCommitments } from "./sample-commitments";

// The library and the contract must agree on every epoch proof: whatever one accepts the
// other accepts, and whatever one rejects the other rejects.
describe("epoch trees against AnchorRegistry", () => {
  const sizes = [1, 2, 3, 100];
  const trees: EpochTree[] = sizes.map((n) => buildEpochTree(sampleCommitments(n)));
  let registry: Contract;

  before(async () => {
    const [deployer] = await hre.ethers.getSigners();
    const { address } = await deployRegistry(deployer);
    registry = (await hre.ethers.getContractAt("AnchorRegistry", address)) as unknown as Contract;

    // Epoch i + 1 anchors trees[i].
    for (const [i, tree] of trees.entries()) {
      await (await registry.anchor(i + 1, tree.root)).wait();
    }
  });

  function onChain(epoch: number, c: CheckpointCommitment, proof: string[]): Promise<boolean> {
    return registry.isAnchored(
      epoch,
      c.originHash,
      c.treeSize,
      c.rootHash,
      c.policyRoot,
      c.assignmentRoot,
      proof,
    );
  }

  function offChain(epoch: number, c: CheckpointCommitment, proof: string[]): boolean {
    const tree = trees[epoch - 1];
    if (tree === undefined) return false;
    try {
      verifyEpochProof(c, proof, tree.root);
      return true;
    } catch (error) {
      if (error instanceof AnchorError && error.code === "ANCHOR_ROOT_MISMATCH") return false;
      throw error;
    }
  }

  for (const [i, size] of sizes.entries()) {
    it(`accepts every leaf of the ${size}-leaf epoch on chain as off chain`, async () => {
      const tree = trees[i];

      for (const c of tree.commitments) {
        const proof = tree.proof(c.originHash);

        expect(offChain(i + 1, c, proof)).to.equal(true);
        expect(await onChain(i + 1, c, proof)).to.equal(true);
      }
    });
  }

  it("gives the same verdict on chain and off chain for random tampering", async () => {
    const mutations = ["none", "epoch", "treeSize", "rootHash", "policyRoot", "proof"] as const;

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: trees.length - 1 }),
        fc.nat(),
        fc.constantFrom(...mutations),
        fc.integer({ min: 0, max: 255 }),
        async (treeIndex, pick, mutation, bit) => {
          const tree = trees[treeIndex];
          let c = tree.commitments[pick % tree.size];
          let proof = tree.proof(c.originHash);
          let epoch = treeIndex + 1;

          if (mutation === "epoch") epoch = ((epoch + pick) % (trees.length + 1)) + 1;
          if (mutation === "treeSize")
            c = { ...c, treeSize: c.treeSize ^ (1n << BigInt(bit % 64)) };
          if (mutation === "rootHash") c = { ...c, rootHash: flipBit(c.rootHash, bit) };
          if (mutation === "policyRoot") c = { ...c, policyRoot: flipBit(c.policyRoot, bit) };
          if (mutation === "proof" && proof.length > 0) {
            proof = proof.map((node, j) => (j === pick % proof.length ? flipBit(node, bit) : node));
          }

          expect(await onChain(epoch, c, proof)).to.equal(offChain(epoch, c, proof));
        },
      ),
      { numRuns: 60 },
    );
  });
});
