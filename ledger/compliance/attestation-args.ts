/**
 * A window bundle as the arguments of ComplianceVerifier's `attest`, so anyone holding a
 * bundle can have it attested on chain. Every value comes from the bundle; the contract
 * checks them all against the registry's anchored root.
 */
import { originHash } from "../anchor/checkpoint-commitment";
import { concatBytes, fromBase64, toHex } from "../verify/bytes";
import { parseCheckpoint } from "../verify/checkpoint";
import { parseNote } from "../verify/note";
import {
  checkComplianceBundleShape,
  proofToSolidity,
  type ComplianceBundle,
  type SolidityProof,
} from "../zk";

/** The arguments of `attest`, in order, as ethers takes them. */
export interface AttestationArgs {
  readonly epoch: number;
  readonly checkpoint: {
    readonly originHash: string;
    readonly treeSize: number;
    readonly rootHash: string;
    readonly policyRoot: string;
    readonly assignmentRoot: string;
  };
  readonly epochProof: readonly string[];
  readonly windowStart: number;
  /** The leaves' data concatenated, 0x hex. */
  readonly leaves: string;
  /** Every leaf's inclusion proof, concatenated, 0x hex hashes. */
  readonly inclusionProofs: readonly string[];
  readonly times: readonly string[];
  readonly proof: SolidityProof;
}

/**
 * Converts a window bundle into `attest` arguments. Checks only the shape; a bundle that does
 * not verify gives arguments the contract refuses.
 *
 * @throws ZkError ZK_BAD_BUNDLE for a bundle of the wrong shape; LedgerError
 *   LEDGER_BAD_NOTE or LEDGER_BAD_CHECKPOINT for an unreadable checkpoint.
 */
export function attestationArgs(input: ComplianceBundle): AttestationArgs {
  const bundle = checkComplianceBundleShape(input);
  const cp = parseCheckpoint(parseNote(bundle.checkpoint).text);
  const n = bundle.params.operations;

  return {
    epoch: bundle.anchor.epoch,
    checkpoint: {
      originHash: originHash(cp.origin),
      treeSize: cp.size,
      rootHash: `0x${toHex(cp.rootHash)}`,
      policyRoot: bundle.anchor.policyRoot,
      assignmentRoot: bundle.anchor.assignmentRoot,
    },
    epochProof: [...bundle.anchor.proof],
    windowStart: bundle.windowStart,
    leaves: `0x${toHex(concatBytes(...bundle.leaves.map((l) => fromBase64(l))))}`,
    inclusionProofs: bundle.inclusionProofs.flat().map((h) => `0x${toHex(fromBase64(h))}`),
    times: bundle.publicSignals.slice(3 + n, 3 + 2 * n),
    proof: proofToSolidity(bundle.proof),
  };
}

/** The arguments as the positional list `attest(...)` takes. */
export function attestationCall(args: AttestationArgs): unknown[] {
  return [
    args.epoch,
    args.checkpoint,
    args.epochProof,
    args.windowStart,
    args.leaves,
    args.inclusionProofs,
    args.times,
    args.proof,
  ];
}
