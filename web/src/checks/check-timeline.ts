/**
 * A tenant's timeline: the checkpoints the officer collected, oldest tree first, whether each
 * is signed by the trusted key, where it is anchored (as its receipt states), and whether
 * each extends the ones before it.
 *
 * Two kinds of fork are shown: two signed checkpoints of one size with different roots (no
 * proof needed: one log cannot have two trees of one size), and a later checkpoint that the
 * log's own tiles cannot prove consistent with an earlier one. Consistency proofs are built
 * here, in the page, from the log's tiles (`buildConsistencyProof` over a tile source) and
 * checked with `verifyConsistency`; a tile that lies fails the proof, never passes it.
 */
import {
  type AnchorProof,
  buildConsistencyProof,
  fromHex,
  parseVerifierKey,
  pureHasher,
  rootHash,
  type SubtreeSource,
  toHex,
  verifyCheckpoint,
  verifyConsistency,
} from "../../../ledger/verify";
import { type EpochRootReader, verifyAnchoredReceipt } from "../../../ledger/verify/anchor-check";
import { codeOf, messageOf } from "../errors";
import type { PastedCheckpoint } from "../input/split-notes";

/** One distinct checkpoint of the timeline (identical notes are merged). */
export interface TimelineEntry {
  /** Position in the sorted timeline, from 0. */
  id: number;
  note: string;
  /** Where the officer got it: "note 2", "fetched 14:02:11", "receipt #3"; merged when repeated. */
  sources: string[];
  /** Whether the note is signed by a trusted key and names the timeline's origin. */
  signed: boolean;
  /** The verify module's detail or error message for the signature. */
  detail: string;
  code?: string;
  origin?: string;
  size?: number;
  /** Root hash, hex. */
  rootHash?: string;
  /** Anchors that receipts claim for this checkpoint, each checked when a chain is given. */
  anchors: AnchorClaim[];
  /**
   * Whether the root the log's tiles give for this tree size is this checkpoint's root:
   * `differ` marks a checkpoint of another tree than the one the log serves.
   */
  tiles: "match" | "differ" | "unknown";
}

/** An anchor a receipt claims for a checkpoint, and whether the chain confirms it. */
export interface AnchorClaim {
  anchor: AnchorProof;
  /**
   * `confirmed`: `verifyAnchoredReceipt` passed on the receipt, chain read included.
   * `refuted`: it failed (`detail` says at which step). `claimed`: not checked (no chain).
   */
  status: "confirmed" | "refuted" | "claimed";
  detail: string;
}

/** How two checkpoints relate. */
export interface TimelineRelation {
  /** Ids of the older (smaller or equal size) and the newer checkpoint. */
  from: number;
  to: number;
  /**
   * `consistent`: a consistency proof from the log's tiles verifies. `inconsistent`: it does
   * not, so both cannot be views of one honest log. `fork`: same size, different roots.
   * `unchecked`: no tiles to build a proof from, or the log did not serve them.
   */
  kind: "consistent" | "inconsistent" | "fork" | "unchecked";
  detail: string;
  code?: string;
}

/** The checked timeline. */
export interface Timeline {
  origin?: string;
  entries: TimelineEntry[];
  relations: TimelineRelation[];
  /** True when any relation is a fork or an inconsistency. */
  forked: boolean;
}

/** Options of {@link checkTimeline}. */
export interface TimelineOptions {
  /** The log's verifier keys, from a source the officer trusts. */
  trustedKeys: readonly string[];
  /**
   * A source of the log's perfect subtrees in its tree of `size` leaves, such as tiles over
   * HTTP; without one, consistency is left unchecked.
   */
  sourceFor?: (size: number) => SubtreeSource;
  /**
   * Reads epoch roots on chain, to check the anchors receipts claim; without it they stay
   * claims.
   */
  readEpochRoot?: EpochRootReader;
}

/**
 * Verifies each checkpoint's signature, merges repeats, sorts by tree size, and relates each
 * checkpoint to every one of the next smaller size (and to others of its own size). Never
 * throws for bad input: a note that fails is an unsigned entry and takes no part in the
 * relations.
 */
export async function checkTimeline(
  pasted: readonly PastedCheckpoint[],
  opts: TimelineOptions,
): Promise<Timeline> {
  const entries = mergeAndSort(pasted.map((p) => readEntry(p, opts.trustedKeys)));
  for (const p of pasted.filter((q) => q.anchor !== undefined)) {
    const entry = entries.find((e) => e.note === p.note) as TimelineEntry;
    entry.anchors.push(await checkClaim(p, opts));
  }
  const origins = new Set(entries.filter((e) => e.signed).map((e) => e.origin));
  const origin = origins.size === 1 ? [...origins][0] : undefined;

  const signed = entries.filter((e) => e.signed);
  if (opts.sourceFor !== undefined) {
    for (const e of signed) e.tiles = await tilesAgree(e, opts.sourceFor);
  }
  const sizes = [...new Set(signed.map((e) => e.size as number))];
  const relations: TimelineRelation[] = [];
  for (let k = 0; k < sizes.length; k++) {
    const here = signed.filter((e) => e.size === sizes[k]);
    for (let i = 0; i < here.length; i++) {
      for (let j = i + 1; j < here.length; j++) relations.push(sameSizeFork(here[i], here[j]));
    }
    if (k === 0) continue;
    const before = signed.filter((e) => e.size === sizes[k - 1]);
    for (const older of before) {
      for (const newer of here) relations.push(await consistencyOf(older, newer, opts));
    }
  }

  return {
    origin,
    entries,
    relations,
    forked: relations.some((r) => r.kind === "fork" || r.kind === "inconsistent"),
  };
}

