/**
 * `anchorlog verify-consistency <old> <new> <proof>`: checks that a log's newer signed
 * checkpoint extends an older one. Both notes are verified against trusted keys first; the
 * proof is a JSON list of hashes (hex or base64) or the API's consistency answer as is.
 */
import { verifyCheckpoint, type SignedCheckpoint } from "../../ledger/verify/checkpoint";
import { parseVerifierKey } from "../../ledger/verify/note";
import { toHex } from "../../ledger/verify/bytes";
import { LedgerError } from "../../ledger/errors";
import { compareCheckpoints } from "./consistency-check";
import { CliError, EXIT, oneLine } from "./errors";
import { decodeHash, readCheckpointNote, readJson, trustedKeys } from "./input";
import { formatSteps, report, type Output, type StepReport } from "./output";

/** Options of {@link runVerifyConsistency}. */
export interface VerifyConsistencyOptions {
  readonly key?: string[];
}

/** A consistency proof as read from a file, with the sizes it claims when it says. */
export interface ProofFile {
  readonly proof: Uint8Array[];
  readonly size1?: number;
  readonly size2?: number;
}

/**
 * Verifies the checkpoints in `oldFile` and `newFile` and the proof in `proofFile`, prints
 * each step, and resolves with the exit status (0 consistent, 1 not).
 *
 * @throws CliError for unreadable or malformed files and missing or malformed keys.
 */
export async function runVerifyConsistency(
  oldFile: string,
  newFile: string,
  proofFile: string,
  opts: VerifyConsistencyOptions,
  out: Output,
): Promise<number> {
  const keys = trustedKeys(opts.key).map(parseVerifierKey);
  const oldNote = readCheckpointNote(oldFile, "old checkpoint");
  const newNote = readCheckpointNote(newFile, "new checkpoint");
  const proof = readProofFile(proofFile);

  const steps: StepReport[] = [];
  const finish = (older?: SignedCheckpoint, newer?: SignedCheckpoint) => {
    const ok = steps.every((s) => s.verdict === "ok");
    const doc = {
      ok,
      old: older && { origin: older.origin, size: older.size, rootHash: toHex(older.rootHash) },
      new: newer && { origin: newer.origin, size: newer.size, rootHash: toHex(newer.rootHash) },
      steps,
    };
    report(out, doc, () => [
      ...formatSteps(steps),
      ok ? "CONSISTENT" : `NOT CONSISTENT: the ${steps.at(-1)?.step} step failed`,
    ]);
    return ok ? EXIT.ok : EXIT.failed;
  };

  const checked: SignedCheckpoint[] = [];
  for (const [step, note] of [
    ["old checkpoint", oldNote],
    ["new checkpoint", newNote],
  ] as const) {
    try {
      const cp = verifyCheckpoint(note, keys);
      checked.push(cp);
      steps.push({
        step,
        verdict: "ok",
        detail: `size ${cp.size} signed by ${cp.verifiedBy.join(", ")}`,
      });
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err;
      steps.push({ step, verdict: "failed", detail: oneLine(err), code: err.code });
      return finish(checked[0]);
    }
  }
  const [older, newer] = checked;

  const claimed = [proof.size1, proof.size2];
  if (
    (claimed[0] !== undefined && claimed[0] !== older.size) ||
    (claimed[1] !== undefined && claimed[1] !== newer.size)
  ) {
    steps.push({
      step: "proof",
      verdict: "failed",
      detail:
        `the proof is from size ${claimed[0]} to ${claimed[1]}, ` +
        `the checkpoints are of sizes ${older.size} and ${newer.size}`,
    });
    return finish(older, newer);
  }

  const result = compareCheckpoints(older, newer, proof.proof);
  steps.push({
    step: "consistency",
    verdict: result.finding === "consistent" ? "ok" : "failed",
    detail: result.finding === "consistent" ? result.detail : `${result.finding}: ${result.detail}`,
    ...(result.code === undefined ? {} : { code: result.code }),
  });
  return finish(older, newer);
}

/**
 * Reads a consistency proof: a JSON list of hashes, or an object with a `proof` list and
 * optionally `size1` and `size2` (the answer of GET /v1/proofs/consistency).
 *
 * @throws CliError CLI_FILE_MISSING, CLI_BAD_JSON or CLI_BAD_FORMAT.
 */
export function readProofFile(path: string): ProofFile {
  const doc = readJson(path, "proof file");
  const obj = Array.isArray(doc) ? { proof: doc } : (doc as Record<string, unknown>);
  if (typeof obj !== "object" || obj === null || !Array.isArray(obj.proof)) {
    throw new CliError(
      "CLI_BAD_FORMAT",
      `proof file ${path} is neither a list of hashes nor an object with a "proof" list`,
    );
  }

  const size = (name: "size1" | "size2"): number | undefined => {
    const v = obj[name];
    if (v === undefined) return undefined;
    if (!Number.isSafeInteger(v) || (v as number) < 0) {
      throw new CliError("CLI_BAD_FORMAT", `proof file ${path}: ${name} is not a tree size`);
    }
    return v as number;
  };
  return {
    proof: (obj.proof as unknown[]).map((h, i) => decodeHash(h, `proof file ${path}, hash ${i}`)),
    size1: size("size1"),
    size2: size("size2"),
  };
}
