/**
 * The comparison of two verified checkpoints of one log, shared by `verify-consistency` and
 * `monitor`: does the newer one extend the older one? Each way it can fail has its own
 * name, since each means something different to an auditor.
 */
import { bytesEqual, toHex } from "../../ledger/verify/bytes";
import type { SignedCheckpoint } from "../../ledger/verify/checkpoint";
import { verifyConsistency } from "../../ledger/verify/consistency";
import { LedgerError } from "../../ledger/errors";
import { oneLine } from "./errors";

/**
 * What comparing two checkpoints found:
 * - `consistent`: the newer tree extends the older one (or they are the same checkpoint);
 * - `fork`: two different roots signed for the same tree size;
 * - `rollback`: the newer checkpoint is smaller than one already seen;
 * - `inconsistent`: the proof does not show the newer tree extends the older one;
 * - `origin-mismatch`: the checkpoints belong to different logs.
 */
export type ConsistencyFinding =
  "consistent" | "fork" | "rollback" | "inconsistent" | "origin-mismatch";

/** The result of {@link compareCheckpoints}. */
export interface ConsistencyResult {
  readonly finding: ConsistencyFinding;
  readonly detail: string;
  /** The ledger's error code when the proof itself was rejected. */
  readonly code?: string;
}

/**
 * Compares `older` with `newer`, both already verified against trusted keys, using `proof`
 * (the RFC 9162 consistency proof from older.size to newer.size) when the sizes differ.
 * A proof from the empty tree is not needed: every log extends the empty one.
 */
export function compareCheckpoints(
  older: SignedCheckpoint,
  newer: SignedCheckpoint,
  proof: readonly Uint8Array[],
): ConsistencyResult {
  if (older.origin !== newer.origin) {
    return {
      finding: "origin-mismatch",
      detail: `the checkpoints are of different logs: ${older.origin} and ${newer.origin}`,
    };
  }
  if (newer.size < older.size) {
    return {
      finding: "rollback",
      detail: `tree size ${newer.size} is smaller than size ${older.size} signed before`,
    };
  }
  if (newer.size === older.size) {
    if (bytesEqual(newer.rootHash, older.rootHash)) {
      return { finding: "consistent", detail: `the same checkpoint of size ${newer.size}` };
    }
    return {
      finding: "fork",
      detail:
        `two different roots signed for tree size ${newer.size}: ` +
        `${toHex(older.rootHash)} and ${toHex(newer.rootHash)}`,
    };
  }
  if (older.size === 0) {
    return { finding: "consistent", detail: `size ${newer.size} extends the empty log` };
  }

  try {
    verifyConsistency(older.size, newer.size, proof, older.rootHash, newer.rootHash);
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err;
    return {
      finding: "inconsistent",
      detail: `size ${newer.size} does not extend size ${older.size}: ${oneLine(err)}`,
      code: err.code,
    };
  }
  return {
    finding: "consistent",
    detail: `size ${newer.size} extends size ${older.size} (proof of ${proof.length} hashes)`,
  };
}
