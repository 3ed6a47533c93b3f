// The anchor records kept in the ledger's store, under the "anchor/" prefix only:
//
//   anchor/state                          the registry in use and its generation (JSON)
//   anchor/epoch/<seq>                    one epoch sent to a registry (JSON header)
//   anchor/leaves/<seq>                   the checkpoint commitments that epoch covered
//   anchor/tenant/<tenant>/<size>/<seq>   "this tenant's checkpoint of <size> is a leaf of
//                                         epoch record <seq>", with its epoch proof
//
// <seq> and <size> are 16 hex digits, so keys sort in numeric order. <seq> numbers records
// locally, in the order they were sent: epoch numbers alone do not identify an epoch, since
// a reset chain starts again at epoch 1 and a lost epoch's number may be taken by another.
import { num } from "../store/keys";
import type { AnchorErrorCode } from "./errors";

/**
 * Where an epoch stands:
 * - `sent`: a transaction is out (or about to be re-sent) and not yet deep enough;
 * - `confirmed`: mined with the configured confirmations and still on the chain;
 * - `lost`: dropped by a reorg or a dropped transaction and not recoverable with the same
 *   root (the registry holds another root there); its checkpoints were anchored again later;
 * - `orphaned`: the registry it was sent to is gone (a reset development chain).
 */
export type EpochStatus = "sent" | "confirmed" | "lost" | "orphaned";

/** One epoch as sent to one registry. Hashes are lower-case 0x hex. */
export interface EpochRecord {
  /** The local sequence number of the record, from 1. */
  readonly seq: number;
  /** The registry generation it belongs to (see {@link AnchorDeployment}). */
  readonly generation: number;
  readonly chainId: number;
  readonly registry: string;
  readonly epoch: number;
  /** The epoch root sent. */
  readonly root: string;
  /** How many commitments (tenant logs) the epoch covers. */
  readonly leafCount: number;
  readonly status: EpochStatus;
  /** The transaction last sent for the epoch; re-sends replace it. */
  readonly txHash: string;
  /** Every transaction sent for the epoch, oldest first. */
  readonly txHashes: readonly string[];
  /** The signed form of `txHash`, kept until confirmation so it can be broadcast again. */
  readonly rawTx?: string;
  readonly firstSentAtMs: number;
  readonly lastSentAtMs: number;
  /** Where the anchor was mined, once it was seen in a block. */
  readonly blockNumber?: number;
  readonly blockHash?: string;
  readonly confirmedAtMs?: number;
  /** Why a lost or orphaned record ended so. */
  readonly reason?: AnchorErrorCode;
}

/** One commitment of an epoch, as stored: enough to rebuild its leaf. */
export interface EpochLeafRecord {
  readonly tenant: string;
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly policyRoot: string;
  readonly assignmentRoot: string;
}

/** A tenant's anchored checkpoint size, the epoch record holding it and its epoch proof. */
export interface TenantAnchor {
  readonly tenant: string;
  readonly treeSize: number;
  readonly seq: number;
  readonly epoch: number;
  readonly proof: readonly string[];
  readonly policyRoot: string;
  readonly assignmentRoot: string;
}

/**
 * The registry anchors go to. A generation is a local counter that changes whenever the
 * registry does (another address or chain, or a redeployment after a reset): records of
 * older generations stay, but only the current one is watched for reorgs.
 */
export interface AnchorDeployment {
  readonly generation: number;
  readonly chainId: number;
  readonly registry: string;
  /** The block holding the registry's deployment, when known; log searches start there. */
  readonly block: number;
}

export const STATE_KEY = "anchor/state";
export const EPOCH_RANGE = { gte: "anchor/epoch/", lt: "anchor/epoch0" };

export function epochKey(seq: number): string {
  return `anchor/epoch/${num(seq)}`;
}

export function leavesKey(seq: number): string {
  return `anchor/leaves/${num(seq)}`;
}

export function tenantAnchorKey(tenant: string, treeSize: number, seq: number): string {
  return `anchor/tenant/${tenant}/${num(treeSize)}/${num(seq)}`;
}

/** The tenant's anchored sizes in [fromSize, ∞), in size order. */
export function tenantAnchorRange(tenant: string, fromSize: number) {
  return { gte: `anchor/tenant/${tenant}/${num(fromSize)}`, lt: `anchor/tenant/${tenant}0` };
}

const ZERO = "0x" + "00".repeat(32);

type LeafTuple = [string, string, number, string, string?, string?];

/** Encodes leaves compactly: one tuple each, zero compliance roots left out. */
export function encodeLeaves(leaves: readonly EpochLeafRecord[]): string {
  const tuples = leaves.map((l): LeafTuple => {
    const tuple: LeafTuple = [l.tenant, l.origin, l.treeSize, l.rootHash];
    if (l.policyRoot !== ZERO || l.assignmentRoot !== ZERO) {
      tuple.push(l.policyRoot, l.assignmentRoot);
    }
    return tuple;
  });

  return JSON.stringify(tuples);
}

/** Decodes what {@link encodeLeaves} wrote. */
export function decodeLeaves(text: string): EpochLeafRecord[] {
  const tuples = JSON.parse(text) as LeafTuple[];

  return tuples.map(([tenant, origin, treeSize, rootHash, policyRoot, assignmentRoot]) => ({
    tenant,
    origin,
    treeSize,
    rootHash,
    policyRoot: policyRoot ?? ZERO,
    assignmentRoot: assignmentRoot ?? ZERO,
  }));
}

interface TenantAnchorValue {
  epoch: number;
  proof: readonly string[];
  policyRoot?: string;
  assignmentRoot?: string;
}

export function encodeTenantAnchor(entry: TenantAnchor): string {
  const value: TenantAnchorValue = { epoch: entry.epoch, proof: entry.proof };
  if (entry.policyRoot !== ZERO) value.policyRoot = entry.policyRoot;
  if (entry.assignmentRoot !== ZERO) value.assignmentRoot = entry.assignmentRoot;

  return JSON.stringify(value);
}

/** Decodes a tenant anchor from its key and value. */
export function decodeTenantAnchor(key: string, text: string): TenantAnchor {
  const [, , tenant, size, seq] = key.split("/");
  const value = JSON.parse(text) as TenantAnchorValue;

  return {
    tenant,
    treeSize: parseInt(size, 16),
    seq: parseInt(seq, 16),
    epoch: value.epoch,
    proof: value.proof,
    policyRoot: value.policyRoot ?? ZERO,
    assignmentRoot: value.assignmentRoot ?? ZERO,
  };
}
