/**
 * Full re-derivation of one tenant's log from its leaves: the offline check behind `fsck`.
 * It streams the leaves in order, recomputes every tile and compares it with the stored
 * one, and recomputes the root at every stored checkpoint's size and compares it with the
 * signed root. Memory stays bounded: only the rightmost tile of each level is held.
 */
import { LedgerError } from "../errors";
import { KvOp, KvStore } from "../store/kv-store";
import { LogKeys } from "../store/keys";
import { bytesEqual, fromUtf8, toHex } from "../verify/bytes";
import { parseCheckpoint } from "../verify/checkpoint";
import { EMPTY_ROOT } from "../verify/hash";
import { decodeLeaf } from "../verify/leaf";
import { NoteVerifier, verifyNote } from "../verify/note";
import { rootHash } from "../verify/proof-builder";
import { nodeHasher } from "./node-hasher";
import { TileCache } from "./tile-cache";
import { TileTree } from "./tile-tree";

/** One disagreement found while re-deriving a log. */
export interface LogProblem {
  what: "leaf" | "tile" | "checkpoint" | "size";
  detail: string;
}

/** What a full check found. `problems` is empty for a sound log. */
export interface LogCheckReport {
  size: number;
  leavesChecked: number;
  tilesChecked: number;
  checkpointsChecked: number;
  problems: LogProblem[];
}

/**
 * Re-derives the log under `keys` from its leaves and compares everything stored.
 * `onProgress` is called with the number of leaves checked so far.
 */
export async function checkLogFully(
  store: KvStore,
  keys: LogKeys,
  verifier: NoteVerifier,
  size: number,
  onProgress?: (leaves: number) => void,
): Promise<LogCheckReport> {
  const report: LogCheckReport = {
    size,
    leavesChecked: 0,
    tilesChecked: 0,
    checkpointsChecked: 0,
    problems: [],
  };
  const problem = (what: LogProblem["what"], detail: string) => {
    if (report.problems.length < 100) report.problems.push({ what, detail });
  };

  // Checkpoint sizes in order, so roots can be compared as the leaves stream past them.
  const checkpoints: { size: number; root: Uint8Array }[] = [];
  for await (const [key, value] of store.entries(keys.checkpointRange)) {
    try {
      const note = fromUtf8(value);
      const cp = parseCheckpoint(verifyNote(note, [verifier]).text);
      checkpoints.push({ size: cp.size, root: cp.rootHash });
    } catch (err) {
      problem("checkpoint", `${key}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const badTiles = new Set<string>();
  const scratch = new DiscardingStore();
  const tree = await TileTree.load(scratch, keys, nodeHasher, new TileCache(0), 0);
  let next = 0;
  let pending: Uint8Array[] = [];
  const flush = async () => {
    const staged = tree.stage(pending);
    for (const op of tree.writes(staged)) {
      if (op.type !== "put") continue;
      const stored = await store.get(op.key);
      report.tilesChecked++;
      const same =
        stored !== undefined && bytesEqual(stored.subarray(0, op.value.length), op.value);
      if (!same && !badTiles.has(op.key)) {
        badTiles.add(op.key);
        problem("tile", `${op.key} differs from the tile re-derived from the leaves`);
      }
    }
    tree.commit(staged);
    pending = [];
  };
  const checkRoots = async () => {
    while (checkpoints.length > 0 && checkpoints[0].size <= tree.size) {
      const cp = checkpoints.shift()!;
      if (cp.size < tree.size) continue;
      const root = cp.size === 0 ? EMPTY_ROOT : await rootHash(tree.source(), nodeHasher, cp.size);
      report.checkpointsChecked++;
      if (!bytesEqual(root, cp.root)) {
        problem(
          "checkpoint",
          `size ${cp.size}: leaves give root ${toHex(root)}, checkpoint ${toHex(cp.root)}`,
        );
      }
    }
  };

  await checkRoots();
  for await (const [key, leaf] of store.entries(keys.leafRange(0, size + 1))) {
    if (next >= size) {
      problem("size", `leaf ${key} lies past the checkpoint size ${size}`);
      break;
    }
    try {
      if (decodeLeaf(leaf).index !== next)
        problem("leaf", `${key} holds index ${decodeLeaf(leaf).index}`);
    } catch (err) {
      problem("leaf", `${key}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (key !== keys.leaf(next)) {
      throw new LedgerError("LEDGER_STORE_DAMAGED", `leaf ${next} is missing (found ${key})`, {
        index: next,
      });
    }
    pending.push(nodeHasher.leaf(leaf));
    next++;
    report.leavesChecked++;
    const boundary = checkpoints.length > 0 && checkpoints[0].size === next;
    if (pending.length >= 4096 || boundary) {
      await flush();
      await checkRoots();
      onProgress?.(next);
    }
  }
  await flush();
  await checkRoots();
  if (next !== size) problem("size", `found ${next} leaves, the checkpoint says ${size}`);
  for (const cp of checkpoints) problem("checkpoint", `size ${cp.size} is beyond the log`);
  return report;
}

/** A store that remembers nothing: the re-derived tiles are compared, not kept. */
class DiscardingStore implements KvStore {
  async get(): Promise<undefined> {
    return undefined;
  }
  async getMany(keys: readonly string[]): Promise<undefined[]> {
    return keys.map(() => undefined);
  }
  async batch(_ops: readonly KvOp[]): Promise<void> {}
  async *entries(): AsyncIterable<[string, Uint8Array]> {}
  async compact(): Promise<void> {}
  async close(): Promise<void> {}
}
