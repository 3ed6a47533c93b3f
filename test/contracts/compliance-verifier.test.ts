import { expect } from "chai";
import { type Contract } from "ethers";
import hre from "hardhat";

import { originHash } from "../../ledger/anchor";
import {
  attestationArgs,
  attestationCall,
  type AttestationArgs,
} from "../../ledger/compliance/attestation-args";
import { fromHex, toHex } from "../../ledger/verify/bytes";
import { decodeLeaf } from "../../ledger/verify/leaf";
import { FIELD_MODULUS, fieldToBytes32, proofToSolidity, type Groth16Proof } from "../../ledger/zk";
import {
  adversarialProofs,
  assembleBundle,
  scenario,
  type AdversarialProofs,
  type Scenario,
} from "../compliance/scenario";
import { rerandomiseProof } from "../compliance/rerandomise";

/** The lag bound the verifier is deployed with, as the off-chain verifier's default. */
const MAX_LAG = 300;

describe("ComplianceVerifier", function () {
  this.timeout(120_000);

  let s: Scenario;
  let bad: AdversarialProofs;
  let groth16: Contract;
  let verifier: Contract;
  let args: AttestationArgs;

  before(async () => {
    s = await scenario();
    bad = await adversarialProofs();
    const factory = await hre.ethers.getContractFactory("ComplianceDevGroth16Verifier");
    groth16 = (await factory.deploy()) as unknown as Contract;
    args = attestationArgs(s.bundle);
  });

  // One fixture: a fresh verifier on the scenario's registry, so attestations never leak
  // from one test into the next.
  beforeEach(async () => {
    verifier = await deployVerifier(MAX_LAG);
  });

  async function deployVerifier(maxLag: number, operations = 2): Promise<Contract> {
    const factory = await hre.ethers.getContractFactory("ComplianceVerifier");
    const registry = s.registry.deployment.address;
    const target = groth16.target as string;
    return (await factory.deploy(registry, target, operations, maxLag)) as unknown as Contract;
  }

  function attest(a: AttestationArgs, on: Contract = verifier) {
    return on.attest(...attestationCall(a));
  }

  /** The generated verifier's own answer for a proof and its public signals. */
  async function groth16Accepts(proof: Groth16Proof, signals: readonly string[]) {
    const p = proofToSolidity(proof);
    return groth16.verifyProof(
      [p[0], p[1]],
      [
        [p[2], p[3]],
        [p[4], p[5]],
      ],
      [p[6], p[7]],
      signals,
    );
  }

  describe("attest", () => {
    it("attests a window proven off chain and emits WindowAttested keyed by origin, epoch and start", async () => {
      const origin = originHash(s.ledger.checkpoint("acme").origin);
      const sender = (await hre.ethers.getSigners())[0].address;

      const tx = await attest(args);

      await expect(tx)
        .to.emit(verifier, "WindowAttested")
        .withArgs(
          origin,
          1n,
          0n,
          args.checkpoint.policyRoot,
          args.checkpoint.assignmentRoot,
          sender,
        );
      expect(await verifier.isAttested(origin, 1, 0)).to.equal(true);
      expect(await verifier.isAttested(origin, 1, 2)).to.equal(false);
      const receipt = await tx.wait();
      console.log(`      gas: attest a window of 2 operations = ${receipt.gasUsed}`);
    });

    it("refuses a re-randomised proof of an attested window, which Groth16 alone accepts", async () => {
      const again = rerandomiseProof(s.bundle.proof, s.vkey, 5n, 11n);
      expect(again.pi_a).to.not.deep.equal(s.bundle.proof.pi_a);
      expect(await groth16Accepts(again, s.bundle.publicSignals)).to.equal(true);
      await attest(args);

      await expect(attest({ ...args, proof: proofToSolidity(again) }))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierAlreadyAttested")
        .withArgs(args.checkpoint.originHash, 1n, 0n);
    });

    it("attests a re-randomised proof first and then refuses the original", async () => {
      const again = rerandomiseProof(s.bundle.proof, s.vkey, 3n, 1n);
      await attest({ ...args, proof: proofToSolidity(again) });

      await expect(attest(args)).to.be.revertedWithCustomError(
        verifier,
        "ComplianceVerifierAlreadyAttested",
      );
    });
  });

  describe("when the anchor does not hold", () => {
    it("reads roots from the registry and refuses an epoch it does not hold", async () => {
      await expect(attest({ ...args, epoch: 9 }))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierEpochNotAnchored")
        .withArgs(9n);
    });

    it("refuses a commitment whose policy root is not the anchored one", async () => {
      const permissive = attestationArgs(
        await assembleBundle(s, "acme", 2, [2, 3], bad.permissive),
      );
      // The proof's public policy root: the permissive policy's, never anchored.
      const policyRoot = fieldToBytes32(BigInt(bad.permissive.publicSignals[1]));

      await expect(attest({ ...permissive, checkpoint: { ...permissive.checkpoint, policyRoot } }))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierNotInEpoch")
        .withArgs(1n, args.checkpoint.originHash);
    });

    it("refuses a proof made against an unanchored policy root with the anchored roots", async () => {
      const permissive = attestationArgs(
        await assembleBundle(s, "acme", 2, [2, 3], bad.permissive),
      );

      await expect(attest(permissive)).to.be.revertedWithCustomError(
        verifier,
        "ComplianceVerifierProofRejected",
      );
    });
  });

  describe("when the window is not the log's", () => {
    it("refuses a window with an entry left out", async () => {
      const gap = attestationArgs(await assembleBundle(s, "acme", 0, [0, 2], bad.skipped));
      await expect(attest(gap))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierBadLeaf")
        .withArgs(1n);

      const honestLeaves = attestationArgs(await assembleBundle(s, "acme", 0, [0, 1], bad.skipped));
      await expect(attest(honestLeaves)).to.be.revertedWithCustomError(
        verifier,
        "ComplianceVerifierProofRejected",
      );
    });

    it("refuses a window with an entry duplicated", async () => {
      const twice = attestationArgs(await assembleBundle(s, "acme", 0, [0, 0], bad.duplicated));
      await expect(attest(twice))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierBadLeaf")
        .withArgs(1n);

      const honestLeaves = attestationArgs(
        await assembleBundle(s, "acme", 0, [0, 1], bad.duplicated),
      );
      await expect(attest(honestLeaves)).to.be.revertedWithCustomError(
        verifier,
        "ComplianceVerifierProofRejected",
      );
    });

    it("refuses a leaf whose commitment was changed", async () => {
      const leaves = fromHex(args.leaves);
      leaves[49 + 31] ^= 1;

      await expect(attest({ ...args, leaves: `0x${toHex(leaves)}` }))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierNotInCheckpoint")
        .withArgs(0n);
    });

    it("refuses inclusion proofs with a hash left over or missing", async () => {
      const extra = [...args.inclusionProofs, args.inclusionProofs[0]];
      await expect(attest({ ...args, inclusionProofs: extra }))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierBadInclusionProofs")
        .withArgs(1n);

      const short = args.inclusionProofs.slice(0, -1);
      await expect(attest({ ...args, inclusionProofs: short }))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierBadInclusionProofs")
        .withArgs(0n);
    });

    it("refuses a window that ends past the checkpoint's tree size", async () => {
      const last = args.checkpoint.treeSize - 1;

      await expect(attest({ ...args, windowStart: last }))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierWindowOutOfRange")
        .withArgs(BigInt(last), BigInt(args.checkpoint.treeSize));
    });

    it("refuses leaves whose commitments are shifted by the field modulus", async () => {
      // Mirror's leaves carry acme's commitments plus r; the same proof would pass a
      // verifier that reduced its inputs modulo r.
      const mirror = attestationArgs(await assembleBundle(s, "mirror", 0, [0, 1], s.bundle));
      const shifted = [...s.bundle.publicSignals];
      shifted[3] = (BigInt(shifted[3]) + FIELD_MODULUS).toString();

      expect(await groth16Accepts(s.bundle.proof, shifted)).to.equal(false);
      await expect(attest(mirror)).to.be.revertedWithCustomError(
        verifier,
        "ComplianceVerifierProofRejected",
      );
    });
  });

  describe("when the times do not fit", () => {
    /** Leaf i's integration time in seconds, read from its 81 bytes (162 hex digits). */
    const integrated = (i: number) =>
      Math.floor(
        decodeLeaf(fromHex(args.leaves.slice(2 + 162 * i, 2 + 162 * (i + 1)))).timeMs / 1000,
      );

    it("refuses an operation time after its leaf's integration time", async () => {
      const after = integrated(0) + 1;

      await expect(attest({ ...args, times: [String(after), args.times[1]] }))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierTimeOutOfBounds")
        .withArgs(0n, BigInt(after), BigInt(after - 1));
    });

    it("refuses a time within bounds that the proof does not carry", async () => {
      const earlier = String(BigInt(args.times[0]) - 1n);

      await expect(
        attest({ ...args, times: [earlier, args.times[1]] }),
      ).to.be.revertedWithCustomError(verifier, "ComplianceVerifierProofRejected");
    });

    it("refuses operations older than the lag bound allows", async () => {
      // The scenario stamps operations tens of seconds before their integration.
      const strict = await deployVerifier(1);

      await expect(attest(args, strict)).to.be.revertedWithCustomError(
        strict,
        "ComplianceVerifierTimeOutOfBounds",
      );
    });
  });

  describe("constructor", () => {
    it("refuses a zero address, N outside [1, 64] and a zero lag bound", async () => {
      const factory = await hre.ethers.getContractFactory("ComplianceVerifier");
      const registry = s.registry.deployment.address;
      const target = groth16.target as string;
      const zero = hre.ethers.ZeroAddress;

      for (const bad of [
        [zero, target, 2, MAX_LAG],
        [registry, zero, 2, MAX_LAG],
        [registry, target, 0, MAX_LAG],
        [registry, target, 65, MAX_LAG],
        [registry, target, 2, 0],
      ]) {
        await expect(factory.deploy(...bad)).to.be.revertedWithCustomError(
          factory,
          "ComplianceVerifierInvalidConfig",
        );
      }
    });

    it("refuses leaves or times of another count than N", async () => {
      const leaves = args.leaves + args.leaves.slice(2, 164);

      await expect(attest({ ...args, leaves }))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierBadLength")
        .withArgs(243n, 2n);
      await expect(attest({ ...args, times: args.times.slice(1) }))
        .to.be.revertedWithCustomError(verifier, "ComplianceVerifierBadLength")
        .withArgs(162n, 1n);
    });
  });
});
