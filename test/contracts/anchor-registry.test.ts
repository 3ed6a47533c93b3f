import { expect } from "chai";
import { id, keccak256, toUtf8Bytes, type Contract } from "ethers";
import hre from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

import { buildEpochTree, type CheckpointCommitment } from "../../ledger/anchor";
import { flipBit, sampleCommitments, tamperedCommitments } from "../anchor/sample-commitments";

// keccak256("ANCHORER_ROLE"), the role id convention of OpenZeppelin AccessControl.
const ANCHORER_ROLE = id("ANCHORER_ROLE");
// AccessControl's admin role is the zero id.
const DEFAULT_ADMIN_ROLE = "0x" + "00".repeat(32);
const ROOT_A = keccak256(toUtf8Bytes("epoch root A"));
const ROOT_B = keccak256(toUtf8Bytes("epoch root B"));

describe("AnchorRegistry", () => {
  let admin: HardhatEthersSigner;
  let anchorer: HardhatEthersSigner;
  let stranger: HardhatEthersSigner;
  let registry: Contract;

  // One fixture: a fresh registry whose admin and anchorer are different accounts.
  beforeEach(async () => {
    [admin, anchorer, stranger] = await hre.ethers.getSigners();
    const factory = await hre.ethers.getContractFactory("AnchorRegistry");
    registry = (await factory.deploy(admin.address, anchorer.address)) as unknown as Contract;
    await registry.waitForDeployment();
  });

  function asAnchorer(): Contract {
    return registry.connect(anchorer) as Contract;
  }

  async function anchorEpochs(count: number): Promise<void> {
    for (let epoch = 1; epoch <= count; epoch++) {
      await asAnchorer().anchor(epoch, keccak256(toUtf8Bytes(`root ${epoch}`)));
    }
  }

  describe("deployment", () => {
    it("grants the admin and anchorer roles to the accounts given", async () => {
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
      expect(await registry.hasRole(ANCHORER_ROLE, anchorer.address)).to.equal(true);
      expect(await registry.hasRole(ANCHORER_ROLE, admin.address)).to.equal(false);
      expect(await registry.ANCHORER_ROLE()).to.equal(ANCHORER_ROLE);
    });

    it("starts with no epoch anchored", async () => {
      expect(await registry.latestEpoch()).to.equal(0n);
      expect(await registry.epochRoot(1)).to.equal(DEFAULT_ADMIN_ROLE);
    });

    it("refuses a zero admin or anchorer", async () => {
      const factory = await hre.ethers.getContractFactory("AnchorRegistry");
      const zero = hre.ethers.ZeroAddress;

      await expect(factory.deploy(zero, anchorer.address))
        .to.be.revertedWithCustomError(factory, "AnchorRegistryInvalidAccount")
        .withArgs(zero);
      await expect(factory.deploy(admin.address, zero))
        .to.be.revertedWithCustomError(factory, "AnchorRegistryInvalidAccount")
        .withArgs(zero);
    });
  });

  describe("anchor", () => {
    it("stores the root of the epoch and makes it the latest", async () => {
      await asAnchorer().anchor(1, ROOT_A);

      expect(await registry.epochRoot(1)).to.equal(ROOT_A);
      expect(await registry.latestEpoch()).to.equal(1n);
    });

    it("emits EpochAnchored with the epoch and root", async () => {
      await expect(asAnchorer().anchor(1, ROOT_A))
        .to.emit(registry, "EpochAnchored")
        .withArgs(1n, ROOT_A);
    });

    it("records gas per anchor, the first and a later epoch", async () => {
      const first = await (await asAnchorer().anchor(1, ROOT_A)).wait();
      const later = await (await asAnchorer().anchor(2, ROOT_B)).wait();

      console.log(`      gas: anchor epoch 1 = ${first.gasUsed}, epoch 2 = ${later.gasUsed}`);
      // Only a later epoch reads its predecessor's slot.
      expect(later.gasUsed).to.be.greaterThan(first.gasUsed);
    });

    describe("when the caller is not an anchorer", () => {
      it("reverts with AccessControl's error for strangers and the admin alike", async () => {
        for (const caller of [stranger, admin]) {
          await expect((registry.connect(caller) as Contract).anchor(1, ROOT_A))
            .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
            .withArgs(caller.address, ANCHORER_ROLE);
        }
      });

      it("lets an account anchor once granted the role, and not after revocation", async () => {
        const asStranger = registry.connect(stranger) as Contract;
        const asAdmin = registry.connect(admin) as Contract;

        await asAdmin.grantRole(ANCHORER_ROLE, stranger.address);
        await asStranger.anchor(1, ROOT_A);
        await asAdmin.revokeRole(ANCHORER_ROLE, stranger.address);

        await expect(asStranger.anchor(2, ROOT_B))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(stranger.address, ANCHORER_ROLE);
      });

      it("does not let an anchorer grant the role", async () => {
        await expect(asAnchorer().grantRole(ANCHORER_ROLE, stranger.address))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(anchorer.address, DEFAULT_ADMIN_ROLE);
      });
    });

    describe("when the epoch is out of order", () => {
      it("refuses the same epoch twice and keeps the first root", async () => {
        await asAnchorer().anchor(1, ROOT_A);

        await expect(asAnchorer().anchor(1, ROOT_B))
          .to.be.revertedWithCustomError(registry, "AnchorRegistryEpochNotIncreasing")
          .withArgs(1n, 1n);
        expect(await registry.epochRoot(1)).to.equal(ROOT_A);
      });

      it("refuses an epoch older than the latest", async () => {
        await anchorEpochs(3);

        await expect(asAnchorer().anchor(2, ROOT_A))
          .to.be.revertedWithCustomError(registry, "AnchorRegistryEpochNotIncreasing")
          .withArgs(2n, 3n);
      });

      it("refuses epoch 0, which comes before the first", async () => {
        await expect(asAnchorer().anchor(0, ROOT_A))
          .to.be.revertedWithCustomError(registry, "AnchorRegistryEpochNotIncreasing")
          .withArgs(0n, 0n);
      });

      it("refuses an epoch that leaves a gap, naming the next one", async () => {
        await anchorEpochs(2);

        await expect(asAnchorer().anchor(4, ROOT_A))
          .to.be.revertedWithCustomError(registry, "AnchorRegistryEpochSkipped")
          .withArgs(4n, 3n);
      });

      it("refuses a first anchor other than epoch 1", async () => {
        await expect(asAnchorer().anchor(5, ROOT_A))
          .to.be.revertedWithCustomError(registry, "AnchorRegistryEpochSkipped")
          .withArgs(5n, 1n);
      });
    });

    it("refuses a zero root", async () => {
      await expect(asAnchorer().anchor(1, hre.ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "AnchorRegistryZeroRoot")
        .withArgs(1n);
    });
  });

  describe("latestEpoch", () => {
    it("follows every anchor across several doublings", async () => {
      // 40 epochs cross the search's doubling steps at 2, 4, 8, 16 and 32.
      for (let epoch = 1; epoch <= 40; epoch++) {
        await asAnchorer().anchor(epoch, keccak256(toUtf8Bytes(`root ${epoch}`)));

        expect(await registry.latestEpoch()).to.equal(BigInt(epoch));
      }
    });
  });

  describe("isAnchored", () => {
    async function isAnchored(
      epoch: number,
      c: CheckpointCommitment,
      proof: readonly string[],
    ): Promise<boolean> {
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

    for (const count of [1, 3, 100]) {
      it(`is true for every leaf of a ${count}-leaf epoch`, async () => {
        const commitments = sampleCommitments(count);
        const tree = buildEpochTree(commitments);
        await asAnchorer().anchor(1, tree.root);

        for (const c of commitments) {
          expect(await isAnchored(1, c, tree.proof(c.originHash))).to.equal(true);
        }

        const c = commitments[count - 1];
        const proof = tree.proof(c.originHash);
        const gas = await registry.isAnchored.estimateGas(
          1,
          c.originHash,
          c.treeSize,
          c.rootHash,
          c.policyRoot,
          c.assignmentRoot,
          proof,
        );
        console.log(
          `      gas: isAnchored, ${count}-leaf epoch, ${proof.length}-node proof = ${gas}`,
        );
      });
    }

    describe("when the leaf or proof is tampered with", () => {
      const commitments = sampleCommitments(100);
      const tree = buildEpochTree(commitments);
      const target = commitments[42];
      const proof = tree.proof(target.originHash);

      beforeEach(async () => {
        await asAnchorer().anchor(1, tree.root);
      });

      it("is true for the untouched leaf and proof", async () => {
        expect(await isAnchored(1, target, proof)).to.equal(true);
      });

      for (const [field, tampered] of tamperedCommitments(target)) {
        it(`is false when the ${field} differs`, async () => {
          expect(await isAnchored(1, tampered, proof)).to.equal(false);
        });
      }

      it("is false for a proof with a bit flipped, an element dropped or added", async () => {
        const flipped = proof.map((node, j) => (j === 3 ? flipBit(node, 0) : node));

        expect(await isAnchored(1, target, flipped)).to.equal(false);
        expect(await isAnchored(1, target, proof.slice(1))).to.equal(false);
        expect(await isAnchored(1, target, [...proof, proof[0]])).to.equal(false);
      });

      it("is false for another leaf's proof", async () => {
        const other = tree.proof(commitments[7].originHash);

        expect(await isAnchored(1, target, other)).to.equal(false);
      });

      it("is false for an epoch that is not anchored", async () => {
        expect(await isAnchored(2, target, proof)).to.equal(false);
        expect(await isAnchored(0, target, proof)).to.equal(false);
      });

      it("is false in an anchored epoch whose tree lacks the leaf", async () => {
        await asAnchorer().anchor(2, buildEpochTree(sampleCommitments(3)).root);

        expect(await isAnchored(2, target, proof)).to.equal(false);
      });
    });
  });
});
