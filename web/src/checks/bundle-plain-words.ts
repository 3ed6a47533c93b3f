/**
 * What a failed step of a compliance bundle means, in words a compliance officer can act on.
 * Looked up by step and stable error code, then by step; never derived from message text.
 */
import { explainFailure } from "./plain-words";

const BY_STEP_AND_CODE: Record<string, string> = {
  "roots/ZK_ROOTS_NOT_ANCHORED":
    "The proof's policy or assignment root is not the one anchored with the checkpoint, or " +
    "the anchored policy root is not the one of the policy document you reviewed.",
  "epoch-path/ZK_ROOTS_NOT_ANCHORED":
    "The checkpoint, with the roots the bundle claims, is not part of the anchored epoch it " +
    "names.",
  "epoch-root/ZK_ROOTS_NOT_ANCHORED":
    "The chain holds no root, or another root, for the epoch the bundle names.",
};

const BY_STEP: Record<string, string> = {
  format: "This is not a compliance bundle this page can read.",
  vkey:
    "The proof was made for another verification key than the one you trust, or for another " +
    "number of operations.",
  window: "The leaves in the bundle are not the consecutive window the proof is about.",
  commitments:
    "An entry's operation commitment is not the one the proof is about: the proof covers " +
    "other operations than the log recorded.",
  times:
    "An operation's time is after its entry was recorded, or too long before it: the tenant " +
    "may have dated an operation to suit the policy.",
  checkpoint: "The checkpoint could not be trusted.",
  inclusion: "A leaf of the window is not in the signed checkpoint.",
  "epoch-path": "The checkpoint could not be placed in the epoch the bundle names.",
  "epoch-root": "The epoch root could not be confirmed on the chain.",
  roots: "The roots the proof uses are not the anchored ones.",
  groth16:
    "The zero-knowledge proof does not verify: it does not show that these operations were " +
    "allowed.",
};

/** Plain words for a failed bundle `step` with error `code`. */
export function explainBundleFailure(step: string, code: string | undefined): string {
  const specific = code === undefined ? undefined : BY_STEP_AND_CODE[`${step}/${code}`];
  if (specific !== undefined) return specific;

  if (step === "checkpoint") return explainFailure(step, code);
  return BY_STEP[step] ?? explainFailure(step, code);
}
