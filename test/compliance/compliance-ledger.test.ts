import { expect } from "chai";

import type { Ledger } from "../../ledger";
import { CommitmentPool } from "../../ledger/compliance/commitment-pool";
import { ComplianceLedger } from "../../ledger/compliance/compliance-ledger";
import { ComplianceStore } from "../../ledger/compliance/compliance-store";
import { isComplianceError, type ComplianceErrorCode } from "../../ledger/compliance/errors";
import type { OperationOpening } from "../../ledger/compliance/operation-opening";
import { isLedgerError } from "../../ledger/errors";
import { decodeLeaf } from "../../ledger/verify/leaf";
import {
  DEV_PARAMS,
  bytesToField,
  isZkError,
  loadPoseidon,
  operationCommitment,
  type PoseidonHash,
} from "../../ledger/zk";
import { openTestLedger, sampleEvent, tempDir } from "../helpers/temp-ledger";
import { operationEvent, testDocuments } from "./documents";

describe("ComplianceLedger", function () {
  this.timeout(30_000);

  const now = Math.floor(Date.now() / 1000);
  const docs = testDocuments(now);
  let tmp: ReturnType<typeof tempDir>;
  let ledger: Ledger;
  let compliance: ComplianceStore;
  let pool: CommitmentPool;
  let appender: ComplianceLedger;
  let hash: PoseidonHash;

  before(async () => {
    pool = await CommitmentPool.start({ threads: 1 });
    hash = await loadPoseidon();
  });

  after(() => pool.close());

  beforeEach(async () => {
    tmp = tempDir("anchorlog-compliance-ledger-");
    ledger = await openTestLedger(tmp.dir);
    compliance = await ComplianceStore.open(ledger.store, { params: DEV_PARAMS });
    appender = new ComplianceLedger({ ledger, compliance, committer: pool });
    await ledger.createTenant("acme");
    await compliance.setPolicy("acme", docs.policy);
  });

  afterEach(async () => {
    await ledger.close();
    tmp.cleanup();
  });

  const carolWrites = (ago = 5) => operationEvent(now, "carol", "clerk", "write", "invoice", ago);

  async function commitmentAt(index: number): Promise<bigint> {
    return bytesToField(decodeLeaf((await ledger.entry("acme", index)).leafData).opCommitment);
  }

  async function expectCode(promise: Promise<unknown>, code: ComplianceErrorCode) {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isComplianceError(err, code), `expected ${code}, got ${String(err)}`).to.equal(true);
    return err as Error;
  }

  describe("append", () => {
    it("puts the operation's commitment in its leaf and seals an opening that recomputes it", async () => {
      const event = carolWrites();

      const { index } = await appender.append("acme", event);

      const record = await ledger.privateRecord("acme", index);
      const opening = record.compliance as OperationOpening;
      // Recomputed from the event as submitted and the sealed salt alone.
      const expected = operationCommitment(hash, {
        actor: event.actor,
        role: event.role,
        action: event.action,
        resourceClass: event.resourceClass,
        time: Math.floor(Date.parse(event.timestamp) / 1000),
        salt: BigInt(opening.salt),
      });
      expect(await commitmentAt(index)).to.equal(expected);
      expect(opening.time).to.equal(now - 5);
      expect(record.event).to.deep.equal(event);
    });

    it("draws a fresh salt per operation, so equal events commit differently", async () => {
      const [a, b] = await appender.appendBatch("acme", [carolWrites(), carolWrites()]);

      expect(await commitmentAt(a.index)).to.not.equal(await commitmentAt(b.index));
    });

    it("leaves the commitment zero for an event without a role", async () => {
      const { index } = await appender.append("acme", sampleEvent(1));

      expect(await commitmentAt(index)).to.equal(0n);
      expect((await ledger.privateRecord("acme", index)).compliance).to.equal(undefined);
    });

    it("commits nothing for a tenant without a policy", async () => {
      await ledger.createTenant("plain");

      const { index } = await appender.append("plain", carolWrites());

      expect(decodeLeaf((await ledger.entry("plain", index)).leafData).opCommitment).to.deep.equal(
        new Uint8Array(32),
      );
    });

    it("returns the first results for an idempotent retry", async () => {
      const first = await appender.append("acme", carolWrites(), { idempotencyKey: "k-1" });
      const committed = await commitmentAt(first.index);

      const again = await appender.append("acme", carolWrites(), { idempotencyKey: "k-1" });

      expect(again).to.deep.equal(first);
      expect(ledger.checkpoint("acme").size).to.equal(1);
      expect(await commitmentAt(first.index)).to.equal(committed);
    });

    it("keeps every commitment bound to its own opening under concurrent appends", async () => {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => appender.append("acme", carolWrites(10 + i))),
      );

      for (const { index } of results) {
        const record = await ledger.privateRecord("acme", index);
        const opening = record.compliance as OperationOpening;
        expect(opening.time).to.equal(Math.floor(Date.parse(record.event.timestamp) / 1000));
        const op = { ...record.event, role: "clerk", resourceClass: "invoice" };
        const expected = operationCommitment(hash, {
          ...op,
          time: opening.time,
          salt: BigInt(opening.salt),
        });
        expect(await commitmentAt(index)).to.equal(expected);
      }
    });
  });

  describe("when an event cannot be committed to", () => {
    it("requires role and resource class when the tenant requires compliance", async () => {
      await compliance.setRequired("acme", true);
      const noClass = { ...carolWrites(), resourceClass: undefined };

      const err = await expectCode(
        appender.appendBatch("acme", [carolWrites(), noClass]),
        "COMPLIANCE_OPERATION_REQUIRED",
      );

      expect((err as unknown as { data: object }).data).to.deep.equal({
        tenant: "acme",
        position: 1,
        field: "resourceClass",
      });
      expect(ledger.checkpoint("acme").size).to.equal(0);
    });

    it("refuses a name the scheme cannot encode, with the ZkError as cause", async () => {
      const padded = { ...carolWrites(), actor: " carol" };

      const err = await expectCode(appender.append("acme", padded), "COMPLIANCE_BAD_OPERATION");

      expect(isZkError(err.cause, "ZK_BAD_NAME")).to.equal(true);
      expect(ledger.checkpoint("acme").size).to.equal(0);
    });

    it("refuses an operation stamped after now, whose window could never verify", async () => {
      // A day ahead of the time this file was loaded: the suite may start long before this runs.
      const tomorrow = carolWrites(-86_400);
      await expectCode(appender.append("acme", tomorrow), "COMPLIANCE_FUTURE_OPERATION");
    });

    it("validates the event before committing to it", async () => {
      const err = await appender.append("acme", { ...carolWrites(), actor: "" }).catch((e) => e);

      expect(isLedgerError(err, "LEDGER_BAD_EVENT")).to.equal(true);
    });
  });
});
