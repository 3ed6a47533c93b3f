import { expect } from "chai";

import { fromBase64, toBase64 } from "../../ledger/verify/bytes";
import {
  verifyComplianceBundle,
  verifySampleBundle,
  type ComplianceStep,
  type ComplianceVerifyOptions,
  type SampleStep,
} from "../../ledger/verify/compliance-bundle";
import {
  DEV_PARAMS,
  FIELD_MODULUS,
  computePolicyRoot,
  fieldToBytes32,
  operationCommitment,
  sampleWindowStarts,
  type ComplianceBundle,
} from "../../ledger/zk";
import {
  adversarialProofs,
  assembleBundle,
  operationAt,
  scenario,
  type AdversarialProofs,
  type Scenario,
} from "./scenario";
import { rerandomiseProof } from "./rerandomise";

/** Every step of a window bundle, in the order the verifier runs them. */
const WINDOW_STEPS: ComplianceStep[] = [
  "format",
  "vkey",
  "window",
  "commitments",
  "times",
  "checkpoint",
  "inclusion",
  "epoch-path",
  "epoch-root",
  "roots",
  "groth16",
];

describe("verifyComplianceBundle", function () {
  this.timeout(120_000);

  let s: Scenario;
  let bad: AdversarialProofs;
  let options: ComplianceVerifyOptions;

  before(async () => {
    s = await scenario();
    bad = await adversarialProofs();
    options = { trustedKeys: s.trustedKeys, vkey: s.vkey, readEpochRoot: s.readEpochRoot };
  });

  /** Verifies and checks that every step before `step` passed and `step` failed with `code`. */
  async function expectFailure(
    bundle: unknown,
    step: ComplianceStep,
    code: string,
    opts: Partial<ComplianceVerifyOptions> = {},
  ) {
    const verdict = await verifyComplianceBundle(bundle, { ...options, ...opts });

    const at = WINDOW_STEPS.indexOf(step);
    expect(verdict.ok).to.equal(false);
    expect(verdict.steps.map((v) => v.step)).to.deep.equal(WINDOW_STEPS.slice(0, at + 1));
    expect(verdict.steps.slice(0, at).every((v) => v.ok)).to.equal(true);
    expect(verdict.steps[at]).to.include({ ok: false, code });
  }

  /** The main bundle with public signal `at` replaced. */
  function withSignal(at: number, value: bigint | string): ComplianceBundle {
    const publicSignals = [...s.bundle.publicSignals];
    publicSignals[at] = value.toString();
    return { ...s.bundle, publicSignals };
  }

  it("verifies a window the tenant proved, offline and against the chain, step by step", async () => {
    const officerRoot = await computePolicyRoot(s.docs.policy, DEV_PARAMS);

    const verdict = await verifyComplianceBundle(s.bundle, {
      ...options,
      policyRoot: officerRoot.bytes32,
      origin: s.ledger.checkpoint("acme").origin,
    });

    expect(verdict.steps.map((v) => [v.step, v.ok])).to.deep.equal(
      WINDOW_STEPS.map((step) => [step, true]),
    );
    expect(verdict.ok).to.equal(true);
    expect(verdict.statement?.windowStart).to.equal(0);
  });

  it("survives a JSON round trip, as bundles travel", async () => {
    const copy = JSON.parse(JSON.stringify(s.bundle));

    expect((await verifyComplianceBundle(copy, options)).ok).to.equal(true);
  });

  describe("when the window is not the log's", () => {
    it("rejects a window with an entry left out", async () => {
      const gap = await assembleBundle(s, "acme", 0, [0, 2], bad.skipped);
      await expectFailure(gap, "window", "ZK_WINDOW_MISMATCH");

      const honestLeaves = await assembleBundle(s, "acme", 0, [0, 1], bad.skipped);
      await expectFailure(honestLeaves, "commitments", "ZK_COMMITMENT_MISMATCH");
    });

    it("rejects a window with an entry duplicated", async () => {
      const twice = await assembleBundle(s, "acme", 0, [0, 0], bad.duplicated);
      await expectFailure(twice, "window", "ZK_WINDOW_MISMATCH");

      const honestLeaves = await assembleBundle(s, "acme", 0, [0, 1], bad.duplicated);
      await expectFailure(honestLeaves, "commitments", "ZK_COMMITMENT_MISMATCH");
    });

    it("rejects a proof claimed for another window start", async () => {
      await expectFailure({ ...s.bundle, windowStart: 2 }, "window", "ZK_WINDOW_MISMATCH");
    });
  });

  describe("when a commitment, salt or field is changed", () => {
    it("rejects a commitment opened with another salt", async () => {
      const op = await operationAt(s, "acme", 0);
      const salted = operationCommitment(s.hash, { ...op, salt: op.salt + 1n });

      await expectFailure(withSignal(3, salted), "commitments", "ZK_COMMITMENT_MISMATCH");
    });

    it("rejects a commitment opened with another field", async () => {
      const op = await operationAt(s, "acme", 0);
      const approved = operationCommitment(s.hash, { ...op, action: "approve" });

      await expectFailure(withSignal(3, approved), "commitments", "ZK_COMMITMENT_MISMATCH");
    });

    it("rejects a leaf whose commitment bytes were changed", async () => {
      const leaf = fromBase64(s.bundle.leaves[1]);
      leaf[80] ^= 1;
      const leaves = [s.bundle.leaves[0], toBase64(leaf)];

      await expectFailure({ ...s.bundle, leaves }, "commitments", "ZK_COMMITMENT_MISMATCH");
    });

    it("rejects leaves whose commitments were shifted by the field modulus", async () => {
      const mirror = await assembleBundle(s, "mirror", 0, [0, 1], s.bundle);

      await expectFailure(mirror, "commitments", "ZK_NOT_FIELD_ELEMENT");
    });

    it("rejects public inputs shifted by the field modulus", async () => {
      for (const at of [0, 1, 3, 5]) {
        const shifted = BigInt(s.bundle.publicSignals[at]) + FIELD_MODULUS;
        await expectFailure(withSignal(at, shifted), "format", "ZK_NOT_FIELD_ELEMENT");
      }
    });
  });

  describe("when the times do not fit", () => {
    it("rejects an operation time after its entry's integration", async () => {
      const late = BigInt(s.now) + 3_600n;

      await expectFailure(withSignal(5, late), "times", "ZK_TIME_OUT_OF_BOUNDS");
    });

    it("rejects operations older than the officer's lag bound", async () => {
      await expectFailure(s.bundle, "times", "ZK_TIME_OUT_OF_BOUNDS", { maxLagSeconds: 1 });
    });

    it("rejects a time within bounds that the proof was not made for", async () => {
      const earlier = BigInt(s.bundle.publicSignals[5]) - 1n;

      await expectFailure(withSignal(5, earlier), "groth16", "ZK_PROOF_REJECTED");
    });
  });

  describe("when the roots are not the anchored ones", () => {
    it("rejects a proof against a policy root that was never anchored", async () => {
      const permissive = await assembleBundle(s, "acme", 2, [2, 3], bad.permissive);

      await expectFailure(permissive, "roots", "ZK_ROOTS_NOT_ANCHORED");
    });

    it("rejects an anchor that names the unanchored root instead", async () => {
      const anchored = s.bundle.anchor;
      const policyRoot = fieldToBytes32(BigInt(bad.permissive.publicSignals[1]));
      const bundle = await assembleBundle(s, "acme", 2, [2, 3], bad.permissive, {
        ...anchored,
        policyRoot,
      });

      await expectFailure(bundle, "epoch-path", "ZK_ROOTS_NOT_ANCHORED");
    });

    it("rejects an assignment root other than the anchored one", async () => {
      const other = BigInt(s.bundle.publicSignals[2]) + 1n;
      const anchor = { ...s.bundle.anchor, assignmentRoot: fieldToBytes32(other) };

      await expectFailure(withSignal(2, other), "roots", "ZK_ROOTS_NOT_ANCHORED");
      await expectFailure({ ...s.bundle, anchor }, "epoch-path", "ZK_ROOTS_NOT_ANCHORED");
    });

    it("rejects an anchored policy root other than the one the officer reviewed", async () => {
      const reviewed = await computePolicyRoot(s.docs.permissivePolicy, DEV_PARAMS);

      await expectFailure(s.bundle, "roots", "ZK_ROOTS_NOT_ANCHORED", {
        policyRoot: reviewed.bytes32,
      });
    });

    it("rejects an epoch root the chain does not hold", async () => {
      const other = { ...s.bundle, anchor: { ...s.bundle.anchor, epoch: 2 } };

      await expectFailure(other, "epoch-root", "ZK_ROOTS_NOT_ANCHORED");
    });
  });

  describe("when the keys or proofs are not the trusted ones", () => {
    it("rejects a checkpoint no trusted key signed", async () => {
      const betaOnly = [s.ledger.verifierKey("beta")];

      await expectFailure(s.bundle, "checkpoint", "LEDGER_NO_VALID_SIGNATURE", {
        trustedKeys: betaOnly,
      });
    });

    it("rejects an inclusion proof that leads elsewhere", async () => {
      const hash = fromBase64(s.bundle.inclusionProofs[0][0]);
      hash[0] ^= 1;
      const inclusionProofs = [
        [toBase64(hash), ...s.bundle.inclusionProofs[0].slice(1)],
        s.bundle.inclusionProofs[1],
      ];

      await expectFailure({ ...s.bundle, inclusionProofs }, "inclusion", "LEDGER_ROOT_MISMATCH");
    });

    it("rejects a bundle made under another verification key", async () => {
      const other = { ...s.vkey, IC: [[...s.vkey.IC[0]].reverse(), ...s.vkey.IC.slice(1)] };

      await expectFailure(s.bundle, "vkey", "ZK_BAD_VERIFICATION_KEY", { vkey: other });
    });

    it("rejects a bundle that is not one", async () => {
      await expectFailure(
        { ...s.bundle, format: "anchorlog-receipt/v1" },
        "format",
        "ZK_BAD_BUNDLE",
      );
      await expectFailure("not even an object", "format", "ZK_BAD_BUNDLE");
    });

    it("accepts a re-randomised proof: off chain, a proof is judged, never identified", async () => {
      const proof = rerandomiseProof(s.bundle.proof, s.vkey, 9n, 2n);

      expect((await verifyComplianceBundle({ ...s.bundle, proof }, options)).ok).to.equal(true);
    });
  });
});

