import { expect } from "chai";
import type { FastifyInstance, InjectOptions } from "fastify";

import { buildApp } from "../../api";
import { ApiKeyStore, type ApiKeyScope } from "../../ledger/tenancy/api-keys";
import { verifyComplianceBundle } from "../../ledger/verify/compliance-bundle";
import { DEV_PARAMS, computePolicyRoot } from "../../ledger/zk";
import { decodeLeaf } from "../../ledger/verify";
import { operationEvent } from "./documents";
import { scenario, type Scenario } from "./scenario";

describe("compliance routes", function () {
  this.timeout(60_000);

  let s: Scenario;
  let app: FastifyInstance;
  let keys: ApiKeyStore;

  before(async () => {
    s = await scenario();
    keys = await ApiKeyStore.open(s.ledger.store);
    app = await buildApp({
      ledger: s.ledger,
      keys,
      config: { rateLimit: false, maxEventLoopDelayMs: 0 },
      compliance: { store: s.compliance, jobs: s.jobs },
      appender: s.appender,
    });
    await app.ready();
    await s.ledger.createTenant("routes");
  });

  after(() => app.close());

  async function keyOf(tenant: string, scopes: ApiKeyScope[]): Promise<string> {
    return (await keys.issue({ tenant, scopes })).key;
  }

  function call(key: string, opts: InjectOptions) {
    return app.inject({ ...opts, headers: { authorization: `Bearer ${key}` } });
  }

  describe("documents", () => {
    it("registers a policy and assignments and reports their versions and roots", async () => {
      const admin = await keyOf("routes", ["admin"]);

      const policy = await call(admin, {
        method: "PUT",
        url: "/v1/compliance/policy",
        payload: s.docs.policy,
      });
      const assignments = await call(admin, {
        method: "PUT",
        url: "/v1/compliance/assignments",
        payload: s.docs.assignments,
      });
      const state = await call(admin, { method: "GET", url: "/v1/compliance" });

      const officer = await computePolicyRoot(s.docs.policy, DEV_PARAMS);
      expect(policy.statusCode).to.equal(200);
      expect(policy.json()).to.include({ kind: "policy", version: 1, root: officer.bytes32 });
      expect(assignments.json()).to.include({ kind: "assignments", version: 1 });
      expect(state.json()).to.deep.include({
        required: false,
        policyRoot: officer.bytes32,
        assignmentRoot: s.compliance.currentRoots("routes").assignmentRoot,
      });
      const review = await call(admin, { method: "GET", url: "/v1/compliance/policy/1" });
      expect(review.json()).to.deep.equal(s.docs.policy);
    });

    it("turns compliance required on for the tenant", async () => {
      const admin = await keyOf("routes", ["admin"]);

      const res = await call(admin, {
        method: "PUT",
        url: "/v1/compliance/settings",
        payload: { required: true },
      });

      expect(res.statusCode).to.equal(200);
      expect(res.json().required).to.equal(true);
      expect(s.compliance.state("routes").required).to.equal(true);
    });

    it("commits each appended operation in its leaf, and refuses one without a role once required", async () => {
      const writer = await keyOf("routes", ["append", "read"]);
      const event = operationEvent(
        Math.floor(Date.now() / 1000),
        "carol",
        "clerk",
        "write",
        "invoice",
        5,
      );

      const ok = await call(writer, { method: "POST", url: "/v1/entries", payload: event });
      const { role: _role, ...roleless } = event;
      const refused = await call(writer, { method: "POST", url: "/v1/entries", payload: roleless });

      expect(ok.statusCode).to.equal(201);
      const leaf = (await s.ledger.entry("routes", ok.json().index)).leafData;
      expect(Buffer.from(decodeLeaf(leaf).opCommitment).equals(Buffer.alloc(32))).to.equal(false);
      expect(refused.statusCode).to.equal(400);
      expect(refused.headers["content-type"]).to.match(/application\/problem\+json/);
    });

    it("refuses documents from keys without the admin scope, and malformed ones", async () => {
      const prover = await keyOf("routes", ["prove", "read"]);
      const admin = await keyOf("routes", ["admin"]);
      const undeclared = {
        ...s.docs.policy,
        grants: [{ ...s.docs.policy.grants[0], role: "intern" }],
      };

      const forbidden = await call(prover, {
        method: "PUT",
        url: "/v1/compliance/policy",
        payload: s.docs.policy,
      });
      const unknownField = await call(admin, {
        method: "PUT",
        url: "/v1/compliance/policy",
        payload: { ...s.docs.policy, owner: "me" },
      });
      const badRole = await call(admin, {
        method: "PUT",
        url: "/v1/compliance/policy",
        payload: undeclared,
      });
      const missing = await call(admin, { method: "GET", url: "/v1/compliance/policy/9" });

      expect(forbidden.json()).to.include({ status: 403, code: "API_FORBIDDEN" });
      expect(unknownField.json()).to.include({ status: 400, code: "API_VALIDATION_FAILED" });
      expect(badRole.json()).to.include({ status: 400, code: "API_VALIDATION_FAILED" });
      expect(missing.json()).to.include({ status: 404, code: "API_NOT_FOUND" });
    });
  });

  describe("proofs", () => {
    it("serves a finished job's status and bundle to its tenant only", async () => {
      const acme = await keyOf("acme", ["prove"]);
      const beta = await keyOf("beta", ["prove"]);
      const url = `/v1/compliance/proofs/${s.bundleJobId}`;

      const status = await call(acme, { method: "GET", url });
      const bundle = await call(acme, { method: "GET", url: `${url}/bundle` });
      const other = await call(beta, { method: "GET", url: `${url}/bundle` });

      expect(status.json()).to.include({ state: "done", durable: true });
      expect(bundle.json()).to.deep.equal(JSON.parse(JSON.stringify(s.bundle)));
      const verdict = await verifyComplianceBundle(bundle.json(), {
        trustedKeys: s.trustedKeys,
        vkey: s.vkey,
        readEpochRoot: s.readEpochRoot,
      });
      expect(verdict.ok).to.equal(true);
      expect(other.json()).to.include({ status: 404, code: "API_NOT_FOUND" });
    });

    it("starts a job with 202 and reports its failure with the compliance code", async () => {
      const acme = await keyOf("acme", ["prove"]);

      const started = await call(acme, {
        method: "POST",
        url: "/v1/compliance/proofs",
        payload: { kind: "window", windowStart: 8 },
      });
      await s.jobs.idle();
      const status = await call(acme, { method: "GET", url: started.headers.location as string });
      const bundle = await call(acme, {
        method: "GET",
        url: `${started.headers.location as string}/bundle`,
      });

      expect(started.statusCode).to.equal(202);
      expect(started.json().durable).to.equal(false);
      expect(status.json()).to.deep.include({ state: "failed", durable: false });
      expect(status.json().error.code).to.equal("COMPLIANCE_NO_COMMITMENT");
      expect(bundle.json()).to.include({ status: 404, code: "API_NOT_FOUND" });
    });

    it("refuses windows outside the log, read-only keys and malformed requests", async () => {
      const acme = await keyOf("acme", ["prove"]);
      const reader = await keyOf("acme", ["read"]);
      const post = (key: string, payload: object) =>
        call(key, { method: "POST", url: "/v1/compliance/proofs", payload });

      const outside = await post(acme, { kind: "window", windowStart: 11 });
      const forbidden = await post(reader, { kind: "window", windowStart: 0 });
      const tooMany = await post(acme, { kind: "sample", epoch: 1, count: 1_000 });
      const unknown = await call(acme, {
        method: "GET",
        url: `/v1/compliance/proofs/${"0".repeat(32)}`,
      });

      expect(outside.json()).to.include({ status: 400, code: "API_BAD_RANGE" });
      expect(forbidden.json()).to.include({ status: 403, code: "API_FORBIDDEN" });
      expect(tooMany.json()).to.include({ status: 400, code: "API_VALIDATION_FAILED" });
      expect(unknown.json()).to.include({ status: 404, code: "API_NOT_FOUND" });
    });
  });
});
