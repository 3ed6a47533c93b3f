import { expect } from "chai";

import { isComplianceError, type ComplianceErrorCode } from "../../ledger/compliance/errors";
import { ProveJobs } from "../../ledger/compliance/prove-jobs";
import { decodeLeaf } from "../../ledger/verify/leaf";
import {
  DEV_PARAMS,
  buildWindowWitness,
  bytesToField,
  fieldToBytes32,
  isZkError,
  proveWindow,
  releaseProverThreads,
  type Operation,
} from "../../ledger/zk";
import { devSetupFiles } from "../../ledger/zk/dev-artifacts";
import { fromBase64 } from "../../ledger/verify/bytes";
import { operationAt, scenario, type Scenario } from "./scenario";

describe("WindowProver", function () {
  this.timeout(120_000);

  let s: Scenario;

  before(async () => {
    s = await scenario();
  });

  after(() => releaseProverThreads());

  async function expectCode(promise: Promise<unknown>, code: ComplianceErrorCode) {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isComplianceError(err, code), `expected ${code}, got ${String(err)}`).to.equal(true);
    return err as Error & { data: Record<string, unknown>; retryAfterMs?: number };
  }

  describe("proveWindow", () => {
    it("proves window 0 against epoch 1, whose anchored roots were in force", () => {
      const v1 = s.compliance.history("acme", "policy")[0];
      const leaves = s.bundle.leaves.map((l) => decodeLeaf(fromBase64(l)));

      expect(s.bundle.anchor.epoch).to.equal(1);
      expect(s.bundle.treeSize).to.equal(10);
      expect(s.bundle.anchor.policyRoot).to.equal(v1.root);
      expect(leaves.map((l) => l.index)).to.deep.equal([0, 1]);
      expect(s.bundle.publicSignals.slice(3, 5)).to.deep.equal(
        leaves.map((l) => bytesToField(l.opCommitment).toString()),
      );
      expect(s.bundle.publicSignals[1]).to.equal(BigInt(v1.root).toString());
    });
  });

  describe("when the roots in force do not allow an operation", () => {
    const cases: [string, number, { index: number; reason: string }][] = [
      ["an action the role lacks (bob writes the ledger)", 2, { index: 3, reason: "not-granted" }],
      [
        "an actor acting after its assignment ended (alice)",
        4,
        { index: 4, reason: "not-assigned" },
      ],
      [
        "an operation outside its grant's validity window (approve)",
        6,
        { index: 6, reason: "not-granted" },
      ],
    ];

    for (const [what, start, data] of cases) {
      it(`refuses to prove ${what}`, async () => {
        const err = await expectCode(s.prover.proveWindow("acme", start), "COMPLIANCE_NOT_ALLOWED");

        expect(err.data).to.deep.equal(data);
      });
    }

    it("cannot prove them even with the nearest leaves forced into the witness", async () => {
      const trees = await s.compliance.trees("acme", 1, 1);
      const grants = trees.policy.policy.grants;
      const holders = trees.assignments.assignments.assignments;
      const grantOf = (role: string, action: string) =>
        grants.findIndex((g) => g.role === role && g.action === action);
      const [op2, op3, op4, op5, op6, op7] = await Promise.all(
        [2, 3, 4, 5, 6, 7].map((i) => operationAt(s, "acme", i)),
      );
      const forced: [
        number,
        { operation: Operation; grantIndex?: number; assignmentIndex?: number }[],
      ][] = [
        // bob's auditor grant is to read the ledger, not to write it.
        [2, [{ operation: op2 }, { operation: op3, grantIndex: grantOf("auditor", "read") }]],
        // alice's clerk assignment ended a minute before she wrote.
        [
          4,
          [
            { operation: op4, assignmentIndex: holders.findIndex((a) => a.actor === "alice") },
            { operation: op5 },
          ],
        ],
        // The approve grant expired two minutes before carol approved.
        [6, [{ operation: op6, grantIndex: grantOf("clerk", "approve") }, { operation: op7 }]],
      ];

      for (const [start, ops] of forced) {
        const witness = buildWindowWitness(
          s.hash,
          DEV_PARAMS,
          trees.policy,
          trees.assignments,
          start,
          ops,
        );
        const err = await proveWindow(devSetupFiles(), witness).catch((e: unknown) => e);

        expect(isZkError(err, "ZK_WITNESS_FAILED"), `window ${start}: ${String(err)}`).to.equal(
          true,
        );
      }
    });
  });

  describe("when the window cannot be opened or anchored", () => {
    it("refuses a window holding an entry without a commitment", async () => {
      const err = await expectCode(s.prover.proveWindow("acme", 8), "COMPLIANCE_NO_COMMITMENT");
      expect(err.data).to.deep.equal({ index: 8 });
    });

    it("refuses a window whose entries straddle a policy change", async () => {
      const err = await expectCode(
        s.prover.proveWindow("acme", 9),
        "COMPLIANCE_WINDOW_STRADDLES_ROOT_CHANGE",
      );
      expect(err.data).to.deep.equal({
        windowStart: 9,
        policyVersions: [1, 2],
        assignmentVersions: [1],
      });
    });

    it("refuses, retryably, a window no anchored checkpoint covers with its roots yet", async () => {
      const err = await expectCode(s.prover.proveWindow("acme", 10), "COMPLIANCE_NOT_ANCHORED");

      expect(err.retryAfterMs).to.be.a("number");
      expect(err.data.policyRoot).to.equal(s.compliance.history("acme", "policy")[1].root);
    });

    it("refuses a window past the end of the log", async () => {
      const err = await expectCode(
        s.prover.proveWindow("acme", 11),
        "COMPLIANCE_WINDOW_OUT_OF_RANGE",
      );
      expect(err.data).to.deep.equal({ windowStart: 11, operations: 2, treeSize: 12 });
    });

    it("refuses a window holding an erased entry: its salt is gone", async () => {
      await s.ledger.erase("beta", 5);

      const err = await expectCode(s.prover.proveWindow("beta", 4), "COMPLIANCE_OPENING_ERASED");
      expect(err.data).to.deep.equal({ index: 5 });
    });

    it("refuses a sampling audit of an epoch without an anchored checkpoint", async () => {
      await expectCode(s.prover.sampleAudit("acme", 7, 2), "COMPLIANCE_NO_SAMPLE_SEED");
    });
  });
});

