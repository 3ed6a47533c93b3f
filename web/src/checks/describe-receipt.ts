/**
 * The data each link of a receipt uses, for display beside its verdict. Read straight from
 * the receipt as given, so the officer sees the very bytes that were checked. Decoding here
 * is best effort and never throws: a field that cannot be decoded is shown as it is, and the
 * verdict itself comes from the verify module alone.
 */
import {
  decodeLeaf,
  fromBase64,
  leafHash,
  parseCheckpoint,
  parseNote,
  rootFromInclusionProof,
  toHex,
} from "../../../ledger/verify";
import type { Datum } from "./link";

type Fields = Record<string, unknown>;

/** Data of the format link: which log, which entry, which tree size, which status. */
export function formatData(r: Fields): Datum[] {
  return [
    { label: "Format", value: text(r.format) },
    { label: "Log (origin)", value: text(r.origin) },
    { label: "Entry index", value: text(r.index) },
    { label: "Tree size", value: text(r.treeSize) },
    { label: "Status", value: text(r.status) },
  ];
}

/** Data of the leaf link: the leaf data, its decoded fields, and its leaf hash. */
export function leafData(r: Fields): Datum[] {
  const out: Datum[] = [{ label: "Leaf data (base64)", value: text(r.leafData) }];

  const bytes = base64OrUndefined(r.leafData);
  if (bytes === undefined) return out;
  out.push({ label: "Leaf hash", value: toHex(leafHash(bytes)) });
  try {
    const fields = decodeLeaf(bytes);
    out.push(
      { label: "Index in leaf", value: String(fields.index) },
      { label: "Integrated at", value: new Date(fields.timeMs).toISOString() },
      { label: "Event hash", value: toHex(fields.eventHash) },
      { label: "Operation commitment", value: toHex(fields.opCommitment) },
    );
  } catch {
    // The leaf link itself reports why the leaf does not decode.
  }
  return out;
}

/**
 * Data of the checkpoint link: the note, what it states, who signed it, and the keys it was
 * checked against, each marked with where it came from.
 */
export function checkpointData(r: Fields, keys: readonly TrustedKey[]): Datum[] {
  const out: Datum[] = [];
  const note = text(r.checkpoint);

  try {
    const parsed = parseNote(note);
    const cp = parseCheckpoint(parsed.text);
    out.push(
      { label: "Origin", value: cp.origin },
      { label: "Tree size", value: String(cp.size) },
      { label: "Root hash", value: toHex(cp.rootHash) },
      {
        label: "Signatures",
        value: parsed.signatures.map((s) => `${s.name} (key ID ${toHex(s.keyId)})`),
      },
    );
  } catch {
    // The checkpoint link reports what is malformed.
  }
  out.push(
    { label: "Keys checked against", value: keys.map((k) => `${k.key} (${k.from})`) },
    { label: "Signed note", value: note },
  );
  return out;
}

/**
 * Data of the inclusion link: the path, bottom-up, and the root it leads to from the leaf,
 * computed again here so that it shows even when the link fails.
 */
export function inclusionData(r: Fields): Datum[] {
  const path = Array.isArray(r.inclusionProof) ? r.inclusionProof : [];
  const hashes = path.map(base64OrUndefined);
  const out: Datum[] = [
    {
      label: `Inclusion path (${path.length} hashes, leaf to root)`,
      value: path.map((p, i) => {
        const bytes = hashes[i];
        return bytes === undefined ? text(p) : toHex(bytes);
      }),
    },
  ];

  const leaf = base64OrUndefined(r.leafData);
  if (leaf === undefined || hashes.some((h) => h === undefined)) return out;
  try {
    const root = rootFromInclusionProof(
      r.index as number,
      r.treeSize as number,
      leafHash(leaf),
      hashes as Uint8Array[],
    );
    out.push({ label: "Root it leads to", value: toHex(root) });
  } catch {
    // The inclusion link reports why the path cannot be followed.
  }
  return out;
}

/** A verifier key and where the page got it. */
export interface TrustedKey {
  key: string;
  from: "entered by you" | "taken from the receipt itself";
}

function base64OrUndefined(value: unknown): Uint8Array | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return fromBase64(value);
  } catch {
    return undefined;
  }
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  return value === undefined ? "(missing)" : JSON.stringify(value);
}
