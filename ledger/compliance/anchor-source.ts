/**
 * The seam between the prover and anchoring: where the prover learns which of a tenant's
 * checkpoints are anchored, in which epoch, with which compliance roots. The anchoring worker's
 * records implement it (./anchor-store-source); tests implement it over an epoch they anchor
 * themselves.
 */
import type { ComplianceAnchor } from "../zk";

/** One anchored checkpoint of a tenant and the proof of its anchor. */
export interface AnchoredCheckpoint {
  /** The checkpoint's tree size; the ledger holds its signed note. */
  readonly treeSize: number;
  /** The epoch, its root and the commitment's path, with the anchored compliance roots. */
  readonly anchor: ComplianceAnchor;
}

/** Anchored checkpoints of tenants, as far as the chain has confirmed them. */
export interface AnchorSource {
  /**
   * Anchored checkpoints of `tenant` whose tree size is at least `minTreeSize`, smallest size
   * first (and, for one size, oldest epoch first). Only anchors the source considers final.
   */
  anchoredCheckpoints(tenant: string, minTreeSize: number): Promise<readonly AnchoredCheckpoint[]>;

  /** The anchored checkpoint of `tenant` in `epoch` of the current registry, if any. */
  anchoredCheckpointAt(tenant: string, epoch: number): Promise<AnchoredCheckpoint | undefined>;
}