describe("verifySampleBundle", function () {
  this.timeout(120_000);

  const SAMPLE_STEPS: SampleStep[] = [
    "format",
    "checkpoint",
    "epoch-path",
    "epoch-root",
    "block",
    "starts",
    "windows",
  ];
  let s: Scenario;

  before(async () => {
    s = await scenario();
  });

  const options = () => ({
    trustedKeys: s.trustedKeys,
    vkey: s.vkey,
    readEpochRoot: s.readEpochRoot,
    readAnchorBlock: s.readAnchorBlock,
  });

  async function expectFailure(sample: unknown, step: SampleStep, code: string) {
    const verdict = await verifySampleBundle(sample, options());

    const at = SAMPLE_STEPS.indexOf(step);
    expect(verdict.steps.map((v) => v.step)).to.deep.equal(SAMPLE_STEPS.slice(0, at + 1));
    expect(verdict.steps[at]).to.include({ ok: false, code });
  }

  it("verifies windows drawn from the anchoring block's hash", async () => {
    const starts = sampleWindowStarts(s.sample.anchor.blockHash, 6, 2, 2);

    const verdict = await verifySampleBundle(s.sample, { ...options(), minWindows: 2 });

    expect(verdict.steps.map((v) => [v.step, v.ok])).to.deep.equal(
      SAMPLE_STEPS.map((step) => [step, true]),
    );
    expect(s.sample.windows.map((w) => w.windowStart)).to.deep.equal(starts);
    expect(verdict.windows.map((w) => w.ok)).to.deep.equal([true, true]);
  });

  it("rejects windows the tenant chose instead of the drawn ones", async () => {
    const drawn = s.sample.windows.map((w) => w.windowStart);
    const chosen = drawn[0] === 0 ? 2 : 0;
    const bundle = await assembleBundle(
      s,
      "beta",
      chosen,
      [chosen, chosen + 1],
      s.sample.windows[0],
    );

    await expectFailure(
      { ...s.sample, windows: [bundle, s.sample.windows[1]] },
      "starts",
      "ZK_SAMPLE_MISMATCH",
    );
  });

  it("rejects a block hash other than the anchoring block's", async () => {
    const anchor = { ...s.sample.anchor, blockHash: `0x${"ab".repeat(32)}` };

    await expectFailure({ ...s.sample, anchor }, "block", "ZK_SAMPLE_MISMATCH");
  });

  it("rejects a sample with a window that does not verify", async () => {
    const [first, second] = s.sample.windows;
    const publicSignals = [...second.publicSignals];
    publicSignals[5] = (BigInt(publicSignals[5]) - 1n).toString();

    const sample = { ...s.sample, windows: [first, { ...second, publicSignals }] };

    await expectFailure(sample, "windows", "ZK_SAMPLE_MISMATCH");
    const verdict = await verifySampleBundle(sample, options());
    expect(verdict.windows[1].steps.at(-1)).to.include({ step: "groth16", ok: false });
  });

  it("rejects fewer windows than the officer asks for", async () => {
    const verdict = await verifySampleBundle(s.sample, { ...options(), minWindows: 3 });

    expect(verdict.steps[0]).to.include({ step: "format", ok: false, code: "ZK_SAMPLE_MISMATCH" });
  });
});
