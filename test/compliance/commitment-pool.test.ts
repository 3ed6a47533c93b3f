import { expect } from "chai";

import { CommitmentPool } from "../../ledger/compliance/commitment-pool";
import { isComplianceError } from "../../ledger/compliance/errors";
import { InlineCommitter } from "../../ledger/compliance/operation-committer";
import type { Operation } from "../../ledger/zk";

/** Operation i: distinct salts and times, fixed names. */
function operation(i: number): Operation {
  return {
    actor: `actor-${i % 5}`,
    role: "clerk",
    action: "write",
    resourceClass: "invoice",
    time: 1_700_000_000 + i,
    salt: BigInt(i) * 7919n,
  };
}

/** Operations [from, to). */
function range(from: number, to: number): Operation[] {
  return Array.from({ length: to - from }, (_, i) => operation(from + i));
}

describe("CommitmentPool", function () {
  this.timeout(30_000);

  // Starting workers takes seconds (each loads Poseidon), so one pool serves the tests that
  // leave it usable.
  let pool: CommitmentPool;

  before(async () => {
    pool = await CommitmentPool.start({ threads: 2, maxQueued: 64, batchOperations: 16 });
  });

  after(() => pool.close());

  it("computes the same commitments as the calling thread, in order", async () => {
    const ops = Array.from({ length: 100 }, (_, i) => operation(i));
    const expected = await new InlineCommitter().commit(ops);

    const parts = await Promise.all([
      pool.commit(ops.slice(0, 30)),
      pool.commit(ops.slice(30, 31)),
      pool.commit(ops.slice(31)),
    ]);

    expect(parts.flat()).to.deep.equal(expected);
  });

  it("refuses work past maxQueued with a retryable COMPLIANCE_BUSY", async () => {
    // The first two requests go to the idle workers; the next 64 operations fill the queue.
    const running = [pool.commit([operation(0)]), pool.commit([operation(1)])];
    const queued = [pool.commit(range(2, 34)), pool.commit(range(34, 66))];
    const refused = await pool.commit([operation(66)]).catch((e: unknown) => e);

    expect(isComplianceError(refused, "COMPLIANCE_BUSY")).to.equal(true);
    expect((refused as { retryAfterMs?: number }).retryAfterMs).to.be.a("number");
    expect((await Promise.all([...running, ...queued])).flat()).to.have.length(66);
  });

  it("fails a request whose operation cannot be committed, and keeps serving", async () => {
    const badSalt = { ...operation(1), salt: -1n };

    const err = await pool.commit([badSalt]).catch((e: unknown) => e);

    expect(isComplianceError(err, "COMPLIANCE_WORKER_FAILED")).to.equal(true);
    expect(await pool.commit([operation(2)])).to.deep.equal(
      await new InlineCommitter().commit([operation(2)]),
    );
  });

  it("fails waiting and new work with COMPLIANCE_POOL_CLOSED once closed", async () => {
    const closing = await CommitmentPool.start({ threads: 1, batchOperations: 1 });
    const waiting = Promise.allSettled([
      closing.commit([operation(1)]),
      closing.commit(range(2, 4)),
    ]);

    await closing.close();

    const outcomes = await waiting;
    const late = await closing.commit([operation(3)]).catch((e: unknown) => e);
    expect(outcomes.every((o) => o.status === "rejected")).to.equal(true);
    for (const o of outcomes) {
      const reason = (o as PromiseRejectedResult).reason;
      expect(isComplianceError(reason, "COMPLIANCE_POOL_CLOSED")).to.equal(true);
    }
    expect(isComplianceError(late, "COMPLIANCE_POOL_CLOSED")).to.equal(true);
  });

  it("refuses options out of range", async () => {
    for (const options of [{ threads: 0 }, { maxQueued: -1 }, { batchOperations: 1.5 }]) {
      const err = await CommitmentPool.start(options).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(RangeError);
    }
  });
});
