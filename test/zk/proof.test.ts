import { expect } from "chai";

import {
  DEV_PARAMS,
  FIELD_MODULUS,
  buildWindowWitness,
  proveWindow,
  publicSignalsToStatement,
  releaseProverThreads,
  statementToPublicSignals,
  verifyProofSignals,
  verifyWindow,
  assertWindowProof,
  type Groth16Proof,
  type VerificationKey,
  type WindowProof,
  type WindowStatement,
} from "../../ledger/zk";
import { devSetupFiles, loadDevVerificationKey } from "../../ledger/zk/dev-artifacts";
import { ALICE_WRITES, BOB_READS, loadTenant, type Tenant } from "./fixtures";
import { expectZkCode, expectZkRejection } from "./zk-assert";

/** Log index of the window's first entry; any index works, this one is not 0 on purpose. */
const WINDOW_START = 40;

describe("zk proof of a compliant window (dev setup)", function () {
  this.timeout(120_000);

  let tenant: Tenant;
  let vkey: VerificationKey;
  let statement: WindowStatement;
  let proved: WindowProof;

  before(async () => {
    tenant = await loadTenant();
    vkey = loadDevVerificationKey();
    const witness = buildWindowWitness(
      tenant.hash,
      DEV_PARAMS,
      tenant.policy,
      tenant.assignments,
      WINDOW_START,
      [{ operation: ALICE_WRITES }, { operation: BOB_READS }],
    );
    statement = witness.statement;
    proved = await proveWindow(devSetupFiles(), witness);
  });

  after(() => releaseProverThreads());

  /** The statement with one field replaced. */
  const altered = (change: Partial<WindowStatement>): WindowStatement => ({
    ...statement,
    ...change,
  });

  it("proves against roots computed in JavaScript and verifies with the shipped key", async () => {
    expect(proved.publicSignals).to.deep.equal(statementToPublicSignals(DEV_PARAMS, statement));
    expect(statement.policyRoot).to.equal(tenant.policy.root);
    expect(statement.assignmentRoot).to.equal(tenant.assignments.root);

    expect(await verifyWindow(vkey, DEV_PARAMS, statement, proved.proof)).to.equal(true);
    await assertWindowProof(vkey, DEV_PARAMS, statement, proved.proof);
  });

  it("reads the statement back from the proof's public signals", () => {
    expect(publicSignalsToStatement(DEV_PARAMS, proved.publicSignals)).to.deep.equal(statement);
  });

  describe("when the statement differs from the one proven", () => {
    const cases: [string, () => WindowStatement][] = [
      [
        "a commitment",
        () => altered({ commitments: [statement.commitments[0] + 1n, statement.commitments[1]] }),
      ],
      [
        "the order of the commitments",
        () => altered({ commitments: [...statement.commitments].reverse() }),
      ],
      ["a time", () => altered({ times: [statement.times[0] + 1, statement.times[1]] })],
      ["the policy root", () => altered({ policyRoot: statement.policyRoot + 1n })],
      ["the assignment root", () => altered({ assignmentRoot: statement.assignmentRoot + 1n })],
      ["the window start", () => altered({ windowStart: WINDOW_START + 1 })],
    ];

    for (const [what, make] of cases) {
      it(`rejects the proof for another ${what}`, async () => {
        const other = make();

        expect(await verifyWindow(vkey, DEV_PARAMS, other, proved.proof)).to.equal(false);
        await expectZkRejection(
          assertWindowProof(vkey, DEV_PARAMS, other, proved.proof),
          "ZK_PROOF_REJECTED",
        );
      });
    }
  });

  describe("when a public signal is shifted by the field modulus", () => {
    it("snarkjs rejects the signal though it is congruent to the proven one", async () => {
      for (const at of [0, 1, 3]) {
        const signals = [...proved.publicSignals];
        signals[at] = (BigInt(signals[at]) + FIELD_MODULUS).toString();

        expect(await verifyProofSignals(vkey, signals, proved.proof), `signal ${at}`).to.equal(
          false,
        );
      }
    });

    it("the statement refuses a root outside [0, r) before any pairing", () => {
      const shifted = altered({ policyRoot: statement.policyRoot + FIELD_MODULUS });
      expectZkCode(() => statementToPublicSignals(DEV_PARAMS, shifted), "ZK_NOT_FIELD_ELEMENT");
    });
  });

  describe("when the proof is tampered with", () => {
    const tampered: [string, (p: Groth16Proof) => Groth16Proof][] = [
      [
        "pi_a moved off the curve",
        (p) => ({ ...p, pi_a: [p.pi_a[0], addOne(p.pi_a[1]), p.pi_a[2]] }),
      ],
      ["pi_c replaced by pi_a", (p) => ({ ...p, pi_c: p.pi_a })],
      [
        "pi_b's coordinates swapped",
        (p) => ({ ...p, pi_b: [[p.pi_b[0][1], p.pi_b[0][0]], p.pi_b[1], p.pi_b[2]] }),
      ],
    ];

    for (const [what, change] of tampered) {
      it(`rejects a proof with ${what}`, async () => {
        expect(await verifyWindow(vkey, DEV_PARAMS, statement, change(proved.proof))).to.equal(
          false,
        );
      });
    }

    it("refuses a proof of the wrong shape with ZK_BAD_PROOF_FORMAT", async () => {
      const broken = { ...proved.proof, pi_b: [] } as Groth16Proof;
      await expectZkRejection(
        verifyWindow(vkey, DEV_PARAMS, statement, broken),
        "ZK_BAD_PROOF_FORMAT",
      );
    });
  });

  describe("when the key does not fit", () => {
    it("refuses signals of the wrong count or form, and keys for another N", async () => {
      await expectZkRejection(
        verifyProofSignals(vkey, proved.publicSignals.slice(1), proved.proof),
        "ZK_BAD_PUBLIC_SIGNALS",
      );
      const notDecimal = ["0x28", ...proved.publicSignals.slice(1)];
      await expectZkRejection(
        verifyProofSignals(vkey, notDecimal, proved.proof),
        "ZK_BAD_PUBLIC_SIGNALS",
      );
      const other = { ...DEV_PARAMS, operations: 3 };
      await expectZkRejection(
        verifyWindow(vkey, other, statement, proved.proof),
        "ZK_BAD_VERIFICATION_KEY",
      );
    });
  });
});

function addOne(decimal: string): string {
  return (BigInt(decimal) + 1n).toString();
}
