import type { AnchorStore } from "./anchor-store";
import type { EpochRecord } from "./anchor-records";
import type { AnchorWorkerEvent } from "./anchor-worker-events";
import { ZERO_BYTES32 } from "./checkpoint-commitment";
import { AnchorError } from "./errors";
import type { ChainHead, MinedAt, RegistryClient } from "./registry-client";

/** What settling needs from the worker. */
export interface SettlerContext {
  readonly client: RegistryClient;
  readonly records: AnchorStore;
  readonly confirmations: number;
  readonly txTimeoutMs: number;
  readonly reorgWindowBlocks: number;
  now(): number;
  emit(event: AnchorWorkerEvent): void;
  /** Called after an epoch was given up, so the next epoch covers every log again. */
  onLost(): void;
}

/**
 * Finds confirmed anchors that a reorg removed or moved. The newest confirmed epoch has its
 * on-chain root compared with the recorded one on every call; when `headMoved` (a new head
 * since the last complete check, which every reorg brings), anchors mined in the newest
 * `reorgWindowBlocks` blocks and those above the registry's latest epoch also have their
 * transaction receipt compared with the recorded block. Each one found goes back to
 * `sent`, for {@link settleSent} to re-send or re-confirm.
 *
 * WARNING: a reorg deeper than the window that leaves an older epoch's root in place but
 * moves its transaction goes unseen; the window should exceed the chain's reorg depth.
 */
export async function findReorged(
  ctx: SettlerContext,
  head: ChainHead,
  latest: number,
  headMoved: boolean,
): Promise<void> {
  const confirmed = ctx.records.active().filter((r) => r.status === "confirmed");
  const newest = confirmed.at(-1);
  if (newest === undefined) return;

  const rootMoved = (await ctx.client.epochRoot(newest.epoch)) !== newest.root;
  const suspects = confirmed.filter(
    (r) =>
      (r === newest && rootMoved) ||
      (headMoved &&
        (r.epoch > latest || (r.blockNumber ?? 0) > head.number - ctx.reorgWindowBlocks)),
  );

  for (const record of suspects) {
    const mined = await ctx.client.minedAt(record.txHash);
    const stays = mined?.succeeded === true && mined.blockHash === record.blockHash;
    if (stays && !(record === newest && rootMoved)) continue;

    await ctx.records.update({ ...record, status: "sent", confirmedAtMs: undefined });
    ctx.emit({
      type: "reorg",
      epoch: record.epoch,
      txHash: record.txHash,
      was: { blockNumber: record.blockNumber ?? 0, blockHash: record.blockHash ?? "" },
      now: mined?.succeeded ? { blockNumber: mined.blockNumber, blockHash: mined.blockHash } : null,
    });
  }
}

/**
 * Moves every `sent` epoch of the current registry forward, lowest epoch first, since the
 * registry takes epochs only in order. Resolves true when none is left in flight.
 */
export async function settleSent(ctx: SettlerContext, head: ChainHead): Promise<boolean> {
  for (const record of ctx.records.active().filter((r) => r.status === "sent")) {
    const latest = await ctx.client.latestEpoch();
    if (!(await settle(ctx, record, head, latest))) return false;
  }
  return true;
}

/** Resolves true once `record` is confirmed or given up, false while it is in flight. */
async function settle(
  ctx: SettlerContext,
  record: EpochRecord,
  head: ChainHead,
  latest: number,
): Promise<boolean> {
  const onChain = await ctx.client.epochRoot(record.epoch);

  if (onChain === record.root) return confirmIfDeep(ctx, record, head);

  if (onChain !== ZERO_BYTES32) {
    const data = { epoch: record.epoch, expected: record.root, actual: onChain };
    await lose(ctx, record, new AnchorError("ANCHOR_EPOCH_TAKEN", data));
    return true;
  }
  if (latest !== record.epoch - 1) {
    // Epochs below this one are missing and none of them is ours to send again (those would
    // have been settled first), so the registry can never take this one.
    const data = { localEpoch: record.epoch, registryEpoch: latest };
    await lose(ctx, record, new AnchorError("ANCHOR_EPOCH_CONFLICT", data));
    return true;
  }

  await resendIfDropped(ctx, record);
  return false;
}

