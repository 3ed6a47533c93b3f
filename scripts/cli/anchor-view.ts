/**
 * Read-only views of the anchor records a store keeps beside the logs (layout in
 * ledger/anchor/anchor-records): which epochs were confirmed on chain and which checkpoint
 * sizes of each tenant they anchored. Used by fsck, backup headers and restore's check.
 */
import {
  decodeTenantAnchor,
  EPOCH_RANGE,
  STATE_KEY,
  type AnchorDeployment,
  type EpochRecord,
} from "../../ledger/anchor/anchor-records";
import type { KvStore } from "../../ledger/store/kv-store";
import { fromUtf8 } from "../../ledger/verify/bytes";
import { CliError, oneLine } from "./errors";

/** The newest confirmed epoch of a store, as a backup header names it. */
export interface AnchoredEpoch {
  readonly epoch: number;
  readonly chainId: number;
  readonly registry: string;
  readonly root: string;
  readonly blockNumber?: number;
}

/** A tenant's largest checkpoint size anchored in a confirmed epoch. */
export interface AnchoredSize {
  readonly tenant: string;
  readonly size: number;
  readonly epoch: number;
}

const TENANT_ANCHOR_RANGE = { gte: "anchor/tenant/", lt: "anchor/tenant0" };

/** Every epoch record of `store` with status confirmed, oldest first. */
export async function confirmedEpochs(store: KvStore): Promise<EpochRecord[]> {
  const out: EpochRecord[] = [];
  for await (const [key, value] of store.entries(EPOCH_RANGE)) {
    const record = parseRecord<EpochRecord>(key, value);
    if (record.status === "confirmed") out.push(record);
  }
  return out;
}

/** The registry the store's anchoring worker uses, if it ever ran. */
export async function deploymentOf(store: KvStore): Promise<AnchorDeployment | undefined> {
  const raw = await store.get(STATE_KEY);
  if (raw === undefined) return undefined;
  return parseRecord<{ deployment?: AnchorDeployment }>(STATE_KEY, raw).deployment;
}

/**
 * The newest confirmed epoch of the registry in use (the current deployment), or undefined
 * when none was confirmed.
 */
export async function latestAnchoredEpoch(store: KvStore): Promise<AnchoredEpoch | undefined> {
  const deployment = await deploymentOf(store);
  const mine = (await confirmedEpochs(store)).filter(
    (r) => deployment === undefined || r.generation === deployment.generation,
  );
  const latest = mine.sort((a, b) => a.epoch - b.epoch).at(-1);
  if (latest === undefined) return undefined;

  return {
    epoch: latest.epoch,
    chainId: latest.chainId,
    registry: latest.registry,
    root: latest.root,
    ...(latest.blockNumber === undefined ? {} : { blockNumber: latest.blockNumber }),
  };
}

/** Each tenant's largest checkpoint size anchored in a confirmed epoch, by tenant. */
export async function anchoredSizes(store: KvStore): Promise<Map<string, AnchoredSize>> {
  const confirmed = new Map((await confirmedEpochs(store)).map((r) => [r.seq, r]));

  const out = new Map<string, AnchoredSize>();
  for await (const [key, value] of store.entries(TENANT_ANCHOR_RANGE)) {
    let anchor;
    try {
      anchor = decodeTenantAnchor(key, fromUtf8(value));
    } catch (err) {
      throw damaged(key, err);
    }
    const record = confirmed.get(anchor.seq);
    if (record === undefined) continue;
    const known = out.get(anchor.tenant);
    if (known === undefined || anchor.treeSize > known.size) {
      out.set(anchor.tenant, { tenant: anchor.tenant, size: anchor.treeSize, epoch: record.epoch });
    }
  }
  return out;
}

function parseRecord<T>(key: string, value: Uint8Array): T {
  try {
    return JSON.parse(fromUtf8(value)) as T;
  } catch (err) {
    throw damaged(key, err);
  }
}

function damaged(key: string, err: unknown): CliError {
  return new CliError("CLI_BAD_FORMAT", `anchor record ${key} cannot be read: ${oneLine(err)}`, {
    cause: err,
  });
}
