/**
 * The seam between appends and Poseidon: something that turns operations into their
 * commitments. {@link CommitmentPool} does it on worker threads; {@link InlineCommitter} on the
 * calling thread, which caps appends at Poseidon's speed (about 2,400 commitments per second
 * on one core) and blocks the event loop meanwhile.
 */
import { loadPoseidon, operationCommitment, type Operation } from "../zk";

/** Computes operation commitments. */
export interface OperationCommitter {
  /**
   * The commitment of each operation, in order. Resolves only when all are computed.
   *
   * @throws ComplianceError COMPLIANCE_BUSY (retryable) when too much work is waiting,
   *   COMPLIANCE_POOL_CLOSED after close, COMPLIANCE_WORKER_FAILED when a worker dies.
   */
  commit(operations: readonly Operation[]): Promise<bigint[]>;
  /** Stops accepting work; resolves once resources are released. */
  close(): Promise<void>;
}

/**
 * Commits on the calling thread. For tests, tools and as the baseline the pool is measured
 * against; a service should use the pool.
 */
export class InlineCommitter implements OperationCommitter {
  async commit(operations: readonly Operation[]): Promise<bigint[]> {
    const hash = await loadPoseidon();

    return operations.map((op) => operationCommitment(hash, op));
  }

  async close(): Promise<void> {}
}