async function confirmIfDeep(
  ctx: SettlerContext,
  record: EpochRecord,
  head: ChainHead,
): Promise<boolean> {
  const mined = await minedAnchor(ctx, record);
  if (mined === null) return false;

  const depth = head.number - mined.blockNumber + 1;
  const seen = {
    ...record,
    txHash: mined.txHash,
    blockNumber: mined.blockNumber,
    blockHash: mined.blockHash,
  };
  if (depth < ctx.confirmations) {
    if (record.blockHash !== mined.blockHash) await ctx.records.update(seen);
    return false;
  }

  const confirmed = { ...seen, status: "confirmed" as const, confirmedAtMs: ctx.now() };
  await ctx.records.update(confirmed);
  ctx.emit({
    type: "epoch-confirmed",
    epoch: record.epoch,
    txHash: mined.txHash,
    blockNumber: mined.blockNumber,
    leafCount: record.leafCount,
  });
  return true;
}

/** The transaction that put the record's root on chain: one of ours, else from the logs. */
async function minedAnchor(ctx: SettlerContext, record: EpochRecord): Promise<MinedAt | null> {
  for (const hash of [...record.txHashes].reverse()) {
    const mined = await ctx.client.minedAt(hash);
    if (mined?.succeeded === true) return mined;
  }

  const from = ctx.records.deployment?.block ?? 0;
  return ctx.client.findAnchor(record.epoch, from);
}

// The registry would take this epoch now, yet it is not on chain. While the node still
// holds the transaction, it is waited for. A transaction the node does not know is sent
// again as signed (same hash) until the timeout; past it, it counts as dropped and is
// signed afresh with the nonce and fees the node expects now.
//
// WARNING: a transaction the node keeps pending past the timeout (fees too low on a busy
// chain) is only waited for: replacing it with a higher fee for the same nonce is not
// implemented, so on a public chain the fee market must be handled by the node's account
// settings until then.
async function resendIfDropped(ctx: SettlerContext, record: EpochRecord): Promise<void> {
  const mined = await ctx.client.minedAt(record.txHash);
  if (mined?.succeeded === true) return;

  const age = ctx.now() - record.lastSentAtMs;
  const reverted = mined !== null;
  if (!reverted && (await ctx.client.isKnown(record.txHash))) return;

  if (!reverted && age < ctx.txTimeoutMs && record.rawTx !== undefined) {
    const outcome = await ctx.client.broadcast(record.rawTx);
    if (outcome.accepted) {
      const hash = record.txHash;
      ctx.emit({ type: "epoch-resent", epoch: record.epoch, txHash: hash, previousTxHash: hash });
      return;
    }
  }
  if (!reverted && age >= ctx.txTimeoutMs) {
    ctx.emit({ type: "tx-dropped", epoch: record.epoch, txHash: record.txHash });
  }

  const signed = await ctx.client.signAnchor(record.epoch, record.root);
  await ctx.records.update({
    ...record,
    txHash: signed.hash,
    txHashes: record.txHashes.includes(signed.hash)
      ? record.txHashes
      : [...record.txHashes, signed.hash],
    rawTx: signed.raw,
    lastSentAtMs: ctx.now(),
  });
  await ctx.client.broadcast(signed.raw);
  ctx.emit({
    type: "epoch-resent",
    epoch: record.epoch,
    txHash: signed.hash,
    previousTxHash: record.txHash,
  });
}

async function lose(ctx: SettlerContext, record: EpochRecord, error: AnchorError) {
  await ctx.records.retire(record, "lost", error.code);

  ctx.onLost();
  ctx.emit({ type: "epoch-lost", epoch: record.epoch, error });
}
