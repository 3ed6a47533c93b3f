/**
 * Receipts: a self-contained, versioned JSON bundle proving one entry is in a tenant's log,
 * in the spirit of C2SP tlog-proof. It carries the entry's leaf data, its index, an inclusion
 * proof to a signed checkpoint, and (once anchored) the anchor proof. Hashes are base64 as in
 * the C2SP formats.
 *
 * {@link verifyReceipt} checks it step by step and says which step failed.
 */
import { LedgerError } from "../errors";
import { fromBase64 } from "./bytes";
import { verifyCheckpoint } from "./checkpoint";
import { leafHash } from "./hash";
import { rootFromInclusionProof } from "./inclusion";
import { decodeLeaf } from "./leaf";
import { parseVerifierKey } from "./note";
import { bytesEqual, toHex } from "./bytes";

/** The receipt format this code writes and reads. */
export const RECEIPT_FORMAT = "anchorlog-receipt/v1";

/** Where an epoch commitment covering the receipt's checkpoint was anchored. */
export interface AnchorProof {
  chainId: number;
  registry: string;
  epoch: number;
  epochRoot: string;
  /** Path of the checkpoint commitment in the epoch tree (hex bytes32). */
  proof: string[];
  txHash: string;
  blockNumber: number;
  blockHash?: string;
  /** The anchored checkpoint commitment's extra roots (hex bytes32), zero when unset. */
  policyRoot?: string;
  assignmentRoot?: string;
}

export interface Receipt {
  format: typeof RECEIPT_FORMAT;
  origin: string;
  index: number;
  treeSize: number;
  /** Leaf data, base64. */
  leafData: string;
  /** Inclusion proof hashes, base64, bottom-up. */
  inclusionProof: string[];
  /** The signed checkpoint note of size treeSize. */
  checkpoint: string;
  /** The log's verifier key as the operator states it; a verifier must not trust it blindly. */
  verifierKey?: string;
  status: "signed" | "anchored";
  anchor?: AnchorProof;
}

/**
 * One step of a verification and its verdict. `epoch` (the checkpoint's path in the epoch
 * tree) and `chain` (the epoch root read from the registry) are the steps of
 * `verifyAnchoredReceipt` in ./anchor-check.
 */
export interface StepVerdict {
  step: "format" | "leaf" | "inclusion" | "checkpoint" | "anchor" | "epoch" | "chain";
  ok: boolean;
  detail: string;
  /** Error code when the step failed. */
  code?: string;
}

/** The verdict on a whole receipt; `ok` only when every step passed. */
export interface ReceiptVerdict {
  ok: boolean;
  steps: StepVerdict[];
  /** Leaf hash and root computed during verification, hex, when they got that far. */
  leafHash?: string;
  rootHash?: string;
}

/**
 * Verifies a receipt's leaf, inclusion proof and checkpoint signature against the verifier
 * keys the caller trusts (never the key inside the receipt). Stops at the first failed step;
 * an anchor step, when present, is checked separately against a chain.
 */
export function verifyReceipt(input: unknown, trustedKeys: readonly string[]): ReceiptVerdict {
  const steps: StepVerdict[] = [];
  const fail = (step: StepVerdict["step"], err: unknown): ReceiptVerdict => {
    const code = err instanceof LedgerError ? err.code : undefined;
    const detail = err instanceof Error ? err.message : String(err);
    steps.push({ step, ok: false, detail, code });
    return { ok: false, steps };
  };

  let r: Receipt;
  try {
    r = checkReceiptShape(input);
    steps.push({ step: "format", ok: true, detail: `${RECEIPT_FORMAT}, ${r.origin} #${r.index}` });
  } catch (err) {
    return fail("format", err);
  }

  let leaf: Uint8Array;
  try {
    const data = fromBase64(r.leafData);
    const fields = decodeLeaf(data);
    if (fields.index !== r.index) {
      throw new LedgerError(
        "LEDGER_BAD_LEAF_DATA",
        `leaf data says index ${fields.index}, receipt ${r.index}`,
      );
    }
    leaf = leafHash(data);
    steps.push({
      step: "leaf",
      ok: true,
      detail: `leaf hash ${toHex(leaf)}, time ${new Date(fields.timeMs).toISOString()}`,
    });
  } catch (err) {
    return fail("leaf", err);
  }

  let cp: ReturnType<typeof verifyCheckpoint>;
  try {
    const verifiers = trustedKeys.map(parseVerifierKey);
    cp = verifyCheckpoint(r.checkpoint, verifiers, r.origin);
    if (cp.size !== r.treeSize) {
      throw new LedgerError(
        "LEDGER_BAD_CHECKPOINT",
        `checkpoint size ${cp.size}, receipt ${r.treeSize}`,
      );
    }
    steps.push({
      step: "checkpoint",
      ok: true,
      detail: `size ${cp.size} signed by ${cp.verifiedBy.join(", ")}`,
    });
  } catch (err) {
    return fail("checkpoint", err);
  }

  try {
    const proof = r.inclusionProof.map((p) => fromBase64(p));
    const root = rootFromInclusionProof(r.index, r.treeSize, leaf, proof);
    if (!bytesEqual(root, cp.rootHash)) {
      throw new LedgerError(
        "LEDGER_ROOT_MISMATCH",
        `proof gives root ${toHex(root)}, checkpoint ${toHex(cp.rootHash)}`,
      );
    }
    steps.push({
      step: "inclusion",
      ok: true,
      detail: `root ${toHex(root)} matches the checkpoint`,
    });
  } catch (err) {
    return fail("inclusion", err);
  }
  return { ok: true, steps, leafHash: toHex(leaf), rootHash: toHex(cp.rootHash) };
}

/**
 * Checks that `input` has the receipt shape and format version.
 *
 * @throws LedgerError LEDGER_BAD_PROOF naming the first bad field.
 */
export function checkReceiptShape(input: unknown): Receipt {
  const bad = (why: string) => new LedgerError("LEDGER_BAD_PROOF", `receipt: ${why}`);
  if (typeof input !== "object" || input === null) throw bad("not a JSON object");
  const r = input as Record<string, unknown>;
  if (r.format !== RECEIPT_FORMAT)
    throw bad(`format ${JSON.stringify(r.format)} is not ${RECEIPT_FORMAT}`);
  if (typeof r.origin !== "string") throw bad("origin is not a string");
  if (!Number.isSafeInteger(r.index) || (r.index as number) < 0)
    throw bad("index is not a non-negative integer");
  if (!Number.isSafeInteger(r.treeSize) || (r.treeSize as number) < 1)
    throw bad("treeSize is not a positive integer");
  if (typeof r.leafData !== "string") throw bad("leafData is not a string");
  if (!Array.isArray(r.inclusionProof) || r.inclusionProof.some((p) => typeof p !== "string")) {
    throw bad("inclusionProof is not a list of strings");
  }
  if (typeof r.checkpoint !== "string") throw bad("checkpoint is not a string");
  return r as unknown as Receipt;
}
