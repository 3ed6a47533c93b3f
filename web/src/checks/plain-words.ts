/**
 * What a failed link means, in words a compliance officer can act on. Looked up by step and
 * stable error code, then by code alone, then by step; never derived from message text.
 */

const BY_STEP_AND_CODE: Record<string, string> = {
  "epoch/ANCHOR_ROOT_MISMATCH":
    "The epoch path does not lead from this checkpoint to the epoch root the receipt names: " +
    "the checkpoint, its compliance roots or the path was changed.",
  "chain/ANCHOR_ROOT_MISMATCH":
    "The chain holds another root for this epoch than the one the receipt's checkpoint leads " +
    "to: the checkpoint was not part of the anchored epoch.",
};

const BY_CODE: Record<string, string> = {
  LEDGER_NO_VALID_SIGNATURE:
    "The checkpoint is not signed by the verifier key you trust. Either that key is not this " +
    "log's key, or the checkpoint was changed after signing.",
  LEDGER_BAD_VERIFIER_KEY:
    "A verifier key you entered is malformed. It must look like " +
    "<origin>+<8 hex digits>+<base64 key>.",
  LEDGER_BAD_NOTE: "The checkpoint is not a well-formed signed note.",
  LEDGER_BAD_CHECKPOINT:
    "The signed checkpoint does not describe the log or the tree size the receipt claims.",
  LEDGER_BAD_LEAF_DATA:
    "The entry's leaf data is damaged, or it records another position in the log than the " +
    "receipt claims.",
  LEDGER_ROOT_MISMATCH:
    "The inclusion path does not lead from this entry to the root the checkpoint signs: the " +
    "entry, its position or its path was changed, or the entry is not in this log.",
  ANCHOR_BAD_RECEIPT: "The receipt's anchor section is missing a field or has a malformed one.",
  ANCHOR_EPOCH_NOT_ANCHORED:
    "The chain holds no root for the epoch the receipt names: the anchor it claims does not " +
    "exist in that registry.",
  ANCHOR_WRONG_CHAIN:
    "The chain endpoint you entered serves another chain than the one the receipt names.",
  ANCHOR_REGISTRY_GONE:
    "No registry contract lives at the address the receipt names on this chain: the chain " +
    "was reset, or the receipt names the wrong address.",
  ANCHOR_CHAIN_UNREACHABLE:
    "The chain endpoint did not answer, so the anchor could not be checked. Check the URL " +
    "and try again.",
};

const BY_STEP: Record<string, string> = {
  format: "This is not an anchorlog receipt that this page can read.",
  leaf: BY_CODE.LEDGER_BAD_LEAF_DATA,
  checkpoint: "The checkpoint could not be trusted.",
  inclusion: BY_CODE.LEDGER_ROOT_MISMATCH,
  epoch: "The receipt's checkpoint could not be placed in the epoch it names.",
  chain: "The epoch root could not be confirmed on the chain.",
};

/** Plain words for a failed `step` with error `code`. */
export function explainFailure(step: string, code: string | undefined): string {
  const specific = code === undefined ? undefined : BY_STEP_AND_CODE[`${step}/${code}`];
  const byCode = code === undefined ? undefined : BY_CODE[code];

  return specific ?? byCode ?? BY_STEP[step] ?? "This link did not hold.";
}