function readEntry(p: PastedCheckpoint, trustedKeys: readonly string[]): TimelineEntry {
  const entry: TimelineEntry = {
    id: -1,
    note: p.note,
    sources: [p.source],
    signed: false,
    detail: "",
    anchors: [],
    tiles: "unknown",
  };

  try {
    const verifiers = trustedKeys
      .map((k) => k.trim())
      .filter((k) => k !== "")
      .map(parseVerifierKey);
    const cp = verifyCheckpoint(p.note, verifiers);
    entry.origin = cp.origin;
    entry.size = cp.size;
    entry.rootHash = toHex(cp.rootHash);
    entry.signed = true;
    entry.detail = `size ${cp.size} signed by ${cp.verifiedBy.join(", ")}`;
  } catch (err) {
    entry.detail = messageOf(err);
    entry.code = codeOf(err);
  }
  return entry;
}

function mergeAndSort(entries: TimelineEntry[]): TimelineEntry[] {
  const byNote = new Map<string, TimelineEntry>();
  for (const e of entries) {
    const seen = byNote.get(e.note);
    if (seen === undefined) {
      byNote.set(e.note, e);
    } else {
      seen.sources.push(...e.sources);
    }
  }

  // Signed checkpoints by size; unsigned ones last, in the order given.
  const sorted = [...byNote.values()].sort((a, b) => {
    if (a.signed !== b.signed) return a.signed ? -1 : 1;
    return a.signed ? (a.size as number) - (b.size as number) : 0;
  });
  sorted.forEach((e, i) => (e.id = i));
  return sorted;
}

async function checkClaim(p: PastedCheckpoint, opts: TimelineOptions): Promise<AnchorClaim> {
  const anchor = p.anchor as AnchorProof;
  if (opts.readEpochRoot === undefined) {
    return { anchor, status: "claimed", detail: "as its receipt states; no chain was read" };
  }

  const verdict = await verifyAnchoredReceipt(p.receipt, {
    trustedKeys: opts.trustedKeys,
    readEpochRoot: opts.readEpochRoot,
  });

  const failed = verdict.steps.find((s) => !s.ok);
  if (failed === undefined) {
    return { anchor, status: "confirmed", detail: "the chain holds this epoch's root" };
  }
  const code = failed.code ? `${failed.code}: ` : "";
  return { anchor, status: "refuted", detail: `${failed.step} step: ${code}${failed.detail}` };
}

async function tilesAgree(
  e: TimelineEntry,
  sourceFor: (size: number) => SubtreeSource,
): Promise<TimelineEntry["tiles"]> {
  const size = e.size as number;
  if (size === 0) return "unknown";

  try {
    const root = await rootHash(sourceFor(size), pureHasher, size);
    return toHex(root) === e.rootHash ? "match" : "differ";
  } catch {
    // The log does not serve this size's tiles (it may be smaller, or unreachable).
    return "unknown";
  }
}

function sameSizeFork(a: TimelineEntry, b: TimelineEntry): TimelineRelation {
  if (a.origin !== b.origin) {
    return {
      from: a.id,
      to: b.id,
      kind: "unchecked",
      detail: `different logs: ${a.origin} and ${b.origin}`,
    };
  }
  if (a.rootHash === b.rootHash) {
    // Same size and root but different notes: other signatures over one checkpoint.
    return { from: a.id, to: b.id, kind: "consistent", detail: "same tree, signed differently" };
  }
  return {
    from: a.id,
    to: b.id,
    kind: "fork",
    detail: `two trees of size ${a.size}: roots ${a.rootHash} and ${b.rootHash}`,
  };
}

async function consistencyOf(
  older: TimelineEntry,
  newer: TimelineEntry,
  opts: TimelineOptions,
): Promise<TimelineRelation> {
  const base = { from: older.id, to: newer.id };
  if (older.origin !== newer.origin) {
    return {
      ...base,
      kind: "unchecked",
      detail: `different logs: ${older.origin}, ${newer.origin}`,
    };
  }
  if (opts.sourceFor === undefined) {
    return { ...base, kind: "unchecked", detail: "no log tiles URL given, so no proof was built" };
  }
  const size1 = older.size as number;
  const size2 = newer.size as number;

  let proof: Uint8Array[];
  try {
    proof = await buildConsistencyProof(opts.sourceFor(size2), pureHasher, size1, size2);
  } catch (err) {
    return { ...base, kind: "unchecked", detail: messageOf(err), code: codeOf(err) };
  }

  try {
    const root1 = fromHex(older.rootHash as string);
    const root2 = fromHex(newer.rootHash as string);
    verifyConsistency(size1, size2, proof, root1, root2);
  } catch (err) {
    return { ...base, kind: "inconsistent", detail: messageOf(err), code: codeOf(err) };
  }
  return {
    ...base,
    kind: "consistent",
    detail: `consistency proof from size ${size1} to ${size2} (${proof.length} hashes) verifies`,
  };
}
