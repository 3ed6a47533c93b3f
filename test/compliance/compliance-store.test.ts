import { expect } from "chai";

import { ZERO_BYTES32 } from "../../ledger/anchor";
import { ComplianceStore } from "../../ledger/compliance/compliance-store";
import { isComplianceError, type ComplianceErrorCode } from "../../ledger/compliance/errors";
import { LedgerError } from "../../ledger/errors";
import { openLevelStore, type LevelStore } from "../../ledger/store/level-store";
import {
  DEV_PARAMS,
  buildPolicyTree,
  bytes32ToField,
  computeAssignmentRoot,
  computePolicyRoot,
  isZkError,
  loadPoseidon,
  parsePolicy,
} from "../../ledger/zk";
import { tempDir } from "../helpers/temp-ledger";
import { testDocuments } from "./documents";

const docs = testDocuments(1_800_000_000);

describe("ComplianceStore", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: LevelStore;
  let compliance: ComplianceStore;
  let clockMs: number;

  beforeEach(async () => {
    tmp = tempDir("anchorlog-compliance-store-");
    store = await openLevelStore(tmp.dir);
    clockMs = 1_000;
    compliance = await ComplianceStore.open(store, { params: DEV_PARAMS, clock: () => clockMs });
  });

  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  async function expectCode(promise: Promise<unknown>, code: ComplianceErrorCode) {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isComplianceError(err, code), `expected ${code}, got ${String(err)}`).to.equal(true);
  }

  describe("setPolicy and setAssignments", () => {
    it("register version 1 with the roots an officer recomputes from the documents", async () => {
      const policy = await compliance.setPolicy("acme", docs.policy);
      const assignments = await compliance.setAssignments("acme", docs.assignments);

      const officerPolicy = await computePolicyRoot(docs.policy, DEV_PARAMS);
      const officerAssignments = await computeAssignmentRoot(
        docs.assignments,
        docs.policy,
        DEV_PARAMS,
      );
      expect(policy).to.deep.equal({
        kind: "policy",
        version: 1,
        root: officerPolicy.bytes32,
        setAtMs: 1_000,
        entries: 4,
      });
      expect(assignments.root).to.equal(officerAssignments.bytes32);
      expect(compliance.currentRoots("acme")).to.deep.equal({
        policyRoot: officerPolicy.bytes32,
        assignmentRoot: officerAssignments.bytes32,
      });
      expect(compliance.rootsFor("acme")).to.deep.equal(compliance.currentRoots("acme"));
    });

    it("writes a root as the field element's 32 bytes, big-endian", async () => {
      const { root } = await compliance.setPolicy("acme", docs.policy);
      const tree = buildPolicyTree(await loadPoseidon(), parsePolicy(docs.policy), 4);

      expect(root).to.equal("0x" + tree.root.toString(16).padStart(64, "0"));
      expect(bytes32ToField(root)).to.equal(tree.root);
    });

    it("keeps one version for the same grants listed in another order", async () => {
      const first = await compliance.setPolicy("acme", docs.policy);
      const reordered = { ...docs.policy, grants: [...docs.policy.grants].reverse() };
      clockMs = 5_000;

      expect(await compliance.setPolicy("acme", reordered)).to.deep.equal(first);
      expect(compliance.history("acme", "policy")).to.have.length(1);
    });

    it("refuses assignments while the tenant has no policy", async () => {
      await expectCode(compliance.setAssignments("acme", docs.assignments), "COMPLIANCE_NO_POLICY");
    });

    it("refuses a policy that drops a role the current assignments use", async () => {
      await compliance.setPolicy("acme", docs.policy);
      await compliance.setAssignments("acme", docs.assignments);
      const clerksOnly = {
        version: 1,
        roles: ["clerk"],
        grants: docs.policy.grants.filter((g) => g.role === "clerk"),
      };

      const err = await compliance.setPolicy("acme", clerksOnly).catch((e: unknown) => e);

      expect(isZkError(err, "ZK_UNKNOWN_ROLE")).to.equal(true);
      expect(compliance.state("acme").policy?.version).to.equal(1);
    });

    it("refuses a document the policy rules reject, and a malformed tenant id", async () => {
      const twice = { ...docs.policy, grants: [docs.policy.grants[0], docs.policy.grants[0]] };

      const err = await compliance.setPolicy("acme", twice).catch((e: unknown) => e);
      expect(isZkError(err, "ZK_DUPLICATE_GRANT")).to.equal(true);
      expect(() => compliance.setPolicy("Not A Tenant", docs.policy))
        .to.throw(LedgerError)
        .with.property("code", "LEDGER_BAD_TENANT_ID");
    });
  });

  describe("history and versionAt", () => {
    it("finds the version in force at a time: the latest set at or before it", async () => {
      await compliance.setPolicy("acme", docs.policy);
      clockMs = 2_000;
      await compliance.setPolicy("acme", docs.policyV2);

      expect(compliance.versionAt("acme", "policy", 999)).to.equal(undefined);
      expect(compliance.versionAt("acme", "policy", 1_000)?.version).to.equal(1);
      expect(compliance.versionAt("acme", "policy", 1_999)?.version).to.equal(1);
      expect(compliance.versionAt("acme", "policy", 2_000)?.version).to.equal(2);
      expect(compliance.history("acme", "policy").map((v) => [v.version, v.setAtMs])).to.deep.equal(
        [
          [1, 1_000],
          [2, 2_000],
        ],
      );
    });

    it("never dates a version before the previous one, even if the clock steps back", async () => {
      clockMs = 5_000;
      await compliance.setPolicy("acme", docs.policy);
      clockMs = 4_000;

      expect((await compliance.setPolicy("acme", docs.policyV2)).setAtMs).to.equal(5_000);
    });

    it("reports zero roots and no versions for a tenant without documents", () => {
      expect(compliance.currentRoots("other")).to.deep.equal({
        policyRoot: ZERO_BYTES32,
        assignmentRoot: ZERO_BYTES32,
      });
      expect(compliance.state("other")).to.deep.equal({ required: false });
    });
  });

  describe("setRequired", () => {
    it("needs a policy, then turns compliance on", async () => {
      await expectCode(compliance.setRequired("acme", true), "COMPLIANCE_NO_POLICY");
      await compliance.setPolicy("acme", docs.policy);

      expect((await compliance.setRequired("acme", true)).required).to.equal(true);
    });
  });

  describe("open", () => {
    it("reads back every version, setting and document after a reopen", async () => {
      await compliance.setPolicy("acme", docs.policy);
      await compliance.setAssignments("acme", docs.assignments);
      clockMs = 3_000;
      await compliance.setPolicy("acme", docs.policyV2);
      await compliance.setRequired("acme", true);

      const reopened = await ComplianceStore.open(store, { params: DEV_PARAMS });

      expect(reopened.state("acme")).to.deep.equal(compliance.state("acme"));
      expect(reopened.history("acme", "policy")).to.deep.equal(
        compliance.history("acme", "policy"),
      );
      expect(await reopened.document("acme", "policy", 2)).to.deep.equal(docs.policyV2);
      const trees = await reopened.trees("acme", 2, 1);
      expect(bytes32ToField(reopened.currentRoots("acme").policyRoot)).to.equal(trees.policy.root);
    });
  });
});
