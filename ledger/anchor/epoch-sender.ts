import type { AnchorStore } from "./anchor-store";
import type { EpochRecord } from "./anchor-records";
import { buildEpoch } from "./epoch-build";
import type { TenantCommitment } from "./epoch-snapshot";
import type { RegistryClient } from "./registry-client";

/** What sending an epoch needs from the worker. */
export interface SenderContext {
  readonly client: RegistryClient;
  readonly records: AnchorStore;
  readonly threadMinLeaves: number;
  now(): number;
}

/**
 * Prepares epoch `epoch` of the current registry over `snapshot` (every non-empty log's
 * latest checkpoint): builds its tree, signs `anchor(epoch, root)`, and stores the record
 * as `sent` with its leaves and, for the logs in `indexed`, tenant entries holding their
 * epoch proofs. Returns the record and the signed transaction, which the caller then
 * broadcasts: signed first, recorded second, sent last, so a crash or an outage at any
 * point leaves a record whose transaction is either out or can be sent again as signed.
 *
 * Throws ANCHOR_ANCHOR_REJECTED when the registry would refuse the epoch, and
 * ANCHOR_CHAIN_UNREACHABLE while the chain is away; nothing is recorded then.
 */
export async function prepareEpoch(
  ctx: SenderContext,
  epoch: number,
  snapshot: readonly TenantCommitment[],
  indexed: readonly TenantCommitment[],
): Promise<{ record: EpochRecord; raw: string }> {
  const deployment = ctx.records.deployment!;
  const built = await buildEpoch(
    snapshot.map((c) => c.commitment),
    indexed.map((c) => c.commitment.originHash),
    ctx.threadMinLeaves,
  );

  const signed = await ctx.client.signAnchor(epoch, built.root);

  const now = ctx.now();
  const entries = indexed.map((c) => ({
    tenant: c.tenant,
    treeSize: c.leaf.treeSize,
    epoch,
    proof: built.proofs.get(c.commitment.originHash) ?? [],
    policyRoot: c.leaf.policyRoot,
    assignmentRoot: c.leaf.assignmentRoot,
  }));
  const record = await ctx.records.addSent(
    {
      generation: deployment.generation,
      chainId: deployment.chainId,
      registry: deployment.registry,
      epoch,
      root: built.root,
      leafCount: built.size,
      status: "sent",
      txHash: signed.hash,
      txHashes: [signed.hash],
      rawTx: signed.raw,
      firstSentAtMs: now,
      lastSentAtMs: now,
    },
    snapshot.map((c) => c.leaf),
    entries,
  );
  return { record, raw: signed.raw };
}
