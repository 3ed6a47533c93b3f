/**
 * Verification of anchored receipts: everything `verifyReceipt` checks, then that the
 * receipt's checkpoint is a leaf of an epoch whose root the registry holds on chain.
 *
 * Pure and browser-safe: the chain is reached only through the `readEpochRoot` function
 * the caller passes in. The epoch leaf and path hashing come from the anchor layer's pure
 * modules (keccak through ethers), imported by path so that no Node-only module follows.
 */
import { bytes32Hex } from "../anchor/argument-checks";
import { checkpointCommitment, ZERO_BYTES32 } from "../anchor/checkpoint-commitment";
import { AnchorError } from "../anchor/errors";
import { computeEpochRoot } from "../anchor/verify-epoch-proof";
import { LedgerError } from "../errors";
import { verifyReceipt, type Receipt, type ReceiptVerdict, type StepVerdict } from "./receipt";

/**
 * Reads the root a registry holds for `epoch` on chain `chainId`: 32 bytes as 0x hex, all
 * zero when the epoch is not anchored. It should throw when it cannot tell (the endpoint
 * serves another chain, no registry lives at the address, the chain is unreachable).
 */
export type EpochRootReader = (chainId: number, registry: string, epoch: number) => Promise<string>;

/** What a verifier brings: the keys it trusts and its own way to read the chain. */
export interface AnchorCheckOptions {
  /** Verifier keys of the logs, obtained out of band; the receipt's own key is ignored. */
  readonly trustedKeys: readonly string[];
  readonly readEpochRoot: EpochRootReader;
}

/** The verdict on an anchored receipt; `epochRoot` is the root its proofs lead to. */
export interface AnchoredReceiptVerdict extends ReceiptVerdict {
  epochRoot?: string;
}

/** Longest epoch proof accepted: a tree of 2^64 leaves has paths of 64 nodes. */
const MAX_EPOCH_PROOF = 64;

/**
 * Verifies an anchored receipt step by step and never throws for a bad receipt: format,
 * leaf, checkpoint signature and inclusion (as `verifyReceipt`), then
 * - `epoch`: the commitment of the verified checkpoint (origin, tree size, root hash, and
 *   the receipt's policy and assignment roots) leads through the epoch proof to the
 *   receipt's epoch root;
 * - `chain`: `readEpochRoot(chainId, registry, epoch)` returns that same root.
 * Stops at the first failed step, whose verdict carries an error code. A receipt that is
 * only "signed" fails the `epoch` step with ANCHOR_BAD_RECEIPT: callers that accept signed
 * receipts use `verifyReceipt`.
 *
 * WARNING: the chain step trusts the endpoint behind `readEpochRoot`. A verifier should
 * use a node it trusts and, on a chain with reorgs, read at a finalized block.
 */
export async function verifyAnchoredReceipt(
  receipt: unknown,
  options: AnchorCheckOptions,
): Promise<AnchoredReceiptVerdict> {
  const verdict = verifyReceipt(receipt, options.trustedKeys);
  if (!verdict.ok) return verdict;

  const steps = [...verdict.steps];
  const fail = (step: StepVerdict["step"], err: unknown): AnchoredReceiptVerdict => {
    steps.push({ step, ok: false, detail: detailOf(err), code: codeOf(err) });
    return { ok: false, steps, leafHash: verdict.leafHash, rootHash: verdict.rootHash };
  };
  const r = receipt as Receipt;

  let anchor: CheckedAnchor;
  let epochRoot: string;
  try {
    anchor = checkAnchor(r);
    const commitment = checkpointCommitment({
      origin: r.origin,
      treeSize: r.treeSize,
      rootHash: "0x" + verdict.rootHash,
      policyRoot: anchor.policyRoot,
      assignmentRoot: anchor.assignmentRoot,
    });
    epochRoot = computeEpochRoot(commitment, anchor.proof);
    if (epochRoot !== anchor.epochRoot) {
      throw new AnchorError("ANCHOR_ROOT_MISMATCH", {
        expected: anchor.epochRoot,
        actual: epochRoot,
      });
    }
    steps.push({
      step: "epoch",
      ok: true,
      detail: `checkpoint is a leaf of epoch ${anchor.epoch} with root ${epochRoot}`,
    });
  } catch (err) {
    return fail("epoch", err);
  }

  try {
    const read = await options.readEpochRoot(anchor.chainId, anchor.registry, anchor.epoch);
    const onChain = bytes32Hex("the epoch root read from the chain", read);
    if (onChain === ZERO_BYTES32) {
      throw new AnchorError("ANCHOR_EPOCH_NOT_ANCHORED", { epoch: anchor.epoch });
    }
    if (onChain !== epochRoot) {
      throw new AnchorError("ANCHOR_ROOT_MISMATCH", { expected: onChain, actual: epochRoot });
    }
    steps.push({
      step: "chain",
      ok: true,
      detail:
        `registry ${anchor.registry} on chain ${anchor.chainId} holds root ${onChain} ` +
        `for epoch ${anchor.epoch}`,
    });
  } catch (err) {
    return fail("chain", err);
  }

  return { ok: true, steps, leafHash: verdict.leafHash, rootHash: verdict.rootHash, epochRoot };
}

interface CheckedAnchor {
  chainId: number;
  registry: string;
  epoch: number;
  epochRoot: string;
  proof: string[];
  policyRoot: string;
  assignmentRoot: string;
}

/** Checks the receipt's anchor object and returns it canonical; throws ANCHOR_BAD_RECEIPT. */
function checkAnchor(r: Receipt): CheckedAnchor {
  const bad = (field: string, reason: string) =>
    new AnchorError("ANCHOR_BAD_RECEIPT", { field, reason });
  const a = r.anchor as unknown as Record<string, unknown> | undefined;
  if (r.status !== "anchored" || typeof a !== "object" || a === null) {
    throw bad("anchor", `missing; the receipt's status is ${JSON.stringify(r.status)}`);
  }

  const { chainId, registry, epoch, proof } = a;
  if (!Number.isSafeInteger(chainId) || (chainId as number) < 1) {
    throw bad("chainId", "not a positive integer");
  }
  if (typeof registry !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(registry)) {
    throw bad("registry", "not an address");
  }
  if (!Number.isSafeInteger(epoch) || (epoch as number) < 1) {
    throw bad("epoch", "not a positive integer");
  }
  if (!Array.isArray(proof) || proof.length > MAX_EPOCH_PROOF) {
    throw bad("proof", `not a list of at most ${MAX_EPOCH_PROOF} hashes`);
  }

  const hash = (field: string, value: unknown): string => {
    try {
      return bytes32Hex(field, value);
    } catch (cause) {
      throw new AnchorError(
        "ANCHOR_BAD_RECEIPT",
        { field, reason: "not 32 bytes of 0x hex" },
        {
          cause,
        },
      );
    }
  };
  return {
    chainId: chainId as number,
    registry,
    epoch: epoch as number,
    epochRoot: hash("epochRoot", a.epochRoot),
    proof: proof.map((node, i) => hash(`proof[${i}]`, node)),
    policyRoot: hash("policyRoot", a.policyRoot ?? ZERO_BYTES32),
    assignmentRoot: hash("assignmentRoot", a.assignmentRoot ?? ZERO_BYTES32),
  };
}

function codeOf(err: unknown): string | undefined {
  if (err instanceof AnchorError || err instanceof LedgerError) return err.code;
  // A reader that throws its own error is reported without a code of ours.
  return undefined;
}

function detailOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