describe("ProveJobs", function () {
  this.timeout(120_000);

  let s: Scenario;

  before(async () => {
    s = await scenario();
  });

  it("reports a finished job as done and durable, and returns its stored bundle", async () => {
    const status = await s.jobs.status("acme", s.bundleJobId);

    expect(status).to.include({ state: "done", durable: true, tenant: "acme" });
    expect(await s.jobs.result("acme", s.bundleJobId)).to.deep.equal(s.bundle);
  });

  it("after a restart, still returns finished results and calls lost jobs unknown", async () => {
    const restarted = new ProveJobs({ prover: s.prover, store: s.ledger.store });
    const lost = "0".repeat(32);

    expect(await restarted.status("acme", s.bundleJobId)).to.deep.equal({
      id: s.bundleJobId,
      tenant: "acme",
      state: "done",
      durable: true,
    });
    expect(await restarted.result("acme", s.bundleJobId)).to.deep.equal(s.bundle);
    for (const [tenant, id] of [
      ["acme", lost],
      ["beta", s.bundleJobId],
    ]) {
      const err = await restarted.status(tenant, id).catch((e: unknown) => e);
      expect(isComplianceError(err, "COMPLIANCE_UNKNOWN_JOB"), `${tenant} ${id}`).to.equal(true);
    }
  });

  it("keeps a job in memory only until done, and reports a failure with its code", async () => {
    const started = s.jobs.start("acme", { kind: "window", windowStart: 8 });
    expect(started.durable).to.equal(false);
    expect(["queued", "running"]).to.include(started.state);

    await s.jobs.idle();

    const failed = await s.jobs.status("acme", started.id);
    expect(failed.state).to.equal("failed");
    expect(failed.error?.code).to.equal("COMPLIANCE_NO_COMMITMENT");
    const err = await s.jobs.result("acme", started.id).catch((e: unknown) => e);
    expect(isComplianceError(err, "COMPLIANCE_JOB_NOT_DONE")).to.equal(true);
  });

  it("refuses, retryably, jobs past its limit, and malformed requests", async () => {
    const small = new ProveJobs({ prover: s.prover, store: s.ledger.store, maxJobs: 1 });
    small.start("acme", { kind: "window", windowStart: 8 });

    let err: unknown;
    try {
      small.start("acme", { kind: "window", windowStart: 8 });
    } catch (e) {
      err = e;
    }
    await small.close();

    expect(isComplianceError(err, "COMPLIANCE_JOBS_FULL")).to.equal(true);
    expect(() => s.jobs.start("acme", { kind: "sample", epoch: 1, count: 0 })).to.throw(RangeError);
    expect(() => s.jobs.start("acme", { kind: "window", windowStart: -1 })).to.throw(RangeError);
  });

  it("states the sampled windows' policy root as bytes32 of the proven field element", () => {
    for (const window of s.sample.windows) {
      expect(window.anchor.policyRoot).to.equal(fieldToBytes32(BigInt(window.publicSignals[1])));
    }
  });
});
