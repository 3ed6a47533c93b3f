import type { Ledger } from "../ledger";
import { LedgerInvariantError } from "../errors";
import { fromHex, toBase64 } from "../verify/bytes";
import { RECEIPT_FORMAT, type Receipt } from "../verify/receipt";
import type { AnchorStore } from "./anchor-store";

/** The ledger reads an anchored receipt needs. */
export type LedgerProofs = Pick<
  Ledger,
  "receipt" | "entry" | "inclusionProof" | "checkpointAt" | "verifierKey"
>;

/**
 * Returns a receipt for leaf `index` of `tenant`. When a confirmed epoch covers it, the
 * receipt is "anchored": it proves inclusion in the smallest anchored checkpoint whose tree
 * size is above `index`, carries that checkpoint's signed note, and an `anchor` object with
 * the epoch, its root, the checkpoint's epoch proof, the chain, registry, transaction and
 * block, and the compliance roots anchored with it. Otherwise it is the ledger's "signed"
 * receipt against the latest checkpoint.
 *
 * The smallest covering checkpoint keeps the receipt stable: later epochs do not change it.
 *
 * Throws RangeError for a malformed index and the ledger's errors (LEDGER_UNKNOWN_TENANT,
 * LEDGER_INDEX_OUT_OF_RANGE, ...); a LedgerInvariantError when an anchored size has no
 * signed checkpoint, which the ledger always keeps.
 */
export async function anchoredReceipt(
  ledger: LedgerProofs,
  records: AnchorStore,
  tenant: string,
  index: number,
): Promise<Receipt> {
  const hit = await records.covering(tenant, index);
  if (hit === undefined) return ledger.receipt(tenant, index);

  const { anchor, record } = hit;
  const [entry, inclusion, checkpoint] = await Promise.all([
    ledger.entry(tenant, index),
    ledger.inclusionProof(tenant, index, anchor.treeSize),
    ledger.checkpointAt(tenant, anchor.treeSize),
  ]);
  if (checkpoint === undefined) {
    throw new LedgerInvariantError(
      `tenant ${tenant} has an anchored checkpoint of size ${anchor.treeSize} but no note`,
    );
  }

  return {
    format: RECEIPT_FORMAT,
    origin: checkpoint.slice(0, checkpoint.indexOf("\n")),
    index,
    treeSize: anchor.treeSize,
    leafData: toBase64(entry.leafData),
    inclusionProof: inclusion.proof.map((hash) => toBase64(fromHex(hash))),
    checkpoint,
    verifierKey: ledger.verifierKey(tenant),
    status: "anchored",
    anchor: {
      chainId: record.chainId,
      registry: record.registry,
      epoch: record.epoch,
      epochRoot: record.root,
      proof: [...anchor.proof],
      txHash: record.txHash,
      blockNumber: record.blockNumber ?? 0,
      blockHash: record.blockHash,
      policyRoot: anchor.policyRoot,
      assignmentRoot: anchor.assignmentRoot,
    },
  };
}
