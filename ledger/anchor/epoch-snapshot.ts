import type { Ledger } from "../ledger";
import { toHex } from "../verify/bytes";
import { bytes32Hex } from "./argument-checks";
import type { EpochLeafRecord } from "./anchor-records";
import { originHash, ZERO_BYTES32, type CheckpointCommitment } from "./checkpoint-commitment";

/** A tenant's compliance roots, 32 bytes each; omitted ones are zero. */
export interface ComplianceRoots {
  readonly policyRoot?: Uint8Array | string;
  readonly assignmentRoot?: Uint8Array | string;
}

/**
 * Supplies the policy and assignment roots anchored with a tenant's checkpoint. Called for
 * every tenant at every look at the ledger, so it should answer from memory.
 */
export type RootsFor = (
  tenant: string,
) => ComplianceRoots | undefined | Promise<ComplianceRoots | undefined>;

/** The ledger reads anchoring needs: the tenants and their latest checkpoints. */
export type LedgerCheckpoints = Pick<Ledger, "listTenants" | "checkpoint">;

/** One tenant's latest checkpoint as an epoch leaf. */
export interface TenantCommitment {
  readonly tenant: string;
  /** The commitment as the epoch tree takes it. */
  readonly commitment: CheckpointCommitment;
  /** The same, as stored in the epoch's record. */
  readonly leaf: EpochLeafRecord;
  /** Equal for two snapshots exactly when the commitment is unchanged. */
  readonly key: string;
}

/**
 * Reads the latest checkpoint of every tenant whose log is not empty and turns each into
 * the commitment an epoch anchors, with the roots `rootsFor` gives (zero without it).
 * Reads only memory: the ledger keeps every latest checkpoint there. `originHashes` caches
 * the keccak256 of each origin across calls.
 *
 * Throws TypeError or RangeError when `rootsFor` returns a malformed root.
 */
export async function snapshotCommitments(
  ledger: LedgerCheckpoints,
  rootsFor: RootsFor | undefined,
  originHashes: Map<string, string>,
): Promise<TenantCommitment[]> {
  const out: TenantCommitment[] = [];

  for (const { id: tenant } of ledger.listTenants()) {
    const cp = ledger.checkpoint(tenant);
    if (cp.size === 0) continue;

    const roots = rootsFor === undefined ? undefined : await rootsFor(tenant);
    const policyRoot = bytes32Hex("policyRoot", roots?.policyRoot ?? ZERO_BYTES32);
    const assignmentRoot = bytes32Hex("assignmentRoot", roots?.assignmentRoot ?? ZERO_BYTES32);
    const rootHash = "0x" + toHex(cp.rootHash);
    let hash = originHashes.get(cp.origin);
    if (hash === undefined) {
      hash = originHash(cp.origin);
      originHashes.set(cp.origin, hash);
    }

    out.push({
      tenant,
      commitment: Object.freeze({
        originHash: hash,
        treeSize: BigInt(cp.size),
        rootHash,
        policyRoot,
        assignmentRoot,
      }),
      leaf: { tenant, origin: cp.origin, treeSize: cp.size, rootHash, policyRoot, assignmentRoot },
      key: `${cp.size}/${rootHash}/${policyRoot}/${assignmentRoot}`,
    });
  }
  return out;
}

/** The key of a stored leaf, comparable with {@link TenantCommitment.key}. */
export function leafKey(leaf: EpochLeafRecord): string {
  return `${leaf.treeSize}/${leaf.rootHash}/${leaf.policyRoot}/${leaf.assignmentRoot}`;
}
