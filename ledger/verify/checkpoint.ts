/**
 * C2SP tlog-checkpoint bodies: "<origin>\n<tree size>\n<base64 root hash>\n" followed by
 * optional extension lines. The body is the text of a signed note (see ./note).
 */
import { LedgerError } from "../errors";
import { fromBase64, toBase64 } from "./bytes";
import { HASH_SIZE } from "./hash";
import { NoteVerifier, verifyNote } from "./note";

/** A checkpoint body: which log, how many leaves, and the root hash over them. */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** Extension lines after the root hash, without their newlines. */
  extensions: string[];
}

/** A checkpoint together with the signed note that carries it. */
export interface SignedCheckpoint extends Checkpoint {
  note: string;
}

/** Formats a checkpoint body. Throws TypeError for an origin or extension it cannot encode. */
export function formatCheckpoint(cp: Checkpoint): string {
  checkOrigin(cp.origin);
  for (const ext of cp.extensions) {
    if (ext.length === 0 || ext.includes("\n")) {
      throw new TypeError(`checkpoint extension ${JSON.stringify(ext)} is empty or multi-line`);
    }
  }
  if (cp.rootHash.length !== HASH_SIZE) {
    throw new TypeError(`checkpoint root hash: expected 32 bytes, got ${cp.rootHash.length}`);
  }

  const ext = cp.extensions.map((e) => `${e}\n`).join("");
  return `${cp.origin}\n${cp.size}\n${toBase64(cp.rootHash)}\n${ext}`;
}

/**
 * Parses a checkpoint body.
 *
 * @throws LedgerError LEDGER_BAD_CHECKPOINT naming the first malformed line.
 */
export function parseCheckpoint(body: string): Checkpoint {
  if (!body.endsWith("\n")) throw bad("body does not end in a newline");

  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 3) throw bad(`expected at least 3 lines, got ${lines.length}`);
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin.length === 0 || origin.trim() !== origin) throw bad("origin line is empty or padded");
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw bad(`tree size ${JSON.stringify(sizeText)} is not a canonical decimal integer`);
  }
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(rootText);
  } catch (err) {
    throw new LedgerError(
      "LEDGER_BAD_CHECKPOINT",
      "checkpoint: root hash is not base64",
      {},
      {
        cause: err,
      },
    );
  }
  if (rootHash.length !== HASH_SIZE) throw bad(`root hash has ${rootHash.length} bytes, not 32`);
  if (extensions.some((e) => e.length === 0)) throw bad("empty extension line");
  return { origin, size: Number(sizeText), rootHash, extensions };
}

/**
 * Verifies a signed checkpoint note against trusted verifiers and parses its body. When
 * `origin` is given, the checkpoint must name it.
 *
 * @throws LedgerError LEDGER_BAD_NOTE, LEDGER_NO_VALID_SIGNATURE or LEDGER_BAD_CHECKPOINT.
 */
export function verifyCheckpoint(
  note: string,
  verifiers: readonly NoteVerifier[],
  origin?: string,
): SignedCheckpoint & { verifiedBy: string[] } {
  const verified = verifyNote(note, verifiers);

  const cp = parseCheckpoint(verified.text);

  if (origin !== undefined && cp.origin !== origin) {
    throw new LedgerError(
      "LEDGER_BAD_CHECKPOINT",
      `checkpoint origin ${JSON.stringify(cp.origin)}, expected ${JSON.stringify(origin)}`,
      { origin: cp.origin, expected: origin },
    );
  }
  return { ...cp, note, verifiedBy: verified.verifiedBy };
}

function checkOrigin(origin: string): void {
  if (origin.length === 0 || origin.trim() !== origin || /[\n\r]/.test(origin)) {
    throw new TypeError(
      `checkpoint origin ${JSON.stringify(origin)} is empty, padded or multi-line`,
    );
  }
}

function bad(why: string): LedgerError {
  return new LedgerError("LEDGER_BAD_CHECKPOINT", `checkpoint: ${why}`);
}
