/**
 * The prover's {@link AnchorSource} over the anchoring worker's records (ledger/anchor's
 * AnchorStore, in the same store as the ledger): only confirmed epochs of the registry in
 * use count, so a proof never rests on an anchor a reorg may still drop.
 */
import {
  decodeTenantAnchor,
  EPOCH_RANGE,
  tenantAnchorRange,
  type EpochRecord,
  type TenantAnchor,
} from "../anchor/anchor-records";
import type { AnchorStore } from "../anchor/anchor-store";
import type { KvStore } from "../store/kv-store";
import { fromUtf8 } from "../verify/bytes";
import type { AnchoredCheckpoint, AnchorSource } from "./anchor-source";
import { ComplianceError } from "./errors";

/** Options of {@link anchorStoreSource}. */
export interface AnchorStoreSourceOptions {
  /** Most anchored sizes read per lookup; 256. */
  readonly lookupLimit?: number;
}

/**
 * An AnchorSource reading `records` (the worker's AnchorStore) and the tenant entries it
 * keeps in `store`.
 */
export function anchorStoreSource(
  store: KvStore,
  records: AnchorStore,
  options: AnchorStoreSourceOptions = {},
): AnchorSource {
  const limit = options.lookupLimit ?? 256;
  const confirmed = (record: EpochRecord | undefined): record is EpochRecord =>
    record?.status === "confirmed" && record.generation === records.deployment?.generation;

  return {
    async anchoredCheckpoints(tenant, minTreeSize) {
      const out: AnchoredCheckpoint[] = [];
      for await (const [key, value] of store.entries({
        ...tenantAnchorRange(tenant, minTreeSize),
        limit,
      })) {
        const entry = readEntry(key, value);
        const record = await records.record(entry.seq);
        if (confirmed(record)) out.push(anchoredCheckpoint(entry, record));
      }
      return out.sort((a, b) => a.treeSize - b.treeSize || a.anchor.epoch - b.anchor.epoch);
    },

    async anchoredCheckpointAt(tenant, epoch) {
      for await (const [key, value] of store.entries({ ...EPOCH_RANGE, reverse: true })) {
        const record = JSON.parse(fromUtf8(value)) as EpochRecord;
        if (record.epoch !== epoch || !confirmed(record)) continue;

        const leaf = (await records.leaves(record.seq)).find((l) => l.tenant === tenant);
        if (leaf === undefined) return undefined;
        for await (const [k, v] of store.entries(tenantAnchorRange(tenant, leaf.treeSize))) {
          const entry = readEntry(k, v);
          if (entry.seq === record.seq) return anchoredCheckpoint(entry, record);
          if (entry.treeSize > leaf.treeSize) break;
        }
        throw new ComplianceError("COMPLIANCE_RECORDS_DAMAGED", { key });
      }
      return undefined;
    },
  };
}

function readEntry(key: string, value: Uint8Array): TenantAnchor {
  try {
    return decodeTenantAnchor(key, fromUtf8(value));
  } catch (cause) {
    throw new ComplianceError("COMPLIANCE_RECORDS_DAMAGED", { key }, { cause });
  }
}

function anchoredCheckpoint(entry: TenantAnchor, record: EpochRecord): AnchoredCheckpoint {
  return {
    treeSize: entry.treeSize,
    anchor: {
      chainId: record.chainId,
      registry: record.registry,
      epoch: record.epoch,
      epochRoot: record.root,
      proof: [...entry.proof],
      txHash: record.txHash,
      blockNumber: record.blockNumber ?? 0,
      blockHash: record.blockHash,
      policyRoot: entry.policyRoot,
      assignmentRoot: entry.assignmentRoot,
    },
  };
}
